package org.callcentre.app.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.callcentre.app.cardcapture.CardCaptureDemoData;
import org.callcentre.app.security.DemoUsers;
import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.EndToEndTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The demo's dialler is ready at once: every demo campaign has calling hours and caller IDs, the demo agent's team
 * works the demo call list, and the demo pledges are taken on its donors. A restart on the same database adds nothing.
 */
class DiallerDemoDataEndToEndTest extends EndToEndTest {

    @Autowired
    CardCaptureDemoData cardCaptureDemoData;
    @Autowired
    DemoUsers demoUsers;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theDemoDiallerIsReadyAndAStartAgainAddsNothing() {
        List<Object> before = demoData();
        assertThat((List<?>) before.get(0)).hasSize(1);
        assertThat(before.get(1).toString().toLowerCase()).contains("user_id=" + DemoUsers.AGENT).contains("weighting=1");
        assertThat((List<?>) before.get(2)).hasSize(4).allSatisfy(hours -> assertThat(hours.toString())
                .contains("00:00").doesNotContain("23:59").contains("Europe/London"));

        // What the next start runs on the same database.
        demoUsers.onApplicationReady(null);
        cardCaptureDemoData.onApplicationReady(null);

        assertThat(demoData()).isEqualTo(before);
        long list = callList();
        AgentApi.Reply leads = agentAdmin.get("/api/leads?callListId=" + list + "&size=50");
        assertThat(leads.status()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        leads.json().get("items").forEach(items::add);
        assertThat(items).hasSize(20);
        assertThat(items).filteredOn(lead -> lead.get("timeZone").asText().equals("America/New_York")).hasSize(2);
        assertThat(items).filteredOn(lead -> !lead.get("callable").asBoolean())
                .extracting(lead -> lead.get("phones").get(0).get("number").asText())
                .containsExactlyInAnyOrder(DiallerDemoData.ON_DO_NOT_CALL_LIST, DiallerDemoData.REMOVED);
        assertThat(agent.get("/api/do-not-call/" + DiallerDemoData.ON_DO_NOT_CALL_LIST).status()).isEqualTo(200);

        AgentApi.Reply callerIds = admin.get("/api/campaigns/" + campaign("Regular Giving") + "/caller-ids");
        assertThat(callerIds.json().findValuesAsText("number")).containsExactlyElementsOf(DiallerDemoData.CALLER_IDS);

        // Pledges 1 to 4 are taken on the first four donors, so card capture runs on a call of theirs.
        for (String phone : List.of(DiallerDemoData.JANE, DiallerDemoData.JOHN, DiallerDemoData.PRIYA,
                DiallerDemoData.TOM)) {
            Long pledgeLead = jdbc.queryForObject("select lead_id from pledge where donor_phone = ? order by id "
                    + "fetch first 1 rows only", Long.class, phone);
            JsonNode lead = agent.get("/api/leads/" + pledgeLead).json();
            assertThat(lead.get("phones").get(0).get("number").asText()).isEqualTo(phone);
            assertThat(lead.get("callListIds").toString()).isEqualTo("[" + list + "]");
        }
    }

    @Test
    void theDemoAgentsNextLeadComesFromTheDemoList() {
        AgentApi.Reply next = agent.post("/api/agents/me/next-lead", null);
        assertThat(next.status()).isEqualTo(200);
        JsonNode lead = next.json().get("lead");
        assertThat(lead.isNull()).as("a lead is offered: %s", next.body()).isFalse();
        assertThat(lead.get("callListIds").toString()).contains(String.valueOf(callList()));
        assertThat(lead.get("lock").get("userId").asText()).isEqualTo(DemoUsers.AGENT);
        assertThat(lead.get("callable").asBoolean()).isTrue();
        assertThat(agent.delete("/api/leads/" + lead.get("id").asLong() + "/lock").status()).isEqualTo(204);
    }

    /** The demo's dialler rows as stored, compared before and after a second start. */
    private List<Object> demoData() {
        long campaign = campaign("Spring Appeal");
        return List.of(
                jdbc.queryForList("select id, campaign_id from call_list where name = ?", DiallerDemoData.CALL_LIST),
                jdbc.queryForList("select t.id, a.user_id, l.call_list_id, l.weighting from team t "
                        + "join team_agent a on a.team_id = t.id join team_call_list l on l.team_id = t.id "
                        + "where t.name = ? order by a.user_id", DiallerDemoData.TEAM),
                jdbc.queryForList("select calling_hours_start, calling_hours_end, default_time_zone from campaign "
                        + "where name in ('Spring Appeal', 'Regular Giving', 'Emergency Appeal', 'Monthly Supporters') "
                        + "order by id"),
                jdbc.queryForList("select campaign_id, number from caller_id where campaign_id = ? order by number",
                        campaign),
                jdbc.queryForList("select count(*) from lead_call_list where call_list_id = ?", callList()),
                jdbc.queryForList("select id, lead_id, donor_phone from pledge where campaign_id = ? order by id",
                        campaign),
                jdbc.queryForList("select number from do_not_call where number = ?",
                        DiallerDemoData.ON_DO_NOT_CALL_LIST));
    }

    private long callList() {
        return jdbc.queryForObject("select id from call_list where name = ?", Long.class, DiallerDemoData.CALL_LIST);
    }

    private long campaign(String name) {
        return jdbc.queryForObject("select id from campaign where name = ?", Long.class, name);
    }
}
