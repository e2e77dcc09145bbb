package org.callcentre.app.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.callcentre.app.callback.CallbackScene.lock;
import static org.callcentre.app.callback.CallbackScene.request;
import static org.callcentre.app.callback.CallbackScene.tomorrowAt;
import static org.callcentre.app.support.Problems.assertProblem;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.Phones;
import org.callcentre.processes.callback.CallbackProcess.Elements;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Callbacks through their whole life over HTTP, with the donor's phone in the Twilio emulator: scheduled, dormant,
 * due (the app's job executor fires the timer once the test lets the due time arrive), offered first by Next Lead,
 * called, and ended by the call's outcome, by another call that reached the number (Neglected), or given up in
 * Tasklist; a Call Back Agent callback its owner leaves untouched is opened to the team.
 */
class CallbackEndToEndTest extends EndToEndTest {

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    private CallbackScene scene;

    @BeforeEach
    void aTeamWorkingAllDay() {
        // Calls earlier tests left open would count as the agents' live calls.
        scene = new CallbackScene(admin, jdbc, transactions, "00:00", "00:00");
        scene.update("update outbound_call set final = true where final = false");
    }

    @Test
    void aDueCallbackIsOfferedFirstAndKeptByTheCallThatReachesThePerson() {
        long promised = scene.lead();
        lock(scene.agent, promised);
        long id = scene.scheduled(scene.agent, request(promised, tomorrowAt(14, 30), "QUEUE", "call after lunch"));
        scene.agent.delete("/api/leads/" + promised + "/lock");
        long newer = scene.lead();

        // Dormant: Next Lead offers the newer lead, not the promised one.
        assertThat(nextLead(scene.teammate).path("lead").path("id").asLong()).isEqualTo(newer);
        assertThat(scene.teammate.delete("/api/leads/" + newer + "/lock").status()).isEqualTo(204);

        scene.letDueTimeArrive(id);
        assertThat(scene.historyKinds(promised)).contains("CALLBACK_DUE");
        List<JsonNode> tasks = callBackTasks(scene.teammate, id);
        assertThat(tasks).as("the team's task in Tasklist").singleElement().satisfies(task -> {
            assertThat(task.get("name").asText()).startsWith("Call back Donor");
            assertThat(task.get("taskDefinitionKey").asText()).isEqualTo(Elements.CALL_BACK_QUEUE);
            assertThat(task.get("description").asText()).contains("call after lunch");
        });

        connectPhone(scene.agent);
        JsonNode next = nextLead(scene.agent);
        assertThat(next.path("lead").path("id").asLong()).as(next.toString()).isEqualTo(promised);
        assertThat(next.path("callback").path("id").asLong()).isEqualTo(id);
        assertThat(next.path("callback").path("reason").asText()).isEqualTo("call after lunch");
        assertThat(scene.status(id)).isEqualTo("OFFERED");
        assertThat(nextLead(scene.teammate).path("lead").path("id").asLong()).as("offered once")
                .isNotEqualTo(promised);

        long callId = answeredCall(scene.agent, promised);
        JsonNode inCall = scene.agent.get("/api/callbacks/" + id).json();
        assertThat(inCall.get("status").asText()).isEqualTo("IN_CALL");
        assertThat(inCall.get("servedByCallId").asLong()).isEqualTo(callId);

        Reply outcome = scene.agent.post("/api/leads/" + promised + "/call-statuses", Map.of("status",
                "NOT_INTERESTED", "callId", callId));
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(201);

        JsonNode done = scene.agent.get("/api/callbacks/" + id).json();
        assertThat(done.get("status").asText()).isEqualTo("DONE");
        assertThat(done.get("attempts").asInt()).isEqualTo(1);
        assertThat(done.get("outcome").asText()).isEqualTo("Not interested");
        assertThat(scene.instanceRunning(id)).isFalse();
        assertThat(callBackTasks(scene.teammate, id)).isEmpty();
        assertThat(scene.historyKinds(promised)).contains("CALLBACK_SCHEDULED", "CALLBACK_DUE", "CALLBACK_OFFERED",
                "CALLBACK_CALLED", "CALLBACK_DONE");
        hangUp(scene.agent, callId);
    }

    @Test
    void aCallBackOutcomeSchedulesTheNextCallbackInTheSameRequestOrNothing() {
        long promised = scene.lead();
        long first = scheduledDueOfferedAndAnswered(promised, "first promise");
        long callId = servingCall(first);

        Reply refused = scene.agent.post("/api/leads/" + promised + "/call-statuses", Map.of("status", "CALL_BACK",
                "callId", callId, "callback", Map.of("dueAt", "2020-01-01T10:00", "mode", "AGENT", "reason",
                        "too late")));
        assertProblem(refused, 422, "has passed");
        assertThat(jdbc.queryForObject("select count(*) from lead_call_status where call_id = ?", Integer.class,
                callId)).as("no outcome without its callback").isZero();
        assertThat(scene.status(first)).isEqualTo("IN_CALL");
        assertProblem(scene.agent.post("/api/leads/" + promised + "/call-statuses", Map.of("status", "BUSY",
                "callId", callId, "callback", Map.of("dueAt", tomorrowAt(16, 0), "mode", "AGENT", "reason", "x"))),
                400, "Call back outcome only");

        Reply recorded = scene.agent.post("/api/leads/" + promised + "/call-statuses", Map.of("status", "CALL_BACK",
                "callId", callId, "callback", Map.of("dueAt", tomorrowAt(16, 0), "mode", "AGENT", "reason",
                        "wants to think it over")));

        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        long next = recorded.json().get("callbackId").asLong();
        assertThat(scene.status(first)).isEqualTo("DONE");
        JsonNode second = scene.agent.get("/api/callbacks/" + next).json();
        assertThat(second.get("status").asText()).isEqualTo("SCHEDULED");
        assertThat(second.get("originCallId").asLong()).isEqualTo(callId);
        assertThat(second.get("reason").asText()).isEqualTo("wants to think it over");
        assertThat(jdbc.queryForObject("select open_callback_id from lead where id = ?", Long.class, promised))
                .isEqualTo(next);
        hangUp(scene.agent, callId);
    }

    @Test
    void aCallThatReachesNoOneMakesItDueAgainAtTheDecisionsRetryTime() {
        long promised = scene.lead();
        long id = scheduledDueOfferedAndAnswered(promised, "try again later");
        long callId = servingCall(id);

        Reply outcome = scene.agent.post("/api/leads/" + promised + "/call-statuses", Map.of("status", "BUSY",
                "callId", callId));
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(201);

        JsonNode again = scene.agent.get("/api/callbacks/" + id).json();
        assertThat(again.get("status").asText()).isEqualTo("SCHEDULED");
        assertThat(again.get("attempts").asInt()).isEqualTo(1);
        assertThat(again.get("outcome").asText()).isEqualTo("Busy");
        Instant retryAt = Instant.parse(outcome.json().get("decision").get("retryAt").asText())
                .truncatedTo(ChronoUnit.MILLIS);
        assertThat(Instant.parse(again.get("dueAtUtc").asText())).isEqualTo(retryAt);
        assertThat(scene.instanceRunning(id)).isTrue();
        assertThat(scene.timers(id)).singleElement().satisfies(timer -> assertThat(((Timestamp) timer.get("due"))
                .toInstant()).isEqualTo(retryAt));
        assertThat(callBackTasks(scene.agent, id)).isEmpty();
        assertThat(scene.historyKinds(promised)).contains("CALLBACK_RETRY");
        hangUp(scene.agent, callId);
    }

    @Test
    void theLastCallAllowedThatReachesNoOneFailsIt() {
        long promised = scene.lead();
        long id = scheduledDueOfferedAndAnswered(promised, "last try");
        long callId = servingCall(id);
        // Two calls have served it already: this is the third of callbacks.max-attempts (3).
        scene.update("update callback set attempts = 2 where id = ?", id);

        Reply outcome = scene.agent.post("/api/leads/" + promised + "/call-statuses", Map.of("status",
                "NO_ANSWER", "callId", callId));

        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(201);
        JsonNode failed = scene.agent.get("/api/callbacks/" + id).json();
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("attempts").asInt()).isEqualTo(3);
        assertThat(failed.get("outcome").asText()).isEqualTo("No answer: not reached after 3 calls");
        assertThat(scene.instanceRunning(id)).isFalse();
        assertThat(scene.readyInItsList(promised)).as("back to its call list, after the decision's wait").isFalse();
        assertThat(jdbc.queryForObject("select open_callback_id from lead where id = ?", Long.class, promised))
                .isNull();
        hangUp(scene.agent, callId);
    }

    @Test
    void anotherCallThatReachesTheNumberLeavesTheCallbackNeglected() {
        long promised = scene.lead();
        lock(scene.agent, promised);
        long id = scene.scheduled(scene.agent, request(promised, tomorrowAt(11, 0), "AGENT", "promised tomorrow"));

        // The agent calls the lead today by hand, while the callback is dormant: the call does not serve it.
        connectPhone(scene.agent);
        long callId = answeredCall(scene.agent, promised);
        assertThat(scene.status(id)).isEqualTo("SCHEDULED");
        Reply outcome = scene.agent.post("/api/leads/" + promised + "/call-statuses", Map.of("status", "PLEDGE",
                "callId", callId));
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(201);

        JsonNode neglected = scene.agent.get("/api/callbacks/" + id).json();
        assertThat(neglected.get("status").asText()).isEqualTo("NEGLECTED");
        assertThat(neglected.get("outcome").asText()).contains("reached by call " + callId);
        assertThat(scene.instanceRunning(id)).isFalse();
        assertThat(scene.historyKinds(promised)).contains("CALLBACK_NEGLECTED");
        hangUp(scene.agent, callId);
    }

    @Test
    void anUntouchedCallBackAgentCallbackIsOpenedToTheTeam() {
        long promised = scene.lead();
        lock(scene.agent, promised);
        long id = scene.scheduled(scene.agent, request(promised, tomorrowAt(12, 0), "AGENT", "owner's promise"));
        scene.agent.delete("/api/leads/" + promised + "/lock");
        scene.letDueTimeArrive(id);
        assertThat(callBackTasks(scene.agent, id)).singleElement().satisfies(task -> assertThat(
                task.get("assignee").asText()).isEqualTo(scene.agent.user()));
        assertThat(nextLead(scene.teammate).path("lead").path("id").asLong()).as("the owner's, for now")
                .isNotEqualTo(promised);
        scene.teammate.delete("/api/leads/" + nextLead(scene.teammate).path("lead").path("id").asLong() + "/lock");

        // callbacks.open-to-team-after-minutes pass: the boundary timer fires.
        assertThat(scene.update("update ACT_RU_JOB set DUEDATE_ = ? where PROCESS_INSTANCE_ID_ = (select "
                + "process_instance_id from callback where id = ?) and HANDLER_TYPE_ = 'timer-transition'",
                Timestamp.from(Instant.now().minusSeconds(1)), id)).isEqualTo(1);
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select opened_to_team_at from callback where id = ?",
                Timestamp.class, id) != null);

        assertThat(callBackTasks(scene.teammate, id)).singleElement().satisfies(task -> assertThat(
                task.get("assignee").isNull()).isTrue());
        JsonNode next = nextLead(scene.teammate);
        assertThat(next.path("lead").path("id").asLong()).as(next.toString()).isEqualTo(promised);
        assertThat(next.path("callback").path("id").asLong()).isEqualTo(id);
        assertThat(scene.historyKinds(promised)).contains("CALLBACK_OPENED_TO_TEAM");
    }

    @Test
    void theOwnerGivesUpACallbackInTasklistWithAReason() {
        long promised = scene.lead();
        lock(scene.agent, promised);
        long id = scene.scheduled(scene.agent, request(promised, tomorrowAt(13, 0), "AGENT", "to be given up"));
        scene.letDueTimeArrive(id);
        String task = callBackTasks(scene.agent, id).get(0).get("id").asText();
        Map<String, Object> form = Map.of("variables", Map.of("givenUpReason", Map.of("value",
                "moved abroad, no number")));

        Reply notTheirs = scene.teammate.post("/engine-rest/task/" + task + "/submit-form", form);
        assertThat(notTheirs.status()).as(notTheirs.toString()).isEqualTo(403);
        assertProblem(scene.agent.post("/engine-rest/task/" + task + "/submit-form", Map.of("variables",
                Map.of("callbackId", Map.of("value", 1)))), 403, "not a field of this task's form");
        assertThat(scene.status(id)).isEqualTo("DUE");

        Reply given = scene.agent.post("/engine-rest/task/" + task + "/submit-form", form);

        assertThat(given.status()).as(given.toString()).isEqualTo(204);
        JsonNode failed = scene.agent.get("/api/callbacks/" + id).json();
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("outcome").asText()).isEqualTo("given up by " + scene.agent.user()
                + ": moved abroad, no number");
        assertThat(scene.instanceRunning(id)).isFalse();
        assertThat(scene.readyInItsList(promised)).isTrue();
    }

    /**
     * The agent schedules a Call Back Agent callback for the lead and lets the lead go; it falls due, Next Lead offers
     * it to the agent, whose call the person answers. Answers the callback's id.
     */
    private long scheduledDueOfferedAndAnswered(long leadId, String reason) {
        lock(scene.agent, leadId);
        long id = scene.scheduled(scene.agent, request(leadId, tomorrowAt(10, 0), "AGENT", reason));
        scene.agent.delete("/api/leads/" + leadId + "/lock");
        scene.letDueTimeArrive(id);
        connectPhone(scene.agent);
        assertThat(nextLead(scene.agent).path("callback").path("id").asLong()).isEqualTo(id);
        answeredCall(scene.agent, leadId);
        return id;
    }

    /** The call serving the callback. */
    private long servingCall(long callbackId) {
        return jdbc.queryForObject("select served_by_call_id from callback where id = ?", Long.class, callbackId);
    }

    private JsonNode nextLead(AgentApi who) {
        Reply next = who.post("/api/agents/me/next-lead", null);
        assertThat(next.status()).as(next.toString()).isEqualTo(200);
        return next.json();
    }

    /** The callback's "Call back" tasks the user sees through the engine's REST API. */
    private static List<JsonNode> callBackTasks(AgentApi user, long callbackId) {
        Reply tasks = user.get("/engine-rest/task?processInstanceBusinessKey=" + callbackId
                + "&processDefinitionKey=callback");
        assertThat(tasks.status()).as(tasks.toString()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        tasks.json().forEach(found::add);
        return found;
    }

    private static long answeredCall(AgentApi who, long leadId) {
        return Phones.answeredCall(twilio, who, leadId);
    }

    private static void hangUp(AgentApi who, long callId) {
        Phones.hangUp(who, callId);
    }

    private static void connectPhone(AgentApi user) {
        Phones.connect(twilio, user);
    }
}
