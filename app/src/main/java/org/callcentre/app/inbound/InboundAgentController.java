package org.callcentre.app.inbound;

import static org.callcentre.problem.RefusedException.forbidden;
import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;

import java.time.Clock;
import java.time.Instant;

import org.callcentre.app.security.Callers;
import org.callcentre.app.inbound.InboundApi.AvailabilityRequest;
import org.callcentre.app.inbound.InboundApi.IncomingCall;
import org.callcentre.app.inbound.InboundApi.MyInbound;
import org.callcentre.app.inbound.InboundApi.QueueView;
import org.callcentre.app.inbound.InboundApi.Waiting;
import org.callcentre.callback.Callbacks;
import org.callcentre.dialler.Caller;
import org.callcentre.dialler.Teams;
import org.callcentre.inbound.AgentAvailability;
import org.callcentre.inbound.InboundCalls;
import org.callcentre.inbound.InboundDispatch;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Agents taking inbound calls: availability, the call being put through to them, and their team's queue. */
@RestController
public class InboundAgentController {

    private final AgentAvailability availability;
    private final InboundCalls calls;
    private final InboundDispatch dispatch;
    private final Teams teams;
    private final Callbacks callbacks;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate transaction;

    public InboundAgentController(AgentAvailability availability, InboundCalls calls, InboundDispatch dispatch,
            Teams teams, Callbacks callbacks, JdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.availability = availability;
        this.calls = calls;
        this.dispatch = dispatch;
        this.teams = teams;
        this.callbacks = callbacks;
        this.jdbc = jdbc;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Available: the team's longest-waiting caller is put through to the agent's phone when the agent is free. */
    @PostMapping("/api/agents/me/availability")
    public MyInbound setAvailability(@RequestBody AvailabilityRequest body, Authentication user) {
        if (body == null || body.available() == null) {
            throw invalid("available is required: true or false");
        }
        long teamId = transaction.execute(tx -> availability.set(user.getName(), body.available()));
        if (body.available()) {
            dispatch.soon(teamId);
        }
        return mine(user);
    }

    @GetMapping("/api/agents/me/inbound")
    public MyInbound mine(Authentication user) {
        String userId = user.getName();
        return transaction.execute(tx -> new MyInbound(availability.available(userId),
                teams.teamOf(userId).orElse(null), calls.currentOf(userId)
                .map(call -> new IncomingCall(call.id(), call.from(), call.status().name(), call.leadId(),
                        leadName(call.leadId()), call.assignedAt())).orElse(null)));
    }

    /** Who waits in a team's queue and for how long. Agents see their own team's only. */
    @GetMapping("/api/queues/{teamId}")
    public QueueView queue(@PathVariable long teamId, Authentication user) {
        Caller caller = Callers.of(user);
        return transaction.execute(tx -> {
            if (teams.team(teamId).isEmpty()) {
                throw notFound("there is no team " + teamId);
            }
            if (caller.isAgent() && !teams.teamOf(caller.userId()).map(team -> team == teamId).orElse(false)) {
                throw forbidden("team " + teamId + " is not your team");
            }
            Instant now = clock.instant();
            return new QueueView(teamId, calls.queue(teamId).stream().map(call -> Waiting.of(call, now)).toList(),
                    availability.free(teamId).size(), callbacks.queuedRequests(teamId));
        });
    }

    private String leadName(Long leadId) {
        if (leadId == null) {
            return null;
        }
        return jdbc.query("select first_name, last_name from lead where id = ?", (rs, n) -> ((rs.getString(1) == null
                ? "" : rs.getString(1)) + " " + (rs.getString(2) == null ? "" : rs.getString(2))).strip(), leadId)
                .stream().filter(name -> !name.isEmpty()).findFirst().orElse(null);
    }
}
