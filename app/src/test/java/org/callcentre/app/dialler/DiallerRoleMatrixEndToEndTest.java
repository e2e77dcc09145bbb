package org.callcentre.app.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.callcentre.app.support.Problems.assertProblem;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.EndToEndTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every dialler endpoint of the role table, called by each kind of caller: a refused call answers 403 (401 without a
 * login) with a problem detail and changes nothing; an allowed one succeeds with the endpoint's own status. The data
 * each call needs (a lead the agent holds, a connected phone, the caller's own call) is made ready before each case,
 * so that no case depends on the ones before it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiallerRoleMatrixEndToEndTest extends EndToEndTest {

    /**
     * The anonymous caller comes first in each endpoint's cases: before the allowed ones start calls and phones whose
     * statuses then arrive on their own while a later case compares the rows.
     */
    enum Caller {
        ANONYMOUS, ADMIN_OPS, RESTRICTED_ADMIN_OPS, AGENT_ADMIN, AGENT
    }

    private static final Set<Caller> ADMINS = EnumSet.of(Caller.ADMIN_OPS, Caller.RESTRICTED_ADMIN_OPS);
    private static final Set<Caller> SUPERVISORS = EnumSet.of(Caller.ADMIN_OPS, Caller.RESTRICTED_ADMIN_OPS,
            Caller.AGENT_ADMIN);
    private static final Set<Caller> EVERYONE = EnumSet.of(Caller.ADMIN_OPS, Caller.RESTRICTED_ADMIN_OPS,
            Caller.AGENT_ADMIN, Caller.AGENT);
    private static final Set<Caller> AGENTS = EnumSet.of(Caller.AGENT);
    private static final String ON_THE_LIST = DiallerSetup.mobile();
    private static final String TAKEN_OFF = DiallerSetup.mobile();
    /** Prefixes in +999, a code no country has, so the lists the cases change refuse no other test's call. */
    private static final String LISTED_AND_TAKEN_OFF = "+99912" + (System.nanoTime() % 1_000_000);
    private static final java.util.concurrent.atomic.AtomicLong PREFIXES = new java.util.concurrent.atomic.AtomicLong(
            System.nanoTime() % 1_000_000);

    @Autowired
    JdbcTemplate jdbc;

    private final Map<Caller, AgentApi> callers = new java.util.EnumMap<>(Caller.class);
    private long campaign;
    private long callList;
    private long team;
    private String agentUser;
    private String agentAdminUser;
    private String teamName;
    /** A lead whose statuses are recorded and edited, one that is locked and let go, one to call for each caller. */
    private long statusLead;
    private long lockLead;
    private final Map<Caller, Long> callLead = new java.util.EnumMap<>(Caller.class);
    private final Map<Caller, Long> call = new java.util.EnumMap<>(Caller.class);

    /**
     * One endpoint: who may call it, the status an allowed caller gets, how to call it, the rows it would change, and
     * what is made ready for the caller before the call.
     */
    record Endpoint(String name, Set<Caller> allowed, int success, Function<AgentApi, AgentApi.Reply> call,
            String stateQuery, Consumer<Caller> ready) {
        Endpoint(String name, Set<Caller> allowed, int success, Function<AgentApi, AgentApi.Reply> call,
                String stateQuery) {
            this(name, allowed, success, call, stateQuery, caller -> { });
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void staff() {
        callers.put(Caller.ADMIN_OPS, CallCentreStaff.create(admin, "matrixops", "ADMIN_OPS", false));
        callers.put(Caller.RESTRICTED_ADMIN_OPS, CallCentreStaff.create(admin, "matrixrestricted", "ADMIN_OPS", true));
        callers.put(Caller.AGENT_ADMIN, CallCentreStaff.create(admin, "matrixagentadmin", "AGENT_ADMIN", false));
        callers.put(Caller.AGENT, CallCentreStaff.create(admin, "matrixagent", "AGENT", false));
        callers.put(Caller.ANONYMOUS, anonymous);
        agentUser = CallCentreStaff.create(admin, "matrixedited", "AGENT", false).user();
        agentAdminUser = CallCentreStaff.create(admin, "matrixeditedadmin", "AGENT_ADMIN", false).user();
        campaign = DiallerSetup.campaign(admin, allDay(), List.of("+447911123001", "+447911123002"));
        callList = DiallerSetup.callList(admin, campaign);
        teamName = CallCentreStaff.freshId("Matrix");
        team = admin.post("/api/teams", Map.of("name", teamName)).json().get("id").asLong();
        List<Long> leads = DiallerSetup.importLeads(admin, callList, DiallerSetup.mobile(), DiallerSetup.mobile(),
                DiallerSetup.mobile(), DiallerSetup.mobile(), DiallerSetup.mobile(), DiallerSetup.mobile(),
                DiallerSetup.mobile());
        statusLead = leads.get(0);
        lockLead = leads.get(1);
        for (Caller caller : Caller.values()) {
            callLead.put(caller, leads.get(2 + caller.ordinal()));
        }
        assertThat(admin.post("/api/leads/" + statusLead + "/call-statuses", Map.of("status", "CALL_BACK")).status())
                .isEqualTo(201);
        assertThat(admin.postCsv("/api/do-not-call", "phone\n" + ON_THE_LIST + "\n").status()).isEqualTo(200);
    }

    /** The calls the cases placed are hung up and the phones they connected too, for the tests that follow. */
    @AfterAll
    void hangUp() {
        call.values().forEach(id -> admin.delete("/api/calls/" + id));
        callers.values().forEach(api -> api.delete("/api/agents/me/phone"));
    }

    Stream<Arguments> matrix() {
        List<Endpoint> endpoints = endpoints();
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            for (Caller caller : Caller.values()) {
                cases.add(Arguments.of(endpoint, caller));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("matrix")
    void eachRoleGetsWhatTheTableGivesIt(Endpoint endpoint, Caller caller) {
        if (caller != Caller.ANONYMOUS) {
            endpoint.ready().accept(caller);
        }
        String before = state(endpoint);

        AgentApi.Reply reply = endpoint.call().apply(callers.get(caller));

        if (caller == Caller.ANONYMOUS) {
            assertProblem(reply, 401);
            assertThat(state(endpoint)).as("nothing changed").isEqualTo(before);
        } else if (endpoint.allowed().contains(caller)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(endpoint.success());
        } else {
            assertProblem(reply, 403);
            assertThat(state(endpoint)).as("nothing changed").isEqualTo(before);
        }
    }

    private String state(Endpoint endpoint) {
        return jdbc.queryForList(endpoint.stateQuery()).toString();
    }

    private List<Endpoint> endpoints() {
        String users = "select u.ID_, u.FIRST_, u.LAST_, u.PWD_, m.GROUP_ID_, p.role, p.restricted, p.device "
                + "from ACT_ID_USER u left join ACT_ID_MEMBERSHIP m on m.USER_ID_ = u.ID_ "
                + "left join call_centre_user p on p.user_id = u.ID_ order by u.ID_, m.GROUP_ID_";
        String campaignRules = "select * from campaign where id = " + campaign;
        String callerIds = "select * from caller_id where campaign_id = " + campaign + " order by number";
        String teams = "select t.id, t.name, a.user_id, l.call_list_id, l.weighting from team t "
                + "left join team_agent a on a.team_id = t.id left join team_call_list l on l.team_id = t.id "
                + "order by t.id, a.user_id, l.call_list_id";
        String leads = "select id, locked_by, last_call_status, dialable from lead order by id";
        String leadStatuses = "select * from lead_call_status order by id";
        String dnc = "select * from do_not_call order by number";
        String diallingLists = "select * from dialling_list_entry order by id";
        // What the allowed callers change, not the statuses Twilio reports afterwards on its own.
        String calls = "select count(*) from outbound_call";
        String hungUp = "select count(*) from outbound_call where final = true";
        String phones = "select user_id, call_sid from agent_phone order by user_id";
        String nothing = "select 1";
        String campaigns = "/api/campaigns/" + campaign;
        String lead = "/api/leads/" + statusLead;
        String locked = "/api/leads/" + lockLead;
        return List.of(
                new Endpoint("POST /api/users (agent)", ADMINS, 201,
                        api -> api.post("/api/users", CallCentreStaff.newUser("matrixnew", "AGENT", false)), users),
                new Endpoint("POST /api/users (agent admin)", EnumSet.of(Caller.ADMIN_OPS), 201,
                        api -> api.post("/api/users", CallCentreStaff.newUser("matrixnew", "AGENT_ADMIN", false)),
                        users),
                new Endpoint("POST /api/users (admin operations)", EnumSet.of(Caller.ADMIN_OPS), 201,
                        api -> api.post("/api/users", CallCentreStaff.newUser("matrixnew", "ADMIN_OPS", true)), users),
                new Endpoint("PUT /api/users/{agent}", ADMINS, 200,
                        api -> api.put("/api/users/" + agentUser, edit("AGENT", "Renamed")), users),
                new Endpoint("PUT /api/users/{agent} making an agent admin", EnumSet.of(Caller.ADMIN_OPS), 200,
                        api -> api.put("/api/users/" + agentUser, edit("AGENT_ADMIN", "Promoted")), users),
                new Endpoint("PUT /api/users/{agent admin}", EnumSet.of(Caller.ADMIN_OPS), 200,
                        api -> api.put("/api/users/" + agentAdminUser, edit("AGENT_ADMIN", "Renamed")), users),
                new Endpoint("GET /api/users", SUPERVISORS, 200, api -> api.get("/api/users"), nothing),
                new Endpoint("PUT campaigns/{id}/dialling", ADMINS, 200,
                        api -> api.put(campaigns + "/dialling", allDay()), campaignRules),
                new Endpoint("GET campaigns/{id}/dialling", SUPERVISORS, 200, api -> api.get(campaigns + "/dialling"),
                        nothing),
                new Endpoint("PUT campaigns/{id}/caller-ids", ADMINS, 200,
                        api -> api.put(campaigns + "/caller-ids", Map.of("numbers", List.of("+447911123001",
                                "+447911123002", "+447911123003"))), callerIds),
                new Endpoint("GET campaigns/{id}/caller-ids", SUPERVISORS, 200, api -> api.get(campaigns + "/caller-ids"),
                        nothing),
                new Endpoint("POST caller-ids/{number}/spam-flag", SUPERVISORS, 200,
                        api -> api.post(campaigns + "/caller-ids/+447911123002/spam-flag", null), callerIds),
                new Endpoint("POST /api/call-lists", SUPERVISORS, 201,
                        api -> api.post("/api/call-lists", Map.of("name", "More", "campaignId", campaign)),
                        "select * from call_list order by id"),
                new Endpoint("GET /api/call-lists/{id}", SUPERVISORS, 200, api -> api.get("/api/call-lists/" + callList),
                        nothing),
                new Endpoint("POST /api/teams", SUPERVISORS, 201,
                        api -> api.post("/api/teams", Map.of("name", CallCentreStaff.freshId("MatrixNew"))), teams),
                new Endpoint("PUT /api/teams/{id}", SUPERVISORS, 200,
                        api -> api.put("/api/teams/" + team, Map.of("name", teamName, "callLists",
                                List.of(Map.of("callListId", callList, "weighting", 2)))), teams),
                new Endpoint("GET /api/teams/{id}", SUPERVISORS, 200, api -> api.get("/api/teams/" + team), nothing),
                new Endpoint("POST /api/call-lists/{id}/leads", SUPERVISORS, 200,
                        api -> api.postCsv("/api/call-lists/" + callList + "/leads",
                                "first_name,last_name,phone\nAnn,Donor,+447911123456\n"), leads),
                new Endpoint("POST /api/do-not-call", SUPERVISORS, 200,
                        api -> api.postCsv("/api/do-not-call", "phone\n+447911123457\n"), dnc),
                new Endpoint("DELETE /api/do-not-call/{number}", SUPERVISORS, 204,
                        api -> api.delete("/api/do-not-call/" + TAKEN_OFF), dnc,
                        caller -> admin.postCsv("/api/do-not-call", "phone\n" + TAKEN_OFF + "\n")),
                new Endpoint("GET /api/do-not-call/{number}", EVERYONE, 200,
                        api -> api.get("/api/do-not-call/" + ON_THE_LIST), nothing),
                new Endpoint("POST /api/block-list", SUPERVISORS, 201,
                        api -> api.post("/api/block-list", newEntry()), diallingLists),
                new Endpoint("DELETE /api/block-list/{entry}", SUPERVISORS, 204,
                        api -> api.delete("/api/block-list/" + LISTED_AND_TAKEN_OFF), diallingLists,
                        caller -> admin.post("/api/block-list", Map.of("prefix", LISTED_AND_TAKEN_OFF,
                                "reason", "x"))),
                new Endpoint("GET /api/block-list", EVERYONE, 200, api -> api.get("/api/block-list"), nothing),
                new Endpoint("POST /api/allow-list", SUPERVISORS, 201,
                        api -> api.post("/api/allow-list", newEntry()), diallingLists),
                new Endpoint("DELETE /api/allow-list/{entry}", SUPERVISORS, 204,
                        api -> api.delete("/api/allow-list/" + LISTED_AND_TAKEN_OFF), diallingLists,
                        caller -> admin.post("/api/allow-list", Map.of("prefix", LISTED_AND_TAKEN_OFF,
                                "reason", "x"))),
                new Endpoint("GET /api/allow-list", EVERYONE, 200, api -> api.get("/api/allow-list"), nothing),
                new Endpoint("GET /api/leads (search)", SUPERVISORS, 200, api -> api.get("/api/leads?page=0&size=5"),
                        nothing),
                new Endpoint("GET /api/leads/{id}", EVERYONE, 200, api -> api.get(lead), nothing),
                new Endpoint("GET /api/leads/{id}/history", EVERYONE, 200, api -> api.get(lead + "/history"),
                        nothing),
                new Endpoint("GET /api/leads/{id}/call-lists", EVERYONE, 200, api -> api.get(lead + "/call-lists"),
                        nothing),
                new Endpoint("GET /api/leads/{id}/dial-refusals", EVERYONE, 200,
                        api -> api.get(lead + "/dial-refusals"), nothing),
                // An agent records and edits statuses of a lead it holds; the others need no lock.
                new Endpoint("POST /api/leads/{id}/call-statuses", EVERYONE, 201,
                        api -> api.post(lead + "/call-statuses", Map.of("status", "NO_ANSWER")), leadStatuses,
                        caller -> holds(caller, statusLead)),
                new Endpoint("PUT /api/leads/{id}/call-statuses/latest", EVERYONE, 200,
                        api -> api.put(lead + "/call-statuses/latest", Map.of("status", "BUSY")), leadStatuses,
                        caller -> holds(caller, statusLead)),
                // The matrix agent is in no team: Next Lead answers that nothing can be offered.
                new Endpoint("POST /api/agents/me/next-lead", AGENTS, 200,
                        api -> api.post("/api/agents/me/next-lead", null), leads),
                new Endpoint("POST /api/leads/{id}/lock", AGENTS, 200, api -> api.post(locked + "/lock", null), leads),
                new Endpoint("POST /api/leads/{id}/lock?override=true", AGENTS, 200,
                        api -> api.post(locked + "/lock?override=true", null), leads),
                new Endpoint("DELETE /api/leads/{id}/lock", AGENTS, 204, api -> api.delete(locked + "/lock"), leads,
                        caller -> holds(caller, lockLead)),
                // Rings the caller's own device in the Twilio emulator; the hang-up follows.
                new Endpoint("POST /api/agents/me/phone", EVERYONE, 202,
                        api -> api.post("/api/agents/me/phone", null), phones),
                new Endpoint("DELETE /api/agents/me/phone", EVERYONE, 204, api -> api.delete("/api/agents/me/phone"),
                        phones),
                new Endpoint("GET /api/agents/me", EVERYONE, 200, api -> api.get("/api/agents/me"), nothing),
                // Each caller calls its own lead with its phone connected (an agent holding the lead).
                new Endpoint("POST /api/leads/{id}/calls", EVERYONE, 201,
                        api -> placeCall(api), calls, this::readyToCall),
                new Endpoint("GET /api/calls/{id}", EVERYONE, 200, api -> api.get("/api/calls/" + callOf(api)),
                        nothing),
                new Endpoint("DELETE /api/calls/{id}", EVERYONE, 202, api -> api.delete("/api/calls/" + callOf(api)),
                        hungUp));
    }

    /** A block- or allow-list entry no case has added before. */
    private static Map<String, Object> newEntry() {
        return Map.of("prefix", "+99913" + PREFIXES.incrementAndGet(), "reason", "matrix");
    }

    private static Map<String, Object> allDay() {
        return DiallerSetup.rules(0, 10, 10, "00:00", "00:00", "Europe/London");
    }

    /** The matrix agent holds the lead (the others do not lock). */
    private void holds(Caller caller, long lead) {
        if (caller == Caller.AGENT) {
            AgentApi.Reply lock = callers.get(caller).post("/api/leads/" + lead + "/lock", null);
            assertThat(lock.status()).as(lock.toString()).isEqualTo(200);
        }
    }

    private void readyToCall(Caller caller) {
        holds(caller, callLead.get(caller));
        AgentApi api = callers.get(caller);
        AgentApi.Reply dialled = api.post("/api/agents/me/phone", null);
        assertThat(dialled.status()).as(dialled.toString()).isEqualTo(202);
        twilio.call(dialled.json().get("callSid").asText()).pickUp();
        await().atMost(WAIT).until(() -> api.get("/api/agents/me").json().get("phone").get("connected").asBoolean());
    }

    private AgentApi.Reply placeCall(AgentApi api) {
        Caller caller = callerOf(api);
        AgentApi.Reply placed = api.post("/api/leads/" + callLead.get(caller) + "/calls", Map.of());
        if (placed.status() == 201) {
            call.put(caller, placed.json().get("id").asLong());
        }
        return placed;
    }

    /** The call this caller placed; the anonymous caller asks for the admin's. */
    private long callOf(AgentApi api) {
        Caller caller = callerOf(api);
        return call.get(caller == Caller.ANONYMOUS ? Caller.ADMIN_OPS : caller);
    }

    private Caller callerOf(AgentApi api) {
        return callers.entrySet().stream().filter(entry -> entry.getValue() == api).findFirst().orElseThrow().getKey();
    }

    private static Map<String, Object> edit(String role, String lastName) {
        return Map.of("firstName", "Matrix", "lastName", lastName, "email", "matrix@example.org", "role", role,
                "device", "client:matrix");
    }
}
