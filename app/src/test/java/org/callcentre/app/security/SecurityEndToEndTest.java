package org.callcentre.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.EndToEndTest;
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
    void engineRestRequiresLogin() {
        assertThat(anonymous.get("/engine-rest/process-definition").status()).isEqualTo(401);
        assertThat(agent.as("admin", "admin").get("/engine-rest/process-definition").status())
                .as("the starter's default password (the user id) does not work").isEqualTo(401);
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
        String query = "{\"orQueries\":[{\"assigneeExpression\":\"${'x'.getClass()}\"}]}";
        AgentApi.Reply reply = admin.post("/engine-rest/task", query);
        assertThat(reply.status()).as(reply.toString()).isBetween(400, 499);
        assertThat(reply.body()).containsIgnoringCase("expression");
        AgentApi.Reply plain = admin.post("/engine-rest/task", "{\"assigneeExpression\":\"${currentUser()}\"}");
        assertThat(plain.status()).as(plain.toString()).isBetween(400, 499);
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
