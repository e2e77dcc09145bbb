package org.callcentre.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.emulator.gateway.SimulatedCharge;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Elements;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Messages;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The attack on what is charged: during card entry the agent rewrites the variables the payment steps run on
 * (pledge, decline count, payment path) through every door their "Card capture in progress" task opens. Every
 * attempt is refused, the variables stay as they were, and the donor is charged their own pledge.
 */
@Order(4)
class VariableTamperingEndToEndTest extends EndToEndTest {

    @Autowired
    TaskService tasks;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theAgentCannotRewriteWhatIsChargedDuringCardEntry() {
        long campaign = CardCaptureScenario.campaign(admin, true, false, false);
        CardCaptureScenario expensive = CardCaptureScenario.pledgeIn(campaign, admin, twilio, "9999", "ONE_OFF");
        CardCaptureScenario call = CardCaptureScenario.pledgeIn(campaign, admin, twilio, "50", "ONE_OFF");
        call.start();
        assertThat(call.prompt().prompt()).containsIgnoringCase("card number");
        String instance = instanceOf(call);
        Task inProgress = await().atMost(WAIT).until(() -> tasks.createTaskQuery().processInstanceId(instance)
                .taskDefinitionKey(Elements.CAPTURE_IN_PROGRESS).singleResult(), task -> task != null);
        assertThat(inProgress.getAssignee()).isEqualTo(call.agent.user());
        String task = "/engine-rest/task/" + inProgress.getId();
        Map<String, Object> before = variables(instance);
        assertThat(before).containsKeys(Variables.PLEDGE_ID.name(), Variables.PAYMENT_PATH.name());

        Map<String, Object> otherPledge = Map.of("value", expensive.pledgeId, "type", "Long");
        Map<String, Object> noDeclines = Map.of("value", 7, "type", "Integer");
        Map<String, Object> tokeniseOnly = Map.of("value", "TOKENISE_ONLY", "type", "String");
        Map<String, Object> tampered = Map.of(Variables.PLEDGE_ID.name(), otherPledge,
                Variables.DECLINES.name(), noDeclines, Variables.PAYMENT_PATH.name(), tokeniseOnly);
        WebappSession tasklist = WebappSession.logIn(BASE, call.agent.user(), call.agentPassword);
        String webappTask = "/camunda/api/engine/engine/default/task/" + inProgress.getId();

        record Attempt(String door, AgentApi.Reply reply) {
        }
        List<Attempt> attempts = List.of(
                new Attempt("PUT pledgeId", call.agent.send("PUT", task + "/variables/pledgeId", otherPledge)),
                new Attempt("PUT declines", call.agent.send("PUT", task + "/variables/declines", noDeclines)),
                new Attempt("PUT paymentPath", call.agent.send("PUT", task + "/variables/paymentPath", tokeniseOnly)),
                new Attempt("PUT local pledgeId", call.agent.send("PUT", task + "/localVariables/pledgeId",
                        otherPledge)),
                new Attempt("POST modifications", call.agent.post(task + "/variables",
                        Map.of("modifications", tampered))),
                new Attempt("complete", call.agent.post(task + "/complete", Map.of("variables", tampered))),
                new Attempt("submit-form", call.agent.post(task + "/submit-form", Map.of("variables", tampered))),
                new Attempt("resolve", call.agent.post(task + "/resolve", Map.of("variables", tampered))),
                new Attempt("bpmnError", call.agent.post(task + "/bpmnError",
                        Map.of("errorCode", "DONOR_ESCAPED", "variables", tampered))),
                new Attempt("message", call.agent.post("/engine-rest/message", Map.of("messageName",
                        Messages.CARD_NUMBER_ENTERED, "processInstanceId", instance, "processVariables", tampered))),
                new Attempt("process instance", call.agent.send("PUT", "/engine-rest/process-instance/" + instance
                        + "/variables/pledgeId", otherPledge)),
                new Attempt("webapp PUT pledgeId", tasklist.send("PUT", webappTask + "/variables/pledgeId",
                        "{\"value\":" + expensive.pledgeId + ",\"type\":\"Long\"}")),
                new Attempt("webapp submit-form", tasklist.send("POST", webappTask + "/submit-form",
                        "{\"variables\":{\"pledgeId\":{\"value\":" + expensive.pledgeId + ",\"type\":\"Long\"}}}")));
        for (Attempt attempt : attempts) {
            assertThat(attempt.reply().status()).as(attempt.door() + ": " + attempt.reply()).isEqualTo(403);
            assertThat(attempt.reply().contentType()).as(attempt.door()).contains("json");
        }
        assertThat(variables(instance)).as("read as admin").isEqualTo(before);
        assertThat(tasks.createTaskQuery().taskId(inProgress.getId()).count()).as("the task is still open").isOne();

        // The form still loads in Tasklist, with only what it shows: the capture in words, the task's own.
        AgentApi.Reply form = tasklist.send("GET", webappTask + "/form-variables", null);
        assertThat(form.status()).as(form.toString()).isEqualTo(200);
        assertThat(fieldNames(form.json())).containsExactly(Variables.CAPTURE_DESCRIPTION.name());
        assertThat(form.json().get(Variables.CAPTURE_DESCRIPTION.name()).get("value").asText())
                .isEqualTo("The donor is entering their card details");

        call.enterCard("4242424242424242", "1230", "737");
        call.awaitBackWithAgent();
        await().atMost(WAIT).untilAsserted(() -> assertThat(call.captureStatus()).isEqualTo("SUCCEEDED"));
        List<SimulatedCharge> charged = chargesFor(call.pledgeId);
        assertThat(charged).singleElement().satisfies(charge -> assertThat(charge.amount()).isEqualTo(5000));
        assertThat(chargesFor(expensive.pledgeId)).isEmpty();
        assertThat(expensive.pledge().get("payments")).isEmpty();
    }

    private Map<String, Object> variables(String instance) {
        AgentApi.Reply reply = admin.get("/engine-rest/process-instance/" + instance + "/variables");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        Map<String, Object> values = new HashMap<>();
        reply.json().fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().get("value")));
        return values;
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private List<SimulatedCharge> chargesFor(long pledgeId) {
        return gateway.charges().stream()
                .filter(charge -> String.valueOf(pledgeId).equals(charge.metadata().get("pledge_id")))
                .toList();
    }

    private String instanceOf(CardCaptureScenario call) {
        return await().atMost(WAIT).until(() -> jdbc.queryForList("select process_instance_id from card_capture "
                + "where pledge_id = ? order by started_at desc", String.class, call.pledgeId).stream().findFirst()
                .orElse(null), id -> id != null);
    }
}
