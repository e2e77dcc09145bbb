package org.callcentre.journey;

import static org.callcentre.problem.RefusedException.forbidden;
import static org.callcentre.problem.RefusedException.notFound;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.callcentre.dialler.Caller;
import org.callcentre.dialler.OutboundCall;
import org.callcentre.dialler.OutboundCalls;
import org.callcentre.inbound.InboundCall;
import org.callcentre.inbound.InboundCalls;
import org.callcentre.journey.Activity.Kind;
import org.callcentre.journey.CallJourney.Step;
import org.callcentre.journey.CallJourney.StepKind;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The journey of one call. An agent sees their own outbound calls' journeys and those of the inbound calls put
 * through to them; supervisors see every call's. Reads run in the caller's transaction.
 */
public class CallJourneys {

    private final JdbcTemplate jdbc;
    private final OutboundCalls outboundCalls;
    private final InboundCalls inboundCalls;
    private final OutboundCallActivities outboundLinks;
    private final InboundCallActivities inboundLinks;

    public CallJourneys(JdbcTemplate jdbc, OutboundCalls outboundCalls, InboundCalls inboundCalls,
            OutboundCallActivities outboundLinks, InboundCallActivities inboundLinks) {
        this.jdbc = jdbc;
        this.outboundCalls = outboundCalls;
        this.inboundCalls = inboundCalls;
        this.outboundLinks = outboundLinks;
        this.inboundLinks = inboundLinks;
    }

    /**
     * An outbound call: placed by the agent, routed to a queue, the agent on their device (an outbound call joins the
     * agent's phone line, so the agent is on it from the moment it is placed), the customer's answer, the end.
     */
    public CallJourney outbound(long id, Caller caller) {
        OutboundCall call = outboundCalls.call(id).orElseThrow(() -> notFound("there is no call " + id));
        if (caller.isAgent() && !call.userId().equals(caller.userId())) {
            throw forbidden("call " + id + " is another agent's");
        }
        Long callbackId = jdbc.queryForObject("select callback_id from outbound_call where id = ?", Long.class, id);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(StepKind.INITIATED, call.placedAt(), "outgoing call initiated by " + call.userId(),
                call.userId(), null, null));
        queueOf(call.userId(), callbackId).ifPresent(queue -> steps.add(new Step(StepKind.ROUTED, call.placedAt(),
                "routed to the queue of " + queue, null, null, queue)));
        String device = device(call.userId());
        steps.add(new Step(StepKind.ANSWERED_BY_AGENT, call.placedAt(), "answered by " + call.userId()
                + (device == null ? "" : " on " + device), call.userId(), device, null));
        Instant answered = call.statusHistory().stream().filter(change -> "in-progress".equals(change.status()))
                .map(OutboundCall.StatusChange::at).findFirst().orElse(null);
        if (answered != null) {
            steps.add(new Step(StepKind.ANSWERED_BY_CUSTOMER, answered, "answered by " + customer(call.leadId(),
                    call.to()), null, null, null));
        }
        if (call.isFinal() && call.endedAt() != null) {
            steps.add(new Step(StepKind.ENDED, call.endedAt(), "call ended: " + OutboundCallActivities.detail(
                    call.status(), call.errorCode(), call.errorMessage()), null, null, null));
        }
        String outcome = jdbc.queryForList("select status from lead_call_status where call_id = ?", String.class, id)
                .stream().findFirst().orElse(null);
        return new CallJourney(Kind.OUTBOUND_CALL, id, List.copyOf(steps), call.from(), call.to(), answered,
                talking(answered, call.endedAt()), call.isFinal() ? call.status() : null, outcome,
                outboundLinks.links(id, callbackId));
    }

    /**
     * An inbound call: the caller called an inbound number, was routed to a team's queue, joined an agent on their
     * device, and the call ended.
     */
    public CallJourney inbound(long id, Caller caller) {
        InboundCall call = inboundCalls.call(id).orElseThrow(() -> notFound("there is no inbound call " + id));
        if (caller.isAgent() && !caller.userId().equals(call.assignedTo())) {
            throw forbidden("inbound call " + id + " was not put through to you");
        }
        String called = jdbc.queryForObject("select number from inbound_number where id = ?", String.class,
                call.inboundNumberId());
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(StepKind.INITIATED, call.startedAt(), "incoming call from " + call.from() + " to "
                + called, null, null, null));
        if (call.teamId() != null && call.enqueuedAt() != null) {
            String team = teamName(call.teamId());
            steps.add(new Step(StepKind.ROUTED, call.enqueuedAt(), "routed to the queue of " + team, null, null,
                    team));
        }
        if (call.answeredAt() != null && call.assignedTo() != null) {
            String device = device(call.assignedTo());
            steps.add(new Step(StepKind.ANSWERED_BY_AGENT, call.answeredAt(), "answered by " + call.assignedTo()
                    + (device == null ? "" : " on " + device), call.assignedTo(), device, null));
        }
        if (call.status() == InboundCall.Status.ENDED && call.endedAt() != null) {
            steps.add(new Step(StepKind.ENDED, call.endedAt(), "call ended: " + (call.result() == null ? "ended"
                    : InboundCallActivities.ended(call.result(), call.assignedTo())), null, null, null));
        }
        return new CallJourney(Kind.INBOUND_CALL, id, List.copyOf(steps), called, call.from(), call.answeredAt(),
                talking(call.answeredAt(), call.endedAt()), call.result() == null ? null : call.result().name(), null,
                inboundLinks.links(id, call.callbackId()));
    }

    /** The team of the callback the call serves, else the agent's team. */
    private Optional<String> queueOf(String userId, Long callbackId) {
        if (callbackId != null) {
            return jdbc.queryForList("select t.name from callback c join team t on t.id = c.team_id where c.id = ?",
                    String.class, callbackId).stream().findFirst();
        }
        return jdbc.queryForList("select t.name from team_agent a join team t on t.id = a.team_id where a.user_id = ?",
                String.class, userId).stream().findFirst();
    }

    private String teamName(long teamId) {
        return jdbc.queryForList("select name from team where id = ?", String.class, teamId).stream().findFirst()
                .orElse("team " + teamId);
    }

    /** Where the agent's phone rings ({@code call_centre_user.device}), if they have one. */
    private String device(String userId) {
        return jdbc.queryForList("select device from call_centre_user where user_id = ?", String.class, userId)
                .stream().filter(device -> !device.isBlank()).findFirst().orElse(null);
    }

    /** The lead's name, or the number when the lead has none. */
    private String customer(long leadId, String number) {
        return jdbc.queryForList("select trim(concat(coalesce(first_name, ''), ' ', coalesce(last_name, ''))) "
                + "from lead where id = ?", String.class, leadId).stream().filter(name -> !name.isBlank())
                .findFirst().map(name -> name + " (" + number + ")").orElse(number);
    }

    private static Long talking(Instant answered, Instant ended) {
        return answered == null || ended == null ? null : Duration.between(answered, ended).toSeconds();
    }
}
