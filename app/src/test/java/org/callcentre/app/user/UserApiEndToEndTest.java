package org.callcentre.app.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.processes.Groups;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/** Users over HTTP: who may create and edit whom, what is refused, and that a refusal changes nothing. */
class UserApiEndToEndTest extends EndToEndTest {

    @Autowired
    IdentityService identity;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAdminCreatesAnAgentWhoLogsInAndIsListedWithoutAPassword() {
        Map<String, Object> body = CallCentreStaff.newUser("ann", "AGENT", false);
        String id = (String) body.get("id");

        AgentApi.Reply created = admin.post("/api/users", body);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("id").asText()).isEqualTo(id);
        assertThat(groupsOf(id)).containsExactly(Groups.AGENTS);
        AgentApi ann = admin.as(id, (String) body.get("password"));
        assertThat(ann.get("/api/leads/1").status()).isNotIn(401, 403);
        JsonNode listed = listed(agentAdmin, id);
        assertThat(listed.get("role").asText()).isEqualTo("AGENT");
        assertThat(listed.get("device").asText()).isEqualTo("client:" + id);
        assertThat(listed.get("email").asText()).isEqualTo(id + "@example.org");
        assertThat(listed.get("restricted").asBoolean()).isFalse();
        assertThat(listed.has("teamId")).isTrue();
        assertThat(listed.has("password")).isFalse();
        assertThat(admin.get("/api/users").body()).doesNotContain((String) body.get("password"));
    }

    @Test
    void editingMovesTheRoleAndKeepsThePasswordUnlessGiven() {
        Map<String, Object> body = CallCentreStaff.newUser("bob", "AGENT", false);
        String id = (String) body.get("id");
        assertThat(admin.post("/api/users", body).status()).isEqualTo(201);
        Map<String, Object> edit = new HashMap<>(body);
        edit.remove("id");
        edit.remove("password");
        edit.put("role", "AGENT_ADMIN");
        edit.put("lastName", "Promoted");
        edit.put("device", "+447911123456");

        AgentApi.Reply edited = admin.put("/api/users/" + id, edit);

        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.json().get("role").asText()).isEqualTo("AGENT_ADMIN");
        assertThat(edited.json().get("lastName").asText()).isEqualTo("Promoted");
        assertThat(edited.json().get("device").asText()).isEqualTo("+447911123456");
        assertThat(groupsOf(id)).containsExactly(Groups.AGENT_ADMINS);
        assertThat(identity.checkPassword(id, (String) body.get("password"))).isTrue();

        edit.put("password", "a brand new password");
        assertThat(admin.put("/api/users/" + id, edit).status()).isEqualTo(200);
        assertThat(identity.checkPassword(id, "a brand new password")).isTrue();
    }

    @Test
    void aRestrictedAdminCreatesAndEditsAgentsOnly() {
        AgentApi restricted = CallCentreStaff.create(admin, "opsrestricted", "ADMIN_OPS", true);
        AgentApi otherAdmin = CallCentreStaff.create(admin, "opsother", "AGENT_ADMIN", false);

        assertThat(restricted.post("/api/users", CallCentreStaff.newUser("cat", "AGENT", false)).status())
                .isEqualTo(201);
        for (String role : List.of("AGENT_ADMIN", "ADMIN_OPS")) {
            Map<String, Object> body = CallCentreStaff.newUser("denied", role, false);
            assertRefusedAndNothingChanged(() -> restricted.post("/api/users", body), 403, "creates agents only");
            assertThat(identity.createUserQuery().userId((String) body.get("id")).count()).isZero();
        }

        // Making an agent anything else, or editing an agent admin, is for unrestricted admins.
        Map<String, Object> agentBody = CallCentreStaff.newUser("dan", "AGENT", false);
        String agentId = (String) agentBody.get("id");
        assertThat(restricted.post("/api/users", agentBody).status()).isEqualTo(201);
        Map<String, Object> promote = edit(agentBody, "role", "AGENT_ADMIN");
        assertRefusedAndNothingChanged(() -> restricted.put("/api/users/" + agentId, promote), 403, "agents only");
        assertThat(groupsOf(agentId)).containsExactly(Groups.AGENTS);
        Map<String, Object> renameAdmin = Map.of("firstName", "X", "lastName", "Y", "email", "x@example.org",
                "role", "AGENT_ADMIN", "device", "client:x");
        assertRefusedAndNothingChanged(() -> restricted.put("/api/users/" + otherAdmin.user(), renameAdmin), 403,
                "agents only");
        // And a restricted admin cannot lift their own restriction.
        Map<String, Object> lift = Map.of("firstName", "X", "lastName", "Y", "email", "x@example.org",
                "role", "ADMIN_OPS", "restricted", false, "device", "client:x");
        assertRefusedAndNothingChanged(() -> restricted.put("/api/users/" + restricted.user(), lift), 403, "");

        assertThat(restricted.put("/api/users/" + agentId, edit(agentBody, "lastName", "Renamed")).status())
                .isEqualTo(200);
    }

    @Test
    void onlyAdminOperationsWriteUsersAndAgentsDoNotReadThem() {
        Map<String, Object> body = CallCentreStaff.newUser("eve", "AGENT", false);
        for (AgentApi caller : List.of(agent, agentAdmin)) {
            assertRefusedAndNothingChanged(() -> caller.post("/api/users", body), 403, "your role does not allow this");
            assertRefusedAndNothingChanged(() -> caller.put("/api/users/agent", edit(body, "role", "ADMIN_OPS")),
                    403, "your role does not allow this");
        }
        assertProblem(agent.get("/api/users"), 403, "your role does not allow this");
        assertRefusedAndNothingChanged(() -> anonymous.post("/api/users", body), 401, "log in");
        assertThat(identity.createUserQuery().userId((String) body.get("id")).count()).isZero();
        // Still only an agent: of the role groups, the agent is in its own (its team's group aside).
        assertThat(groupsOf("agent")).filteredOn(List.of(Groups.AGENTS, Groups.AGENT_ADMINS, Groups.ADMIN_OPS,
                Groups.CAMUNDA_ADMIN)::contains).containsExactly(Groups.AGENTS);
    }

    @Test
    void anUnrestrictedAdminOperationsUserCreatesAdmins() {
        AgentApi ops = CallCentreStaff.create(admin, "ops", "ADMIN_OPS", false);

        AgentApi created = CallCentreStaff.create(ops, "opsmade", "AGENT_ADMIN", false);
        AgentApi createdOps = CallCentreStaff.create(ops, "opsmade", "ADMIN_OPS", true);

        assertThat(groupsOf(created.user())).containsExactly(Groups.AGENT_ADMINS);
        assertThat(groupsOf(createdOps.user())).containsExactly(Groups.ADMIN_OPS);
        assertThat(listed(ops, createdOps.user()).get("restricted").asBoolean()).isTrue();
    }

    @Test
    void anAgentAdminPromotedByAnAdminCannotThenRaiseThemselves() {
        // An agent admin cannot reach the write endpoints at all, so cannot raise themselves either.
        Map<String, Object> self = Map.of("firstName", "Sam", "lastName", "Supervisor", "email", "s@example.org",
                "role", "ADMIN_OPS", "device", "client:agentadmin");
        assertRefusedAndNothingChanged(() -> agentAdmin.put("/api/users/agentadmin", self), 403, "");
        assertThat(groupsOf("agentadmin")).containsExactly(Groups.AGENT_ADMINS);
    }

    @Test
    void badInputIsRefusedAndCreatesNothing() {
        assertInvalid("id", "Not Valid!", "id must be");
        assertInvalid("password", "short", "password size must be between 8");
        assertInvalid("email", "nobody", "email must be an email address");
        assertInvalid("device", "07700 900123", "device must be an E.164 number");
        assertInvalid("device", "client:", "device must be");
        assertInvalid("role", "SUPERVISOR", "not the JSON this endpoint takes");
        assertInvalid("firstName", "", "firstName must not be blank");
        Map<String, Object> noRole = CallCentreStaff.newUser("bad", "AGENT", false);
        noRole.remove("role");
        assertRefusedAndNothingChanged(() -> admin.post("/api/users", noRole), 400, "role must not be null");
    }

    @Test
    void aTakenIdIsAConflict() {
        Map<String, Object> body = CallCentreStaff.newUser("fay", "AGENT", false);
        assertThat(admin.post("/api/users", body).status()).isEqualTo(201);
        Map<String, Object> again = new HashMap<>(body);
        again.put("role", "ADMIN_OPS");
        again.put("password", "another password");

        assertRefusedAndNothingChanged(() -> admin.post("/api/users", again), 409, "already exists");
        // The demo's engine-only admin counts too.
        Map<String, Object> adminAgain = new HashMap<>(body);
        adminAgain.put("id", "admin");
        assertRefusedAndNothingChanged(() -> admin.post("/api/users", adminAgain), 409, "already exists");

        assertThat(groupsOf((String) body.get("id"))).containsExactly(Groups.AGENTS);
        assertThat(identity.checkPassword((String) body.get("id"), (String) body.get("password"))).isTrue();
    }

    @Test
    void editingAnUnknownUserIsNotFound() {
        Map<String, Object> edit = Map.of("firstName", "X", "lastName", "Y", "email", "x@example.org",
                "role", "AGENT", "device", "client:x");
        assertRefusedAndNothingChanged(() -> admin.put("/api/users/nobodyhere", edit), 404, "no call-centre user");
    }

    private void assertInvalid(String field, Object value, String detail) {
        Map<String, Object> body = CallCentreStaff.newUser("bad", "AGENT", false);
        body.put(field, value);
        assertRefusedAndNothingChanged(() -> admin.post("/api/users", body), 400, detail);
    }

    /** The call is refused with a problem detail, and the engine's users and the profiles are as they were. */
    private void assertRefusedAndNothingChanged(java.util.function.Supplier<AgentApi.Reply> call, int status,
            String detail) {
        String before = usersAsStored();
        assertProblem(call.get(), status, detail);
        assertThat(usersAsStored()).isEqualTo(before);
    }

    private String usersAsStored() {
        return jdbc.queryForList("select u.ID_, u.FIRST_, u.LAST_, u.EMAIL_, u.PWD_, m.GROUP_ID_, p.role, p.restricted, "
                + "p.device from ACT_ID_USER u left join ACT_ID_MEMBERSHIP m on m.USER_ID_ = u.ID_ "
                + "left join call_centre_user p on p.user_id = u.ID_ order by u.ID_, m.GROUP_ID_").toString();
    }

    /** The user's role groups (not the teams' or the ticket groups' engine groups). */
    private List<String> groupsOf(String user) {
        return identity.createGroupQuery().groupMember(user).list().stream()
                .filter(group -> !"TEAM".equals(group.getType()) && !"TICKETS".equals(group.getType()))
                .map(Group::getId).toList();
    }

    private static Map<String, Object> edit(Map<String, Object> user, String field, Object value) {
        Map<String, Object> edit = new HashMap<>(user);
        edit.remove("id");
        edit.remove("password");
        edit.put(field, value);
        return edit;
    }

    private static JsonNode listed(AgentApi reader, String id) {
        AgentApi.Reply users = reader.get("/api/users");
        assertThat(users.status()).as(users.toString()).isEqualTo(200);
        for (JsonNode user : users.json()) {
            if (user.get("id").asText().equals(id)) {
                return user;
            }
        }
        throw new AssertionError(id + " is not listed: " + users.body());
    }
}
