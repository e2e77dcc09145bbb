package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.ticket.Tickets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Every ticket endpoint called by each kind of caller: a refused call answers 403 (401 without a login) with a
 * problem detail and changes nothing; an allowed one succeeds with the endpoint's own status. Tickets are for anyone
 * in a role, but an agent only on the tickets of a group they are in (here: a member of the group, and an agent who
 * is not); Agent Admins and Admin Operations work every group, and the Call Center home answers every caller with the
 * groups they work. Each case gets tickets of its own, made before it: one to work on and a completed one to merge it
 * into.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TicketRoleMatrixEndToEndTest extends EndToEndTest {

    enum Caller {
        ANONYMOUS, ADMIN_OPS, RESTRICTED_ADMIN_OPS, AGENT_ADMIN, MEMBER, STRANGER
    }

    private static final Set<Caller> WITH_ACCESS = EnumSet.of(Caller.ADMIN_OPS, Caller.RESTRICTED_ADMIN_OPS,
            Caller.AGENT_ADMIN, Caller.MEMBER);
    private static final Set<Caller> NOBODY = EnumSet.noneOf(Caller.class);
    /** Every signed-in caller: what it answers depends on the groups the caller works. */
    private static final Set<Caller> EVERY_ROLE = EnumSet.complementOf(EnumSet.of(Caller.ANONYMOUS));

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    Tickets tickets;

    private final Map<Caller, AgentApi> callers = new EnumMap<>(Caller.class);
    /** The ticket each case works on, the one it merges into, and the ticket's photo. */
    private final Map<Caller, Long> ticket = new EnumMap<>(Caller.class);
    private final Map<Caller, Long> into = new EnumMap<>(Caller.class);
    private final Map<Caller, Long> photo = new EnumMap<>(Caller.class);
    private TicketScene scene;
    /** The group whose tickets the cases work, and a second one to move them to; the member is in both. */
    private String group;
    private String other;

    record Endpoint(String name, Set<Caller> allowed, int success, BiFunction<Caller, AgentApi, AgentApi.Reply> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void staffAndGroups() {
        scene = new TicketScene(BASE, jdbc, transactions, tickets);
        callers.put(Caller.ANONYMOUS, anonymous);
        callers.put(Caller.ADMIN_OPS, CallCentreStaff.create(admin, "tmatrixops", "ADMIN_OPS", false));
        callers.put(Caller.RESTRICTED_ADMIN_OPS, CallCentreStaff.create(admin, "tmatrixrestricted", "ADMIN_OPS",
                true));
        callers.put(Caller.AGENT_ADMIN, CallCentreStaff.create(admin, "tmatrixagentadmin", "AGENT_ADMIN", false));
        callers.put(Caller.MEMBER, CallCentreStaff.create(admin, "tmatrixmember", "AGENT", false));
        callers.put(Caller.STRANGER, CallCentreStaff.create(admin, "tmatrixstranger", "AGENT", false));
        group = TicketScene.group(admin, "Matrix", List.of(callers.get(Caller.MEMBER).user()));
        other = TicketScene.group(admin, "Elsewhere", List.of(callers.get(Caller.MEMBER).user()));
    }

    Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (Caller caller : Caller.values()) {
                cases.add(Arguments.of(endpoint, caller));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("matrix")
    void eachRoleGetsWhatTheTableGivesIt(Endpoint endpoint, Caller caller) {
        ticket.put(caller, scene.received(group, TicketScene.email("matrix"), "Sofa"));
        into.put(caller, scene.received(group, TicketScene.email("matrix"), "Armchair"));
        photo.put(caller, scene.attachments(ticket.get(caller)).get(0));
        // A completed ticket, for "close completed tickets" to close.
        scene.update("update ticket set status = 'COMPLETED' where id = ?", into.get(caller));
        String before = state();

        AgentApi.Reply reply = endpoint.call().apply(caller, callers.get(caller));

        if (caller == Caller.ANONYMOUS) {
            assertProblem(reply, 401);
            assertThat(state()).as("nothing changed").isEqualTo(before);
        } else if (endpoint.allowed().contains(caller)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(endpoint.success());
        } else {
            assertProblem(reply, 403);
            assertThat(state()).as("nothing changed").isEqualTo(before);
        }
    }

    /** The tickets of both groups, with what hangs off each. */
    private String state() {
        return jdbc.queryForList("select t.*, "
                + "(select count(*) from ticket_history h where h.ticket_id = t.id) history, "
                + "(select count(*) from ticket_note n where n.ticket_id = t.id) notes, "
                + "(select count(*) from ticket_message m where m.ticket_id = t.id) messages, "
                + "(select count(*) from ticket_attachment a where a.ticket_id = t.id and a.content is not null) "
                + "photos from ticket t where t.group_key in (?, ?) order by t.id", group, other).toString();
    }

    private List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("POST /api/tickets", WITH_ACCESS, 201, (caller, api) -> api.post("/api/tickets",
                        Map.of("group", group, "title", "Blank", "endUser",
                                Map.of("email", TicketScene.email("matrix"))))),
                new Endpoint("GET /api/tickets/{n}", WITH_ACCESS, 200, (caller, api) -> api.get(path(caller))),
                new Endpoint("PATCH /api/tickets/{n}", WITH_ACCESS, 200, (caller, api) -> api.send("PATCH",
                        path(caller), Map.of("nextAction", "Call back"))),
                new Endpoint("GET /api/tickets/{n}/history", WITH_ACCESS, 200,
                        (caller, api) -> api.get(path(caller) + "/history")),
                new Endpoint("POST /api/tickets/{n}/notes", WITH_ACCESS, 201,
                        (caller, api) -> api.post(path(caller) + "/notes", Map.of("text", "Noted"))),
                new Endpoint("POST /api/tickets/{n}/move", WITH_ACCESS, 200,
                        (caller, api) -> api.post(path(caller) + "/move", Map.of("group", other))),
                new Endpoint("POST /api/tickets/{n}/merge", WITH_ACCESS, 200,
                        (caller, api) -> api.post(path(caller) + "/merge", Map.of("intoNumber", into.get(caller)))),
                new Endpoint("POST /api/tickets/{n}/close", WITH_ACCESS, 200,
                        (caller, api) -> api.post(path(caller) + "/close", Map.of())),
                new Endpoint("GET /api/tickets/{n}/attachments/{id}", WITH_ACCESS, 200,
                        (caller, api) -> api.get(path(caller) + "/attachments/" + photo.get(caller))),
                new Endpoint("GET /api/groups/{key}/tickets", WITH_ACCESS, 200,
                        (caller, api) -> api.get("/api/groups/" + group + "/tickets?sort=-number")),
                new Endpoint("POST /api/groups/{key}/tickets/close-completed", WITH_ACCESS, 200,
                        (caller, api) -> api.post("/api/groups/" + group + "/tickets/close-completed", Map.of())),
                new Endpoint("GET /api/groups/{key}/tickets/closed", WITH_ACCESS, 200,
                        (caller, api) -> api.get("/api/groups/" + group + "/tickets/closed")),
                new Endpoint("GET /api/users/me/ticket-groups", EVERY_ROLE, 200,
                        (caller, api) -> api.get("/api/users/me/ticket-groups")),
                // What the API does not offer is refused to everyone.
                new Endpoint("DELETE /api/tickets/{n}", NOBODY, 0, (caller, api) -> api.delete(path(caller))),
                new Endpoint("PUT /api/tickets/{n}", NOBODY, 0,
                        (caller, api) -> api.put(path(caller), Map.of("title", "Replaced"))),
                new Endpoint("DELETE /api/tickets/{n}/notes", NOBODY, 0,
                        (caller, api) -> api.delete(path(caller) + "/notes")));
    }

    private String path(Caller caller) {
        return "/api/tickets/" + ticket.get(caller);
    }
}
