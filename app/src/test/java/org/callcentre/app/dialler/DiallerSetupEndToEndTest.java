package org.callcentre.app.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/** Dialling rules, caller IDs, call lists and teams over HTTP, with every refusal changing nothing. */
class DiallerSetupEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void diallingRulesComeBackAsSet() {
        long campaign = CardCaptureScenario.campaign(admin, true, false, false);
        Map<String, Object> rules = rules();

        AgentApi.Reply updated = admin.put("/api/campaigns/" + campaign + "/dialling", rules);

        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json()).isEqualTo(admin.put("/api/campaigns/" + campaign + "/dialling", rules).json());
        JsonNode read = agentAdmin.get("/api/campaigns/" + campaign + "/dialling").json();
        assertThat(read.get("minMinutesBetweenCalls").asInt()).isEqualTo(30);
        assertThat(read.get("maxAttemptsIn8Hours").asInt()).isEqualTo(2);
        assertThat(read.get("maxAttemptsPerRecord").asInt()).isEqualTo(6);
        assertThat(read.get("callingHoursStart").asText()).isEqualTo("08:30");
        assertThat(read.get("callingHoursEnd").asText()).isEqualTo("20:00");
        assertThat(read.get("defaultTimeZone").asText()).isEqualTo("America/New_York");
        assertThat(read.get("defaultRegion").asText()).isEqualTo("US");
    }

    @Test
    void badDiallingRulesAreRefusedAndChangeNothing() {
        long campaign = CardCaptureScenario.campaign(admin, true, false, false);
        String path = "/api/campaigns/" + campaign + "/dialling";
        assertRefused(path, "callingHoursStart", "9:00", "callingHoursStart must be a time HH:mm");
        assertRefused(path, "callingHoursEnd", "24:00", "callingHoursEnd must be a time HH:mm");
        assertRefused(path, "defaultTimeZone", "Europe/Atlantis", "not an IANA time zone");
        assertRefused(path, "defaultRegion", "XX", "XX is not a region");
        assertRefused(path, "defaultRegion", "gb", "defaultRegion must be an ISO country");
        assertRefused(path, "minMinutesBetweenCalls", -1, "minMinutesBetweenCalls must be greater than or equal to 0");
        assertRefused(path, "maxAttemptsIn8Hours", 0, "maxAttemptsIn8Hours must be greater than or equal to 1");
        assertRefused(path, "maxAttemptsPerRecord", null, "maxAttemptsPerRecord must not be null");
        String before = agentAdmin.get(path).body();
        assertProblem(admin.put("/api/campaigns/999999999/dialling", rules()), 404, "no campaign 999999999");
        assertProblem(agentAdmin.put(path, rules()), 403, "your role does not allow this");
        assertProblem(agent.get(path), 403, "your role does not allow this");
        assertThat(agentAdmin.get(path).body()).isEqualTo(before);
    }

    @Test
    void callerIdsAreReplacedListedAndFlagged() {
        long campaign = CardCaptureScenario.campaign(admin, true, false, false);
        String path = "/api/campaigns/" + campaign + "/caller-ids";

        AgentApi.Reply set = admin.put(path, Map.of("numbers", List.of("+447911123002", "+447911123001")));

        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().toString()).isEqualTo("[{\"number\":\"+447911123001\",\"usedToday\":0,"
                + "\"spamFlagged\":false},{\"number\":\"+447911123002\",\"usedToday\":0,\"spamFlagged\":false}]");
        AgentApi.Reply flagged = agentAdmin.post(path + "/+447911123001/spam-flag", null);
        assertThat(flagged.status()).as(flagged.toString()).isEqualTo(200);
        assertThat(flagged.json().get("spamFlagged").asBoolean()).isTrue();
        assertThat(agentAdmin.get(path).json().get(0).get("spamFlagged").asBoolean()).isTrue();

        String before = admin.get(path).body();
        assertProblem(admin.post(path + "/+447911123009/spam-flag", null), 404, "has no caller ID +447911123009");
        assertProblem(admin.put(path, Map.of("numbers", List.of("+447911123003", "07911123004"))), 400,
                "07911123004 is not a valid phone number in E.164");
        assertProblem(admin.put(path, Map.of("numbers", List.of("+447700900001"))), 400, "not a valid phone number");
        assertProblem(admin.put(path, Map.of()), 400, "numbers must not be null");
        assertProblem(agentAdmin.put(path, Map.of("numbers", List.of("+447911123003"))), 403,
                "your role does not allow this");
        assertProblem(agent.get(path), 403, "your role does not allow this");
        assertProblem(agent.post(path + "/+447911123002/spam-flag", null), 403, "your role does not allow this");
        assertProblem(admin.get("/api/campaigns/999999999/caller-ids"), 404, "no campaign");
        assertThat(admin.get(path).body()).isEqualTo(before);
    }

    @Test
    void callListsBelongToACampaign() {
        long campaign = CardCaptureScenario.campaign(admin, true, false, false);

        AgentApi.Reply created = agentAdmin.post("/api/call-lists", Map.of("name", "Lapsed donors",
                "campaignId", campaign));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        JsonNode read = admin.get("/api/call-lists/" + id).json();
        assertThat(read.get("id").asLong()).isEqualTo(id);
        assertThat(read.get("name").asText()).isEqualTo("Lapsed donors");
        assertThat(read.get("campaignId").asLong()).isEqualTo(campaign);

        int before = count("call_list");
        // An unknown campaign is not found, as an unknown call list is.
        assertProblem(admin.post("/api/call-lists", Map.of("name", "Nowhere", "campaignId", 999999999)), 404,
                "no campaign 999999999");
        assertProblem(admin.post("/api/call-lists", Map.of("name", " ", "campaignId", campaign)), 400,
                "name must not be blank");
        assertProblem(admin.post("/api/call-lists", Map.of("name", "No campaign")), 400,
                "campaignId must not be null");
        assertProblem(agent.post("/api/call-lists", Map.of("name", "Agent's", "campaignId", campaign)), 403,
                "your role does not allow this");
        assertProblem(agent.get("/api/call-lists/" + id), 403, "your role does not allow this");
        assertProblem(admin.get("/api/call-lists/999999999"), 404, "no call list");
        assertThat(count("call_list")).isEqualTo(before);
    }

    @Test
    void teamsHoldAgentsAndWeightedCallLists() {
        long campaign = CardCaptureScenario.campaign(admin, true, false, false);
        long lapsed = callList(campaign, "Lapsed");
        long recent = callList(campaign, "Recent");
        String ann = CallCentreStaff.create(admin, "teamann", "AGENT", false).user();
        String bob = CallCentreStaff.create(admin, "teambob", "AGENT", false).user();
        String name = CallCentreStaff.freshId("Evening");

        AgentApi.Reply created = agentAdmin.post("/api/teams", Map.of("name", name, "agents", List.of(ann),
                "callLists", List.of(Map.of("callListId", lapsed), Map.of("callListId", recent, "weighting", 3))));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long team = created.json().get("id").asLong();
        AgentApi.Reply read = agentAdmin.get("/api/teams/" + team);
        assertThat(read.json().toString()).isEqualTo("{\"id\":" + team + ",\"name\":\"" + name + "\",\"agents\":[\""
                + ann + "\"],\"callLists\":[{\"callListId\":" + recent + ",\"weighting\":3},{\"callListId\":" + lapsed
                + ",\"weighting\":1}]}");
        assertThat(teamIdListed(ann)).isEqualTo(team);

        AgentApi.Reply replaced = admin.put("/api/teams/" + team, Map.of("name", name, "agents", List.of(ann, bob),
                "callLists", List.of(Map.of("callListId", lapsed, "weighting", 2))));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("agents").toString()).isEqualTo("[\"" + ann + "\",\"" + bob + "\"]");
        assertThat(replaced.json().get("callLists").toString()).isEqualTo("[{\"callListId\":" + lapsed
                + ",\"weighting\":2}]");

        // An agent belongs to one team.
        String before = admin.get("/api/teams/" + team).body();
        int teams = count("team");
        assertProblem(admin.post("/api/teams", Map.of("name", CallCentreStaff.freshId("Morning"),
                "agents", List.of(bob))), 409, bob + " already belongs to the team " + name);
        assertProblem(admin.post("/api/teams", Map.of("name", name)), 409, "already exists");
        assertProblem(admin.put("/api/teams/" + team, Map.of("name", name, "agents", List.of("agentadmin"))), 400,
                "agentadmin is not an agent");
        assertProblem(admin.put("/api/teams/" + team, Map.of("name", name, "callLists",
                List.of(Map.of("callListId", lapsed, "weighting", 0)))), 400, "weighting must be greater than");
        assertProblem(admin.put("/api/teams/" + team, Map.of("name", name, "callLists",
                List.of(Map.of("callListId", 999999999)))), 404, "no call list 999999999");
        assertProblem(admin.put("/api/teams/999999999", Map.of("name", "Nobody")), 404, "no team");
        assertProblem(agent.get("/api/teams/" + team), 403, "your role does not allow this");
        assertProblem(agent.put("/api/teams/" + team, Map.of("name", "Agents' own")), 403,
                "your role does not allow this");
        assertThat(admin.get("/api/teams/" + team).body()).isEqualTo(before);
        assertThat(count("team")).isEqualTo(teams);
    }

    private long teamIdListed(String user) {
        for (JsonNode listed : admin.get("/api/users").json()) {
            if (listed.get("id").asText().equals(user)) {
                return listed.get("teamId").asLong();
            }
        }
        throw new AssertionError(user + " not listed");
    }

    private long callList(long campaign, String name) {
        AgentApi.Reply created = admin.post("/api/call-lists", Map.of("name", name, "campaignId", campaign));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private void assertRefused(String path, String field, Object value, String detail) {
        Map<String, Object> rules = rules();
        rules.put(field, value);
        assertRefusedAndUnchanged(() -> admin.put(path, rules), () -> admin.get(path).body(), 400, detail);
    }

    private static void assertRefusedAndUnchanged(Supplier<AgentApi.Reply> call, Supplier<String> state, int status,
            String detail) {
        String before = state.get();
        assertProblem(call.get(), status, detail);
        assertThat(state.get()).isEqualTo(before);
    }

    private int count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Integer.class);
    }

    private static Map<String, Object> rules() {
        return new HashMap<>(Map.of("minMinutesBetweenCalls", 30, "maxAttemptsIn8Hours", 2,
                "maxAttemptsPerRecord", 6, "callingHoursStart", "08:30", "callingHoursEnd", "20:00",
                "defaultTimeZone", "America/New_York", "defaultRegion", "US"));
    }
}
