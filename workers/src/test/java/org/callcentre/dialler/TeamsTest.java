package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.callcentre.campaign.CampaignBook;
import org.callcentre.dialler.CallLists.CallList;
import org.callcentre.dialler.Teams.Team;
import org.callcentre.dialler.Teams.TeamCallList;
import org.callcentre.dialler.Teams.Weighting;
import org.callcentre.problem.RefusedException;
import org.callcentre.problem.RefusedException.Reason;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;

class TeamsTest {

    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

    private StoreDatabase database;
    private Teams teams;
    private CallLists callLists;
    private long winter;
    private long spring;
    private long lapsed;
    private long recent;
    private long springList;

    @BeforeEach
    void open(StoreDatabase database) {
        this.database = database;
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        teams = new Teams(database.jdbc(), database.transaction().getTransactionManager(), clock);
        callLists = new CallLists(database.jdbc(), clock);
        CampaignBook campaigns = new CampaignBook(database.jdbc(), clock);
        winter = campaigns.addCampaign("Winter appeal", Currency.getInstance("GBP"), Locale.UK, true, false, false);
        spring = campaigns.addCampaign("Spring appeal", Currency.getInstance("GBP"), Locale.UK, true, false, false);
        lapsed = callLists.create("Lapsed donors", winter);
        recent = callLists.create("Recent donors", winter);
        springList = callLists.create("Spring", spring);
        for (String agent : List.of("ann", "bob", "cat")) {
            profile(agent, "AGENT");
        }
        profile("sam", "AGENT_ADMIN");
    }

    @OnEachDatabase
    void aCallListBelongsToItsCampaign() {
        assertThat(callLists.callList(lapsed)).contains(new CallList(lapsed, "Lapsed donors", winter));
        assertThat(callLists.callList(springList + 1)).isEmpty();
        assertRefused(() -> callLists.create("Nowhere", spring + 1), Reason.NOT_FOUND, "no campaign");
        assertRefused(() -> callLists.create(" ", spring), Reason.INVALID, "name");
        assertThat(database.jdbc().queryForObject("select count(*) from call_list", Integer.class)).isEqualTo(3);
    }

    @OnEachDatabase
    void aTeamHoldsItsAgentsAndCallListsHighestWeightingFirst() {
        long team = teams.create("Evening", List.of("bob", "ann"), List.of(new Weighting(lapsed, 1),
                new Weighting(springList, 5), new Weighting(recent, 1)));

        assertThat(teams.team(team)).contains(new Team(team, "Evening", List.of("ann", "bob"), List.of(
                new TeamCallList(springList, spring, 5), new TeamCallList(lapsed, winter, 1),
                new TeamCallList(recent, winter, 1))));
        assertThat(teams.teamOf("ann")).contains(team);
        assertThat(teams.teamOf("cat")).isEmpty();
        assertThat(teams.callLists(team)).extracting(TeamCallList::callListId).containsExactly(springList, lapsed,
                recent);
        assertThat(teams.teamsOfAgents()).isEqualTo(Map.of("ann", team, "bob", team));
    }

    @OnEachDatabase
    void anAgentOfAnotherTeamIsRefusedNamingTheTeam() {
        long evening = teams.create("Evening", List.of("ann"), List.of(new Weighting(lapsed, 1)));
        long morning = teams.create("Morning", List.of("bob"), List.of());

        assertRefused(() -> teams.create("Weekend", List.of("cat", "ann"), List.of()), Reason.CONFLICT,
                "ann already belongs to the team Evening");
        assertRefused(() -> teams.replace(morning, "Morning", List.of("bob", "ann"), List.of()), Reason.CONFLICT,
                "team Evening");

        assertThat(teams.team(morning).orElseThrow().agents()).containsExactly("bob");
        assertThat(teams.teamOf("ann")).contains(evening);
        assertThat(teams.teamOf("cat")).isEmpty();
        assertThat(database.jdbc().queryForObject("select count(*) from team", Integer.class)).isEqualTo(2);
    }

    @OnEachDatabase
    void replacingATeamReplacesEverythingAndKeepsItsOwnAgents() {
        long team = teams.create("Evening", List.of("ann", "bob"), List.of(new Weighting(lapsed, 2)));

        assertThat(teams.replace(team, "Late evening", List.of("ann", "cat"), List.of(new Weighting(recent, 3))))
                .isTrue();

        assertThat(teams.team(team)).contains(new Team(team, "Late evening", List.of("ann", "cat"),
                List.of(new TeamCallList(recent, winter, 3))));
        assertThat(teams.teamOf("bob")).isEmpty();
        assertThat(teams.replace(team + 1, "Nobody", List.of(), List.of())).isFalse();
    }

    @OnEachDatabase
    void onlyExistingAgentsListsAndWeightingsOfAtLeastOneAreTaken() {
        long team = teams.create("Evening", List.of("ann"), List.of(new Weighting(lapsed, 2)));
        Team before = teams.team(team).orElseThrow();

        assertRefused(() -> teams.replace(team, "Evening", List.of("sam"), List.of()), Reason.INVALID,
                "sam is not an agent");
        assertRefused(() -> teams.replace(team, "Evening", List.of("nobody"), List.of()), Reason.INVALID,
                "nobody is not an agent");
        assertRefused(() -> teams.replace(team, "Evening", List.of(), List.of(new Weighting(recent, 0))),
                Reason.INVALID, "weighting must be at least 1");
        assertRefused(() -> teams.replace(team, "Evening", List.of(), List.of(new Weighting(springList + 1, 1))),
                Reason.NOT_FOUND, "no call list");
        assertRefused(() -> teams.replace(team, "Evening", List.of(), List.of(new Weighting(recent, 1),
                new Weighting(recent, 2))), Reason.INVALID, "named twice");
        assertRefused(() -> teams.create("", List.of(), List.of()), Reason.INVALID, "name");

        assertThat(teams.team(team)).contains(before);
    }

    @OnEachDatabase
    void aTeamNameIsTakenOnce() {
        teams.create("Evening", List.of(), List.of());
        long morning = teams.create("Morning", List.of(), List.of());

        assertRefused(() -> teams.create("Evening", List.of("ann"), List.of()), Reason.CONFLICT, "already exists");
        assertRefused(() -> teams.replace(morning, "Evening", List.of(), List.of()), Reason.CONFLICT,
                "already exists");

        assertThat(teams.team(morning).orElseThrow().name()).isEqualTo("Morning");
        assertThat(teams.teamOf("ann")).isEmpty();
    }

    private void profile(String userId, String role) {
        database.jdbc().update("insert into call_centre_user (user_id, role, restricted, device, created_at, "
                + "updated_at) values (?, ?, false, ?, ?, ?)", userId, role, "client:" + userId, Timestamp.from(T0),
                Timestamp.from(T0));
    }

    private static void assertRefused(Runnable call, Reason reason, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RefusedException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
