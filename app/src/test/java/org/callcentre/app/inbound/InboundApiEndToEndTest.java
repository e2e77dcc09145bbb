package org.callcentre.app.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.callcentre.app.inbound.InboundScene.WAIT;
import static org.callcentre.app.support.Problems.assertProblem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The inbound API over HTTP: inbound numbers (supervisors only, every bad setting refused without a change),
 * availability and the queue view and who may use them, and agent-first callback calls with their refusals.
 */
class InboundApiEndToEndTest extends InboundTest {

    @Test
    void supervisorsWriteAndReadInboundNumbersAndNobodyElse() {
        AgentApi restricted = CallCentreStaff.create(admin, "inrestricted", "ADMIN_OPS", true);
        Map<String, Object> settings = InboundScene.settings(DiallerSetup.mobile(), scene.team, scene.campaign);
        int before = numbers();

        assertProblem(scene.agent.post("/api/inbound-numbers", settings), 403, "your role does not allow this");
        assertThat(anonymous.post("/api/inbound-numbers", settings).status()).isEqualTo(401);
        assertProblem(scene.agent.get("/api/inbound-numbers"), 403);
        assertProblem(scene.agent.get("/api/inbound-numbers/" + scene.numberId), 403);
        assertProblem(scene.agent.put("/api/inbound-numbers/" + scene.numberId, settings), 403);
        assertThat(numbers()).isEqualTo(before);

        Reply created = agentAdmin.post("/api/inbound-numbers", settings);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        JsonNode read = restricted.get("/api/inbound-numbers/" + id).json();
        assertThat(read.get("number").asText()).isEqualTo(settings.get("number"));
        assertThat(read.get("locale").asText()).isEqualTo("en-GB");
        assertThat(read.get("options")).singleElement().satisfies(option -> {
            assertThat(option.get("key").asText()).isEqualTo("1");
            assertThat(option.get("teamId").asLong()).isEqualTo(scene.team);
        });
        assertThat(read.get("callbackOffer").get("key").asText()).isEqualTo("9");
        assertThat(read.get("lostCallsBecomeCallbacks").asBoolean()).isTrue();
        assertThat(admin.get("/api/inbound-numbers").json().findValuesAsText("number"))
                .contains((String) settings.get("number"), scene.number);

        Map<String, Object> changed = new HashMap<>(settings);
        changed.put("options", List.of(Map.of("key", "2", "label", "volunteering", "teamId", scene.team),
                Map.of("key", "3", "label", "everything else", "teamId", scene.team)));
        changed.put("callbackOffer", null);
        changed.put("locale", "de-DE");
        Reply replaced = restricted.put("/api/inbound-numbers/" + id, changed);
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("options").findValuesAsText("key")).containsExactly("2", "3");
        assertThat(replaced.json().get("callbackOffer").isNull()).isTrue();
        assertThat(replaced.json().get("locale").asText()).isEqualTo("de-DE");
        assertProblem(admin.put("/api/inbound-numbers/987654321", changed), 404, "no inbound number 987654321");
        assertProblem(admin.get("/api/inbound-numbers/987654321"), 404);
    }

    @Test
    void badInboundNumbersAreRefusedAndChangeNothing() {
        Map<String, Object> good = InboundScene.settings(DiallerSetup.mobile(), scene.team, scene.campaign);
        int before = numbers();

        assertProblem(admin.post("/api/inbound-numbers", with(good, "number", "07911 123456")), 400, "E.164");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "number", "+44 1")), 400, "not a phone number");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "number", scene.number)), 409,
                "already an inbound number");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "locale", null)), 400, "locale is required");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "locale", "klingon-XX")), 400,
                "not a language tag");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "greeting", " ")), 400, "greeting is required");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "greeting", "x".repeat(501))), 400,
                "longer than 500");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "options", List.of())), 400,
                "options are required");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "options", List.of(
                Map.of("key", "1", "label", "a", "teamId", scene.team),
                Map.of("key", "1", "label", "b", "teamId", scene.team)))), 400, "key 1 is used twice");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "options", List.of(
                Map.of("key", "12", "label", "a", "teamId", scene.team)))), 400, "0-9, * or #");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "options", List.of(
                Map.of("key", "1", "teamId", scene.team)))), 400, "needs a label");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "options", List.of(
                Map.of("key", "1", "label", "a", "teamId", scene.team, "groupKey", "Info")))), 400,
                "either a teamId or a groupKey");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "options", List.of(
                Map.of("key", "1", "label", "a", "groupKey", "Nobody")))), 422, "option 1: there is no group Nobody");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "voicemailGroup", "Director")), 422,
                "voicemailGroup: there is no group Director that takes voicemail");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "voicemailGroup", "Nobody")), 422,
                "voicemailGroup: there is no group Nobody");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "options", List.of(
                Map.of("key", "1", "label", "a", "teamId", 987_654_321L)))), 422, "no team 987654321");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "callbackOffer", Map.of("key", "x",
                "minutes", 0))), 400, "callbackOffer.key");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "callbackOffer", Map.of("key", "9",
                "minutes", 1441))), 400, "callbackOffer.minutes");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "campaignId", null)), 400,
                "campaignId is required");
        assertProblem(admin.post("/api/inbound-numbers", with(good, "campaignId", 987_654_321L)), 422,
                "no campaign 987654321");

        assertThat(numbers()).isEqualTo(before);
        assertThat(admin.get("/api/inbound-numbers/" + scene.numberId).json().get("options")).hasSize(1);
    }

    @Test
    void availabilityNeedsATeamAndAConnectedPhone() {
        assertProblem(scene.agent.post("/api/agents/me/availability", Map.of("available", true)), 409,
                "connect your phone first");
        assertProblem(admin.post("/api/agents/me/availability", Map.of("available", true)), 409, "in no team");
        assertProblem(scene.agent.post("/api/agents/me/availability", Map.of()), 400, "available is required");
        assertThat(anonymous.post("/api/agents/me/availability", Map.of("available", true)).status()).isEqualTo(401);
        assertThat(scene.agent.get("/api/agents/me/inbound").json().get("available").asBoolean()).isFalse();

        JsonNode unteamed = admin.get("/api/agents/me/inbound").json();
        assertThat(unteamed.get("teamId").isNull()).as("the team whose queue the agent answers: none").isTrue();

        scene.available(scene.agent);
        JsonNode mine = scene.agent.get("/api/agents/me/inbound").json();
        assertThat(mine.get("available").asBoolean()).isTrue();
        assertThat(mine.get("teamId").asLong()).isEqualTo(scene.team);
        scene.unavailable(scene.agent);
        assertThat(scene.agent.get("/api/agents/me/inbound").json().get("available").asBoolean()).isFalse();

        // Hanging up the phone ends availability with it.
        scene.available(scene.agent);
        assertThat(scene.agent.delete("/api/agents/me/phone").status()).isEqualTo(204);
        await().atMost(WAIT).until(() -> !scene.agent.get("/api/agents/me/inbound").json().get("available")
                .asBoolean());
    }

    @Test
    void aQueueIsShownToItsTeamAndToSupervisors() {
        EmulatedCall caller = scene.queuedCaller(DiallerSetup.mobile());
        AgentApi outsider = CallCentreStaff.create(admin, "inoutsider", "AGENT", false);
        InboundScene other = new InboundScene(admin, twilio, BASE, jdbc, transactions);

        assertProblem(other.agent.get("/api/queues/" + scene.team), 403, "not your team");
        assertProblem(outsider.get("/api/queues/" + scene.team), 403, "not your team");
        assertProblem(admin.get("/api/queues/987654321"), 404, "no team 987654321");
        assertThat(anonymous.get("/api/queues/" + scene.team).status()).isEqualTo(401);
        for (AgentApi allowed : List.of(admin, agentAdmin, scene.teammate)) {
            Reply queue = allowed.get("/api/queues/" + scene.team);
            assertThat(queue.status()).as(queue.toString()).isEqualTo(200);
            assertThat(queue.json().get("waiting")).hasSize(1);
            assertThat(queue.json().get("freeAgents").asInt()).isZero();
        }
        caller.hangUp();
        scene.awaitResult(caller.sid(), "LOST");
    }

    @Test
    void anAgentFirstCallbackRingsTheAgentsDeviceThenDialsThePerson() {
        String from = DiallerSetup.mobile();
        long callbackId = scene.dueLostCallCallback(from);

        Reply started = scene.teammate.post("/api/callbacks/" + callbackId + "/call", null);

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.json().get("status").asText()).isEqualTo("OFFERED");
        EmulatedCall device = twilio.awaitCallTo("client:" + scene.teammate.user(), WAIT);
        assertThat(twilio.calls().stream().filter(c -> c.to().equals(from))).as("the person waits for the agent")
                .isEmpty();
        device.pickUp();
        device.awaitHeard("This is the callback call. Please wait while we are connecting to the caller.", WAIT);
        EmulatedCall person = twilio.awaitCallTo(from, WAIT);
        person.pickUp();
        person.awaitConference("agent-" + scene.teammate.user(), WAIT);
        await().atMost(WAIT).until(() -> "IN_CALL".equals(scene.callbacks(from).get(0).get("status")));
        person.hangUp();
    }

    @Test
    void anAgentFirstCallbackIsRefusedWithoutADeviceAndTheRefusalIsRecorded() {
        String from = DiallerSetup.mobile();
        long callbackId = scene.dueLostCallCallback(from);
        scene.update("update call_centre_user set device = '' where user_id = ?", scene.teammate.user());
        long leadId = ((Number) scene.callbacks(from).get(0).get("lead_id")).longValue();

        assertProblem(scene.teammate.post("/api/callbacks/" + callbackId + "/call", null), 409, "no device");

        assertThat(scene.callbacks(from).get(0).get("status")).isEqualTo("DUE");
        assertThat(jdbc.queryForList("select detail from lead_history where lead_id = ? and kind = "
                + "'CALLBACK_CALL_REFUSED'", String.class, leadId)).singleElement().asString().contains("no device");
        assertThat(jdbc.queryForObject("select locked_by from lead where id = ?", String.class, leadId)).isNull();
        AgentApi outsider = new InboundScene(admin, twilio, BASE, jdbc, transactions).agent;
        assertProblem(outsider.post("/api/callbacks/" + callbackId + "/call", null), 403, "another team");
        assertProblem(scene.agent.post("/api/callbacks/987654321/call", null), 404, "no callback 987654321");
    }

    @Test
    void anAgentFirstCallbackToABlockedNumberIsRefusedBeforeAnyPhoneRings() {
        String from = DiallerSetup.mobile();
        long callbackId = scene.dueLostCallCallback(from);
        long leadId = ((Number) scene.callbacks(from).get(0).get("lead_id")).longValue();
        Reply blocked = admin.post("/api/block-list", Map.of("number", from, "reason", "asked never to be called"));
        assertThat(blocked.status()).as(blocked.toString()).isEqualTo(201);
        int calls = twilio.calls().size();

        Reply refused = scene.teammate.post("/api/callbacks/" + callbackId + "/call", null);

        assertProblem(refused, 409, "BLOCK_LIST");
        assertThat(refused.json().get("rule").asText()).isEqualTo("BLOCK_LIST");
        assertThat(twilio.calls()).as("no phone rang").hasSize(calls);
        assertThat(scene.callbacks(from).get(0).get("status")).isEqualTo("DUE");
        assertThat(jdbc.queryForList("select rule from dial_refusal where lead_id = ?", String.class, leadId))
                .containsExactly("BLOCK_LIST");
        assertThat(jdbc.queryForList("select kind from lead_history where lead_id = ?", String.class, leadId))
                .contains("CALLBACK_CALL_REFUSED");
    }

    @Test
    void unsignedInboundWebhooksAreRefusedAndChangeNothing() {
        int calls = jdbc.queryForObject("select count(*) from inbound_call", Integer.class);
        Map<String, String> params = Map.of("CallSid", "CAforged0000000000000000000000000", "From",
                DiallerSetup.mobile(), "To", scene.number, "AccountSid", twilio.accountSid());

        Reply unsigned = TwilioWebhook.post(BASE + "/twilio/inbound/voice", params, null);
        Reply wrongToken = TwilioWebhook.post(BASE + "/twilio/inbound/voice", params, "not-the-token");

        assertThat(unsigned.status()).isEqualTo(403);
        assertThat(wrongToken.status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from inbound_call", Integer.class)).isEqualTo(calls);
        Reply signed = TwilioWebhook.post(BASE + "/twilio/inbound/voice", Map.of("CallSid",
                "CAunknown00000000000000000000000000", "From", DiallerSetup.mobile(), "To", "+15005550099",
                "AccountSid", twilio.accountSid()), twilio.authToken());
        assertThat(signed.status()).isEqualTo(200);
        assertThat(signed.body()).contains("not in service").contains("<Hangup/>");
        assertThat(jdbc.queryForObject("select count(*) from inbound_call", Integer.class)).isEqualTo(calls);
    }

    private int numbers() {
        return jdbc.queryForObject("select count(*) from inbound_number", Integer.class);
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.put(key, value);
        return changed;
    }
}
