package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.EndToEndTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code /api/groups}: the demo's groups, making a group and setting its members (supervisors only, every bad request
 * refused without a change), each group's engine group following its members so Tasklist can offer its tasks, and
 * the inbound team a group's Call Center home counts.
 */
class GroupApiEndToEndTest extends EndToEndTest {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void theDemoHasFreshStartsGroupsAndTheAgentWorksThree() {
        Reply groups = agent.get("/api/groups");

        assertThat(groups.status()).as(groups.toString()).isEqualTo(200);
        assertThat(groups.json().findValuesAsText("key")).contains("Info", "Agency", "Clients", "Donations",
                "Volunteers", "Director", "President", "WebMaster");
        JsonNode info = agent.get("/api/groups/Info").json();
        assertThat(info.get("public").asBoolean()).isTrue();
        assertThat(info.get("inboxAddress").asText()).isEqualTo("info@callcentre.test");
        assertThat(agent.get("/api/groups/Clients").json().get("takesVoicemail").asBoolean()).isTrue();
        assertThat(agent.get("/api/groups/Director").json().get("public").asBoolean()).isFalse();
        assertThat(agent.get("/api/groups/WebMaster").json().get("name").asText()).isEqualTo("Web Master");
        assertThat(engineMembers("Donations")).contains("agent", "agentadmin");
        assertThat(engineMembers("Director")).containsExactly("agentadmin");
        assertProblem(agent.get("/api/groups/Nobody"), 404, "no group Nobody");
        assertThat(anonymous.get("/api/groups").status()).isEqualTo(401);
    }

    @Test
    void supervisorsMakeGroupsAndEveryBadRequestChangesNothing() {
        String key = "Pantry" + CallCentreStaff.freshId("x").substring(1);
        Map<String, Object> good = Map.of("key", key, "name", "Pantry " + key, "public", true, "takesVoicemail",
                false, "inboxAddress", "pantry@callcentre.test");
        int before = groups();

        assertProblem(agent.post("/api/groups", good), 403, "your role does not allow this");
        assertThat(anonymous.post("/api/groups", good).status()).isEqualTo(401);
        assertProblem(admin.post("/api/groups", with(good, "key", "food pantry")), 400, "letters and digits");
        assertProblem(admin.post("/api/groups", with(good, "key", "9lives")), 400, "letters and digits");
        assertProblem(admin.post("/api/groups", with(good, "name", " ")), 400, "name is required");
        assertProblem(admin.post("/api/groups", with(good, "inboxAddress", "not-an-address")), 400,
                "not an email address");
        assertProblem(admin.post("/api/groups", with(good, "key", "info")), 409, "already a group info");
        assertProblem(admin.post("/api/groups", with(good, "name", "Donations")), 409, "named Donations");
        assertThat(groups()).isEqualTo(before);

        Reply created = agentAdmin.post("/api/groups", good);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("key").asText()).isEqualTo(key);
        assertThat(created.json().get("public").asBoolean()).isTrue();
        assertThat(created.json().get("members")).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from ACT_ID_GROUP where ID_ = ?", Integer.class,
                "group" + key)).isOne();
        assertProblem(admin.post("/api/groups", good), 409, "already a group " + key);
    }

    @Test
    void membersAreReplacedAndTheEngineGroupFollows() {
        String key = "Drivers" + CallCentreStaff.freshId("x").substring(1);
        assertThat(admin.post("/api/groups", Map.of("key", key, "name", "Drivers " + key)).status()).isEqualTo(201);
        AgentApi first = CallCentreStaff.create(admin, "grpone", "AGENT", false);
        AgentApi second = CallCentreStaff.create(admin, "grptwo", "AGENT", false);

        assertProblem(first.put("/api/groups/" + key + "/members", Map.of("members", List.of(first.user()))), 403);
        assertProblem(admin.put("/api/groups/" + key + "/members", Map.of("members", List.of("nobody-here"))), 422,
                "no active user nobody-here");
        assertProblem(admin.put("/api/groups/" + key + "/members", Map.of("members", List.of(first.user(),
                first.user()))), 400, "each user once");
        assertProblem(admin.put("/api/groups/" + key + "/members", Map.of()), 400, "members is required");
        assertProblem(admin.put("/api/groups/Nobody/members", Map.of("members", List.of())), 404, "no group Nobody");
        assertThat(engineMembers(key)).isEmpty();

        Reply set = agentAdmin.put("/api/groups/" + key + "/members", Map.of("members", List.of(first.user(),
                second.user())));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().get("members")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(first.user(), second.user());
        assertThat(engineMembers(key)).containsExactlyInAnyOrder(first.user(), second.user());

        // A user may be in several groups; replacing the members takes the one left out out of the engine group.
        assertThat(admin.put("/api/groups/Volunteers/members", Map.of("members", List.of("agent", "agentadmin",
                first.user()))).status()).isEqualTo(200);
        Reply replaced = admin.put("/api/groups/" + key + "/members", Map.of("members", List.of(first.user())));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(engineMembers(key)).containsExactly(first.user());
        assertThat(jdbc.queryForList("select group_key from ticket_group_member where user_id = ?", String.class,
                first.user())).containsExactlyInAnyOrder(key, "Volunteers");
        assertThat(admin.put("/api/groups/Volunteers/members", Map.of("members", List.of("agent", "agentadmin")))
                .status()).isEqualTo(200);
    }

    @Test
    void aGroupCountsTheCallsOfAnExistingTeamOnly() {
        String key = "Callers" + CallCentreStaff.freshId("x").substring(1);
        long team = DiallerSetup.team(admin, List.of(), List.of());
        Map<String, Object> good = Map.of("key", key, "name", "Callers " + key, "teamId", team);
        int before = groups();

        assertProblem(admin.post("/api/groups", with(good, "teamId", 987_654_321L)), 422, "no team 987654321");
        assertProblem(admin.post("/api/groups", with(good, "teamId", "the demo team")), 400);
        assertThat(groups()).isEqualTo(before);

        Reply created = admin.post("/api/groups", good);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("teamId").asLong()).isEqualTo(team);
        assertThat(agent.get("/api/groups/" + key).json().get("teamId").asLong()).isEqualTo(team);
        assertThat(agent.get("/api/groups/Info").json().get("teamId").isNull()).isTrue();
        // The demo's Donations group counts the demo team's callers.
        assertThat(agent.get("/api/groups/Donations").json().get("teamId").asLong()).isEqualTo(jdbc.queryForObject(
                "select id from team where name = ?", Long.class, "Demo team"));
    }

    private List<String> engineMembers(String key) {
        return jdbc.queryForList("select USER_ID_ from ACT_ID_MEMBERSHIP where GROUP_ID_ = ?", String.class,
                "group" + key);
    }

    private int groups() {
        return jdbc.queryForObject("select count(*) from ticket_group", Integer.class);
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.put(key, value);
        return changed;
    }
}
