package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

import org.callcentre.campaign.CampaignBook;
import org.callcentre.dialler.LeadHistory.Kind;
import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.callcentre.telephony.CallStatusLog;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dialler's status listener and its stores on the real schema, on H2 and on PostgreSQL: Twilio's callbacks as the
 * shared status log records them (repeats, out of order by SequenceNumber, a late end), each applied to the call's
 * row forward only and the end once, and the instance told only when the call moved.
 */
class OutboundCallStatusListenerTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    private static final String AGENT = "agent.amy";
    private static final String NUMBER = "+447700900123";

    private final MovableClock clock = new MovableClock(T0);
    private final List<String> told = new ArrayList<>();

    private JdbcTemplate jdbc;
    private CallStatusLog log;
    private OutboundCalls calls;
    private AgentPhones phones;
    private DiallerFacts facts;
    private LeadHistory history;
    private OutboundCallStatusListener listener;
    private long campaignId;
    private long leadId;

    @BeforeEach
    void open(StoreDatabase database) {
        jdbc = database.jdbc();
        var transactions = database.transaction().getTransactionManager();
        log = new CallStatusLog(jdbc, transactions, clock);
        history = new LeadHistory(jdbc, clock);
        calls = new OutboundCalls(jdbc, clock, history);
        phones = new AgentPhones(jdbc, clock);
        DiallerProperties properties = new DiallerProperties(15);
        facts = new DiallerFacts(jdbc, null, new CampaignDialling(jdbc), new CallerIds(jdbc, transactions, clock),
                new LeadLocks(jdbc, clock, properties, history, transactions),
                new Leads(jdbc, clock, properties, history));
        OutboundCallMessages messages = new OutboundCallMessages(null) {
            @Override
            public void progressed(long callId) {
                told.add("progressed " + callId);
            }

            @Override
            public void ended(long callId) {
                told.add("ended " + callId);
            }
        };
        listener = new OutboundCallStatusListener(calls, phones, messages, transactions);
        campaignId = new CampaignBook(jdbc, clock).addCampaign("Winter appeal", Currency.getInstance("GBP"), Locale.UK,
                true, false, false);
        leadId = lead(NUMBER, "+447700900456");
    }

    @OnEachDatabase
    void everyStatusMovesTheCallForwardAndACompletedCallIsBillable() {
        long call = placedCall("CA-in-order");

        hear("CA-in-order", "initiated", "0", null);
        hear("CA-in-order", "ringing", "1", null);
        hear("CA-in-order", "in-progress", "2", null);
        hear("CA-in-order", "completed", "3", "42");

        OutboundCall row = calls.call(call).orElseThrow();
        assertThat(row.status()).isEqualTo("completed");
        assertThat(row.isFinal()).isTrue();
        assertThat(row.billable()).isTrue();
        assertThat(row.durationSeconds()).isEqualTo(42);
        assertThat(row.endedAt()).isEqualTo(T0);
        assertThat(statuses(row)).containsExactly("initiated 0", "ringing 1", "in-progress 2", "completed 3");
        assertThat(told).containsExactly("progressed " + call, "progressed " + call, "progressed " + call,
                "ended " + call);
        assertThat(history.events(leadId)).filteredOn(event -> event.kind() == Kind.CALL_ENDED).singleElement()
                .satisfies(event -> assertThat(event.detail()).contains("completed", "42 s", "billable"));
    }

    @OnEachDatabase
    void aRepeatedCallbackChangesNothing() {
        long call = placedCall("CA-repeat");

        hear("CA-repeat", "ringing", "1", null);
        hear("CA-repeat", "ringing", "1", null);
        hear("CA-repeat", "completed", "3", "5");
        hear("CA-repeat", "completed", "3", "5");

        assertThat(statuses(calls.call(call).orElseThrow())).containsExactly("ringing 1", "completed 3");
        assertThat(told).containsExactly("progressed " + call, "ended " + call);
    }

    /** The call keeps its latest status; its history still has every status Twilio reported, in Twilio's order. */
    @OnEachDatabase
    void anOlderStatusArrivingLateNeverMovesTheCallBackwards() {
        long call = placedCall("CA-late");

        hear("CA-late", "in-progress", "2", null);
        hear("CA-late", "ringing", "1", null);
        hear("CA-late", "initiated", "0", null);

        OutboundCall row = calls.call(call).orElseThrow();
        assertThat(row.status()).isEqualTo("in-progress");
        assertThat(row.sequenceNumber()).isEqualTo(2);
        assertThat(statuses(row)).containsExactly("initiated 0", "ringing 1", "in-progress 2");
        assertThat(told).containsExactly("progressed " + call);
    }

    /** The end overtakes the statuses before it: the call ends, and what arrives after only fills in its history. */
    @OnEachDatabase
    void anEndHeardFirstIsTheEnd() {
        long call = placedCall("CA-end-first");

        hear("CA-end-first", "completed", "3", "17");
        hear("CA-end-first", "in-progress", "2", null);
        hear("CA-end-first", "ringing", "1", null);

        OutboundCall row = calls.call(call).orElseThrow();
        assertThat(row.status()).isEqualTo("completed");
        assertThat(row.durationSeconds()).isEqualTo(17);
        assertThat(statuses(row)).containsExactly("ringing 1", "in-progress 2", "completed 3");
        assertThat(told).containsExactly("ended " + call);
    }

    /** A second final status (a later sequence number, or none) never ends the call again. */
    @OnEachDatabase
    void aCallEndsOnce() {
        long call = placedCall("CA-once");

        hear("CA-once", "busy", "2", null);
        hear("CA-once", "completed", "3", "9");
        hear("CA-once", "canceled", null, null);

        OutboundCall row = calls.call(call).orElseThrow();
        assertThat(row.status()).isEqualTo("busy");
        assertThat(row.billable()).isFalse();
        assertThat(statuses(row)).containsExactly("busy 2");
        assertThat(told).containsExactly("ended " + call);
        assertThat(history.events(leadId)).filteredOn(event -> event.kind() == Kind.CALL_ENDED).hasSize(1);
    }

    @OnEachDatabase
    void onlyACompletedCallIsBillable() {
        for (String status : List.of("busy", "no-answer", "canceled", "failed", "completed")) {
            long call = placedCall("CA-" + status);
            hear("CA-" + status, status, "1", "0");
            OutboundCall row = calls.call(call).orElseThrow();
            assertThat(row.isFinal()).as(status).isTrue();
            assertThat(row.billable()).as(status).isEqualTo(status.equals("completed"));
        }
    }

    @OnEachDatabase
    void aCallOfNoOutboundCallIsIgnored() {
        hear("CA-someone-elses", "completed", "1", "3");

        assertThat(told).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from outbound_call_status", Integer.class)).isZero();
    }

    /** What the catch-up step does: statuses recorded before the call had its sid are applied once it has. */
    @OnEachDatabase
    void statusesHeardBeforeTheSidWasKnownAreCaughtUp() {
        long call = calls.open(leadId, AGENT, campaignId, "agent-" + AGENT, NUMBER, false);
        hear("CA-early", "ringing", "1", null);
        hear("CA-early", "completed", "2", "4");
        assertThat(told).isEmpty();

        calls.placed(call, "CA-early", 60, 3);
        log.call("CA-early").ifPresent(state -> calls.apply(state.callSid(), state.status(), state.sequenceNumber(),
                null));

        OutboundCall row = calls.call(call).orElseThrow();
        assertThat(row.status()).isEqualTo("completed");
        assertThat(row.isFinal()).isTrue();
    }

    @OnEachDatabase
    void anAgentsPhoneIsConnectedWhileInProgress() {
        phones.lock(AGENT, "client:amy");
        phones.dialled(AGENT, "client:amy", "CA-phone");
        assertThat(phones.phone(AGENT).orElseThrow().connected()).isFalse();

        hear("CA-phone", "ringing", "1", null);
        assertThat(phones.phone(AGENT).orElseThrow().connected()).isFalse();
        hear("CA-phone", "in-progress", "2", null);
        assertThat(phones.phone(AGENT).orElseThrow().connected()).isTrue();
        hear("CA-phone", "ringing", "1", null);
        assertThat(phones.phone(AGENT).orElseThrow().connected()).isTrue();
        hear("CA-phone", "completed", "3", "100");
        AgentPhone phone = phones.phone(AGENT).orElseThrow();
        assertThat(phone.connected()).isFalse();
        assertThat(phone.status()).isEqualTo("completed");
        assertThat(phone.conferenceName()).isEqualTo("agent-" + AGENT);
        assertThat(told).isEmpty();
    }

    /**
     * Two nodes serve one phone's callbacks at once: each records its status as the call's newest when it commits, and
     * the earlier one's listener runs last. The phone keeps the later status.
     */
    @OnEachDatabase
    void aPhonesStatusRecordedFirstButAppliedLastNeverMovesItBack() {
        phones.lock(AGENT, "client:amy");
        phones.dialled(AGENT, "client:amy", "CA-phone");
        var ringing = log.record("CA-phone", "ringing", 1);
        var answered = log.record("CA-phone", "in-progress", 2);
        assertThat(ringing.current()).isTrue();
        assertThat(answered.current()).isTrue();

        listener.onCallStatus(answered);
        listener.onCallStatus(ringing);

        AgentPhone phone = phones.phone(AGENT).orElseThrow();
        assertThat(phone.status()).isEqualTo("in-progress");
        assertThat(phone.connected()).isTrue();
        // A status the app knows itself (it hung up) has no number and applies; a new call starts the count again.
        assertThat(phones.apply("CA-phone", "completed", null)).isTrue();
        phones.dialled(AGENT, "client:amy", "CA-phone-2");
        assertThat(phones.apply("CA-phone-2", "ringing", 1)).isTrue();
        assertThat(phones.apply("CA-phone-2", "queued", 0)).isFalse();
        assertThat(phones.phone(AGENT).orElseThrow().status()).isEqualTo("ringing");
    }

    /** A placed call is an attempt: the lead's next call waits the minimum gap, or for the 8-hour cap. */
    @OnEachDatabase
    void placingACallCountsAnAttemptAndSetsTheNextCall() {
        placedCall("CA-1");
        assertThat(lead("attempts")).isEqualTo(1);
        assertThat(leadTime("next_call_at")).isEqualTo(T0.plusSeconds(3600));
        assertThat(history.events(leadId)).filteredOn(event -> event.kind() == Kind.CALL_PLACED).singleElement()
                .satisfies(event -> assertThat(event.detail()).contains("+15005550006", NUMBER));

        clock.move(3600);
        placedCall("CA-2");
        clock.move(3600);
        placedCall("CA-3");

        assertThat(lead("attempts")).isEqualTo(3);
        assertThat(leadTime("last_call_at")).isEqualTo(T0.plusSeconds(7200));
        // Three calls in 8 hours: the next waits until 8 hours after the first of them.
        assertThat(leadTime("next_call_at")).isEqualTo(T0.plusSeconds(8 * 3600));
    }

    @OnEachDatabase
    void aRefusedCallIsNoAttempt() {
        long call = calls.open(leadId, AGENT, campaignId, "agent-" + AGENT, NUMBER, false);
        calls.refused(call, 21211, "The 'To' number is not a valid phone number.");
        assertThat(calls.failedBeforePlacing(call, "Twilio error 21211")).isTrue();
        assertThat(calls.failedBeforePlacing(call, "again")).isFalse();

        OutboundCall row = calls.call(call).orElseThrow();
        assertThat(row.status()).isEqualTo("failed");
        assertThat(row.isFinal()).isTrue();
        assertThat(row.billable()).isFalse();
        assertThat(row.errorCode()).isEqualTo(21211);
        assertThat(row.callSid()).isNull();
        assertThat(lead("attempts")).isZero();
    }

    @OnEachDatabase
    void anInvalidNumberIsNeverDialledAgainAndALeadWithoutNumbersIsNotDialable() {
        facts.markInvalid(leadId, NUMBER, "21211");
        assertThat(facts.numbers(leadId)).extracting(DiallerFacts.Number::dialable).containsExactly(false, true);
        assertThat(jdbc.queryForObject("select dialable from lead where id = ?", Boolean.class, leadId)).isTrue();

        facts.markInvalid(leadId, "+447700900456", "21211");
        assertThat(jdbc.queryForObject("select dialable from lead where id = ?", Boolean.class, leadId)).isFalse();
        assertThat(history.events(leadId)).filteredOn(event -> event.kind() == Kind.NUMBER_INVALID).hasSize(2);
    }

    @OnEachDatabase
    void callerIdsCycleLeastUsedFirstAndNeverASpamFlaggedOne() {
        jdbc.update("insert into caller_id (campaign_id, number) values (?, '+15005550001'), (?, '+15005550002'), "
                + "(?, '+15005550003')", campaignId, campaignId, campaignId);
        jdbc.update("update caller_id set spam_flagged = true where number = '+15005550002'");

        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            taken.add(facts.takeLeastUsed(campaignId).orElseThrow());
        }
        assertThat(taken).containsExactly("+15005550001", "+15005550003", "+15005550001", "+15005550003");

        jdbc.update("update caller_id set spam_flagged = true");
        assertThat(facts.takeLeastUsed(campaignId)).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void hear(String sid, String status, String sequenceNumber, String duration) {
        var update = log.record(sid, status, sequenceNumber == null ? null : Integer.valueOf(sequenceNumber))
                .withDuration(duration == null ? null : Integer.valueOf(duration));
        listener.onCallStatus(update);
    }

    private long placedCall(String sid) {
        long call = calls.open(leadId, AGENT, campaignId, "agent-" + AGENT, NUMBER, false);
        calls.callerIdChosen(call, "+15005550006");
        calls.placed(call, sid, 60, 3);
        return call;
    }

    private long lead(String... numbers) {
        Timestamp now = Timestamp.from(T0);
        jdbc.update("insert into lead (time_zone, first_phone, created_at) values ('Europe/London', ?, ?)", numbers[0],
                now);
        long id = jdbc.queryForObject("select max(id) from lead", Long.class);
        for (int i = 0; i < numbers.length; i++) {
            jdbc.update("insert into lead_phone (lead_id, position, number) values (?, ?, ?)", id, i, numbers[i]);
        }
        return id;
    }

    private int lead(String column) {
        return jdbc.queryForObject("select " + column + " from lead where id = ?", Integer.class, leadId);
    }

    private Instant leadTime(String column) {
        return jdbc.queryForObject("select " + column + " from lead where id = ?", Timestamp.class, leadId).toInstant();
    }

    private static List<String> statuses(OutboundCall call) {
        return call.statusHistory().stream().map(change -> change.status() + " " + change.sequenceNumber()).toList();
    }

    /** A clock the test moves on. */
    static final class MovableClock extends java.time.Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void move(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return java.time.Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
