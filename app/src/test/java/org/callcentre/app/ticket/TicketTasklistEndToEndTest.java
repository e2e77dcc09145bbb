package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.processes.ticket.TicketProcess;
import org.callcentre.processes.ticket.TicketProcess.Elements;
import org.callcentre.processes.ticket.TicketProcess.Forms;
import org.callcentre.processes.ticket.TicketProcess.Messages;
import org.callcentre.processes.ticket.TicketProcess.Variables;
import org.callcentre.ticket.Tickets;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The ticket model through the engine's own door ({@code /engine-rest}, what Tasklist calls): a group's members see
 * and complete its ticket tasks with their forms, and what they complete is written to the row as the ticket pages
 * would write it; nobody else completes them, nobody but the system tells an instance its ticket changed or closed,
 * or starts one, and no variable set through the door moves an instance onto another ticket.
 */
class TicketTasklistEndToEndTest extends EndToEndTest {

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private Tickets tickets;
    @Autowired
    private RuntimeService runtime;

    private TicketScene scene;

    @BeforeEach
    void scene() {
        scene = new TicketScene(BASE, jdbc, transactions, tickets);
    }

    // ------------------------------------------------------------------------------------------ seeing

    /**
     * The engine shows a user the ticket tasks of their groups and no other group's (whatever Tasklist filter lists
     * them), and each loads its form and the variables the form shows (the triage form's choices: every group).
     */
    @Test
    void aMemberSeesTheirGroupsTicketTasksWithTheirForms() {
        long triage = scene.received("Info", TicketScene.email("seen"), "Which group?");
        long donations = TicketScene.blank(agent, "Donations", "Gift aid", TicketScene.email("seen"));
        long agency = scene.received("Agency", TicketScene.email("unseen"), "Referral");

        List<String> listed = ticketTasks(agent);
        assertThat(listed).contains(scene.task(triage), scene.task(donations)).doesNotContain(scene.task(agency));
        assertThat(ticketTasks(agentAdmin)).contains(scene.task(triage), scene.task(donations), scene.task(agency));
        AgentApi outsider = CallCentreStaff.create(admin, "ticketoutsider", "AGENT", false);
        assertThat(ticketTasks(outsider)).doesNotContain(scene.task(triage), scene.task(donations),
                scene.task(agency));

        JsonNode task = agent.get("/engine-rest/task/" + scene.task(triage)).json();
        assertThat(task.get("name").asText()).isEqualTo("Assign to the right group: ticket " + triage
                + ", Which group?");
        assertThat(task.get("description").asText()).isEqualTo("Jane Donor (Info)");
        Reply form = agent.get("/engine-rest/task/" + scene.task(triage) + "/deployed-form");
        assertThat(form.status()).as(form.toString()).isEqualTo(200);
        assertThat(form.json().get("id").asText()).isEqualTo(Forms.TRIAGE);
        Reply variables = agent.get("/engine-rest/task/" + scene.task(triage) + "/form-variables");
        assertThat(variables.status()).as(variables.toString()).isEqualTo(200);
        assertThat(variables.json().has(Variables.TICKET_NUMBER.name())).as("not on the form").isFalse();
        JsonNode choices = variables.json().get(Forms.GROUP_CHOICES);
        assertThat(choices.get("type").asText()).isEqualTo("Object");
        assertThat(choices.get("valueInfo").get("serializationDataFormat").asText()).isEqualTo("application/json");
        JsonNode value = choices.get("value");
        assertThat(value.isTextual() ? value.asText() : value.toString()).contains("\"value\":\"Donations\"",
                "\"value\":\"Info\"", "\"value\":\"WebMaster\"", "\"label\":\"Web Master\"");
        Reply workForm = agent.get("/engine-rest/task/" + scene.task(donations) + "/deployed-form");
        assertThat(workForm.json().get("id").asText()).isEqualTo(Forms.WORK);

        for (String path : List.of("", "/deployed-form", "/form-variables")) {
            Reply notTheirs = agent.get("/engine-rest/task/" + scene.task(agency) + path);
            assertThat(notTheirs.status()).as(path + ": " + notTheirs).isIn(403, 404);
        }
    }

    // ------------------------------------------------------------------------------------------ triage

    /** Triage in Tasklist, as a member of Info: the ticket moves in its row, with its history, to the new group. */
    @Test
    void triageInTasklistMovesTheTicketAndGivesTheNewGroupItsWork() {
        long number = scene.received("Info", TicketScene.email("triage"), "A sofa to give");
        String task = scene.task(number);

        Reply done = agent.post("/engine-rest/task/" + task + "/submit-form", form(Variables.TARGET_GROUP.name(),
                "Donations"));

        assertThat(done.status()).as(done.toString()).isEqualTo(204);
        JsonNode ticket = agent.get("/api/tickets/" + number).json().get("ticket");
        assertThat(ticket.get("group").asText()).isEqualTo("Donations");
        assertThat(ticket.get("awaitingTriage").asBoolean()).isFalse();
        JsonNode last = last(agent.get("/api/tickets/" + number + "/history").json());
        assertThat(last.get("kind").asText()).isEqualTo("MOVED");
        assertThat(last.get("detail").asText()).isEqualTo("Info to Donations");
        assertThat(last.get("actor").asText()).isEqualTo("agent");
        assertThat(scene.tasks(number)).containsExactly(Elements.WORK + "=groupDonations");
        assertThat(runtime.getVariables(scene.instance(number)).keySet()).as("the form's answer is not kept")
                .containsExactly(Variables.TICKET_NUMBER.name());
    }

    @Test
    void triageThatKeepsTheTicketInInfoTriagesIt() {
        long number = scene.received("Info", TicketScene.email("keep"), "General question");

        Reply done = agent.post("/engine-rest/task/" + scene.task(number) + "/submit-form",
                form(Variables.TARGET_GROUP.name(), "Info"));

        assertThat(done.status()).as(done.toString()).isEqualTo(204);
        assertThat(scene.tasks(number)).containsExactly(Elements.WORK + "=groupInfo");
        assertThat(last(agent.get("/api/tickets/" + number + "/history").json()).get("detail").asText())
                .isEqualTo("kept in Info");
    }

    /** A group that does not exist, or one where the end-user already has an open ticket: refused, nothing moves. */
    @Test
    void aTriageTheRulesRefuseChangesNothing() {
        String email = TicketScene.email("refused");
        long number = scene.received("Info", email, "Again about my gift");
        long donations = scene.received("Donations", email, "My gift");
        String before = scene.state(number);
        String task = scene.task(number);

        assertProblem(agent.post("/engine-rest/task/" + task + "/submit-form",
                form(Variables.TARGET_GROUP.name(), "Nogroup")), 422, "there is no group Nogroup");
        assertProblem(agent.post("/engine-rest/task/" + task + "/submit-form",
                form(Variables.TARGET_GROUP.name(), "Donations")), 409,
                "already has open ticket " + donations + " in Donations", "merge ticket " + number);
        assertProblem(agent.post("/engine-rest/task/" + task + "/submit-form", Map.of()), 422,
                "targetGroup is required");

        assertThat(scene.state(number)).isEqualTo(before);
        assertThat(scene.tasks(number)).containsExactly(Elements.TRIAGE + "=groupInfo");
    }

    // ------------------------------------------------------------------------------------------ work

    /** The work form in Tasklist writes the status and next action to the row; the group has the ticket again. */
    @Test
    void workInTasklistWritesTheRow() {
        long number = TicketScene.blank(agent, "Volunteers", "Saturday shifts", TicketScene.email("work"));
        String task = scene.task(number);

        Reply done = agent.post("/engine-rest/task/" + task + "/submit-form", Map.of("variables", Map.of(
                Variables.STATUS.name(), Map.of("value", "WAITING_ON_END_USER"),
                Variables.NEXT_ACTION.name(), Map.of("value", "Wait for the rota"))));

        assertThat(done.status()).as(done.toString()).isEqualTo(204);
        JsonNode ticket = agent.get("/api/tickets/" + number).json().get("ticket");
        assertThat(ticket.get("status").asText()).isEqualTo("WAITING_ON_END_USER");
        assertThat(ticket.get("nextAction").asText()).isEqualTo("Wait for the rota");
        assertThat(agent.get("/api/tickets/" + number + "/history").json().findValuesAsText("kind"))
                .containsExactly("CREATED", "STATUS", "NEXT_ACTION");
        assertThat(scene.task(number)).isNotEqualTo(task);
        assertThat(scene.tasks(number)).containsExactly(Elements.WORK + "=groupVolunteers");
        assertThat(runtime.getVariables(scene.instance(number)).keySet())
                .containsExactly(Variables.TICKET_NUMBER.name());
    }

    @Test
    void aStatusTheWorkFormDoesNotOfferIsRefused() {
        long number = TicketScene.blank(agent, "Volunteers", "Bad status", TicketScene.email("badwork"));
        String before = scene.state(number);
        String task = scene.task(number);

        for (String status : List.of("CLOSED", "WAITING_FOR_EVENT", "DONE")) {
            assertProblem(agent.post("/engine-rest/task/" + task + "/submit-form",
                    form(Variables.STATUS.name(), status)), 422, "ticketStatus is NEED_TO_CONTACT");
        }
        assertProblem(agent.post("/engine-rest/task/" + task + "/submit-form", Map.of("variables", Map.of(
                Variables.STATUS.name(), Map.of("value", "COMPLETED"),
                Variables.NEXT_ACTION.name(), Map.of("value", "n".repeat(501))))), 400, "at most 500");

        assertThat(scene.state(number)).isEqualTo(before);
    }

    /** Someone not in the ticket's group: the engine refuses the completion and nothing changes. */
    @Test
    void aUserNotInTheGroupCompletesNoneOfItsTasks() {
        long agency = scene.received("Agency", TicketScene.email("agency"), "Referral");
        long info = scene.received("Info", TicketScene.email("info"), "Triage me");
        AgentApi outsider = CallCentreStaff.create(admin, "ticketstranger", "AGENT", false);
        String agencyBefore = scene.state(agency);
        String infoBefore = scene.state(info);

        Reply work = agent.post("/engine-rest/task/" + scene.task(agency) + "/submit-form",
                form(Variables.STATUS.name(), "COMPLETED"));
        assertThat(work.status()).as(work.toString()).isIn(403, 404);
        Reply triage = outsider.post("/engine-rest/task/" + scene.task(info) + "/submit-form",
                form(Variables.TARGET_GROUP.name(), "Donations"));
        assertThat(triage.status()).as(triage.toString()).isIn(403, 404);
        Reply claimed = outsider.post("/engine-rest/task/" + scene.task(info) + "/claim",
                Map.of("userId", outsider.user()));
        assertThat(claimed.status()).as(claimed.toString()).isIn(403, 404);

        assertThat(scene.state(agency)).isEqualTo(agencyBefore);
        assertThat(scene.state(info)).isEqualTo(infoBefore);
    }

    // ------------------------------------------------------------------------------------------ the system's doors

    /** Only the application tells an instance its ticket changed or closed, and only it starts one. */
    @Test
    void nobodyButTheSystemMessagesOrStartsATicket() {
        long number = TicketScene.blank(agent, "Donations", "Side door", TicketScene.email("door"));
        String before = scene.state(number);
        AgentApi adminOps = CallCentreStaff.create(admin, "ticketops", "ADMIN_OPS", false);
        String businessKey = "99" + number;

        for (AgentApi user : List.of(agent, agentAdmin, adminOps)) {
            for (String message : List.of(Messages.CHANGED, Messages.CLOSED)) {
                Reply byInstance = user.post("/engine-rest/message", Map.of("messageName", message,
                        "processInstanceId", scene.instance(number)));
                assertThat(byInstance.status()).as(user.user() + " " + message + ": " + byInstance).isIn(403, 404);
                Reply byKey = user.post("/engine-rest/message", Map.of("messageName", message,
                        "businessKey", Long.toString(number)));
                assertThat(byKey.status()).as(user.user() + " " + message + ": " + byKey).isIn(403, 404);
            }
            Reply started = user.post("/engine-rest/process-definition/key/" + TicketProcess.PROCESS_KEY + "/start",
                    Map.of("businessKey", businessKey, "variables", Map.of(Variables.TICKET_NUMBER.name(),
                            Map.of("value", number, "type", "Long"))));
            assertThat(started.status()).as(user.user() + " start: " + started).isIn(403, 404);
        }

        assertThat(scene.state(number)).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from ACT_RU_EXECUTION where BUSINESS_KEY_ = ?",
                Integer.class, businessKey)).isZero();
    }

    /**
     * No process variable is written through the door by a user, with a task or without; and the engine's
     * administrator, who may write them, cannot point an instance at another ticket: the model reads its ticket by
     * the business key.
     */
    @Test
    void noVariableSetThroughTheDoorMovesAnInstanceOntoAnotherTicket() {
        long number = TicketScene.blank(agent, "Donations", "Mine", TicketScene.email("tamper"));
        long other = TicketScene.blank(agent, "Donations", "Someone else's", TicketScene.email("tamper"));
        String instance = scene.instance(number);
        String task = scene.task(number);
        String before = scene.state(number);
        String otherBefore = scene.state(other);
        Map<String, Object> otherNumber = Map.of("value", other, "type", "Long");

        assertProblem(agent.post("/engine-rest/task/" + task + "/submit-form", Map.of("variables", Map.of(
                Variables.STATUS.name(), Map.of("value", "COMPLETED"),
                Variables.TICKET_NUMBER.name(), otherNumber))), 403, "not a field of this task's form");
        assertProblem(agent.send("PUT", "/engine-rest/process-instance/" + instance + "/variables/"
                + Variables.TICKET_NUMBER.name(), otherNumber), 403);
        assertProblem(agent.send("PUT", "/engine-rest/task/" + task + "/variables/"
                + Variables.TICKET_NUMBER.name(), otherNumber), 403);
        assertProblem(agentAdmin.send("PUT", "/engine-rest/process-instance/" + instance + "/variables/"
                + Variables.TICKET_NUMBER.name(), otherNumber), 403);
        assertThat(scene.state(number)).isEqualTo(before);

        Reply set = admin.send("PUT", "/engine-rest/process-instance/" + instance + "/variables/"
                + Variables.TICKET_NUMBER.name(), otherNumber);
        assertThat(set.status()).as(set.toString()).isEqualTo(204);
        // The ticket changes and its task is made again from the row: its own, whatever the variable says.
        assertThat(agent.send("PATCH", "/api/tickets/" + number, Map.of("title", "Still mine")).status())
                .isEqualTo(200);
        JsonNode again = agent.get("/engine-rest/task/" + scene.task(number)).json();
        assertThat(again.get("name").asText()).isEqualTo("Work the ticket: ticket " + number + ", Still mine");
        Reply done = agent.post("/engine-rest/task/" + scene.task(number) + "/submit-form",
                form(Variables.STATUS.name(), "COMPLETED"));
        assertThat(done.status()).as(done.toString()).isEqualTo(204);

        assertThat(scene.status(number)).isEqualTo("COMPLETED");
        assertThat(scene.state(other)).as("the other ticket is untouched").isEqualTo(otherBefore);
    }

    /**
     * The ticket pages and Tasklist at the same moment, a few times over: the completion and the change run one after
     * the other under the ticket's row lock, so the change always holds and the form either went first or finds its
     * task gone; never an engine error.
     */
    @Test
    void theTicketPagesAndTasklistAtOnceNeverCollide() throws Exception {
        for (int round = 0; round < 5; round++) {
            long number = TicketScene.blank(agent, "Volunteers", "Race " + round, TicketScene.email("race"));
            String task = scene.task(number);
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Reply> pages = atOnce(start, () -> agent.send("PATCH", "/api/tickets/" + number,
                    Map.of("status", "WAITING_ON_END_USER", "nextAction", "pages")));
            CompletableFuture<Reply> tasklist = atOnce(start, () -> agent.post("/engine-rest/task/" + task
                    + "/submit-form", form(Variables.STATUS.name(), "COMPLETED")));
            start.countDown();
            Reply byPages = pages.get(30, TimeUnit.SECONDS);
            Reply byTasklist = tasklist.get(30, TimeUnit.SECONDS);

            assertThat(byPages.status()).as("round %d: %s / %s", round, byPages, byTasklist).isEqualTo(200);
            assertThat(byTasklist.status()).as("round %d: %s", round, byTasklist).isIn(204, 404, 409);
            assertThat(scene.status(number)).isEqualTo("WAITING_ON_END_USER");
            assertThat(scene.tasks(number)).containsExactly(Elements.WORK + "=groupVolunteers");
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The ids of the ticket tasks the engine shows the user (what any Tasklist filter of theirs may list). */
    private static List<String> ticketTasks(AgentApi user) {
        Reply listed = user.get("/engine-rest/task?processDefinitionKey=" + TicketProcess.PROCESS_KEY
                + "&maxResults=5000");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        listed.json().forEach(task -> ids.add(task.get("id").asText()));
        return ids;
    }

    private static Map<String, Object> form(String field, String value) {
        return Map.of("variables", Map.of(field, Map.of("value", value)));
    }

    private static JsonNode last(JsonNode list) {
        return list.get(list.size() - 1);
    }

    private static CompletableFuture<Reply> atOnce(CountDownLatch start, Supplier<Reply> request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return request.get();
        });
    }
}
