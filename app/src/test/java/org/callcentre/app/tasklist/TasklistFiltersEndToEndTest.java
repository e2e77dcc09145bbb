package org.callcentre.app.tasklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.callcentre.app.tasklist.TasklistFilters.FOLLOW_UPS;
import static org.callcentre.app.tasklist.TasklistFilters.MY_CALLS;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.DueCallbacks;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Elements;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Each role works from its own Tasklist filters, made at start-up, and each team from its own: through the engine's
 * REST API (what Tasklist itself calls) a user of each role lists exactly its role's filters, cannot run another
 * role's, and finds in its own the tasks it is meant to: an agent their own card capture and not another agent's,
 * the back office a card to tokenise, named after the donor and the pledge, a team's agents the team's queued
 * callbacks and no other team's agent.
 */
@Order(4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TasklistFiltersEndToEndTest extends EndToEndTest {

    enum Caller {
        ANONYMOUS, ADMIN_OPS, AGENT_ADMIN, AGENT
    }

    /** Each role's filters, in Tasklist's order. */
    static final Map<Caller, List<String>> FILTERS = Map.of(
            Caller.AGENT, List.of(MY_CALLS),
            Caller.AGENT_ADMIN, List.of(FOLLOW_UPS),
            Caller.ADMIN_OPS, List.of(FOLLOW_UPS));

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    HistoryService history;

    private final Map<Caller, AgentApi> callers = new EnumMap<>(Caller.class);

    @BeforeAll
    void callers() {
        callers.put(Caller.ANONYMOUS, anonymous);
        callers.put(Caller.ADMIN_OPS, CallCentreStaff.create(admin, "filteradminops", "ADMIN_OPS", false));
        callers.put(Caller.AGENT_ADMIN, CallCentreStaff.create(admin, "filteragentadmin", "AGENT_ADMIN", false));
        callers.put(Caller.AGENT, CallCentreStaff.create(admin, "filteragent", "AGENT", false));
    }

    @AfterEach
    void clearFaults() {
        gateway.faults().clear();
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void eachRoleListsExactlyItsFilters(Caller caller) {
        AgentApi.Reply listed = callers.get(caller).get("/engine-rest/filter?resourceType=Task");
        if (caller == Caller.ANONYMOUS) {
            assertThat(listed.status()).as(listed.toString()).isEqualTo(401);
            return;
        }
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        listed.json().forEach(filter -> names.add(filter.get("name").asText()));
        assertThat(names).as("filters %s reads", caller).containsExactlyInAnyOrderElementsOf(FILTERS.get(caller));
    }

    /** A filter of another role is not there for the user: neither its tasks nor its count. */
    @ParameterizedTest
    @EnumSource(value = Caller.class, names = {"ADMIN_OPS", "AGENT_ADMIN", "AGENT"})
    void noRoleRunsAnotherRolesFilter(Caller caller) {
        for (String filter : List.of(MY_CALLS, FOLLOW_UPS)) {
            if (FILTERS.get(caller).contains(filter)) {
                continue;
            }
            String id = filterId(filter);
            for (String path : List.of("/list", "/count", "")) {
                AgentApi.Reply reply = callers.get(caller).get("/engine-rest/filter/" + id + path);
                assertThat(reply.status()).as("%s %s%s: %s", caller, filter, path, reply).isEqualTo(403);
            }
        }
    }

    /** "My calls" is mine: the agent's card capture in progress, named after the donor, and not another agent's. */
    @Test
    void myCallsHoldsMyCaptureAndNotAnotherAgents() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        call.prompt();
        String name = "Card capture in progress: Scenario Donor, £20.00 one-off";

        // The call's own "Talk to" task is there too, for as long as the call has no outcome.
        JsonNode mine = await().atMost(WAIT).until(() -> list(call.agent, MY_CALLS), tasks -> tasks.size() == 2);
        assertThat(names(mine)).containsExactlyInAnyOrder(name, TALK_TASK);
        JsonNode capture = captureTasks(mine).get(0);
        assertThat(capture.get("taskDefinitionKey").asText()).isEqualTo(Elements.CAPTURE_IN_PROGRESS);
        assertThat(call.agent.get("/engine-rest/filter/" + filterId(MY_CALLS) + "/count").json().get("count").asInt())
                .isEqualTo(2);
        JsonNode form = call.agent.get("/engine-rest/task/" + capture.get("id").asText() + "/form-variables")
                .json();
        assertThat(form.get(Variables.CAPTURE_DESCRIPTION.name()).get("value").asText())
                .isEqualTo("The donor is entering their card details");
        assertThat(list(callers.get(Caller.AGENT), MY_CALLS)).as("another agent's My calls").isEmpty();

        AgentApi.Reply back = call.agent.delete("/api/pledges/" + call.pledgeId + "/card-capture");
        assertThat(back.status()).as(back.toString()).isEqualTo(202);
        call.awaitBackWithAgent();
        await().atMost(WAIT).until(() -> names(list(call.agent, MY_CALLS)).equals(List.of(TALK_TASK)));
    }

    /**
     * The card was charged but the gateway never confirmed it was saved: the back office finds "Tokenise the card
     * with Scenario Donor: £25.00 monthly" in "Follow-ups", with the payment in words, and the agent does not.
     */
    @Test
    void followUpsHoldTheCardToTokenise() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, true, true, "25", "MONTHLY");
        // Every look at whether the charged card was saved times out (the app waits 1 s): after the step's last
        // attempt the pledge stays paid and the card is left for the back office to tokenise.
        gateway.faults().slowNext(3, Duration.ofMillis(2500), "GET", "/v1/payment_methods");
        call.start();
        call.enterCard("4242424242424242", "1230", "737");
        call.awaitBackWithAgent();

        AgentApi agentAdmin = callers.get(Caller.AGENT_ADMIN);
        JsonNode followUps = await().atMost(WAIT.plusSeconds(10)).until(() -> list(agentAdmin, FOLLOW_UPS),
                tasks -> tasks.size() == 1);
        JsonNode task = followUps.get(0);
        assertThat(task.get("name").asText()).isEqualTo("Tokenise the card with Scenario Donor: £25.00 monthly");
        assertThat(task.get("taskDefinitionKey").asText()).isEqualTo(Elements.TOKEN_FOLLOW_UP);
        assertThat(list(callers.get(Caller.ADMIN_OPS), FOLLOW_UPS)).as("admin operations' Follow-ups")
                .singleElement().satisfies(t -> assertThat(t.get("id")).isEqualTo(task.get("id")));
        assertThat(names(list(call.agent, MY_CALLS))).as("the agent's My calls").containsExactly(TALK_TASK);

        String paid = "Paid: Visa ending 4242, but the card could not be saved for later payments: an agent admin "
                + "arranges it with the donor";
        String taskId = task.get("id").asText();
        assertThat(agentAdmin.get("/engine-rest/task/" + taskId + "/form-variables").json()
                .get(Variables.CAPTURE_DESCRIPTION.name()).get("value").asText()).isEqualTo(paid);
        JsonNode capture = call.pledge().get("cardCapture");
        assertThat(capture.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(capture.get("description").asText()).isEqualTo(paid);
        assertThat(call.pledge().get("paid").asBoolean()).isTrue();

        // Claimed, it stays in the claimer's Follow-ups; completed with a note, the capture's instance ends.
        assertThat(agentAdmin.post("/engine-rest/task/" + taskId + "/claim",
                Map.of("userId", agentAdmin.user())).status()).isEqualTo(204);
        assertThat(list(agentAdmin, FOLLOW_UPS)).singleElement()
                .satisfies(t -> assertThat(t.get("assignee").asText()).isEqualTo(agentAdmin.user()));
        AgentApi.Reply done = agentAdmin.post("/engine-rest/task/" + taskId + "/complete",
                Map.of("variables", Map.of(Variables.NOTE.name(), Map.of("value", "Token set up by phone"))));
        assertThat(done.status()).as(done.toString()).isEqualTo(204);
        String instance = jdbc.queryForObject("select process_instance_id from card_capture where pledge_id = ?",
                String.class, call.pledgeId);
        await().atMost(WAIT).until(() -> history.createHistoricProcessInstanceQuery().processInstanceId(instance)
                .singleResult().getEndTime() != null);
        assertThat(list(agentAdmin, FOLLOW_UPS)).isEmpty();
    }

    /**
     * Each team has its own callbacks filter, made with the team and read by its agents only: an agent of the team
     * finds the team's Call Back Queue task there once the callback is due; an agent of another team neither lists
     * nor runs it, and finds nothing of it in their own team's. Replacing the team renames its filter and takes it
     * from an agent who left.
     */
    @Test
    void aTeamsCallbacksFilterShowsItsQueueToItsAgentsOnly() {
        AgentApi ann = CallCentreStaff.create(admin, "teamann", "AGENT", false);
        AgentApi bob = CallCentreStaff.create(admin, "teambob", "AGENT", false);
        AgentApi cat = CallCentreStaff.create(admin, "teamcat", "AGENT", false);
        long campaign = DiallerSetup.campaign(admin, DiallerSetup.rules(0, 1000, 1000, "00:00", "00:00",
                "Europe/London"), List.of(CardCaptureScenario.CALLER_ID));
        long list = DiallerSetup.callList(admin, campaign);
        long lead = DiallerSetup.importLeads(admin, list, DiallerSetup.mobile()).get(0);
        String evening = CallCentreStaff.freshId("Evening");
        String morning = CallCentreStaff.freshId("Morning");
        long team = team(null, evening, List.of(ann.user(), bob.user()), list);
        team(null, morning, List.of(cat.user()), list);
        String eveningFilter = TasklistFilters.teamFilterName(evening);
        String morningFilter = TasklistFilters.teamFilterName(morning);
        assertThat(filterNames(ann)).containsExactlyInAnyOrder(MY_CALLS, eveningFilter);
        assertThat(filterNames(cat)).containsExactlyInAnyOrder(MY_CALLS, morningFilter);

        long callback = DueCallbacks.schedule(ann, lead, DueCallbacks.tomorrowAt("18:00", ZoneId.of("Europe/London")),
                "Europe/London", "Call after six", "QUEUE", false);
        DueCallbacks.dueNow(transactions, jdbc, callback);

        JsonNode queued = await().atMost(WAIT).until(() -> list(bob, eveningFilter), tasks -> tasks.size() == 1);
        assertThat(queued.get(0).get("processInstanceId").asText()).isEqualTo(jdbc.queryForObject(
                "select process_instance_id from callback where id = ?", String.class, callback));
        assertThat(queued.get(0).get("assignee").isNull()).isTrue();
        assertThat(list(ann, eveningFilter)).hasSize(1);
        for (String path : List.of("/list", "/count", "")) {
            AgentApi.Reply reply = cat.get("/engine-rest/filter/" + filterId(eveningFilter) + path);
            assertThat(reply.status()).as("another team's agent: %s", reply).isEqualTo(403);
        }
        assertThat(list(cat, morningFilter)).isEmpty();

        String late = evening + "late";
        team(team, late, List.of(ann.user()), list);

        assertThat(filterNames(admin)).contains(TasklistFilters.teamFilterName(late)).doesNotContain(eveningFilter);
        assertThat(filterNames(ann)).containsExactlyInAnyOrder(MY_CALLS, TasklistFilters.teamFilterName(late));
        assertThat(list(ann, TasklistFilters.teamFilterName(late))).hasSize(1);
        assertThat(filterNames(bob)).as("bob left the team").containsExactly(MY_CALLS);
    }

    /** Creates the team ({@code id} null) or replaces it, with these agents working the list. */
    private static long team(Long id, String name, List<String> agents, long list) {
        Map<String, Object> body = Map.of("name", name, "agents", agents, "callLists",
                List.of(Map.of("callListId", list, "weighting", 1)));
        AgentApi.Reply written = id == null ? admin.post("/api/teams", body) : admin.put("/api/teams/" + id, body);
        assertThat(written.status()).as(written.toString()).isEqualTo(id == null ? 201 : 200);
        return id == null ? written.json().get("id").asLong() : id;
    }

    private static List<String> filterNames(AgentApi user) {
        AgentApi.Reply listed = user.get("/engine-rest/filter?resourceType=Task");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        listed.json().forEach(filter -> names.add(filter.get("name").asText()));
        return names;
    }

    /** The call's task, open until the agent says how the call went. */
    private static final String TALK_TASK = "Talk to Scenario Donor";

    private static List<String> names(JsonNode tasks) {
        List<String> names = new ArrayList<>();
        tasks.forEach(task -> names.add(task.get("name").asText()));
        return names;
    }

    private static List<JsonNode> captureTasks(JsonNode tasks) {
        List<JsonNode> captures = new ArrayList<>();
        tasks.forEach(task -> {
            if (!task.get("name").asText().equals(TALK_TASK)) {
                captures.add(task);
            }
        });
        return captures;
    }

    private JsonNode list(AgentApi user, String filter) {
        AgentApi.Reply reply = user.get("/engine-rest/filter/" + filterId(filter) + "/list");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static String filterId(String name) {
        JsonNode filters = admin.get("/engine-rest/filter?name=" + name.replace(" ", "%20").replace("'", "%27"))
                .json();
        assertThat(filters).as("filters named %s", name).hasSize(1);
        return filters.get(0).get("id").asText();
    }
}
