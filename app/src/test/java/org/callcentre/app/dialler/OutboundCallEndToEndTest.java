package org.callcentre.app.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.campaign.CampaignBook;
import org.callcentre.dialler.CallStatus;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.telephony.TelephonyUrls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Calls to leads over HTTP: the agent connects a phone through the Twilio emulator, calls a lead, and Twilio's
 * statuses arrive at the shared status endpoint as signed webhooks. Every refusal answers a problem detail and places
 * no call.
 */
class OutboundCallEndToEndTest extends EndToEndTest {

    private static final String CALLER_ID = "+15005550010";
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private CampaignBook campaigns;
    @Autowired
    private PlatformTransactionManager transactions;

    private long campaignId;
    private long leadId;
    private String number;
    private String secondNumber;

    @BeforeEach
    void aLeadInCallingHours() {
        // The pool's connections do not auto-commit: the fixtures are written in a transaction.
        new TransactionTemplate(transactions).executeWithoutResult(tx -> fixtures());
    }

    private void fixtures() {
        // Calls earlier tests left open would count as each user's live call.
        jdbc.update("update outbound_call set final = true where final = false");
        jdbc.update("delete from agent_phone");
        Timestamp now = Timestamp.from(Instant.now());
        // The demo users keep their roles (other tests share them); each gets a browser phone.
        for (String user : List.of("agent", "admin", "agentadmin")) {
            String role = switch (user) {
                case "admin" -> "ADMIN_OPS";
                case "agentadmin" -> "AGENT_ADMIN";
                default -> "AGENT";
            };
            if (jdbc.update("update call_centre_user set device = ? where user_id = ?", "client:" + user, user) == 0) {
                jdbc.update("insert into call_centre_user (user_id, role, device, created_at, updated_at) "
                        + "values (?, ?, ?, ?, ?)", user, role, "client:" + user, now, now);
            }
        }
        campaignId = campaigns.addCampaign("Calls " + UUID.randomUUID(), Currency.getInstance("GBP"), Locale.UK, true,
                false, false);
        callingHours(-2, 2);
        jdbc.update("insert into caller_id (campaign_id, number) values (?, ?)", campaignId, CALLER_ID);
        jdbc.update("insert into call_list (name, campaign_id, created_at) values ('List', ?, ?)", campaignId, now);
        long listId = jdbc.queryForObject("select max(id) from call_list", Long.class);
        number = uniqueNumber();
        secondNumber = uniqueNumber();
        jdbc.update("insert into lead (time_zone, first_phone, created_at) values ('UTC', ?, ?)", number, now);
        leadId = jdbc.queryForObject("select max(id) from lead", Long.class);
        jdbc.update("insert into lead_phone (lead_id, position, number) values (?, 0, ?), (?, 1, ?)", leadId, number,
                leadId, secondNumber);
        jdbc.update("insert into lead_call_list (call_list_id, lead_id, added_at) values (?, ?, ?)", listId, leadId,
                now);
        jdbc.update("update lead set locked_by = 'agent', locked_at = ?, lock_touched_at = ? where id = ?", now, now,
                leadId);
    }

    @Test
    void anAgentConnectsThePhoneCallsTheLeadAndHangsUp() {
        String phoneSid = connectPhone(agent);
        Reply me = agent.get("/api/agents/me");
        assertThat(me.json().get("role").asText()).isEqualTo("AGENT");
        assertThat(me.json().get("phone").get("connected").asBoolean()).isTrue();
        assertThat(me.json().get("phone").get("conferenceName").asText()).isEqualTo("agent-agent");
        assertThat(twilio.call(phoneSid).to()).isEqualTo("client:agent");
        twilio.call(phoneSid).awaitConference("agent-agent", WAIT);

        Reply placed = agent.post("/api/leads/" + leadId + "/calls", Map.of());
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        assertThat(placed.json().get("to").asText()).isEqualTo(number);
        assertThat(placed.json().get("from").asText()).isEqualTo(CALLER_ID);
        long callId = placed.json().get("id").asLong();

        String sid = awaitSid(agent, callId);
        EmulatedCall donor = twilio.call(sid);
        assertThat(donor.to()).isEqualTo(number);
        assertThat(donor.from()).isEqualTo(CALLER_ID);
        donor.pickUp();
        donor.awaitConference("agent-agent", WAIT);
        assertThat(jdbc.queryForObject("select attempts from lead where id = ?", Integer.class, leadId)).isEqualTo(1);

        await().atMost(WAIT).until(() -> "in-progress".equals(agent.get("/api/calls/" + callId).json()
                .get("status").asText()));

        assertThat(agent.delete("/api/calls/" + callId).status()).isEqualTo(202);
        JsonNode ended = awaitFinal(agent, callId);
        assertThat(ended.get("status").asText()).isEqualTo("completed");
        assertThat(ended.get("billable").asBoolean()).isTrue();
        assertThat(statuses(ended)).contains("in-progress");
        // The donor answered, so the agent has a Talk task: the call's process ends once the outcome is in.
        Reply outcome = agent.post("/api/leads/" + leadId + "/call-statuses", Map.of("status", "CALL_BACK",
                "callId", callId));
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(201);
        awaitInstanceEnded(callId);

        assertThat(agent.delete("/api/agents/me/phone").status()).isEqualTo(204);
        assertThat(agent.get("/api/agents/me").json().get("phone").get("connected").asBoolean()).isFalse();
    }

    /**
     * Busy, no answer, failed and canceled end the call, not billable, with Twilio's statuses in order; a repeated
     * final callback and a late ringing one change nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"busy", "no-answer", "failed", "canceled"})
    void aCallThatIsNotAnsweredIsNotBillable(String outcome) {
        connectPhone(agent);
        long callId = agent.post("/api/leads/" + leadId + "/calls", Map.of()).json().get("id").asLong();
        String sid = awaitSid(agent, callId);
        EmulatedCall donor = twilio.call(sid);

        switch (outcome) {
            case "busy" -> donor.busy();
            case "no-answer" -> donor.noAnswer();
            case "failed" -> donor.fail();
            default -> assertThat(agent.delete("/api/calls/" + callId).status()).isEqualTo(202);
        }

        JsonNode ended = awaitFinal(agent, callId);
        assertThat(ended.get("status").asText()).isEqualTo(outcome);
        assertThat(ended.get("billable").asBoolean()).isFalse();
        // Callbacks heard before the call's sid was recorded are caught up in Twilio's order; one still being recorded
        // while the call's creation commits can be missed from the history (never from the call's status).
        assertThat(statuses(ended)).endsWith(outcome).doesNotHaveDuplicates();
        JsonNode history = ended.get("statusHistory");
        int finalSequence = history.get(history.size() - 1).get("sequenceNumber").asInt();
        status(sid, outcome, finalSequence, "0");
        status(sid, "ringing", 1, null);
        assertThat(agent.get("/api/calls/" + callId).json().get("statusHistory")).isEqualTo(history);
        awaitInstanceEnded(callId);
    }

    @Test
    void anAdminCallsWithoutALockAndAnAgentCannotSeeTheCall() {
        connectPhone(admin);
        sql("update lead set locked_by = null where id = ?", leadId);

        Reply placed = admin.post("/api/leads/" + leadId + "/calls", Map.of("phone", secondNumber));
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        assertThat(placed.json().get("to").asText()).isEqualTo(secondNumber);
        long callId = placed.json().get("id").asLong();

        Reply notYours = agent.get("/api/calls/" + callId);
        assertThat(notYours.status()).isEqualTo(403);
        assertThat(agent.delete("/api/calls/" + callId).status()).isEqualTo(403);
        assertThat(agentAdmin.get("/api/calls/" + callId).status()).isEqualTo(200);
        assertThat(agent.get("/api/calls/999999999").status()).isEqualTo(404);
    }

    @Test
    void overridingCallingHoursIsRecorded() {
        connectPhone(agent);
        callingHours(3, 5);

        Reply refused = agent.post("/api/leads/" + leadId + "/calls", Map.of());
        assertRefused(refused, 409, "outside the campaign's calling hours");

        Reply placed = agent.post("/api/leads/" + leadId + "/calls", Map.of("overrideCallingHours", true));
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        long callId = placed.json().get("id").asLong();
        assertThat(agent.get("/api/calls/" + callId).json().get("overrideCallingHours").asBoolean()).isTrue();
    }

    @Test
    void refusals() {
        // Before the phone is connected.
        assertRefused(agent.post("/api/leads/" + leadId + "/calls", Map.of()), 409, "connect your phone first");
        connectPhone(agent);

        assertRefused(agent.post("/api/leads/999999999/calls", Map.of()), 404, "no lead 999999999");

        sql("update lead set locked_by = 'someone.else' where id = ?", leadId);
        assertRefused(agent.post("/api/leads/" + leadId + "/calls", Map.of()), 409, "not locked by you");
        sql("update lead set locked_by = 'agent', lock_touched_at = ? where id = ?",
                Timestamp.from(Instant.now().minusSeconds(3600)), leadId);
        assertRefused(agent.post("/api/leads/" + leadId + "/calls", Map.of()), 409, "not locked by you");
        sql("update lead set lock_touched_at = ? where id = ?", Timestamp.from(Instant.now()), leadId);

        for (CallStatus blocking : CallStatus.BLOCKING) {
            sql("update lead set last_call_status = ? where id = ?", blocking.name(), leadId);
            Reply blocked = agent.post("/api/leads/" + leadId + "/calls", Map.of());
            assertThat(blocked.status()).isEqualTo(409);
            assertThat(blocked.json().get("detail").asText()).isEqualTo(CallStatus.BLOCKED_MESSAGE);
        }
        sql("update lead set last_call_status = 'CALL_BACK' where id = ?", leadId);

        assertRefused(agent.post("/api/leads/" + leadId + "/calls", Map.of("phone", "+447700900999")), 422,
                "is not one of lead");
        sql("insert into do_not_call (number, added_at) values (?, ?)", secondNumber,
                Timestamp.from(Instant.now()));
        assertRefused(agent.post("/api/leads/" + leadId + "/calls", Map.of("phone", secondNumber)), 409,
                "on the do-not-call list");
        assertRefused(agent.post("/api/leads/" + leadId + "/calls", Map.of("phone", "447700")), 400, "E.164");

        assertThat(calls()).isZero();
        Reply first = agent.post("/api/leads/" + leadId + "/calls", Map.of());
        assertThat(first.status()).isEqualTo(201);
        assertRefused(agent.post("/api/leads/" + leadId + "/calls", Map.of()), 409, "already on call");
        assertThat(calls()).isEqualTo(1);
    }

    @Test
    void aUserWithoutADeviceCannotConnectAPhone() {
        sql("delete from call_centre_user where user_id = 'agent'");
        assertRefused(agent.post("/api/agents/me/phone", null), 409, "no device set for agent");
        assertThat(agent.get("/api/agents/me").json().get("phone").isNull()).isTrue();
    }

    @Test
    void theTwimlOfAnUnknownCallHangsUp() {
        Reply twiml = TwilioWebhook.post(BASE + "/twilio/dialler/calls/999999999/answered", Map.of("CallSid", "CAx"),
                twilio.authToken());
        assertThat(twiml.status()).isEqualTo(200);
        assertThat(twiml.body()).contains("<Hangup/>");
        Reply unsigned = TwilioWebhook.post(BASE + "/twilio/dialler/calls/999999999/answered", Map.of("CallSid", "CAx"),
                null);
        assertThat(unsigned.status()).isEqualTo(403);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** One statement, committed. */
    private void sql(String statement, Object... args) {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> jdbc.update(statement, args));
    }

    private void assertRefused(Reply reply, int status, String detail) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().get("detail").asText()).contains(detail);
    }

    /** Connects the user's phone: the emulator answers at once; Twilio's in-progress arrives as a signed webhook. */
    private String connectPhone(AgentApi user) {
        Reply dialled = user.post("/api/agents/me/phone", null);
        assertThat(dialled.status()).as(dialled.toString()).isEqualTo(202);
        String sid = dialled.json().get("callSid").asText();
        twilio.call(sid).pickUp();
        await().atMost(WAIT).until(() -> user.get("/api/agents/me").json().get("phone").get("connected").asBoolean());
        return sid;
    }

    private void status(String sid, String status, int sequenceNumber, String duration) {
        var params = new java.util.HashMap<String, String>(Map.of("CallSid", sid, "CallStatus", status,
                "SequenceNumber", Integer.toString(sequenceNumber), "AccountSid", twilio.accountSid()));
        if (duration != null) {
            params.put("CallDuration", duration);
        }
        Reply reply = TwilioWebhook.post(BASE + TelephonyUrls.CALL_STATUS, params, twilio.authToken());
        assertThat(reply.status()).isEqualTo(204);
    }

    private String awaitSid(AgentApi user, long callId) {
        await().atMost(WAIT).until(() -> !user.get("/api/calls/" + callId).json().get("callSid").isNull());
        return user.get("/api/calls/" + callId).json().get("callSid").asText();
    }

    private JsonNode awaitFinal(AgentApi user, long callId) {
        await().atMost(WAIT).until(() -> user.get("/api/calls/" + callId).json().get("final").asBoolean());
        return user.get("/api/calls/" + callId).json();
    }

    private void awaitInstanceEnded(long callId) {
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from ACT_RU_EXECUTION e "
                + "join outbound_call c on c.process_instance_id = e.PROC_INST_ID_ where c.id = ?", Integer.class,
                callId) == 0);
    }

    private static List<String> statuses(JsonNode call) {
        return java.util.stream.StreamSupport.stream(call.get("statusHistory").spliterator(), false)
                .map(change -> change.get("status").asText()).toList();
    }

    private int calls() {
        return jdbc.queryForObject("select count(*) from outbound_call where lead_id = ?", Integer.class, leadId);
    }

    /** Calling hours from {@code fromHours} to {@code toHours} around now, in UTC (the lead's zone). */
    private void callingHours(int fromHours, int toHours) {
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        sql("update campaign set calling_hours_start = ?, calling_hours_end = ? where id = ?",
                now.plusHours(fromHours).format(HH_MM), now.plusHours(toHours).format(HH_MM), campaignId);
    }

    private static String uniqueNumber() {
        return "+4477009" + String.format("%05d", (int) (Math.random() * 100_000));
    }
}
