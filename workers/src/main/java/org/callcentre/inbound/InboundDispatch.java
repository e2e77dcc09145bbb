package org.callcentre.inbound;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

import org.callcentre.callback.CallbackCalls;
import org.callcentre.dialler.Caller;
import org.callcentre.dialler.DiallerFacts;
import org.callcentre.telephony.CallNotInProgressException;
import org.callcentre.user.CallCentreUsers;
import org.callcentre.user.Role;
import org.springframework.jdbc.core.JdbcTemplate;
import org.callcentre.telephony.TwilioCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Puts a team's longest-waiting caller through to its longest-free agent, or has that agent call back a callback
 * asked for in the queue whose place came first. One transaction per match, holding the
 * team's row so that two nodes or two triggers never hand one caller or one agent out twice: the caller becomes
 * ASSIGNING and the agent busy, and the instance hears AgentAssigned. After the commit Twilio is asked to move the
 * caller's leg into the agent's conference; if it cannot (the caller hung up meanwhile, Twilio is down), the caller
 * gets their place back and the agent is free again. Runs when a caller joins a queue, when an agent becomes free,
 * and on a sweep ({@code inbound.dispatch-sweep}) that catches anything those missed.
 */
public class InboundDispatch {

    private static final Logger log = LoggerFactory.getLogger(InboundDispatch.class);

    private final InboundCalls calls;
    private final AgentAvailability agents;
    private final InboundMessages messages;
    private final TwilioCalls twilio;
    private final InboundUrls urls;
    private final TransactionTemplate transaction;
    private final JdbcTemplate jdbc;
    private final Executor executor;
    private final CallbackCalls callbacks;
    private final DiallerFacts facts;
    private final CallCentreUsers users;
    private final Clock clock;

    public InboundDispatch(InboundCalls calls, AgentAvailability agents, InboundMessages messages, TwilioCalls twilio,
            InboundUrls urls, PlatformTransactionManager transactions, JdbcTemplate jdbc, Executor executor,
            CallbackCalls callbacks, DiallerFacts facts, CallCentreUsers users, Clock clock) {
        this.callbacks = callbacks;
        this.facts = facts;
        this.users = users;
        this.clock = clock;
        this.calls = calls;
        this.agents = agents;
        this.messages = messages;
        this.twilio = twilio;
        this.urls = urls;
        this.transaction = new TransactionTemplate(transactions);
        this.jdbc = jdbc;
        this.executor = executor;
    }

    /** Matches the team's queue with its free agents, on another thread (after the caller's commit). */
    public void soon(long teamId) {
        executor.execute(() -> {
            try {
                dispatch(teamId);
            } catch (RuntimeException e) {
                log.warn("Dispatching team {}'s queue failed; the sweep tries again", teamId, e);
            }
        });
    }

    /** Every team with someone waiting. */
    public void sweep() {
        for (long teamId : transaction.execute(tx -> agents.teamsWithCallers())) {
            dispatch(teamId);
        }
    }

    /**
     * Matches the queue with free agents until one side runs out; answers how many were put through. The queue is
     * the team's waiting callers and the callbacks asked for in it, each in its place: a callback's place is its due
     * time (for one asked for "as soon as an agent is free", the moment its caller joined the queue), so it is
     * called back when its caller would have reached the head of the queue.
     */
    public int dispatch(long teamId) {
        int matched = 0;
        Set<Long> refusedCallbacks = new HashSet<>();
        while (true) {
            Optional<Match> match = transaction.execute(tx -> match(teamId, refusedCallbacks));
            if (match.isEmpty()) {
                return matched;
            }
            if (match.get().callbackId() != null) {
                if (callBack(match.get())) {
                    matched++;
                } else {
                    refusedCallbacks.add(match.get().callbackId());
                }
            } else {
                Moved moved = putThrough(match.get());
                if (moved == Moved.PUT_THROUGH) {
                    matched++;
                } else if (moved == Moved.TWILIO_UNAVAILABLE) {
                    // The caller keeps their place; the next trigger or sweep tries again.
                    return matched;
                }
            }
        }
    }

    private record Match(InboundCall call, Long callbackId, String userId) {
    }

    private record QueuedCallback(long id, Instant place, long leadId, long campaignId, boolean override) {
    }

    private Optional<Match> match(long teamId, Set<Long> refusedCallbacks) {
        jdbc.queryForObject("select id from team where id = ? for update", Long.class, teamId);
        List<InboundCall> queue = calls.queue(teamId);
        Optional<QueuedCallback> callback = headCallback(teamId, refusedCallbacks);
        boolean callbackFirst = callback.isPresent() && (queue.isEmpty()
                || callback.get().place().isBefore(queue.get(0).enqueuedAt()));
        if (queue.isEmpty() && !callbackFirst) {
            return Optional.empty();
        }
        List<String> free = agents.free(teamId);
        if (callbackFirst) {
            return free.stream().findFirst().map(userId -> new Match(null, callback.get().id(), userId));
        }
        InboundCall head = queue.get(0);
        for (String userId : free) {
            if (agents.take(userId, head.id())) {
                calls.assign(head.id(), userId);
                messages.agentAssigned(head.processInstanceId());
                return Optional.of(new Match(head, null, userId));
            }
        }
        return Optional.empty();
    }

    /** The team's earliest callback asked for in its queue that is due and may be called now. */
    private Optional<QueuedCallback> headCallback(long teamId, Set<Long> refused) {
        Instant now = clock.instant();
        List<QueuedCallback> due = jdbc.query("select c.id, c.due_at, c.lead_id, c.campaign_id, "
                + "c.override_calling_hours from callback c where c.team_id = ? and c.origin = 'IVR' "
                + "and c.status = 'DUE' and c.due_at <= ? order by c.due_at, c.id limit 20",
                (rs, n) -> new QueuedCallback(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getLong(3),
                        rs.getLong(4), rs.getBoolean(5)), teamId, java.sql.Timestamp.from(now));
        for (QueuedCallback candidate : due) {
            if (refused.contains(candidate.id())) {
                continue;
            }
            if (candidate.override() || facts.rules(candidate.campaignId()).map(rules -> rules.withinCallingHours(
                    facts.lead(candidate.leadId()).orElseThrow().timeZone(), now)).orElse(false)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The agent calls the callback back, agent-first; false if that was refused (it stays due for others). */
    private boolean callBack(Match match) {
        try {
            Role role = users.user(match.userId()).map(user -> user.role()).orElse(Role.AGENT);
            callbacks.call(match.callbackId(), new Caller(match.userId(), role));
            return true;
        } catch (RuntimeException e) {
            log.info("Callback {} could not be called back by {}: {}", match.callbackId(), match.userId(),
                    e.getMessage());
            return false;
        }
    }

    private enum Moved { PUT_THROUGH, CALL_GONE, TWILIO_UNAVAILABLE }

    /**
     * Asks Twilio to move the caller. A call that is no longer in progress has ended (its final status may be late or
     * lost): the instance hears the end now, so the call is lost rather than offered again. Twilio out of reach: the
     * caller gets their place back and the agent is free.
     */
    private Moved putThrough(Match match) {
        try {
            twilio.redirect(match.call().callSid(), urls.bridge(match.call().id()));
            return Moved.PUT_THROUGH;
        } catch (CallNotInProgressException gone) {
            log.info("Inbound call {} ended before it could be moved to {}", match.call().id(), match.userId());
            transaction.executeWithoutResult(tx -> {
                if (calls.lock(match.call().id()).map(call -> call.status() == InboundCall.Status.ASSIGNING)
                        .orElse(false)) {
                    messages.callEnded(match.call().processInstanceId());
                }
            });
            return Moved.CALL_GONE;
        } catch (RuntimeException e) {
            log.info("Inbound call {} could not be moved to {}: {}", match.call().id(), match.userId(), e.toString());
            transaction.executeWithoutResult(tx -> {
                calls.lock(match.call().id());
                if (calls.withdraw(match.call().id())) {
                    messages.assignmentWithdrawn(match.call().processInstanceId());
                }
                agents.release(match.userId(), match.call().id());
            });
            return Moved.TWILIO_UNAVAILABLE;
        }
    }
}
