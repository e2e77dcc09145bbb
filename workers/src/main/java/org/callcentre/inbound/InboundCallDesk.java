package org.callcentre.inbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.callcentre.callback.Callbacks;
import org.callcentre.callback.Callbacks.CallerOrigin;
import org.callcentre.callback.Callbacks.ForCaller;
import org.callcentre.callback.Callbacks.Scheduled;
import org.callcentre.dialler.LeadHistory;
import org.callcentre.dialler.LeadHistory.Kind;
import org.callcentre.inbound.InboundCall.Result;
import org.callcentre.inbound.InboundCall.Status;
import org.callcentre.inbound.InboundNumber.Option;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.inbound.InboundCallProcess;
import org.callcentre.processes.inbound.InboundCallProcess.Variables;
import org.callcentre.ticket.TicketGroup;
import org.callcentre.ticket.TicketGroups;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An inbound call's way, for the webhooks (each in its own transaction, with the call's row locked first) and for
 * the model's steps (in the transaction of the message that reached them). The webhooks write the row and tell the
 * instance; the steps decide and write what follows; the webhook then answers Twilio from the row.
 */
public class InboundCallDesk {

    private final InboundCalls calls;
    private final InboundNumbers numbers;
    private final InboundMessages messages;
    private final InboundProperties properties;
    private final CallerLeads leads;
    private final Callbacks callbacks;
    private final AgentAvailability agents;
    private final InboundDispatch dispatch;
    private final LeadHistory history;
    private final RuntimeService runtime;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TicketGroups groups;

    public InboundCallDesk(InboundCalls calls, InboundNumbers numbers, InboundMessages messages,
            InboundProperties properties, CallerLeads leads, Callbacks callbacks, AgentAvailability agents,
            InboundDispatch dispatch, LeadHistory history, RuntimeService runtime, JdbcTemplate jdbc, Clock clock,
            TicketGroups groups) {
        this.calls = calls;
        this.numbers = numbers;
        this.messages = messages;
        this.properties = properties;
        this.leads = leads;
        this.callbacks = callbacks;
        this.agents = agents;
        this.dispatch = dispatch;
        this.history = history;
        this.runtime = runtime;
        this.jdbc = jdbc;
        this.clock = clock;
        this.groups = groups;
    }

    public InboundProperties properties() {
        return properties;
    }

    // ------------------------------------------------------------------------------------------ the webhooks

    /** A new call to {@code to}; empty if it is none of our inbound numbers. A repeated webhook finds its row. */
    public Optional<InboundCall> receive(String callSid, String to, String from) {
        Optional<InboundNumber> number = numbers.byNumber(to);
        if (number.isEmpty()) {
            return Optional.empty();
        }
        InboundCalls.Received received = calls.receive(callSid, number.get().id(), from == null ? "" : from);
        if (!received.created()) {
            return Optional.of(received.call());
        }
        long id = received.call().id();
        leads.match(received.call().from()).ifPresent(leadId -> calls.matchedLead(id, leadId));
        String instance = runtime.startProcessInstanceByKey(InboundCallProcess.PROCESS_KEY, Long.toString(id),
                ProcessVariable.values().with(Variables.INBOUND_CALL_ID, id).asMap()).getId();
        calls.recordProcessInstance(id, instance);
        return calls.call(id);
    }

    /** The caller's answer to the menu: a key, or none ({@code digits} null or blank). */
    public InboundCall pressed(long id, String digits) {
        InboundCall call = calls.lock(id).orElseThrow();
        if (call.status() != Status.IVR) {
            return call;
        }
        String key = digits == null || digits.isBlank() ? null : digits.trim().substring(0, 1);
        calls.pressed(id, key);
        messages.menuChoice(call.processInstanceId());
        return calls.call(id).orElseThrow();
    }

    /** A key pressed at the callback offer while queued; another key changes nothing. */
    public InboundCall callbackKeyPressed(long id, String digits) {
        InboundCall call = calls.lock(id).orElseThrow();
        InboundNumber number = numbers.number(call.inboundNumberId()).orElseThrow();
        if (call.status() != Status.QUEUED || number.callbackOffer() == null || digits == null
                || !digits.trim().startsWith(number.callbackOffer().key())) {
            return call;
        }
        messages.callbackRequested(call.processInstanceId());
        return calls.call(id).orElseThrow();
    }

    /** Twilio is moving the caller into the agent's conference: the call is served from now on. */
    public InboundCall bridged(long id) {
        InboundCall call = calls.lock(id).orElseThrow();
        if (call.status() == Status.ASSIGNING && calls.bridged(id)) {
            messages.callerBridged(call.processInstanceId());
        }
        return calls.call(id).orElseThrow();
    }

    /** Twilio says the call ended (the caller hung up, or the conversation is over). Safe to hear twice. */
    public void ended(long id) {
        InboundCall call = calls.lock(id).orElseThrow();
        if (call.status() != Status.ENDED) {
            messages.callEnded(call.processInstanceId());
        }
    }

    /**
     * Whether a queued caller is offered a callback: one whose number can be called. (When the team's queue already
     * holds the most callback requests it may, a caller who takes the offer hears the missed-call message.)
     */
    public boolean offersCallback(InboundCall call) {
        return callable(call.from());
    }

    /** Whether the caller's callback is one booked before this call (a caller who asks again keeps the first). */
    public boolean bookedBefore(InboundCall call) {
        if (call.callbackId() == null) {
            return false;
        }
        Long origin = jdbc.queryForObject("select origin_inbound_call_id from callback where id = ?", Long.class,
                call.callbackId());
        return origin == null || origin != call.id();
    }

    // -------------------------------------------------------------------------------------- the model's steps

    /**
     * A key of the menu routes to its team or its ticket group; a wrong key or no answer asks again, then takes the
     * default option.
     */
    public void route(long id) {
        InboundCall call = calls.call(id).orElseThrow();
        InboundNumber number = numbers.number(call.inboundNumberId()).orElseThrow();
        Optional<Option> chosen = call.menuKey() == null ? Optional.empty() : number.option(call.menuKey());
        if (chosen.isEmpty() && call.menuAttempts() >= properties.menuAttempts()) {
            chosen = Optional.of(number.defaultOption());
        }
        chosen.ifPresent(option -> {
            if (option.teamId() != null) {
                calls.routed(id, option.teamId(), option.key());
            } else {
                calls.routedToGroup(id, option.groupKey(), option.key());
            }
        });
    }

    /**
     * The caller is left to the group the menu routed them to: its voicemail (the call ends as VOICEMAIL, and the
     * message the caller leaves becomes a ticket) or, for a group that takes none, the website form (REFERRED).
     */
    public void toGroup(long id) {
        InboundCall call = calls.call(id).orElseThrow();
        calls.ended(id, takesVoicemail(call.groupKey()) ? Result.VOICEMAIL : Result.REFERRED);
    }

    public void enqueue(long id) {
        calls.enqueue(id);
        long teamId = calls.call(id).orElseThrow().teamId();
        afterCommit(() -> dispatch.soon(teamId));
    }

    /** Served: every open callback for the caller's number is no longer needed. */
    public void served(long id) {
        InboundCall call = calls.call(id).orElseThrow();
        callbacks.callerServedInbound(call.from(), id);
        if (call.leadId() != null) {
            history.record(call.leadId(), call.assignedTo(), Kind.CALLED_IN, "inbound call " + id + " from "
                    + call.from() + " served by " + call.assignedTo());
        }
    }

    /** The served call is over: the agent is free for the next caller. */
    public void servedCallEnded(long id) {
        InboundCall call = calls.call(id).orElseThrow();
        calls.ended(id, Result.SERVED);
        freeAgent(call);
    }

    /** The caller hung up while queued or being connected. */
    public void lost(long id) {
        InboundCall call = calls.call(id).orElseThrow();
        calls.ended(id, Result.LOST);
        freeAgent(call);
    }

    public void abandoned(long id) {
        calls.ended(id, Result.ABANDONED);
    }

    /**
     * The caller asked to be called back instead of waiting. A caller with an open callback keeps the first; when
     * the team's queue already holds the most callback requests it may (or the caller's number cannot be called),
     * the caller leaves a voicemail for the number's voicemail group, or hears the missed-call message when it has
     * none.
     * A callback for 0 minutes keeps the caller's place (it is due from the moment they joined the queue).
     */
    public void requestCallback(long id) {
        InboundCall call = calls.call(id).orElseThrow();
        InboundNumber number = numbers.number(call.inboundNumberId()).orElseThrow();
        Optional<Long> known = leads.match(call.from());
        Optional<Long> open = known.flatMap(leadId -> Optional.ofNullable(jdbc.queryForObject(
                "select open_callback_id from lead where id = ?", Long.class, leadId)));
        if (open.isPresent()) {
            calls.calledBack(id, open.get(), Result.CALLBACK);
            calls.ended(id, Result.CALLBACK);
            return;
        }
        jdbc.queryForObject("select id from team where id = ? for update", Long.class, call.teamId());
        if (!callable(call.from()) || callbacks.queuedRequests(call.teamId()) >= properties.maxQueuedCallbackRequests()) {
            // The number's voicemail group, if it still takes voicemail, hears the caller instead.
            Result result = takesVoicemail(number.voicemailGroup()) ? Result.VOICEMAIL : Result.MISSED;
            if (result == Result.VOICEMAIL) {
                calls.toVoicemail(id, number.voicemailGroup());
            }
            calls.calledBack(id, null, result);
            calls.ended(id, result);
            return;
        }
        int minutes = number.callbackOffer().minutes();
        Instant due = minutes == 0 ? call.enqueuedAt() : clock.instant().plus(Duration.ofMinutes(minutes));
        Scheduled scheduled = schedule(call, number, due, CallerOrigin.IVR, "asked to be called back while waiting"
                + (minutes == 0 ? "" : " (in " + minutes + " minutes)"));
        calls.calledBack(id, scheduled.callback().id(), Result.CALLBACK);
        calls.ended(id, Result.CALLBACK);
    }

    /** A lost call becomes a callback (unless the caller has an open one, or cannot be called back). */
    public void lostCallCallback(long id) {
        InboundCall call = calls.call(id).orElseThrow();
        if (!callable(call.from())) {
            return;
        }
        InboundNumber number = numbers.number(call.inboundNumberId()).orElseThrow();
        Scheduled scheduled = schedule(call, number, call.enqueuedAt() == null ? clock.instant() : call.enqueuedAt(),
                CallerOrigin.LOST_CALL, "hung up while waiting in the queue");
        jdbc.update("update inbound_call set callback_id = ? where id = ?", scheduled.callback().id(), id);
    }

    private Scheduled schedule(InboundCall call, InboundNumber number, Instant due, CallerOrigin origin,
            String reason) {
        long leadId = leads.leadFor(call.from(), number.campaignId(), call.id());
        calls.matchedLead(call.id(), leadId);
        return callbacks.scheduleForCaller(new ForCaller(leadId, call.from(), call.teamId(), number.campaignId(), due,
                origin, call.id(), "Called in on " + number.number() + ": " + reason));
    }

    private boolean takesVoicemail(String groupKey) {
        return groupKey != null && groups.group(groupKey).map(TicketGroup::takesVoicemail).orElse(false);
    }

    /** A caller whose number was withheld, or is no real number, cannot be called back. */
    private static boolean callable(String from) {
        return from != null && org.callcentre.dialler.PhoneNumbers.e164(from, null).isPresent();
    }

    private void freeAgent(InboundCall call) {
        if (call.assignedTo() != null) {
            agents.release(call.assignedTo(), call.id());
            long teamId = call.teamId();
            afterCommit(() -> dispatch.soon(teamId));
        }
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
