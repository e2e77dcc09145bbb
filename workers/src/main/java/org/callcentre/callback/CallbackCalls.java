package org.callcentre.callback;

import static org.callcentre.problem.RefusedException.conflict;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.callcentre.callback.Callback.Status;
import org.callcentre.dialler.AgentPhone;
import org.callcentre.dialler.AgentPhoneLine;
import org.callcentre.dialler.AgentPhones;
import org.callcentre.dialler.Caller;
import org.callcentre.dialler.DialRefusals;
import org.callcentre.dialler.DialRefusals.Refusal;
import org.callcentre.dialler.DiallerFacts;
import org.callcentre.dialler.DiallingCompliance;
import org.callcentre.dialler.DiallingCompliance.Verdict;
import org.callcentre.dialler.DiallingRefused;
import org.callcentre.dialler.DiallingRules;
import org.callcentre.dialler.LeadHistory;
import org.callcentre.dialler.LeadHistory.Kind;
import org.callcentre.dialler.LeadLocks;
import org.callcentre.dialler.OutboundCall;
import org.callcentre.dialler.OutboundCallDesk;
import org.callcentre.dialler.OutboundCalls;
import org.callcentre.problem.RefusedException;
import org.callcentre.telephony.CallStatusUpdate;
import org.callcentre.telephony.TwilioCalls;
import org.callcentre.user.CallCentreUsers;
import org.callcentre.user.Role;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Agent-first callback calls: the agent's device rings first (or, with the phone already connected, the agent hears
 * the announcement at once); once the agent has heard "This is the callback call…", the person is dialled into the
 * agent's conference by the dialler's usual call, which serves the callback. Everything is checked before the
 * agent's phone rings: the callback still open, the agent's device, calling hours, the dialling compliance
 * (do-not-call, block list, allowed countries), no other call, the lead's lock. A refusal is recorded on the lead's
 * history (and a compliance refusal as a dialling refusal), whatever happens to the request.
 */
public class CallbackCalls {

    private final Callbacks callbacks;
    private final JdbcTemplate jdbc;
    private final DiallerFacts facts;
    private final LeadLocks locks;
    private final LeadHistory history;
    private final AgentPhones phones;
    private final AgentPhoneLine line;
    private final OutboundCalls calls;
    private final OutboundCallDesk desk;
    private final TwilioCalls twilio;
    private final CallbackUrls urls;
    private final CallCentreUsers users;
    private final DiallingCompliance compliance;
    private final DialRefusals refusals;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final TransactionTemplate ownTransaction;

    public CallbackCalls(Callbacks callbacks, JdbcTemplate jdbc, DiallerFacts facts, LeadLocks locks,
            LeadHistory history, AgentPhones phones, AgentPhoneLine line, OutboundCalls calls, OutboundCallDesk desk,
            TwilioCalls twilio, CallbackUrls urls, CallCentreUsers users, DiallingCompliance compliance,
            DialRefusals refusals, Clock clock, PlatformTransactionManager transactions) {
        this.compliance = compliance;
        this.refusals = refusals;
        this.callbacks = callbacks;
        this.jdbc = jdbc;
        this.facts = facts;
        this.locks = locks;
        this.history = history;
        this.phones = phones;
        this.line = line;
        this.calls = calls;
        this.desk = desk;
        this.twilio = twilio;
        this.urls = urls;
        this.users = users;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Offers the callback to the agent and rings the agent's device (or announces it on the connected phone).
     * Answers the callback as it is now (OFFERED to the agent).
     */
    public Callback call(long callbackId, Caller caller) {
        Callback callback;
        AgentPhone phone;
        try {
            Offered offered = transaction.execute(tx -> offer(callbackId, caller));
            callback = offered.callback();
            phone = offered.phone();
        } catch (RefusedException refused) {
            if (refused instanceof DiallingRefused dialling) {
                refusals.recordApart(dialling.refusal());
            }
            recordRefusal(callbackId, caller.userId(), refused.getMessage());
            throw refused;
        }
        String url = urls.agentAnswered(callbackId, caller.userId());
        try {
            if (phone != null && phone.connected() && !CallStatusUpdate.isEnded(phone.status())) {
                twilio.redirect(phone.callSid(), url);
            } else {
                line.connect(caller.userId(), url);
            }
        } catch (RuntimeException e) {
            transaction.executeWithoutResult(tx -> withdraw(callbackId, caller.userId()));
            String why = e instanceof RefusedException ? e.getMessage() : "the agent's phone could not be rung: "
                    + e.getMessage();
            recordRefusal(callbackId, caller.userId(), why);
            throw e instanceof RefusedException r ? r : conflict(why);
        }
        return callback;
    }

    /**
     * The agent answered and heard the announcement: the person is dialled into the agent's conference. Nothing
     * happens if the callback is no longer offered to the agent, or the agent's call is placed already (Twilio
     * fetched the announcement twice). Answers the call placed, if one was.
     */
    public Optional<OutboundCall> agentAnswered(long callbackId, String userId, String agentCallSid) {
        try {
            return placeFor(callbackId, userId, agentCallSid);
        } catch (RefusedException refused) {
            recordRefusal(callbackId, userId, refused.getMessage());
            throw refused;
        }
    }

    private Optional<OutboundCall> placeFor(long callbackId, String userId, String agentCallSid) {
        return transaction.execute(tx -> {
            Optional<Callback> callback = callbacks.callback(callbackId);
            if (callback.isEmpty() || callback.get().status() != Status.OFFERED
                    || !userId.equals(callback.get().offeredTo()) || calls.liveCallOf(userId).isPresent()) {
                return Optional.empty();
            }
            if (agentCallSid != null) {
                phones.apply(agentCallSid, "in-progress", null);
            }
            Role role = users.user(userId).map(user -> user.role()).orElse(Role.AGENT);
            return Optional.of(desk.place(callback.get().leadId(), new Caller(userId, role), callback.get().phone(),
                    callback.get().overrideCallingHours()));
        });
    }

    private record Offered(Callback callback, AgentPhone phone) {
    }

    private Offered offer(long callbackId, Caller caller) {
        Callback callback = callbacks.view(callbackId, caller);
        jdbc.queryForObject("select id from callback where id = ? for update", Long.class, callbackId);
        callback = callbacks.callback(callbackId).orElseThrow();
        boolean offeredToCaller = callback.status() == Status.OFFERED && caller.userId().equals(callback.offeredTo());
        if (callback.status() == Status.SCHEDULED) {
            throw conflict("callback " + callbackId + " is not due yet: reschedule it to now to call it back now");
        }
        if (callback.status() != Status.DUE && !offeredToCaller) {
            throw conflict("callback " + callbackId + " is " + callback.status() + (callback.offeredTo() == null ? ""
                    : " (offered to " + callback.offeredTo() + ")") + ": it cannot be called now");
        }
        if (facts.device(caller.userId()).isEmpty()) {
            throw conflict("you have no device to ring: ask an admin to set where your phone rings, then call back");
        }
        Instant now = clock.instant();
        DiallingRules rules = facts.rules(callback.campaignId()).orElseThrow();
        java.time.ZoneId zone = facts.lead(callback.leadId()).orElseThrow().timeZone();
        if (!callback.overrideCallingHours() && !rules.withinCallingHours(zone, now)) {
            throw conflict("it is outside the campaign's calling hours (" + rules.callingHoursStart() + " to "
                    + rules.callingHoursEnd() + " in " + zone + ")");
        }
        Verdict verdict = compliance.check(callback.campaignId(), callback.phone());
        if (!verdict.allowed()) {
            throw new DiallingRefused(new Refusal(callback.leadId(), callback.campaignId(), callback.phone(),
                    verdict.rule(), verdict.detail(), caller.userId(), null));
        }
        Optional<AgentPhone> phone = phones.lockPhone(caller.userId());
        if (phones.onInboundCall(caller.userId())) {
            throw conflict("you are on an inbound call: it must end before you call back");
        }
        calls.liveCallOf(caller.userId()).ifPresent(live -> {
            throw conflict("you are already on call " + live + ": it must end before you call back");
        });
        jdbc.queryForList("select id from callback where offered_to = ? and status = 'OFFERED' and id <> ?",
                Long.class, caller.userId(), callbackId).stream().findFirst().ifPresent(other -> {
                    throw conflict("callback " + other + " is offered to you: call it or let its lead go first");
                });
        if (!locks.heldBy(callback.leadId(), caller.userId())) {
            if (!locks.take(callback.leadId(), caller.userId(), now)) {
                throw conflict("lead " + callback.leadId() + " is open by " + locks.holder(callback.leadId())
                        .map(lock -> lock.userId()).orElse("someone else") + ": it cannot be called back now");
            }
            history.record(callback.leadId(), caller.userId(), Kind.LOCKED, "taken to call back callback "
                    + callbackId);
        }
        if (!offeredToCaller) {
            jdbc.update("update callback set status = 'OFFERED', offered_to = ?, offered_at = ?, offers = offers + 1, "
                    + "updated_at = ? where id = ?", caller.userId(), Timestamp.from(now), Timestamp.from(now),
                    callbackId);
            history.record(callback.leadId(), caller.userId(), Kind.CALLBACK_OFFERED, "callback " + callbackId
                    + " called back agent-first by " + caller.userId());
        }
        return new Offered(callbacks.callback(callbackId).orElseThrow(), phone.orElse(null));
    }

    /** The agent's phone could not be rung: the callback is due again for anyone of the team. */
    private void withdraw(long callbackId, String userId) {
        Callback callback = callbacks.callback(callbackId).orElseThrow();
        if (jdbc.update("update callback set status = 'DUE', offered_to = null, updated_at = ? where id = ? "
                + "and status = 'OFFERED' and offered_to = ?", Timestamp.from(clock.instant()), callbackId,
                userId) == 1) {
            locks.release(callback.leadId(), userId);
        }
    }

    private void recordRefusal(long callbackId, String userId, String why) {
        ownTransaction.executeWithoutResult(tx -> callbacks.callback(callbackId).ifPresent(callback -> history.record(
                callback.leadId(), userId, Kind.CALLBACK_CALL_REFUSED, "callback " + callbackId + " could not be "
                        + "called back agent-first by " + userId + ": " + why)));
    }
}
