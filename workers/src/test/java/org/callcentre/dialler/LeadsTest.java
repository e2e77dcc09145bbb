package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.callcentre.problem.RefusedException;
import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;

/** Leads, their numbers against the do-not-call list, call statuses and history, on H2 and on PostgreSQL. */
class LeadsTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    private StoreDatabase database;
    private MovableClock clock;
    private Leads leads;
    private DoNotCallList doNotCall;
    private long list;
    private long lead;

    @BeforeEach
    void setUp(StoreDatabase database) {
        this.database = database;
        clock = new MovableClock(T0);
        LeadHistory history = new LeadHistory(database.jdbc(), clock);
        leads = new Leads(database.jdbc(), clock, new DiallerProperties(15), history);
        doNotCall = new DoNotCallList(database.jdbc(), clock, leads);
        ListFixtures lists = new ListFixtures(database.jdbc(), clock);
        list = lists.callList("Lapsed donors", lists.campaign("Winter appeal", "GB", "Europe/London"));
        new LeadImport(database.jdbc(), database.transaction().getTransactionManager(), clock).importLeads(list,
                new ByteArrayInputStream(("phone,phone_2,phone_3,external_ref\n"
                        + "07911 123456,07911 123457,07911 123458,A-1\n07911 222222,,,B-2\n")
                        .getBytes(StandardCharsets.UTF_8)), false, "agentadmin");
        lead = database.jdbc().queryForObject("select id from lead where external_ref = 'A-1'", Long.class);
    }

    @OnEachDatabase
    void aLeadWithOneNumberLeftStaysDialableAndWithNoneItIsNot(StoreDatabase database) {
        doNotCall.add("+447911123456", "agentadmin");
        doNotCall.add("+447911123458", "agentadmin");

        LeadView view = leads.view(lead).orElseThrow();
        assertThat(view.phones()).containsExactly(new LeadView.Phone("+447911123456", true, false),
                new LeadView.Phone("+447911123457", false, false), new LeadView.Phone("+447911123458", true, false));
        assertThat(view.callable()).isTrue();
        assertThat(leads.dialableNumbers(lead)).containsExactly("+447911123457");
        assertThat(dialable(lead)).isTrue();

        doNotCall.add("+447911123457", "agentadmin");

        assertThat(leads.view(lead).orElseThrow()).extracting(LeadView::callable, LeadView::notCallableReason)
                .containsExactly(false, Leads.NO_NUMBER_LEFT);
        assertThat(leads.dialableNumbers(lead)).isEmpty();
        assertThat(dialable(lead)).isFalse();
        assertThat(dialable(otherLead())).as("another lead's numbers are its own").isTrue();

        assertThat(doNotCall.remove("+447911123457")).isTrue();
        assertThat(doNotCall.remove("+447911123457")).isFalse();
        assertThat(dialable(lead)).isTrue();
        assertThat(leads.view(lead).orElseThrow().callable()).isTrue();
    }

    @OnEachDatabase
    void anUploadedListAddsEachNumberOnceAndListsTheBadRows(StoreDatabase database) {
        DoNotCallList.Report report = doNotCall.add(new ByteArrayInputStream(
                "name,phone\nA,07911 222222\nB,+44 7911 222222\nC,12345\nD,\n".getBytes(StandardCharsets.UTF_8)), "GB",
                "agentadmin");

        assertThat(report.added()).isOne();
        assertThat(report.rejected()).containsExactly(
                new Rejection(4, "phone '12345' is not a valid phone number (numbers without + are read for GB)"),
                new Rejection(5, "phone is required"));
        assertThat(doNotCall.entry("+447911222222")).contains(new DoNotCallList.Entry("+447911222222", T0));
        assertThat(dialable(otherLead())).isFalse();
        assertThatThrownBy(() -> doNotCall.add(new ByteArrayInputStream("number\n1\n".getBytes(StandardCharsets.UTF_8)),
                "GB", "agentadmin")).isInstanceOf(UnprocessableContent.class)
                .hasMessage("the file has no phone column: it is required");
    }

    @OnEachDatabase
    void aBlockingStatusStopsCallingUntilItIsEdited(StoreDatabase database) {
        leads.recordStatus(lead, CallStatus.NO_ANSWER, null, null, "agentadmin", false);
        clock.advance(Duration.ofMinutes(1));
        leads.recordStatus(lead, CallStatus.REMOVE, null, "asked to be removed", "agentadmin", false);

        assertThat(leads.view(lead).orElseThrow()).extracting(LeadView::lastCallStatus, LeadView::callable,
                LeadView::notCallableReason).containsExactly(CallStatus.REMOVE, false, CallStatus.BLOCKED_MESSAGE);
        assertThat(dialable(lead)).isFalse();

        clock.advance(Duration.ofMinutes(1));
        leads.editLatestStatus(lead, CallStatus.CALL_BACK, "admin", false);

        assertThat(leads.view(lead).orElseThrow()).extracting(LeadView::lastCallStatus, LeadView::callable,
                LeadView::notCallableReason).containsExactly(CallStatus.CALL_BACK, true, null);
        assertThat(dialable(lead)).isTrue();
        Map<String, Object> edited = database.jdbc().queryForMap("select status, note, edited_by, edited_at from "
                + "lead_call_status where lead_id = ? order by id desc fetch first 1 rows only", lead);
        assertThat(edited.get("status")).isEqualTo("CALL_BACK");
        assertThat(edited.get("note")).isEqualTo("asked to be removed");
        assertThat(edited.get("edited_by")).isEqualTo("admin");
        assertThat(leads.history(lead)).extracting(LeadHistory.Event::at, LeadHistory.Event::userId,
                LeadHistory.Event::kind, LeadHistory.Event::detail).containsExactly(
                        tuple(T0, "agentadmin", LeadHistory.Kind.IMPORTED, "imported into call list " + list),
                        tuple(T0, "agentadmin", LeadHistory.Kind.STATUS_RECORDED, "NO_ANSWER"),
                        tuple(T0.plusSeconds(60), "agentadmin", LeadHistory.Kind.STATUS_RECORDED,
                                "REMOVE: asked to be removed"),
                        tuple(T0.plusSeconds(120), "admin", LeadHistory.Kind.STATUS_EDITED, "REMOVE → CALL_BACK"));
    }

    @OnEachDatabase
    void anAgentRecordsAStatusOnlyWhileHoldingTheLeadsLiveLock(StoreDatabase database) {
        assertThatThrownBy(() -> leads.recordStatus(lead, CallStatus.BUSY, null, null, "agent", true))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.reason())
                        .isEqualTo(RefusedException.Reason.CONFLICT))
                .hasMessageStartingWith("open the lead first: ");
        lock(lead, "other", T0);
        assertThatThrownBy(() -> leads.recordStatus(lead, CallStatus.BUSY, null, null, "agent", true))
                .hasMessage("open the lead first: lead " + lead + " is locked by other");
        assertThat(leads.view(lead).orElseThrow().lock()).isEqualTo(new LeadView.Lock("other", T0));

        lock(lead, "agent", T0);
        leads.recordStatus(lead, CallStatus.BUSY, null, null, "agent", true);
        assertThat(leads.view(lead).orElseThrow().lastCallStatus()).isEqualTo(CallStatus.BUSY);

        clock.advance(Duration.ofMinutes(15));
        assertThat(leads.view(lead).orElseThrow().lock()).as("expired").isNull();
        assertThatThrownBy(() -> leads.editLatestStatus(lead, CallStatus.COMPLETE, "agent", true))
                .hasMessageStartingWith("open the lead first: ");
        assertThat(leads.view(lead).orElseThrow().lastCallStatus()).isEqualTo(CallStatus.BUSY);
        assertThat(count("lead_call_status")).isOne();
    }

    @OnEachDatabase
    void aCallNamedWithAStatusMustBeTheLeads(StoreDatabase database) {
        long call = call(otherLead());

        assertThatThrownBy(() -> leads.recordStatus(lead, CallStatus.PLEDGE, call, null, "admin", false))
                .isInstanceOf(UnprocessableContent.class).hasMessage("call " + call + " is not a call to lead " + lead);
        assertThat(count("lead_call_status")).isZero();

        long own = call(lead);
        long id = leads.recordStatus(lead, CallStatus.PLEDGE, own, null, "admin", false);
        assertThat(database.jdbc().queryForObject("select call_id from lead_call_status where id = ?", Long.class, id))
                .isEqualTo(own);
    }

    @OnEachDatabase
    void nothingToEditOrAnUnknownLeadIsNotFound(StoreDatabase database) {
        assertThatThrownBy(() -> leads.editLatestStatus(lead, CallStatus.COMPLETE, "admin", false))
                .hasMessage("lead " + lead + " has no call status to edit");
        assertThatThrownBy(() -> leads.recordStatus(999, CallStatus.COMPLETE, null, null, "admin", false))
                .hasMessage("there is no lead 999");
        assertThatThrownBy(() -> leads.history(999)).hasMessage("there is no lead 999");
        assertThat(leads.view(999)).isEmpty();
    }

    @OnEachDatabase
    void anInvalidNumberIsNotDialledAgain(StoreDatabase database) {
        leads.markInvalid(otherLead(), "+447911222222", "21211 invalid 'To' number");

        assertThat(leads.view(otherLead()).orElseThrow().phones())
                .containsExactly(new LeadView.Phone("+447911222222", false, true));
        assertThat(leads.view(otherLead()).orElseThrow().notCallableReason()).isEqualTo(Leads.NO_NUMBER_LEFT);
        assertThat(dialable(otherLead())).isFalse();
        assertThat(leads.history(otherLead()).get(1)).isEqualTo(new LeadHistory.Event(T0, null,
                LeadHistory.Kind.NUMBER_INVALID, "+447911222222: 21211 invalid 'To' number"));
    }

    @OnEachDatabase
    void searchFindsNewestFirstByListNumberAndReference(StoreDatabase database) {
        assertThat(leads.search(new Leads.Search(list, null, null, 0, 10))).satisfies(page -> {
            assertThat(page.total()).isEqualTo(2);
            assertThat(page.items()).extracting(LeadView::externalRef).containsExactly("B-2", "A-1");
        });
        assertThat(leads.search(new Leads.Search(null, "+447911123457", null, 0, 10)).items())
                .extracting(LeadView::id).containsExactly(lead);
        assertThat(leads.search(new Leads.Search(null, null, "B-2", 0, 10)).items())
                .extracting(LeadView::id).containsExactly(otherLead());
        assertThat(leads.search(new Leads.Search(list, null, null, 1, 1))).satisfies(page -> {
            assertThat(page.total()).isEqualTo(2);
            assertThat(page.items()).extracting(LeadView::id).containsExactly(lead);
        });
        assertThat(leads.search(new Leads.Search(list + 1, null, null, 0, 10)).total()).isZero();
    }

    private long otherLead() {
        return database.jdbc().queryForObject("select id from lead where external_ref = 'B-2'", Long.class);
    }

    private void lock(long leadId, String userId, Instant at) {
        database.jdbc().update("update lead set locked_by = ?, locked_at = ?, lock_touched_at = ? where id = ?", userId,
                Timestamp.from(at), Timestamp.from(at), leadId);
    }

    private long call(long leadId) {
        long campaign = database.jdbc().queryForObject("select min(id) from campaign", Long.class);
        database.jdbc().update("insert into outbound_call (lead_id, user_id, campaign_id, conference_name, to_number, "
                + "status, placed_at) values (?, 'agent', ?, 'agent-agent', '+447911222222', 'completed', ?)", leadId,
                campaign, Timestamp.from(T0));
        return database.jdbc().queryForObject("select max(id) from outbound_call", Long.class);
    }

    private boolean dialable(long leadId) {
        return database.jdbc().queryForObject("select dialable from lead where id = ?", Boolean.class, leadId);
    }

    private long count(String table) {
        return database.jdbc().queryForObject("select count(*) from " + table, Long.class);
    }


}
