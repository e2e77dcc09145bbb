package org.callcentre.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.app.support.Users;
import org.callcentre.emulator.twilio.TwilioSignature;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The engine's REST API and webapps need a login; the compensating controls for 7.24 CE's open CVEs hold. */
@Order(4)
class SecurityEndToEndTest extends EndToEndTest {

    @Autowired
    IdentityService identity;

    @Test
    void theHealthCheckNeedsNoLoginAndNoSignature() {
        AgentApi.Reply health = anonymous.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.contentType()).startsWith("text/plain");
        assertThat(health.body()).isEqualTo("OK");
        assertThat(anonymous.post("/health", Map.of()).status()).as("only GET").isNotEqualTo(200);
        String twilioHealth = BASE + "/twilio/health";
        Map<String, String> form = Map.of("CallSid", "CA" + "0".repeat(32));
        // Signed, it reaches no handler: the webhook fallback answers its goodbye, not a health answer.
        AgentApi.Reply signed = TwilioWebhook.post(twilioHealth, form,
                TwilioSignature.compute(twilio.authToken(), twilioHealth, form), false);
        assertThat(signed.body()).as(signed.toString()).contains("<Hangup").doesNotContain("OK");
    }

    @Test
    void engineRestRequiresLogin() {
        assertThat(anonymous.get("/engine-rest/process-definition").status()).isEqualTo(401);
        Users.ensure(identity, "restuser", null);
        assertThat(agent.as("restuser", "restuser").get("/engine-rest/process-definition").status())
                .as("a password equal to the user id (the starter's default) is not it").isEqualTo(401);
        assertThat(admin.get("/engine-rest/process-definition").status()).isEqualTo(200);
    }

    @Test
    void authorizationChecksApplyToEngineRest() {
        // An agent sees no other people's work: authorization is on.
        AgentApi.Reply users = agent.get("/engine-rest/user");
        assertThat(users.status()).isEqualTo(200);
        assertThat(users.json()).allSatisfy(user -> assertThat(user.get("id").asText()).isEqualTo("agent"));
        AgentApi.Reply createUser = agent.post("/engine-rest/user/create",
                Map.of("profile", Map.of("id", "mallory"), "credentials", Map.of("password", "x")));
        assertThat(createUser.status()).isEqualTo(403);
        assertThat(identity.createUserQuery().userId("mallory").count()).isZero();
    }

    @Test
    void theAdminSetupEndpointIsClosed() {
        // CVE-2026-77226: the Admin webapp's first-run setup could create an administrator.
        AgentApi.Reply setup = anonymous.post("/camunda/api/admin/setup/default/user/create",
                Map.of("profile", Map.of("id", "intruder", "firstName", "I", "lastName", "N"),
                        "credentials", Map.of("password", "intruder")));
        assertThat(setup.status()).isEqualTo(403);
        assertThat(identity.createUserQuery().userId("intruder").count()).isZero();
    }

    @Test
    void expressionsInTaskQueriesAreRefused() {
        // CVE-2026-109432: expressions reaching task queries through orQueries.
        // Unguarded, 7.24 CE evaluates this one (the engine answers 500 "argument type mismatch").
        String orQuery = "{\"orQueries\":[{\"assigneeExpression\":\"${'x'.getClass()}\"}]}";
        for (String path : new String[] {"/engine-rest/task", "/engine-rest/task/count",
                "/camunda/api/engine/engine/default/task"}) {
            AgentApi.Reply reply = admin.post(path, orQuery);
            assertThat(reply.status()).as(path + ": " + reply).isEqualTo(400);
            assertThat(reply.body()).contains("expressions are not allowed in task queries");
        }
        AgentApi.Reply inQueryString = admin.get("/engine-rest/task?assigneeExpression=%24%7BcurrentUser()%7D");
        assertThat(inQueryString.status()).as(inQueryString.toString()).isEqualTo(400);
        AgentApi.Reply plain = admin.post("/engine-rest/task", "{\"assigneeExpression\":\"${currentUser()}\"}");
        assertThat(plain.status()).as(plain.toString()).isEqualTo(400);
        // Ordinary task queries still work.
        assertThat(admin.post("/engine-rest/task", "{\"orQueries\":[{\"assignee\":\"agent\"}]}").status())
                .isEqualTo(200);
    }

    @Test
    void webappsAskForALogin() {
        AgentApi.Reply cockpitApi = anonymous.get("/camunda/api/cockpit/plugin/base/default/process-definition/statistics");
        assertThat(cockpitApi.status()).isIn(401, 403);
        AgentApi.Reply tasklist = anonymous.get("/camunda/app/tasklist/default/");
        assertThat(tasklist.status()).isEqualTo(200);
        assertThat(tasklist.body()).containsIgnoringCase("tasklist");
    }
}
