package org.callcentre.inbound;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.callcentre.dialler.AgentPhone;
import org.callcentre.telephony.TwilioCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Puts a team's longest-waiting caller through to its longest-free agent. One transaction per match, holding the
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
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;
    private final Executor executor;

    public InboundDispatch(InboundCalls calls, AgentAvailability agents, InboundMessages messages, TwilioCalls twilio,
            InboundUrls urls, PlatformTransactionManager transactions, org.springframework.jdbc.core.JdbcTemplate jdbc,
            Executor executor) {
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

    /** Matches callers with free agents until one side runs out; answers how many callers were put through. */
    public int dispatch(long teamId) {
        int matched = 0;
        while (true) {
            Optional<Match> match = transaction.execute(tx -> match(teamId));
            if (match.isEmpty()) {
                return matched;
            }
            if (putThrough(match.get())) {
                matched++;
            }
        }
    }

    private record Match(InboundCall call, String userId) {
    }

    private Optional<Match> match(long teamId) {
        jdbc.queryForObject("select id from team where id = ? for update", Long.class, teamId);
        List<InboundCall> queue = calls.queue(teamId);
        if (queue.isEmpty()) {
            return Optional.empty();
        }
        InboundCall head = queue.get(0);
        for (String userId : agents.free(teamId)) {
            if (agents.take(userId, head.id())) {
                calls.assign(head.id(), userId);
                messages.agentAssigned(head.processInstanceId());
                return Optional.of(new Match(head, userId));
            }
        }
        return Optional.empty();
    }

    private boolean putThrough(Match match) {
        try {
            twilio.redirect(match.call().callSid(), urls.bridge(match.call().id()));
            return true;
        } catch (RuntimeException e) {
            log.info("Inbound call {} could not be moved to {}: {}", match.call().id(), match.userId(), e.toString());
            transaction.executeWithoutResult(tx -> {
                calls.lock(match.call().id());
                if (calls.withdraw(match.call().id())) {
                    messages.assignmentWithdrawn(match.call().processInstanceId());
                }
                agents.release(match.userId(), match.call().id());
            });
            return false;
        }
    }

    /** The conference the caller joins: the agent's. */
    static String conferenceOf(InboundCall call) {
        return AgentPhone.conferenceOf(call.assignedTo());
    }
}
