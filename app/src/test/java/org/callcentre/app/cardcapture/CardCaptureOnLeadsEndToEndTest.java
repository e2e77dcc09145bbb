package org.callcentre.app.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.processes.cardcapture.CardCaptureProcess;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Card capture starts on the donor's leg of a dialler call of the pledge's lead, by the agent who holds the lead or
 * by an Admin Operations user. Every refusal answers a problem detail and starts nothing: no capture row, no process
 * instance.
 */
@Order(3)
class CardCaptureOnLeadsEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    RuntimeService runtime;

    @Test
    void aPledgeTakenOnNoLeadIsRefused() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        AgentApi.Reply pledge = call.agent.post("/api/pledges", Map.of("campaignId", call.campaignId,
                "donorName", "No Lead", "donorPhone", call.donor.to(), "amount", "20", "currency", "GBP",
                "frequency", "ONE_OFF"));
        assertThat(pledge.status()).as(pledge.toString()).isEqualTo(201);
        long withoutLead = pledge.json().get("id").asLong();

        AgentApi.Reply refused = call.agent.post("/api/pledges/" + withoutLead + "/card-capture",
                Map.of("callSid", call.donor.sid()));

        assertRefused(refused, 409, "was not taken on a call");
        assertNothingStarted(withoutLead);
        assertThat(call.donor.conference()).isEqualTo(call.conference);
    }

    @Test
    void aCallOfAnotherLeadIsRefused() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        var other = CardCaptureScenario.pledgeIn(call.campaignId, admin, twilio, "30", "ONE_OFF");

        AgentApi.Reply refused = call.agent.post("/api/pledges/" + call.pledgeId + "/card-capture",
                Map.of("callSid", other.donor.sid()));

        assertRefused(refused, 409, "is not a call of lead " + call.leadId);
        assertNothingStarted(call.pledgeId);
        assertNothingStarted(other.pledgeId);
        assertThat(other.donor.conference()).isEqualTo(other.conference);
    }

    @Test
    void anEndedCallIsRefused() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.hangUp();

        assertRefused(call.startCapture(), 409, "has ended");
        assertNothingStarted(call.pledgeId);
    }

    @Test
    void anAgentWhoDoesNotHoldTheLeadIsForbidden() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        AgentApi stranger = CallCentreStaff.create(admin, "stranger", "AGENT", false);

        AgentApi.Reply refused = stranger.post("/api/pledges/" + call.pledgeId + "/card-capture",
                Map.of("callSid", call.donor.sid()));

        assertRefused(refused, 403, "only the agent who holds lead " + call.leadId);
        assertNothingStarted(call.pledgeId);
        assertThat(call.donor.conference()).isEqualTo(call.conference);
    }

    @Test
    void aWrongConferenceIsRefusedAndTheCallsOwnIsTaken() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");

        AgentApi.Reply refused = call.agent.post("/api/pledges/" + call.pledgeId + "/card-capture",
                Map.of("callSid", call.donor.sid(), "conferenceName", "agent-someone-else"));

        assertRefused(refused, 409, "is in conference " + call.conference + ", not agent-someone-else");
        assertNothingStarted(call.pledgeId);

        AgentApi.Reply started = call.agent.post("/api/pledges/" + call.pledgeId + "/card-capture",
                Map.of("callSid", call.donor.sid(), "conferenceName", call.conference));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        call.answer("card number", "##");
        call.awaitBackWithAgent();
        assertThat(call.captureStatus()).isEqualTo("RETURNED_TO_AGENT");
    }

    @Test
    void anAdminOperationsUserStartsItWithoutTheLock() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        AgentApi operations = CallCentreStaff.create(admin, "operations", "ADMIN_OPS", false);
        assertThat(jdbc.queryForObject("select locked_by from lead where id = ?", String.class, call.leadId))
                .isEqualTo(call.agent.user());

        AgentApi.Reply started = operations.post("/api/pledges/" + call.pledgeId + "/card-capture",
                Map.of("callSid", call.donor.sid()));

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(jdbc.queryForObject("select conference_name from card_capture where pledge_id = ?", String.class,
                call.pledgeId)).as("the conference comes from the call").isEqualTo(call.conference);
        call.answer("card number", "##");
        call.awaitBackWithAgent();
        assertThat(call.captureStatus()).isEqualTo("RETURNED_TO_AGENT");
    }

    private static void assertRefused(AgentApi.Reply reply, int status, String detail) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).contains("application/problem+json");
        assertThat(reply.json().get("detail").asText()).contains(detail);
    }

    private void assertNothingStarted(long pledgeId) {
        assertThat(jdbc.queryForObject("select count(*) from card_capture where pledge_id = ?", Integer.class,
                pledgeId)).as("capture rows of pledge " + pledgeId).isZero();
        assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(CardCaptureProcess.PROCESS_KEY)
                .variableValueEquals(CardCaptureProcess.Variables.PLEDGE_ID.name(), pledgeId).count())
                .as("capture instances of pledge " + pledgeId).isZero();
    }
}
