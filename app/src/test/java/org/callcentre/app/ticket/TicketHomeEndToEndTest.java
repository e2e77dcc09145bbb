package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.InsertedRows;
import org.callcentre.ticket.Tickets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code GET /api/users/me/ticket-groups}, the Call Center home, over HTTP: a group linked to an inbound team counts
 * the team's callers waiting now and its calls lost in the last 7 days that nobody has called back since (a completed
 * outbound call to the number, or a served inbound call from it); every group counts the unanswered messages of its
 * open tickets and those tickets. The calls' rows are written as the inbound and dialler capabilities leave them.
 */
class TicketHomeEndToEndTest extends EndToEndTest {

    private static final String PATH = "/api/users/me/ticket-groups";

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private Tickets tickets;

    private TicketScene scene;
    private AgentApi member;
    private long campaign;
    private long callList;
    private long inboundNumber;
    private Instant now;

    @BeforeEach
    void campaignAndInboundNumber() {
        scene = new TicketScene(BASE, jdbc, transactions, tickets);
        member = CallCentreStaff.create(admin, "homemember", "AGENT", false);
        campaign = DiallerSetup.campaign(admin, DiallerSetup.rules(0, 10, 10, "00:00", "00:00", "Europe/London"),
                List.of("+15005550031"));
        callList = DiallerSetup.callList(admin, campaign);
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        inboundNumber = write(() -> insert("insert into inbound_number (number, locale, greeting, campaign_id, "
                + "created_at, updated_at) values (?, 'en-GB', 'Hello', ?, ?, ?)", DiallerSetup.mobile(), campaign,
                at(now), at(now)));
    }

    @Test
    void aGroupCountsItsTeamsOpenCallsItsUnansweredMessagesAndItsOpenTickets() {
        long team = DiallerSetup.team(admin, List.of(), List.of(callList));
        long otherTeam = DiallerSetup.team(admin, List.of(), List.of(callList));
        String group = groupOfTeam(team, List.of(member.user()));
        String waiting = DiallerSetup.mobile();
        String lost = DiallerSetup.mobile();
        String calledBack = DiallerSetup.mobile();
        String notAnswered = DiallerSetup.mobile();
        String calledBeforeItWasLost = DiallerSetup.mobile();
        String servedLater = DiallerSetup.mobile();
        String lostLastWeek = DiallerSetup.mobile();
        String lostSixDaysAgo = DiallerSetup.mobile();
        long lead = DiallerSetup.importLeads(admin, callList, DiallerSetup.mobile()).get(0);
        Instant hourAgo = now.minus(Duration.ofHours(1));
        write(() -> {
            // Waiting now: queued, and being put through to an agent (2). On the line with an agent: not waiting.
            call(team, waiting, "QUEUED", null, now.minusSeconds(60), null);
            call(team, DiallerSetup.mobile(), "ASSIGNING", null, now.minusSeconds(30), null);
            call(team, DiallerSetup.mobile(), "ASSIGNED", null, now.minusSeconds(90), null);
            // Lost and not called back (1); lost, then called back by a completed call (0).
            call(team, lost, "ENDED", "LOST", hourAgo.minusSeconds(60), hourAgo);
            call(team, calledBack, "ENDED", "LOST", hourAgo.minusSeconds(60), hourAgo);
            outboundCall(lead, calledBack, "completed", hourAgo.plusSeconds(600));
            // Called back, but nobody answered (1); a completed call before the call that was lost (1).
            call(team, notAnswered, "ENDED", "LOST", hourAgo.minusSeconds(60), hourAgo);
            outboundCall(lead, notAnswered, "no-answer", hourAgo.plusSeconds(600));
            call(team, calledBeforeItWasLost, "ENDED", "LOST", hourAgo.minusSeconds(60), hourAgo);
            outboundCall(lead, calledBeforeItWasLost, "completed", hourAgo.minusSeconds(3600));
            // Lost, then the caller called again and was served (0, and the served call is not open either).
            call(team, servedLater, "ENDED", "LOST", hourAgo.minusSeconds(60), hourAgo);
            call(otherTeam, servedLater, "ENDED", "SERVED", hourAgo.plusSeconds(300), hourAgo.plusSeconds(600));
            // Lost 8 days ago (0) and 6 days ago (1), never called back.
            Instant lastWeek = now.minus(Duration.ofDays(8));
            call(team, lostLastWeek, "ENDED", "LOST", lastWeek.minusSeconds(60), lastWeek);
            Instant sixDaysAgo = now.minus(Duration.ofDays(6));
            call(team, lostSixDaysAgo, "ENDED", "LOST", sixDaysAgo.minusSeconds(60), sixDaysAgo);
            // Asked for a callback (counted as a callback, not here), and another team's caller waiting.
            call(team, DiallerSetup.mobile(), "ENDED", "CALLBACK", hourAgo.minusSeconds(60), hourAgo);
            call(otherTeam, DiallerSetup.mobile(), "QUEUED", null, now.minusSeconds(60), null);
            return null;
        });
        // Open tickets with 2, 1 and no messages needing action, and a closed ticket (not counted).
        long twoUnanswered = scene.received(group, TicketScene.email("home"), "Sofa");
        long oneUnanswered = scene.received(group, TicketScene.email("home"), "Table");
        long answered = scene.received(group, TicketScene.email("home"), "Chairs");
        long closed = scene.received(group, TicketScene.email("home"), "Wardrobe");
        assertThat(admin.post("/api/tickets/" + closed + "/close", Map.of()).status()).isEqualTo(200);
        scene.update("update ticket set unanswered = 2 where id = ?", twoUnanswered);
        scene.update("update ticket set unanswered = 1 where id = ?", oneUnanswered);
        scene.update("update ticket set unanswered = 0, status = 'WAITING_ON_END_USER' where id = ?", answered);
        scene.update("update ticket set unanswered = 4 where id = ?", closed);

        Reply home = member.get(PATH);

        assertThat(home.status()).as(home.toString()).isEqualTo(200);
        assertThat(home.json()).hasSize(1);
        assertCounts(home.json().get(0), group, "Group " + group, 6, 3, 3);
        assertCounts(entry(agentAdmin.get(PATH), group), group, "Group " + group, 6, 3, 3);
        assertCounts(entry(admin.get(PATH), group), group, "Group " + group, 6, 3, 3);

        // Called back at last: the lost call drops out; the caller waiting is put through: it drops out too.
        write(() -> {
            outboundCall(lead, lost, "completed", now.minusSeconds(10));
            jdbc.update("update inbound_call set status = 'ASSIGNED' where from_number = ?", waiting);
            return null;
        });
        assertCounts(entry(member.get(PATH), group), group, "Group " + group, 4, 3, 3);
    }

    @Test
    void aUserSeesTheGroupsTheyAreInAndSupervisorsSeeEveryGroupByName() {
        AgentApi stranger = CallCentreStaff.create(admin, "homestranger", "AGENT", false);
        String noTeam = TicketScene.group(admin, "Home", List.of(member.user()));
        String another = TicketScene.group(admin, "Home", List.of(member.user()));
        String notTheirs = TicketScene.group(admin, "Home", List.of(stranger.user()));
        long ticket = scene.received(noTeam, TicketScene.email("home"), "Sofa");
        scene.update("update ticket set unanswered = 3 where id = ?", ticket);
        long waiting = scene.received(noTeam, TicketScene.email("home"), "Table");
        scene.update("update ticket set unanswered = 0, status = 'WAITING_FOR_EVENT' where id = ?", waiting);

        Reply mine = member.get(PATH);

        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        assertThat(mine.json().findValuesAsText("key")).containsExactly(noTeam, another);
        assertCounts(mine.json().get(0), noTeam, "Group " + noTeam, 0, 3, 2);
        assertCounts(mine.json().get(1), another, "Group " + another, 0, 0, 0);
        assertThat(stranger.get(PATH).json().findValuesAsText("key")).containsExactly(notTheirs);
        assertThat(CallCentreStaff.create(admin, "homeloner", "AGENT", false).get(PATH).json()).isEmpty();
        List<String> everyGroup = jdbc.queryForList("select group_key from ticket_group order by name", String.class);
        for (AgentApi supervisor : List.of(agentAdmin, admin,
                CallCentreStaff.create(admin, "homerestricted", "ADMIN_OPS", true))) {
            Reply all = supervisor.get(PATH);
            assertThat(all.status()).as(all.toString()).isEqualTo(200);
            assertThat(all.json().findValuesAsText("key")).as(supervisor.user()).isEqualTo(everyGroup);
        }
        assertCounts(entry(agentAdmin.get(PATH), noTeam), noTeam, "Group " + noTeam, 0, 3, 2);
    }

    @Test
    void withoutALoginTheHomeIsRefused() {
        assertProblem(anonymous.get(PATH), 401);
        assertProblem(anonymous.post(PATH, Map.of()), 401);
        assertProblem(agent.post(PATH, Map.of()), 403);
    }

    private String groupOfTeam(long team, List<String> members) {
        String key = CallCentreStaff.freshId("Home");
        Reply created = admin.post("/api/groups", Map.of("key", key, "name", "Group " + key, "teamId", team));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("teamId").asLong()).isEqualTo(team);
        Reply set = admin.put("/api/groups/" + key + "/members", Map.of("members", members));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        return key;
    }

    private static JsonNode entry(Reply home, String key) {
        assertThat(home.status()).as(home.toString()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        home.json().forEach(group -> {
            if (group.get("key").asText().equals(key)) {
                found.add(group);
            }
        });
        assertThat(found).as(home.toString()).hasSize(1);
        return found.get(0);
    }

    private static void assertCounts(JsonNode group, String key, String name, int openPhoneCalls,
            int messagesNeedingAction, int openTickets) {
        assertThat(group.get("key").asText()).isEqualTo(key);
        assertThat(group.get("name").asText()).isEqualTo(name);
        assertThat(group.get("openPhoneCalls").asInt()).as("open phone calls").isEqualTo(openPhoneCalls);
        assertThat(group.get("messagesNeedingAction").asInt()).as("messages needing action")
                .isEqualTo(messagesNeedingAction);
        assertThat(group.get("openTickets").asInt()).as("open tickets").isEqualTo(openTickets);
    }

    /** An inbound call of the team from the number: waiting (no end) or ended with a result. */
    private void call(long team, String from, String status, String result, Instant started, Instant ended) {
        insert("insert into inbound_call (call_sid, inbound_number_id, from_number, status, result, team_id, "
                + "enqueued_at, answered_at, started_at, ended_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "CA" + System.nanoTime(), inboundNumber, from, status, result, team, at(started.plusSeconds(10)),
                "SERVED".equals(result) ? at(started.plusSeconds(30)) : null, at(started),
                ended == null ? null : at(ended));
    }

    /** An outbound call to the number, placed then, ended with the status. */
    private void outboundCall(long lead, String to, String status, Instant placed) {
        insert("insert into outbound_call (lead_id, user_id, campaign_id, conference_name, call_sid, from_number, "
                + "to_number, status, final, billable, placed_at, ended_at) values (?, ?, ?, ?, ?, '+15005550031', ?, "
                + "?, true, ?, ?, ?)", lead, member.user(), campaign, "agent-" + member.user(),
                "CA" + System.nanoTime(), to, status, "completed".equals(status), at(placed),
                at(placed.plusSeconds(60)));
    }

    private <T> T write(java.util.function.Supplier<T> rows) {
        return new TransactionTemplate(transactions).execute(status -> rows.get());
    }

    private long insert(String sql, Object... arguments) {
        return InsertedRows.insert(jdbc, sql, arguments);
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.from(instant);
    }
}
