package org.callcentre.app.pledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.Users;
import org.callcentre.app.web.ApiProblems;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ControllerAdvice;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

/** The agent's API refuses bad input with a clear problem detail and changes nothing. */
@Order(3)
class PledgeApiEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    IdentityService identity;
    @Autowired
    ApplicationContext context;

    @Test
    void campaignsNeedValidSettingsAndAnAdminOperationsUser() {
        Map<String, Object> campaign = new HashMap<>(Map.of("name", "Winter Appeal " + System.nanoTime(),
                "currency", "GBP", "locale", "en-GB", "instantPayment", true, "tokensEnabled", true, "paymentFirst", true));
        int before = count("campaign");

        AgentApi.Reply byAgent = agent.post("/api/campaigns", campaign);
        assertThat(byAgent.status()).isEqualTo(403);
        assertProblem(byAgent, 403);

        campaign.put("currency", "XYZ");
        assertRefusal(admin.post("/api/campaigns", campaign), 400, "Bad Request", "XYZ is not an ISO 4217 currency");
        campaign.put("currency", "gbp");
        assertProblem(admin.post("/api/campaigns", campaign), 400, "currency must be an ISO 4217 code");
        campaign.put("currency", "GBP");
        campaign.remove("paymentFirst");
        assertProblem(admin.post("/api/campaigns", campaign), 400, "paymentFirst must not be null");
        assertThat(count("campaign")).isEqualTo(before);

        campaign.put("paymentFirst", false);
        AgentApi.Reply created = admin.post("/api/campaigns", campaign);
        assertThat(created.status()).isEqualTo(201);
        assertRefusal(admin.post("/api/campaigns", campaign), 409, "Conflict", "already exists");
    }

    @Test
    void pledgesRefuseMalformedAmountsAndUnknownCampaigns() {
        long campaign = CardCaptureScenario.campaign(admin, true, false, false);
        int before = count("pledge");
        Map<String, Object> pledge = new HashMap<>(Map.of("campaignId", campaign, "donorName", "Ann Example",
                "donorPhone", "+447700900123", "amount", "12.345", "currency", "GBP", "frequency", "MONTHLY"));

        assertProblem(agent.post("/api/pledges", pledge), 400, "12.345 is not a valid GBP amount");
        pledge.put("amount", "-5");
        assertProblem(agent.post("/api/pledges", pledge), 400, "amount must be greater than 0");
        pledge.put("amount", "ten pounds");
        assertProblem(agent.post("/api/pledges", pledge), 400, "not the JSON this endpoint takes");
        pledge.put("amount", "10");
        pledge.put("frequency", "HOURLY");
        assertProblem(agent.post("/api/pledges", pledge), 400, "not the JSON this endpoint takes");
        pledge.put("frequency", "MONTHLY");
        pledge.put("currency", "EUR");
        assertProblem(agent.post("/api/pledges", pledge), 400, "takes GBP, not EUR");
        pledge.put("currency", "GBP");
        pledge.put("donorPhone", "07700 900123");
        assertProblem(agent.post("/api/pledges", pledge), 400, "donorPhone must be a phone number in E.164 form");
        pledge.put("donorPhone", "+447700900123");
        pledge.put("campaignId", 999_999_999);
        assertProblem(agent.post("/api/pledges", pledge), 400, "no campaign 999999999");
        assertProblem(agent.post("/api/pledges", "{not json"), 400, "not the JSON");
        assertThat(count("pledge")).isEqualTo(before);

        assertRefusal(agent.get("/api/pledges/999999999"), 404, "Not Found", "no pledge 999999999");
        assertProblem(agent.get("/api/pledges/abc"), 400);
    }

    @Test
    void anAmountWithAHugeExponentIsRefusedAtOnceAndCreatesNothing() {
        long campaign = CardCaptureScenario.campaign(admin, true, false, false);
        int before = count("pledge");
        for (String amount : new String[] {"1e100000000", "1e-100000000", "25e0", "1234567890123", "\"1E+100000000\"",
                "0.00001"}) {
            ObjectNode pledge = JsonNodeFactory.instance.objectNode().put("campaignId", campaign)
                    .put("donorName", "Ann Example").put("donorPhone", "+447700900123").put("currency", "GBP")
                    .put("frequency", "ONE_OFF");
            pledge.putRawValue("amount", new RawValue(amount));

            long started = System.nanoTime();
            AgentApi.Reply reply = agent.post("/api/pledges", pledge);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertProblem(reply, 400, "amount must be a plain decimal number", "no exponent");
            assertThat(reply.body().length()).as(amount).isLessThan(1_000);
            assertThat(took).as(amount).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(count("pledge")).isEqualTo(before);
    }

    @Test
    void cardCaptureRefusesWhatCannotBeDone() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        int captures = count("card_capture");

        assertProblem(call.agent.post("/api/pledges/" + call.pledgeId + "/card-capture",
                Map.of("conferenceName", "x")), 400, "callSid must not be blank");
        assertProblem(call.agent.post("/api/pledges/" + call.pledgeId + "/card-capture",
                Map.of("callSid", "not-a-call", "conferenceName", "x")), 400, "callSid must be the donor's Twilio call");
        assertProblem(call.agent.post("/api/pledges/999999999/card-capture",
                Map.of("callSid", call.donor.sid(), "conferenceName", call.conference)), 404, "no pledge 999999999");
        assertProblem(call.agent.delete("/api/pledges/" + call.pledgeId + "/card-capture"), 409,
                "no card capture is running");
        assertThat(count("card_capture")).isEqualTo(captures);

        call.start();
        assertProblem(call.startCapture(), 409, "already running");
        assertThat(count("card_capture")).isEqualTo(captures + 1);
        call.prompt();
        call.donor.press("#");
        call.awaitBackWithAgent();
    }

    /** Refusals are mapped to problem details in one place; no controller or other advice has a mapping of its own. */
    @Test
    void apiProblemsIsTheOneMappingOfRefusals() {
        assertThat(context.getBeansWithAnnotation(ControllerAdvice.class).values())
                .filteredOn(advice -> advice.getClass().getName().startsWith("org.callcentre."))
                .map(advice -> AopUtils.getTargetClass(advice).getName())
                .containsExactly(ApiProblems.class.getName());
    }

    @Test
    void theApiRequiresAnEngineUserInACallCentreRole() {
        // Own users: a wrong password makes the engine delay that user's next logins.
        Users.ensure(identity, "wrongpassword", null);
        Users.ensure(identity, "outsider", null);
        assertProblem(anonymous.get("/api/pledges/1"), 401);
        assertProblem(agent.as("wrongpassword", "wrong").get("/api/pledges/1"), 401);
        assertProblem(agent.as("nobody", "demo").get("/api/pledges/1"), 401);
        assertProblem(agent.as("outsider", PASSWORD).get("/api/pledges/1"), 403, "your role does not allow this");
    }

    /** An RFC 9457 problem detail: its media type, the status in the body too, a title and a detail. */
    private void assertProblem(AgentApi.Reply reply, int status, String... detailFragments) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).as(reply.toString()).contains("application/problem+json");
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.json().path("title").asText()).as(reply.toString()).isNotBlank();
        assertThat(reply.json().path("detail").asText()).as(reply.toString()).isNotBlank();
        for (String fragment : detailFragments) {
            assertThat(reply.json().get("detail").asText()).contains(fragment);
        }
    }

    /** A refusal from the one mapping (ApiProblems), whose title is the status's own. */
    private void assertRefusal(AgentApi.Reply reply, int status, String title, String detailFragment) {
        assertProblem(reply, status, detailFragment);
        assertThat(reply.json().get("title").asText()).as(reply.toString()).isEqualTo(title);
    }

    private int count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Integer.class);
    }
}
