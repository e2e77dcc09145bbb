package org.callcentre.app.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The agent's working day through the Twilio emulator: an admin sets up a campaign, a call list of imported leads and
 * a new agent in a team; the agent connects the phone, presses Next Lead, calls, and the test plays the people who
 * answer (the agent's device, the donor), down to a pledge paid by card in the middle of the call.
 */
class DiallerEndToEndTest extends EndToEndTest {

    private static final String VISA = "4242424242424242";
    private static final String CALLER_A = "+447911124001";
    private static final String CALLER_B = "+447911124002";
    private static final String CALLER_SPAM = "+447911124003";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;

    private long campaign;
    private long callList;
    private AgentApi dialler;
    private String agentId;

    /** A campaign calling all day, one call a lead an hour, and a new agent in a team working its call list. */
    @BeforeEach
    void campaignListAndAgent() {
        campaign = DiallerSetup.campaign(admin, DiallerSetup.rules(60, 3, 10, "00:00", "00:00", "Europe/London"),
                List.of(CALLER_B, CALLER_SPAM, CALLER_A));
        assertThat(agentAdmin.post("/api/campaigns/" + campaign + "/caller-ids/" + CALLER_SPAM + "/spam-flag", null)
                .status()).isEqualTo(200);
        callList = DiallerSetup.callList(admin, campaign);
        dialler = CallCentreStaff.create(admin, "dayagent", "AGENT", false);
        agentId = dialler.user();
        DiallerSetup.team(agentAdmin, List.of(agentId), List.of(callList));
    }

    @Test
    void anAgentsCallFromNextLeadToAPledgePaidByCard() {
        String olderNumber = DiallerSetup.mobile();
        String newerNumber = DiallerSetup.mobile();
        List<Long> leads = DiallerSetup.importLeads(agentAdmin, callList, olderNumber, newerNumber);
        long older = leads.get(0);
        long newer = leads.get(1);
        String conference = "agent-" + agentId;

        EmulatedCall device = connectPhone();
        assertThat(device.to()).isEqualTo("client:" + agentId);
        device.awaitConference(conference, WAIT);

        Reply offered = dialler.post("/api/agents/me/next-lead", null);
        assertThat(offered.status()).as(offered.toString()).isEqualTo(200);
        JsonNode lead = offered.json().get("lead");
        assertThat(lead.get("id").asLong()).as("the newest record first").isEqualTo(newer);
        assertThat(lead.get("lock").get("userId").asText()).isEqualTo(agentId);
        assertThat(lead.get("phones").get(0).get("number").asText()).isEqualTo(newerNumber);

        Reply placed = dialler.post("/api/leads/" + newer + "/calls", Map.of());
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        assertThat(placed.json().get("to").asText()).isEqualTo(newerNumber);
        assertThat(placed.json().get("from").asText()).as("least used, never spam-flagged").isEqualTo(CALLER_A);
        long callId = placed.json().get("id").asLong();

        EmulatedCall donor = twilio.awaitCallTo(newerNumber, WAIT);
        assertThat(donor.from()).isEqualTo(CALLER_A);
        donor.pickUp();
        donor.awaitConference(conference, WAIT);
        assertThat(twilio.conferenceParticipants(conference)).containsExactly(device.sid(), donor.sid());
        JsonNode answered = awaitCall(callId, call -> "in-progress".equals(call.get("status").asText()));
        assertThat(answered.get("callSid").asText()).isEqualTo(donor.sid());
        assertThat(statuses(answered)).containsSubsequence("ringing", "in-progress");
        assertThat(sequenceNumbers(answered)).isSorted().doesNotHaveDuplicates();
        assertThat(answered.get("final").asBoolean()).isFalse();

        Reply pledge = dialler.post("/api/pledges", Map.of("campaignId", campaign, "leadId", newer,
                "donorName", "Donor " + newer, "donorPhone", newerNumber, "amount", "25", "currency", "GBP",
                "frequency", "ONE_OFF"));
        assertThat(pledge.status()).as(pledge.toString()).isEqualTo(201);
        long pledgeId = pledge.json().get("id").asLong();
        Reply capture = dialler.post("/api/pledges/" + pledgeId + "/card-capture", Map.of("callSid", donor.sid()));
        assertThat(capture.status()).as(capture.toString()).isEqualTo(202);
        press(donor, "card number", VISA + "#");
        press(donor, "expiry date", "1230#");
        press(donor, "security code", "737#");
        donor.awaitConference(conference, WAIT);
        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(dialler.get("/api/pledges/" + pledgeId).json()
                .get("cardCapture").get("status").asText()));
        JsonNode paid = dialler.get("/api/pledges/" + pledgeId).json();
        assertThat(paid.get("paid").asBoolean()).isTrue();
        assertThat(paid.get("maskedCard").asText()).isEqualTo("Visa ending 4242");
        assertThat(twilio.conferenceParticipants(conference)).containsExactly(device.sid(), donor.sid());

        assertThat(dialler.delete("/api/calls/" + callId).status()).isEqualTo(202);
        JsonNode ended = awaitCall(callId, call -> call.get("final").asBoolean());
        assertThat(ended.get("status").asText()).isEqualTo("completed");
        assertThat(ended.get("billable").asBoolean()).isTrue();
        assertThat(ended.get("durationSeconds").isNull()).as(ended.toString()).isFalse();
        assertThat(ended.get("durationSeconds").asInt()).isNotNegative();
        donor.awaitEnded(WAIT);

        // Wrap-up after a pause: recording the outcome is activity on the lead, so the lock is touched.
        Timestamp idle = Timestamp.from(Instant.now().minus(Duration.ofMinutes(10)));
        transaction.executeWithoutResult(tx -> jdbc.update("update lead set lock_touched_at = ? where id = ?", idle,
                newer));
        Reply status = dialler.post("/api/leads/" + newer + "/call-statuses", Map.of("status", "PLEDGE",
                "callId", callId));
        assertThat(status.status()).as(status.toString()).isEqualTo(201);
        assertThat(lockTouchedAt(newer)).isAfter(idle.toInstant().plus(Duration.ofMinutes(9)));
        transaction.executeWithoutResult(tx -> jdbc.update("update lead set lock_touched_at = ? where id = ?", idle,
                newer));
        Reply edited = dialler.put("/api/leads/" + newer + "/call-statuses/latest", Map.of("status", "CALL_BACK"));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(lockTouchedAt(newer)).isAfter(idle.toInstant().plus(Duration.ofMinutes(9)));

        JsonNode called = dialler.get("/api/leads/" + newer).json();
        assertThat(called.get("attempts").asInt()).isEqualTo(1);
        assertThat(called.get("lastCallStatus").asText()).isEqualTo("CALL_BACK");
        assertThat(kinds(newer)).containsSubsequence("LOCKED", "CALL_PLACED", "CALL_ENDED", "STATUS_RECORDED",
                "STATUS_EDITED");

        Reply next = dialler.post("/api/agents/me/next-lead", null);
        assertThat(next.status()).as(next.toString()).isEqualTo(200);
        assertThat(next.json().get("lead").get("id").asLong())
                .as("the lead just called waits its hour; the older one is next").isEqualTo(older);
        assertThat(dialler.get("/api/leads/" + newer).json().get("lock").isNull()).isTrue();
        assertThat(kinds(newer)).last().isEqualTo("LOCK_RELEASED");
        assertThat(dialler.get("/api/leads/" + older).json().get("lock").get("userId").asText()).isEqualTo(agentId);

        assertThat(dialler.delete("/api/agents/me/phone").status()).isEqualTo(204);
        device.awaitEnded(WAIT);
        assertThat(dialler.get("/api/agents/me").json().get("phone").get("connected").asBoolean()).isFalse();
    }

    /** Busy, no answer and a failed line, chosen by the callee: each an attempt, none billable. */
    @Test
    void callsNobodyAnswersAreAttemptsButNotBillable() {
        String[] numbers = {DiallerSetup.mobile(), DiallerSetup.mobile(), DiallerSetup.mobile()};
        List<Long> leads = DiallerSetup.importLeads(agentAdmin, callList, numbers);
        connectPhone();
        List<String> outcomes = List.of("busy", "no-answer", "failed");
        for (int i = 0; i < outcomes.size(); i++) {
            long lead = leads.get(i);
            assertThat(dialler.post("/api/leads/" + lead + "/lock", null).status()).isEqualTo(200);
            long callId = place(lead);
            EmulatedCall donor = twilio.awaitCallTo(numbers[i], WAIT);
            switch (outcomes.get(i)) {
                case "busy" -> donor.busy();
                case "no-answer" -> donor.noAnswer();
                default -> donor.fail();
            }
            JsonNode ended = awaitCall(callId, call -> call.get("final").asBoolean());
            assertThat(ended.get("status").asText()).isEqualTo(outcomes.get(i));
            assertThat(ended.get("billable").asBoolean()).isFalse();
            assertThat(statuses(ended)).last().isEqualTo(outcomes.get(i));
            JsonNode after = dialler.get("/api/leads/" + lead).json();
            assertThat(after.get("attempts").asInt()).as(outcomes.get(i)).isEqualTo(1);
            assertThat(kinds(lead)).containsSubsequence("LOCKED", "CALL_PLACED", "CALL_ENDED");
        }
    }

    /** Twilio refuses the number: the call ends failed with Twilio's reason, and the number is never dialled again. */
    @Test
    void aNumberTwilioRefusesIsMarkedInvalidAndNotDialledAgain() {
        String refused = DiallerSetup.mobile();
        long lead = DiallerSetup.importLeads(agentAdmin, callList, refused).get(0);
        twilio.refuseNumber(refused, 21211);
        try {
            connectPhone();
            assertThat(dialler.post("/api/leads/" + lead + "/lock", null).status()).isEqualTo(200);
            long callId = place(lead);

            JsonNode failed = awaitCall(callId, call -> call.get("final").asBoolean());
            assertThat(failed.get("status").asText()).isEqualTo("failed");
            assertThat(failed.get("billable").asBoolean()).isFalse();
            assertThat(failed.get("callSid").isNull()).isTrue();
            assertThat(failed.get("errorCode").asInt()).isEqualTo(21211);
            assertThat(failed.get("errorMessage").asText()).contains(refused);
            JsonNode after = dialler.get("/api/leads/" + lead).json();
            assertThat(after.get("phones").get(0).get("invalid").asBoolean()).isTrue();
            assertThat(after.get("attempts").asInt()).as("Twilio placed no call").isZero();
            assertThat(after.get("callable").asBoolean()).isFalse();

            int calls = callsTo(refused);
            Reply again = dialler.post("/api/leads/" + lead + "/calls", Map.of("phone", refused));
            assertThat(again.status()).as(again.toString()).isEqualTo(409);
            assertThat(again.json().get("detail").asText()).contains("refused by Twilio as invalid");
            assertThat(callsTo(refused)).isEqualTo(calls);
            assertThat(twilio.calls()).noneMatch(call -> call.to().equals(refused));
        } finally {
            twilio.acceptNumber(refused);
        }
    }

    /** The caller IDs take turns, the least used today first; the spam-flagged one never calls. */
    @Test
    void callerIdsCycleAndASpamFlaggedOneIsNeverUsed() {
        String[] numbers = {DiallerSetup.mobile(), DiallerSetup.mobile(), DiallerSetup.mobile(),
            DiallerSetup.mobile()};
        List<Long> leads = DiallerSetup.importLeads(agentAdmin, callList, numbers);
        connectPhone();
        List<String> from = new ArrayList<>();
        for (int i = 0; i < numbers.length; i++) {
            assertThat(dialler.post("/api/leads/" + leads.get(i) + "/lock", null).status()).isEqualTo(200);
            long callId = place(leads.get(i));
            EmulatedCall donor = twilio.awaitCallTo(numbers[i], WAIT);
            from.add(donor.from());
            donor.busy();
            awaitCall(callId, call -> call.get("final").asBoolean());
        }

        assertThat(from).containsExactly(CALLER_A, CALLER_B, CALLER_A, CALLER_B);
        JsonNode callerIds = agentAdmin.get("/api/campaigns/" + campaign + "/caller-ids").json();
        assertThat(callerIds.toString()).isEqualTo("[{\"number\":\"" + CALLER_A + "\",\"usedToday\":2,"
                + "\"spamFlagged\":false},{\"number\":\"" + CALLER_B + "\",\"usedToday\":2,\"spamFlagged\":false},"
                + "{\"number\":\"" + CALLER_SPAM + "\",\"usedToday\":0,\"spamFlagged\":true}]");
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The agent connects the phone; the test answers the device, and Twilio's in-progress makes it connected. */
    private EmulatedCall connectPhone() {
        Reply dialled = dialler.post("/api/agents/me/phone", null);
        assertThat(dialled.status()).as(dialled.toString()).isEqualTo(202);
        assertThat(dialled.json().get("conferenceName").asText()).isEqualTo("agent-" + agentId);
        EmulatedCall device = twilio.call(dialled.json().get("callSid").asText());
        assertThat(dialler.get("/api/agents/me").json().get("phone").get("connected").asBoolean())
                .as("not before the agent answers").isFalse();
        device.pickUp();
        await().atMost(WAIT).until(() -> dialler.get("/api/agents/me").json().get("phone").get("connected")
                .asBoolean());
        return device;
    }

    private long place(long lead) {
        Reply placed = dialler.post("/api/leads/" + lead + "/calls", Map.of());
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        return placed.json().get("id").asLong();
    }

    private JsonNode awaitCall(long callId, Predicate<JsonNode> condition) {
        await().atMost(WAIT).until(() -> condition.test(dialler.get("/api/calls/" + callId).json()));
        return dialler.get("/api/calls/" + callId).json();
    }

    private static void press(EmulatedCall donor, String prompt, String keys) {
        assertThat(donor.awaitGather(WAIT).prompt()).containsIgnoringCase(prompt);
        donor.press(keys);
    }

    private static List<String> statuses(JsonNode call) {
        return StreamSupport.stream(call.get("statusHistory").spliterator(), false)
                .map(change -> change.get("status").asText()).toList();
    }

    private static List<Integer> sequenceNumbers(JsonNode call) {
        return StreamSupport.stream(call.get("statusHistory").spliterator(), false)
                .filter(change -> !change.get("sequenceNumber").isNull())
                .map(change -> change.get("sequenceNumber").asInt()).toList();
    }

    /** The kinds of the lead's history, oldest first, as the API shows them. */
    private List<String> kinds(long lead) {
        Reply history = dialler.get("/api/leads/" + lead + "/history");
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        return StreamSupport.stream(history.json().spliterator(), false).map(event -> event.get("kind").asText())
                .toList();
    }

    private Instant lockTouchedAt(long lead) {
        return jdbc.queryForObject("select lock_touched_at from lead where id = ?", Timestamp.class, lead).toInstant();
    }

    private int callsTo(String number) {
        return jdbc.queryForObject("select count(*) from outbound_call where to_number = ?", Integer.class, number);
    }
}
