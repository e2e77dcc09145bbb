package org.callcentre.app.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.InsertedRows;
import org.callcentre.app.support.Users;
import org.callcentre.processes.Groups;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Next Lead and lead locks over HTTP: only agents lock, a held lead is refused with its holder, overrides are kept. */
class NextLeadEndToEndTest extends EndToEndTest {

    private static final String ANN = "nextleadann";
    private static final String BOB = "nextleadbob";
    private static final String LONER = "nextleadloner";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    IdentityService identity;
    @Autowired
    TransactionTemplate transaction;

    private final AgentApi ann = agent.as(ANN, PASSWORD);
    private final AgentApi bob = agent.as(BOB, PASSWORD);
    private long callList;

    @BeforeEach
    void teamWithACallList() {
        for (String user : List.of(ANN, BOB, LONER)) {
            Users.ensure(identity, user, Groups.AGENTS);
        }
        long campaign = CardCaptureScenario.campaign(admin, true, false, false);
        transaction.executeWithoutResult(status -> teamWorks(campaign));
    }

    /** The team of ann and bob (made once) works a new call list, above every other. */
    private void teamWorks(long campaign) {
        callList = insert("insert into call_list (name, campaign_id, created_at) values (?, ?, ?)",
                "Next lead list " + System.nanoTime(), campaign, Timestamp.from(Instant.now()));
        if (jdbc.queryForObject("select count(*) from team_agent where user_id = ?", Integer.class, ANN) == 0) {
            long team = insert("insert into team (name, created_at) values (?, ?)", "Next lead team " + System.nanoTime(),
                    Timestamp.from(Instant.now()));
            jdbc.update("insert into team_agent (user_id, team_id) values (?, ?), (?, ?)", ANN, team, BOB, team);
        }
        long team = jdbc.queryForObject("select team_id from team_agent where user_id = ?", Long.class, ANN);
        jdbc.update("insert into team_call_list (team_id, call_list_id, weighting) values (?, ?, 1000)", team,
                callList);
    }

    @Test
    void anAgentLocksALeadAnotherAgentIsRefusedWithTheHolderAndMayOverride() {
        long lead = lead();

        AgentApi.Reply opened = ann.post("/api/leads/" + lead + "/lock", null);
        assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
        assertThat(opened.json().get("userId").asText()).isEqualTo(ANN);
        String since = opened.json().get("since").asText();
        assertThat(Instant.parse(since)).isNotNull();

        AgentApi.Reply refused = bob.post("/api/leads/" + lead + "/lock", null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.contentType()).contains("application/problem+json");
        assertThat(refused.json().get("lockedBy").asText()).isEqualTo(ANN);
        assertThat(Instant.parse(refused.json().get("since").asText())).isEqualTo(Instant.parse(since));
        assertThat(holder(lead)).isEqualTo(ANN);

        AgentApi.Reply again = ann.post("/api/leads/" + lead + "/lock", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("since").asText()).as("already ann's: the same lock").isEqualTo(since);

        AgentApi.Reply overridden = bob.post("/api/leads/" + lead + "/lock?override=true", null);
        assertThat(overridden.status()).as(overridden.toString()).isEqualTo(200);
        assertThat(overridden.json().get("userId").asText()).isEqualTo(BOB);
        assertThat(holder(lead)).isEqualTo(BOB);
        assertThat(jdbc.queryForObject("select detail from lead_history where lead_id = ? and kind = "
                + "'LOCK_OVERRIDDEN'", String.class, lead)).contains(ANN, BOB);

        assertThat(ann.delete("/api/leads/" + lead + "/lock").status()).as("not ann's any more").isEqualTo(204);
        assertThat(holder(lead)).isEqualTo(BOB);
        assertThat(bob.delete("/api/leads/" + lead + "/lock").status()).isEqualTo(204);
        assertThat(holder(lead)).isNull();
    }

    @Test
    void onlyAgentsLockLeadsOrPressNextLead() {
        long lead = lead();
        int history = historyCount(lead);

        for (AgentApi notAnAgent : List.of(admin, agentAdmin)) {
            for (AgentApi.Reply refused : List.of(notAnAgent.post("/api/leads/" + lead + "/lock", null),
                    notAnAgent.post("/api/leads/" + lead + "/lock?override=true", null),
                    notAnAgent.delete("/api/leads/" + lead + "/lock"),
                    notAnAgent.post("/api/agents/me/next-lead", null))) {
                assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
                assertThat(refused.json().get("detail").asText()).startsWith("only agents lock leads");
            }
        }
        assertThat(holder(lead)).isNull();
        assertThat(historyCount(lead)).isEqualTo(history);
    }

    @Test
    void anUnknownLeadIsNotFound() {
        AgentApi.Reply refused = ann.post("/api/leads/987654321/lock", null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
        assertThat(ann.delete("/api/leads/987654321/lock").status()).isEqualTo(404);
    }

    @Test
    void anAgentInNoTeamIsToldSoAndNotRefused() {
        AgentApi.Reply answer = agent.as(LONER, PASSWORD).post("/api/agents/me/next-lead", null);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().get("lead").isNull()).isTrue();
        assertThat(answer.json().get("reason").asText()).isEqualTo("NO_TEAM");
        assertThat(answer.json().get("detail").asText()).contains("no team");
    }

    /** Needs the leads capability's view of a lead ({@code Leads.view}). */
    @Test
    void nextLeadOffersTheNewestLeadLockedToTheAgentAndLetsGoOfThePreviousOne() {
        long older = lead();
        long newer = lead();
        long opened = lead();
        assertThat(ann.post("/api/leads/" + opened + "/lock", null).status()).isEqualTo(200);

        AgentApi.Reply answer = ann.post("/api/agents/me/next-lead", null);

        assertThat(holder(newer)).isEqualTo(ANN);
        assertThat(holder(opened)).isNull();
        assertThat(holder(older)).isNull();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().get("lead").get("id").asLong()).isEqualTo(newer);
        assertThat(answer.json().get("lead").get("lock").get("userId").asText()).isEqualTo(ANN);
    }

    /** A lead of the test's call list, in a zone where it is early afternoon now: inside the default hours. */
    private long lead() {
        return transaction.execute(status -> newLead());
    }

    private long newLead() {
        int offset = Math.floorMod(14 - Instant.now().atOffset(ZoneOffset.UTC).getHour() + 12, 24) - 12;
        // Etc/GMT zones are named with the sign reversed: Etc/GMT-5 is five hours ahead of UTC.
        String zone = offset == 0 ? "Etc/GMT" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
        String phone = "+4477009" + String.format("%05d", (int) (System.nanoTime() % 100000));
        long lead = insert("insert into lead (time_zone, first_phone, created_at) values (?, ?, ?)", zone, phone,
                Timestamp.from(Instant.now()));
        jdbc.update("insert into lead_phone (lead_id, position, number) values (?, 1, ?)", lead, phone);
        if (jdbc.queryForObject("select count(*) from lead_time_zone where time_zone = ?", Integer.class, zone) == 0) {
            jdbc.update("insert into lead_time_zone (time_zone) values (?)", zone);
        }
        jdbc.update("insert into lead_call_list (call_list_id, lead_id, added_at) values (?, ?, ?)", callList, lead,
                Timestamp.from(Instant.now()));
        return lead;
    }

    private String holder(long lead) {
        return jdbc.queryForObject("select locked_by from lead where id = ?", String.class, lead);
    }

    private int historyCount(long lead) {
        return jdbc.queryForObject("select count(*) from lead_history where lead_id = ?", Integer.class, lead);
    }

    private long insert(String sql, Object... arguments) {
        return InsertedRows.insert(jdbc, sql, arguments);
    }
}
