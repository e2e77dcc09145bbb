package org.callcentre.app.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.callback.CallbackScene.LONDON;
import static org.callcentre.app.callback.CallbackScene.lock;
import static org.callcentre.app.callback.CallbackScene.request;
import static org.callcentre.app.callback.CallbackScene.tomorrowAt;
import static org.callcentre.app.support.Problems.assertProblem;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.EndToEndTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code /api/callbacks} over HTTP: scheduling, every rule and refusal (each refusal changes nothing), who may see,
 * change and cancel which callback, and what scheduling does to the lead and to the callback's instance.
 */
class CallbackApiEndToEndTest extends EndToEndTest {

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    private CallbackScene scene;
    private long leadId;

    @BeforeEach
    void aTeamAndALeadTheAgentHolds() {
        // Calling hours 09:00 to 21:00 in the lead's zone (London).
        scene = new CallbackScene(admin, jdbc, transactions, "09:00", "21:00");
        leadId = scene.lead();
        lock(scene.agent, leadId);
    }

    @Test
    void anAgentSchedulesACallBackAgentCallbackThatKeepsTheLeadDormant() {
        Reply created = scene.schedule(scene.agent, request(leadId, tomorrowAt(14, 30), "AGENT",
                "wants to talk to her partner first"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("status").asText()).isEqualTo("SCHEDULED");
        Instant due = LocalDateTime.parse(tomorrowAt(14, 30)).atZone(LONDON).toInstant();
        assertThat(Instant.parse(created.json().get("dueAtUtc").asText())).isEqualTo(due);

        JsonNode callback = scene.agent.get("/api/callbacks/" + id).json();
        assertThat(callback.get("leadId").asLong()).isEqualTo(leadId);
        assertThat(callback.get("phone").asText()).isEqualTo(scene.phoneOf(leadId));
        assertThat(callback.get("mode").asText()).isEqualTo("AGENT");
        assertThat(callback.get("ownerUserId").asText()).isEqualTo(scene.agent.user());
        assertThat(callback.get("teamId").asLong()).isEqualTo(scene.team);
        assertThat(callback.get("timeZone").asText()).isEqualTo("Europe/London");
        assertThat(ZonedDateTime.parse(callback.get("dueAtLocal").asText()).toLocalDateTime())
                .isEqualTo(LocalDateTime.parse(tomorrowAt(14, 30)));
        assertThat(callback.get("createdBy").asText()).isEqualTo(scene.agent.user());
        assertThat(callback.get("origin").asText()).isEqualTo("AGENT");
        assertThat(callback.get("attempts").asInt()).isZero();
        assertThat(callback.get("overrideCallingHours").asBoolean()).isFalse();

        // Dormant: the call lists no longer offer the lead; its instance waits for the due time.
        assertThat(scene.readyInItsList(leadId)).isFalse();
        assertThat(scene.timers(id)).singleElement().satisfies(timer -> assertThat(
                ((Timestamp) timer.get("due")).toInstant()).isEqualTo(due));
        assertThat(scene.historyKinds(leadId)).contains("CALLBACK_SCHEDULED");
        scene.agent.delete("/api/leads/" + leadId + "/lock");
        Reply next = scene.teammate.post("/api/agents/me/next-lead", null);
        assertThat(next.json().path("lead").path("id").asLong()).as(next.toString()).isNotEqualTo(leadId);
    }

    @Test
    void malformedRequestsAreRefusedAndChangeNothing() {
        int before = callbacks();
        Map<String, Object> good = request(leadId, tomorrowAt(14, 30), "QUEUE", "later");

        assertProblem(scene.schedule(scene.agent, without(good, "leadId")), 400, "leadId is required");
        assertProblem(scene.schedule(scene.agent, without(good, "mode")), 400, "mode is required");
        assertProblem(scene.schedule(scene.agent, with(good, "mode", "SOMETIME")), 400, "mode must be one of");
        assertProblem(scene.schedule(scene.agent, without(good, "reason")), 400, "reason is required");
        assertProblem(scene.schedule(scene.agent, with(good, "reason", "x".repeat(501))), 400, "500 characters");
        assertProblem(scene.schedule(scene.agent, without(good, "dueAt")), 400, "dueAt is required");
        assertProblem(scene.schedule(scene.agent, with(good, "dueAt", "tomorrow at two")), 422, "not a local date");
        assertProblem(scene.schedule(scene.agent, with(good, "timeZone", "Mars/Olympus")), 400,
                "unknown time zone 'Mars/Olympus'");
        assertProblem(scene.schedule(scene.agent, with(good, "phone", "not a number")), 400,
                "is not a phone number");
        assertProblem(scene.schedule(scene.agent, with(good, "leadId", 987_654_321L)), 404, "no lead 987654321");

        assertThat(callbacks()).isEqualTo(before);
        assertThat(scene.readyInItsList(leadId)).isTrue();
    }

    @Test
    void theRulesRefuseWhatCannotBeKeptAndChangeNothing() {
        int before = callbacks();
        Map<String, Object> good = request(leadId, tomorrowAt(14, 30), "AGENT", "later");

        assertProblem(scene.schedule(scene.agent, with(good, "dueAt", LocalDateTime.now(LONDON).minusMinutes(5)
                .withNano(0).toString())), 422, "has passed");
        assertProblem(scene.schedule(scene.agent, with(good, "dueAt", tomorrowAt(7, 0))), 422,
                "outside the campaign's calling hours (09:00 to 21:00", "overrideCallingHours");
        // The spring-forward gap in London: 01:30 on that morning does not exist.
        assertProblem(scene.schedule(scene.agent, with(with(good, "dueAt", "2027-03-28T01:30"),
                "overrideCallingHours", true)), 422, "does not exist in Europe/London");
        assertProblem(scene.schedule(scene.agent, with(good, "phone", DiallerSetup.mobile())), 422,
                "is not one of lead " + leadId + "'s numbers");
        assertProblem(scene.schedule(scene.agent, with(good, "callId", 987_654_321L)), 422,
                "call 987654321 is not a call to lead " + leadId);
        assertProblem(scene.schedule(scene.agent, with(good, "ownerUserId", scene.teammate.user())), 403,
                "keeps its own");

        // A number on the do-not-call list.
        Reply dnc = admin.postCsv("/api/do-not-call", "phone\n" + scene.phoneOf(leadId) + "\n");
        assertThat(dnc.status()).as(dnc.toString()).isEqualTo(200);
        assertProblem(scene.schedule(scene.agent, with(good, "phone", scene.phoneOf(leadId))), 422,
                "do-not-call list");
        assertThat(admin.delete("/api/do-not-call/" + scene.phoneOf(leadId)).status()).isEqualTo(204);

        // A lead whose most recent status blocks calling.
        long removed = scene.lead();
        lock(scene.agent, removed);
        Reply remove = scene.agent.post("/api/leads/" + removed + "/call-statuses", Map.of("status", "REMOVE"));
        assertThat(remove.status()).as(remove.toString()).isEqualTo(201);
        assertProblem(scene.schedule(scene.agent, request(removed, tomorrowAt(14, 30), "AGENT", "later")), 422,
                "cannot be called back");

        // An agent schedules only for a lead it holds.
        long notHeld = scene.lead();
        assertProblem(scene.schedule(scene.agent, request(notHeld, tomorrowAt(14, 30), "AGENT", "later")), 409,
                "is not locked by you");

        assertThat(callbacks()).isEqualTo(before);
    }

    @Test
    void outsideCallingHoursIsKeptWhenThePersonAskedForItAndThatIsRecorded() {
        long id = scene.scheduled(scene.agent, with(request(leadId, tomorrowAt(7, 0), "AGENT",
                "shift worker: only free at 7 am"), "overrideCallingHours", true));

        JsonNode callback = scene.agent.get("/api/callbacks/" + id).json();
        assertThat(callback.get("overrideCallingHours").asBoolean()).isTrue();
        assertThat(jdbc.queryForList("select detail from lead_history where lead_id = ? and kind = "
                + "'CALLBACK_SCHEDULED'", String.class, leadId)).singleElement().asString()
                .contains("calling hours overridden");
    }

    @Test
    void aRepeatedHourIsTheFirstOneUnlessTheOffsetSaysOtherwise() {
        long first = scene.scheduled(scene.agent, with(request(leadId, "2027-10-31T01:30", "AGENT", "autumn"),
                "overrideCallingHours", true));
        assertThat(scene.agent.get("/api/callbacks/" + first).json().get("dueAtUtc").asText())
                .isEqualTo("2027-10-31T00:30:00Z");

        Reply moved = scene.agent.put("/api/callbacks/" + first, Map.of("dueAt", "2027-10-31T01:30+00:00"));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().get("dueAtUtc").asText()).isEqualTo("2027-10-31T01:30:00Z");
        assertThat(moved.json().get("dueAtLocal").asText()).isEqualTo("2027-10-31T01:30:00Z");
    }

    @Test
    void aLeadHasOneOpenCallbackAtATime() {
        long first = scene.scheduled(scene.agent, request(leadId, tomorrowAt(14, 30), "AGENT", "first"));

        assertProblem(scene.schedule(scene.agent, request(leadId, tomorrowAt(15, 30), "QUEUE", "second")), 409,
                "already has an open callback (" + first + ")");
        assertThat(jdbc.queryForObject("select count(*) from callback where lead_id = ?", Integer.class, leadId))
                .isEqualTo(1);
    }

    @Test
    void anAgentOwnsAtMostTheCappedNumberOfOpenCallBackAgentCallbacks() {
        int cap = 50;
        for (int i = 0; i < cap; i++) {
            long lead = i == 0 ? leadId : scene.lead();
            lock(scene.agent, lead);
            scene.scheduled(scene.agent, request(lead, tomorrowAt(10, i % 60), "AGENT", "promise " + i));
        }
        long oneMore = scene.lead();
        lock(scene.agent, oneMore);

        assertProblem(scene.schedule(scene.agent, request(oneMore, tomorrowAt(16, 0), "AGENT", "one too many")), 422,
                "already has 50 open callbacks", "callbacks.max-open-per-agent");
        // The queue has no cap: the team keeps it.
        scene.scheduled(scene.agent, request(oneMore, tomorrowAt(16, 0), "QUEUE", "for the team"));
        assertThat(jdbc.queryForObject("select count(*) from callback where owner_user_id = ? and status = "
                + "'SCHEDULED'", Integer.class, scene.agent.user())).isEqualTo(cap);
    }

    @Test
    void managersScheduleWithoutALockAndNameTheOwnerOfACallBackAgentCallback() {
        long lead = scene.lead();
        assertProblem(scene.schedule(agentAdmin, request(lead, tomorrowAt(14, 30), "AGENT", "for an agent")), 400,
                "ownerUserId is required");
        assertProblem(scene.schedule(agentAdmin, with(request(lead, tomorrowAt(14, 30), "AGENT", "for no agent"),
                "ownerUserId", "agentadmin")), 422, "agentadmin is not an active agent");

        long id = scene.scheduled(agentAdmin, with(request(lead, tomorrowAt(14, 30), "AGENT", "for the teammate"),
                "ownerUserId", scene.teammate.user()));
        JsonNode callback = agentAdmin.get("/api/callbacks/" + id).json();
        assertThat(callback.get("ownerUserId").asText()).isEqualTo(scene.teammate.user());
        assertThat(callback.get("teamId").asLong()).isEqualTo(scene.team);
        assertThat(callback.get("createdBy").asText()).isEqualTo("agentadmin");

        long queued = scene.scheduled(admin, request(scene.lead(), tomorrowAt(14, 30), "QUEUE", "for the team"));
        assertThat(admin.get("/api/callbacks/" + queued).json().get("teamId").asLong()).isEqualTo(scene.team);
    }

    @Test
    void eachRoleSeesAndChangesOnlyWhatItMay() {
        long id = scene.scheduled(scene.agent, request(leadId, tomorrowAt(14, 30), "AGENT", "mine"));
        CallbackScene otherTeam = new CallbackScene(admin, jdbc, transactions, "09:00", "21:00");
        AgentApi stranger = otherTeam.agent;

        assertThat(anonymous.get("/api/callbacks/" + id).status()).isEqualTo(401);
        assertThat(anonymous.post("/api/callbacks", request(leadId, tomorrowAt(14, 30), "AGENT", "x")).status())
                .isEqualTo(401);
        assertProblem(stranger.get("/api/callbacks/" + id), 403, "another team");
        assertProblem(stranger.get("/api/callbacks?teamId=" + scene.team), 403, "own team's");
        assertProblem(stranger.put("/api/callbacks/" + id, Map.of("reason", "taken over")), 403, "only its owner");
        assertProblem(stranger.delete("/api/callbacks/" + id + "?reason=mine+now"), 403, "only its owner");
        // A teammate sees it, but neither changes nor cancels it.
        assertThat(scene.teammate.get("/api/callbacks/" + id).status()).isEqualTo(200);
        assertProblem(scene.teammate.put("/api/callbacks/" + id, Map.of("reason", "taken over")), 403,
                "only its owner");
        assertProblem(scene.teammate.delete("/api/callbacks/" + id + "?reason=mine"), 403, "only its owner");
        // The owner may not give it away; a manager may.
        assertProblem(scene.agent.put("/api/callbacks/" + id, Map.of("ownerUserId", scene.teammate.user())), 403,
                "ask a team manager");
        Reply reassigned = agentAdmin.put("/api/callbacks/" + id, Map.of("ownerUserId", scene.teammate.user()));
        assertThat(reassigned.status()).as(reassigned.toString()).isEqualTo(200);
        assertThat(reassigned.json().get("ownerUserId").asText()).isEqualTo(scene.teammate.user());

        assertThat(scene.agent.get("/api/callbacks?ownerUserId=" + scene.teammate.user()).json())
                .extracting(c -> c.get("id").asLong()).contains(id);
        assertThat(stranger.get("/api/callbacks").json()).extracting(c -> c.get("id").asLong()).doesNotContain(id);
        assertThat(scene.agent.get("/api/callbacks/" + id).json().get("reason").asText()).isEqualTo("mine");
    }

    @Test
    void theEnginesOwnDoorNeitherStartsNorEndsACallback() {
        long id = scene.scheduled(scene.agent, request(leadId, tomorrowAt(14, 30), "AGENT", "through the side door"));

        for (AgentApi user : new AgentApi[] {scene.agent, agentAdmin}) {
            Reply neglect = user.post("/engine-rest/message", Map.of("messageName", "CallerServed",
                    "businessKey", Long.toString(id)));
            assertThat(neglect.status()).as(neglect.toString()).isIn(403, 404);
            Reply cancel = user.post("/engine-rest/message", Map.of("messageName", "CallbackCancelled",
                    "businessKey", Long.toString(id)));
            assertThat(cancel.status()).as(cancel.toString()).isIn(403, 404);
            Reply started = user.post("/engine-rest/process-definition/key/callback/start", Map.of("businessKey",
                    "999999", "variables", Map.of("callbackId", Map.of("value", 999_999L, "type", "Long"))));
            // The definition is not even visible to them: not found, or refused.
            assertThat(started.status()).as(started.toString()).isIn(403, 404);
        }
        assertThat(scene.status(id)).isEqualTo("SCHEDULED");
        assertThat(scene.instanceRunning(id)).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from ACT_RU_EXECUTION where BUSINESS_KEY_ = '999999'",
                Integer.class)).isZero();
    }

    @Test
    void rescheduleMovesTheTimerAndCancelEndsItAndFreesTheLead() {
        long id = scene.scheduled(scene.agent, request(leadId, tomorrowAt(14, 30), "AGENT", "first time"));

        Reply moved = scene.agent.put("/api/callbacks/" + id, Map.of("dueAt", tomorrowAt(16, 45), "reason",
                "after the school run", "mode", "QUEUE"));

        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        Instant due = LocalDateTime.parse(tomorrowAt(16, 45)).atZone(LONDON).toInstant();
        assertThat(Instant.parse(moved.json().get("dueAtUtc").asText())).isEqualTo(due);
        assertThat(moved.json().get("mode").asText()).isEqualTo("QUEUE");
        assertThat(moved.json().get("ownerUserId").isNull()).isTrue();
        assertThat(scene.timers(id)).singleElement().satisfies(timer -> assertThat(
                ((Timestamp) timer.get("due")).toInstant()).isEqualTo(due));
        // A Call Back Queue callback has no owner: the team's managers change it now.
        assertProblem(scene.agent.put("/api/callbacks/" + id, Map.of("reason", "mine again")), 403, "only its owner");
        assertProblem(agentAdmin.put("/api/callbacks/" + id, Map.of("dueAt", tomorrowAt(3, 0))), 422,
                "outside the campaign's calling hours");
        assertThat(scene.timers(id)).singleElement().satisfies(timer -> assertThat(
                ((Timestamp) timer.get("due")).toInstant()).isEqualTo(due));

        assertProblem(agentAdmin.delete("/api/callbacks/" + id), 400, "reason is required");
        Reply cancelled = agentAdmin.delete("/api/callbacks/" + id + "?reason=donor+emailed+instead");

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.json().get("outcome").asText()).contains("donor emailed instead");
        assertThat(scene.instanceRunning(id)).isFalse();
        assertThat(scene.readyInItsList(leadId)).isTrue();
        assertProblem(agentAdmin.delete("/api/callbacks/" + id + "?reason=again"), 409, "is CANCELLED");
        assertProblem(agentAdmin.put("/api/callbacks/" + id, Map.of("reason", "again")), 409, "is CANCELLED");
        assertThat(scene.historyKinds(leadId)).contains("CALLBACK_SCHEDULED", "CALLBACK_CHANGED",
                "CALLBACK_CANCELLED");
        // The lead can have a new callback now.
        scene.scheduled(scene.agent, request(leadId, tomorrowAt(17, 0), "AGENT", "again"));
    }

    @Test
    void theQueueViewShowsDueTimesInTheLeadsZoneAndTheViewers() {
        long id = scene.scheduled(scene.agent, request(leadId, tomorrowAt(14, 30), "QUEUE", "queue view"));

        Reply view = scene.teammate.get("/api/callbacks?window=upcoming&viewerTimeZone=America/New_York");

        assertThat(view.status()).as(view.toString()).isEqualTo(200);
        JsonNode listed = null;
        for (JsonNode callback : view.json()) {
            if (callback.get("id").asLong() == id) {
                listed = callback;
            }
        }
        assertThat(listed).as(view.toString()).isNotNull();
        Instant due = LocalDateTime.parse(tomorrowAt(14, 30)).atZone(LONDON).toInstant();
        assertThat(listed.get("leadTimeZone").asText()).isEqualTo("Europe/London");
        assertThat(ZonedDateTime.parse(listed.get("dueAtLeadZone").asText()).toInstant()).isEqualTo(due);
        assertThat(listed.get("viewerTimeZone").asText()).isEqualTo("America/New_York");
        assertThat(ZonedDateTime.parse(listed.get("dueAtViewer").asText()).toLocalDateTime())
                .isEqualTo(due.atZone(ZoneId.of("America/New_York")).toLocalDateTime());
        assertThat(listed.get("leadName").asText()).startsWith("Donor");
        assertThat(scene.teammate.get("/api/callbacks?window=due").json()).extracting(c -> c.get("id").asLong())
                .doesNotContain(id);
        assertProblem(scene.teammate.get("/api/callbacks?window=soon"), 400, "window must be one of");
        assertProblem(scene.teammate.get("/api/callbacks?status=LATE"), 400, "status must be one of");
    }

    private int callbacks() {
        return jdbc.queryForObject("select count(*) from callback", Integer.class);
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put(field, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> body, String field) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.remove(field);
        return copy;
    }
}
