package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import org.callcentre.dialler.CallOutcomes.Recorded;
import org.callcentre.problem.RefusedException;
import org.callcentre.processes.dialler.CallOutcomeDecision;
import org.callcentre.processes.dialler.CallOutcomeDecision.Action;
import org.callcentre.support.HeldTransaction;
import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.callcentre.support.StoreEngine;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.dao.DuplicateKeyException;

/**
 * What the call-outcome decision does to a lead, on H2 and PostgreSQL, with the real table deployed to an engine on
 * the same database and evaluated by key as the app evaluates it: the retry time Next Lead honours, the bad number and
 * the next one, the do-not-call list and the call lists, stopping and its undoing when the status is edited, and one
 * outcome per call. A changed table, deployed as an analyst deploys one, changes Next Lead with no code change.
 */
class CallOutcomesTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    private static final String LONDON = "Europe/London";

    private final MovableClock clock = new MovableClock(T0);
    private StoreDatabase database;
    private DiallerRows rows;
    private Leads leads;
    private LeadHistory history;
    private LeadReadiness readiness;
    private DoNotCallList doNotCall;
    private NextLeadQuery nextLead;
    private CallOutcomes outcomes;
    private ProcessEngine engine;
    private long campaign;
    private long list;

    @BeforeEach
    void open(StoreDatabase database) {
        this.database = database;
        clock.set(T0);
        rows = new DiallerRows(database.jdbc());
        history = new LeadHistory(database.jdbc(), clock);
        DiallerProperties properties = new DiallerProperties(15);
        var transactions = database.transaction().getTransactionManager();
        leads = new Leads(database.jdbc(), clock, properties, history);
        readiness = new LeadReadiness(database.jdbc(), clock);
        doNotCall = new DoNotCallList(database.jdbc(), clock, leads);
        LeadLocks locks = new LeadLocks(database.jdbc(), clock, properties, history, transactions);
        nextLead = new NextLeadQuery(List.of(new TeamCallListTier(database.jdbc(), locks, history)), locks,
                transactions);
        engine = StoreEngine.of(database);
        outcomes = new CallOutcomes(database.jdbc(), clock, leads, locks, new OutboundCalls(database.jdbc(), clock,
                history), doNotCall, history, engine, new OutboundCallMessages(engine.getRuntimeService()),
                transactions, List.of());
        // The app's table is the latest version, whatever an earlier test deployed.
        deployTable(table());
        campaign = rows.campaign();
        list = rows.callList(campaign);
        rows.works(rows.team("ann", "bob"), list, 1);
    }

    @AfterAll
    static void closeEngines() {
        StoreEngine.closeAll();
    }

    @OnEachDatabase
    void busyIsRetriedInFifteenMinutesAndNextLeadWaitsForIt() {
        long lead = rows.lead(LONDON, list);
        long call = rows.call(lead, campaign, number(lead), "busy");

        Recorded busy = record(lead, CallStatus.BUSY, call);

        assertThat(busy.decision().action()).isEqualTo(Action.RETRY);
        assertThat(busy.decision().retryAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        assertThat(nextCallAt(lead)).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        assertThat(lastHistory(lead)).isEqualTo("Busy: retry in 15 minutes");
        assertThat(nextLead.claim("ann")).isEmpty();

        clock.advance(Duration.ofMinutes(14));
        sweep();
        assertThat(nextLead.claim("ann")).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        sweep();
        assertThat(nextLead.claim("ann")).contains(lead);
    }

    /** The decision never brings a call forward: the campaign's gap after the call placed stays if it is later. */
    @OnEachDatabase
    void aRetryIsNeverSoonerThanTheCampaignsRules() {
        long lead = rows.lead(LONDON, list);
        rows.placed(lead, campaign, T0);
        long call = rows.call(lead, campaign, number(lead), "busy");

        Recorded busy = record(lead, CallStatus.BUSY, call);

        assertThat(busy.decision().retryAt()).isEqualTo(T0.plus(Duration.ofMinutes(60)));
        assertThat(nextCallAt(lead)).isEqualTo(T0.plus(Duration.ofMinutes(60)));

        long other = rows.lead(LONDON, list);
        rows.placed(other, campaign, T0);
        Recorded noAnswer = record(other, CallStatus.NO_ANSWER, rows.call(other, campaign, number(other), "no-answer"));
        assertThat(noAnswer.decision().retryAt()).isEqualTo(T0.plus(Duration.ofMinutes(120)));
        assertThat(lastHistory(other)).isEqualTo("No answer: retry in 2 hours");
    }

    @OnEachDatabase
    void aWrongNumberIsMarkedBadAndTheNextCallDialsTheNextNumber() {
        long lead = rows.lead(LONDON, list);
        String first = number(lead);
        String second = rows.anotherNumber(lead);
        long call = rows.call(lead, campaign, first, "completed");

        Recorded wrong = record(lead, CallStatus.WRONG_NUMBER, call);

        assertThat(wrong.decision().action()).isEqualTo(Action.NEXT_NUMBER);
        assertThat(wrong.decision().retryAt()).isNull();
        assertThat(leads.existing(lead).phones()).extracting(LeadView.Phone::number, LeadView.Phone::invalid)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(first, true),
                        org.assertj.core.groups.Tuple.tuple(second, false));
        assertThat(nextNumber(lead)).isEqualTo(second);
        assertThat(lastHistory(lead)).isEqualTo("Wrong number: " + first + " marked bad; the next call dials "
                + second);
        assertThat(nextLead.claim("ann")).as("still offered, on its other number").contains(lead);
    }

    /** Three unanswered calls in a row to one number: the next number, in an hour; the first is not bad. */
    @OnEachDatabase
    void aNumberNobodyAnswersThreeTimesGivesWayToTheNextNumber() {
        long lead = rows.lead(LONDON, list);
        String first = number(lead);
        String second = rows.anotherNumber(lead);

        record(lead, CallStatus.NO_ANSWER, rows.call(lead, campaign, first, "no-answer"));
        clock.advance(Duration.ofHours(3));
        record(lead, CallStatus.BUSY, rows.call(lead, campaign, first, "busy"));
        assertThat(nextNumber(lead)).isNull();
        clock.advance(Duration.ofHours(3));
        Recorded third = record(lead, CallStatus.ANSWERING_MACHINE, rows.call(lead, campaign, first, "completed"));

        assertThat(third.decision().action()).isEqualTo(Action.NEXT_NUMBER);
        assertThat(third.decision().retryAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(60)));
        assertThat(nextNumber(lead)).isEqualTo(second);
        assertThat(leads.dialableNumbers(lead)).containsExactly(first, second);
        assertThat(lastHistory(lead)).isEqualTo("Answering machine: 3 unanswered calls in a row to " + first
                + "; the next call dials " + second + "; retry in 1 hour");

        // On the second number the count starts again; after three there, the calls come back to the first.
        record(lead, CallStatus.NO_ANSWER, rows.call(lead, campaign, second, "no-answer"));
        assertThat(nextNumber(lead)).isEqualTo(second);
        record(lead, CallStatus.NO_ANSWER, rows.call(lead, campaign, second, "no-answer"));
        record(lead, CallStatus.NO_ANSWER, rows.call(lead, campaign, second, "no-answer"));
        assertThat(nextNumber(lead)).isEqualTo(first);
    }

    @OnEachDatabase
    void doNotCallListsEveryNumberAndTakesTheLeadOffEveryListUntilTheStatusIsEdited() {
        long lead = rows.lead(LONDON, list);
        long otherList = rows.callList(campaign);
        rows.addToList(lead, otherList);
        String first = number(lead);
        String second = rows.anotherNumber(lead);
        doNotCall.add(second, "admin");
        long call = rows.call(lead, campaign, first, "completed");

        Recorded dnc = record(lead, CallStatus.DO_NOT_CALL, call);

        assertThat(dnc.decision().action()).isEqualTo(Action.DO_NOT_CALL);
        assertThat(doNotCall.entry(first)).isPresent();
        assertThat(leads.existing(lead).callListIds()).isEmpty();
        assertThat(lastHistory(lead)).isEqualTo("Do not call: " + first + " on the do-not-call list; left call list "
                + list + ", " + otherList);
        assertThat(nextLead.claim("ann")).isEmpty();

        Recorded edited = edit(lead, CallStatus.CALL_BACK);

        assertThat(edited.decision().action()).isEqualTo(Action.NONE);
        assertThat(doNotCall.entry(first)).as("the number this status listed").isEmpty();
        assertThat(doNotCall.entry(second)).as("a number listed before stays listed").isPresent();
        assertThat(leads.existing(lead).callListIds()).containsExactlyInAnyOrder(list, otherList);
        assertThat(leads.existing(lead).callable()).isTrue();
        assertThat(nextLead.claim("ann")).contains(lead);
        assertThat(history.events(lead)).extracting(LeadHistory.Event::kind).containsSubsequence(
                LeadHistory.Kind.OUTCOME_APPLIED, LeadHistory.Kind.STATUS_EDITED, LeadHistory.Kind.OUTCOME_UNDONE,
                LeadHistory.Kind.OUTCOME_APPLIED);
    }

    /** Not interested: Next Lead stops offering the lead, an agent may still call it; editing the status undoes it. */
    @OnEachDatabase
    void stopEndsNextLeadsOffersAndEditingTheStatusUndoesIt() {
        long lead = rows.lead(LONDON, list);
        long call = rows.call(lead, campaign, number(lead), "completed");

        Recorded stop = record(lead, CallStatus.NOT_INTERESTED, call);

        assertThat(stop.decision().action()).isEqualTo(Action.STOP);
        assertThat(dialable(lead)).isFalse();
        assertThat(leads.existing(lead).callable()).as("calling by hand stays as the blocking statuses decide")
                .isTrue();
        assertThat(lastHistory(lead)).isEqualTo("Not interested: Next Lead no longer offers the lead");
        assertThat(nextLead.claim("ann")).isEmpty();

        Recorded edited = edit(lead, CallStatus.NO_ANSWER);

        assertThat(edited.decision().action()).isEqualTo(Action.RETRY);
        assertThat(dialable(lead)).isTrue();
        assertThat(nextLead.claim("ann")).as("offerable again, after the no-answer wait").isEmpty();
        clock.advance(Duration.ofMinutes(120));
        sweep();
        assertThat(nextLead.claim("ann")).contains(lead);
    }

    /** Editing takes back the old retry time before the new one applies: the shorter wait counts. */
    @OnEachDatabase
    void editingAStatusReappliesTheDecisionOfTheNewOne() {
        long lead = rows.lead(LONDON, list);
        String first = number(lead);
        String second = rows.anotherNumber(lead);
        long call = rows.call(lead, campaign, first, "completed");
        record(lead, CallStatus.NO_ANSWER, call);
        assertThat(nextCallAt(lead)).isEqualTo(T0.plus(Duration.ofMinutes(120)));

        clock.advance(Duration.ofMinutes(5));
        Recorded busy = edit(lead, CallStatus.BUSY);
        assertThat(busy.decision().retryAt()).isEqualTo(T0.plus(Duration.ofMinutes(20)));
        assertThat(nextCallAt(lead)).isEqualTo(T0.plus(Duration.ofMinutes(20)));

        edit(lead, CallStatus.WRONG_NUMBER);
        assertThat(nextCallAt(lead)).as("the busy retry taken back").isNull();
        assertThat(leads.dialableNumbers(lead)).containsExactly(second);
        assertThat(nextNumber(lead)).isEqualTo(second);

        edit(lead, CallStatus.CALL_BACK);
        assertThat(leads.dialableNumbers(lead)).as("the number may be dialled again").containsExactly(first, second);
        assertThat(nextNumber(lead)).isNull();
        assertThat(database.jdbc().queryForObject("select count(*) from call_outcome_effect", Integer.class)).isZero();
    }

    @OnEachDatabase
    void aCallHasOneOutcome() {
        long lead = rows.lead(LONDON, list);
        long call = rows.call(lead, campaign, number(lead), "completed");
        record(lead, CallStatus.PLEDGE, call);

        assertThatThrownBy(() -> record(lead, CallStatus.NOT_INTERESTED, call))
                .isInstanceOfSatisfying(RefusedException.class, refused -> {
                    assertThat(refused.reason()).isEqualTo(RefusedException.Reason.CONFLICT);
                    assertThat(refused.getMessage()).isEqualTo("call " + call + " already has its outcome (Pledge, "
                            + "recorded by admin): a call has one outcome; edit the lead's latest status to change it");
                });
        assertThat(statuses(lead)).isEqualTo(1);
        // Outcomes without a call are not limited.
        record(lead, CallStatus.CALL_BACK, null);
        record(lead, CallStatus.CALL_BACK, null);
        assertThat(statuses(lead)).isEqualTo(3);
    }

    /** Whatever a writer does, the database keeps one outcome per call (nulls allowed), on both databases. */
    @OnEachDatabase
    void theDatabaseAllowsOneOutcomePerCall() {
        long lead = rows.lead(LONDON, list);
        long call = rows.call(lead, campaign, number(lead), "completed");
        String insert = "insert into lead_call_status (lead_id, status, call_id, user_id, recorded_at) "
                + "values (?, 'BUSY', ?, 'ann', ?)";
        Timestamp now = Timestamp.from(T0);
        database.jdbc().update(insert, lead, call, now);
        database.jdbc().update(insert, lead, null, now);
        database.jdbc().update(insert, lead, null, now);

        assertThatThrownBy(() -> database.jdbc().update(insert, lead, call, now))
                .isInstanceOf(DuplicateKeyException.class);
    }

    /** Two recorders at once: the second waits for the first's call row, then finds the outcome and is refused. */
    @OnEachDatabase
    void twoRecordersOfOneCallAtOnceRecordOneOutcome() {
        long lead = rows.lead(LONDON, list);
        long call = rows.call(lead, campaign, number(lead), "completed");

        try (HeldTransaction first = database.hold(() -> outcomes.record(lead, CallStatus.BUSY, call, null, "ann",
                false))) {
            assertThatThrownBy(() -> database.inTransactionWaitingAtMost(Duration.ofMillis(500),
                    () -> outcomes.record(lead, CallStatus.NO_ANSWER, call, null, "bob", false)))
                    .satisfies(failure -> assertThat(StoreDatabase.gaveUpWaitingForALock(failure)).isTrue());
            first.commit();
        }
        assertThatThrownBy(() -> record(lead, CallStatus.NO_ANSWER, call)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("already has its outcome (Busy, recorded by ann)");
        assertThat(statuses(lead)).isEqualTo(1);
    }

    /** A note that holds a card number is refused, and nothing is recorded (it would reach the histories). */
    @OnEachDatabase
    void aNoteWithACardNumberIsRefused() {
        long lead = rows.lead(LONDON, list);
        long call = rows.call(lead, campaign, number(lead), "completed");

        assertThatThrownBy(() -> transaction(() -> outcomes.record(lead, CallStatus.PLEDGE, call,
                "card 4242 4242 4242 4242 exp 12/30", "admin", false)))
                .isInstanceOfSatisfying(RefusedException.class, refused -> {
                    assertThat(refused.reason()).isEqualTo(RefusedException.Reason.UNPROCESSABLE);
                    assertThat(refused.getMessage()).doesNotContain("4242");
                });
        assertThat(statuses(lead)).isZero();
        // A phone number or an amount is no card number.
        transaction(() -> outcomes.record(lead, CallStatus.PLEDGE, call, "call back on +44 7911 123456, £25 monthly",
                "admin", false));
        assertThat(statuses(lead)).isEqualTo(1);
    }

    /** Without its call the outcome cannot say which number it is about: nothing is marked. */
    @OnEachDatabase
    void aWrongNumberWithoutItsCallMarksNothing() {
        long lead = rows.lead(LONDON, list);

        Recorded wrong = record(lead, CallStatus.WRONG_NUMBER, null);

        assertThat(wrong.decision().action()).isEqualTo(Action.NEXT_NUMBER);
        assertThat(leads.dialableNumbers(lead)).containsExactly(number(lead));
        assertThat(lastHistory(lead)).isEqualTo("Wrong number: the outcome names no call, so no number is marked "
                + "and the next number is unchanged");
    }

    /**
     * An analyst changes busy from 15 to 30 minutes in Modeler and deploys it: the next busy outcome waits 30
     * minutes, with the same code.
     */
    @OnEachDatabase
    void aChangedTableChangesNextLeadWithNoCodeChange() {
        long before = rows.lead(LONDON, list);
        record(before, CallStatus.BUSY, rows.call(before, campaign, number(before), "busy"));
        clock.advance(Duration.ofMinutes(16));
        sweep();
        assertThat(nextLead.claim("ann")).contains(before);
        record(before, CallStatus.NOT_INTERESTED, null);

        String busyFifteen = "<outputEntry id=\"LiteralExpression_BusyRetryInMinutes\">\n          <text>15</text>";
        assertThat(table()).contains(busyFifteen);
        deployTable(table().replace(busyFifteen, busyFifteen.replace("15", "30")));

        long after = rows.lead(LONDON, list);
        Recorded busy = record(after, CallStatus.BUSY, rows.call(after, campaign, number(after), "busy"));
        assertThat(busy.decision().retryAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        assertThat(lastHistory(after)).isEqualTo("Busy: retry in 30 minutes");

        clock.advance(Duration.ofMinutes(16));
        sweep();
        assertThat(nextLead.claim("bob")).isEmpty();
        clock.advance(Duration.ofMinutes(14));
        sweep();
        assertThat(nextLead.claim("bob")).contains(after);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private Recorded record(long lead, CallStatus status, Long call) {
        return transaction(() -> outcomes.record(lead, status, call, null, "admin", false));
    }

    private Recorded edit(long lead, CallStatus status) {
        return transaction(() -> outcomes.edit(lead, status, "admin", false));
    }

    private <T> T transaction(Supplier<T> work) {
        return database.transaction().execute(tx -> work.get());
    }

    private void sweep() {
        database.transaction().execute(tx -> readiness.sweep());
    }

    private void deployTable(String xml) {
        engine.getRepositoryService().createDeployment().name("call-outcome from Modeler")
                .addInputStream(CallOutcomeDecision.RESOURCE,
                        new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                .deploy();
    }

    private static String table() {
        try (InputStream dmn = CallOutcomesTest.class.getClassLoader()
                .getResourceAsStream(CallOutcomeDecision.RESOURCE)) {
            return new String(dmn.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String number(long lead) {
        return database.jdbc().queryForObject("select number from lead_phone where lead_id = ? order by position "
                + "limit 1", String.class, lead);
    }

    private Instant nextCallAt(long lead) {
        Timestamp at = database.jdbc().queryForObject("select next_call_at from lead where id = ?", Timestamp.class,
                lead);
        return at == null ? null : at.toInstant();
    }

    private String nextNumber(long lead) {
        return database.jdbc().queryForObject("select next_number from lead where id = ?", String.class, lead);
    }

    private boolean dialable(long lead) {
        return database.jdbc().queryForObject("select dialable from lead where id = ?", Boolean.class, lead);
    }

    private int statuses(long lead) {
        return database.jdbc().queryForObject("select count(*) from lead_call_status where lead_id = ?",
                Integer.class, lead);
    }

    private String lastHistory(long lead) {
        List<LeadHistory.Event> events = history.events(lead);
        return events.stream().filter(e -> e.kind() == LeadHistory.Kind.OUTCOME_APPLIED)
                .reduce((first, second) -> second).map(LeadHistory.Event::detail).orElse(null);
    }
}
