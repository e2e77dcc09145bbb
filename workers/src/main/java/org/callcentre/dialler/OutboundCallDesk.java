package org.callcentre.dialler;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.forbidden;
import static org.callcentre.problem.RefusedException.notFound;
import static org.callcentre.problem.RefusedException.unprocessable;

import java.time.Clock;
import java.util.List;

import org.callcentre.dialler.DialRefusals.Refusal;
import org.callcentre.dialler.DiallerFacts.LeadFacts;
import org.callcentre.dialler.DiallerFacts.Number;
import org.callcentre.dialler.DiallingCompliance.Verdict;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.dialler.OutboundCallProcess;
import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.callcentre.telephony.TwilioCalls;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Places, shows and hangs up outbound calls for the API. Every check of a new call runs in the transaction that
 * inserts it and starts its process, with the caller's phone row locked, so two requests of one agent cannot both
 * pass the "no other live call" check; a refusal changes nothing, except that a refusal by the dialling compliance is
 * recorded (in a transaction of its own).
 */
public class OutboundCallDesk {

    private final OutboundCalls calls;
    private final AgentPhones phones;
    private final DiallerFacts facts;
    private final TwilioCalls twilio;
    private final RuntimeService runtime;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final List<DiallerEvents> listeners;
    private final DiallingCompliance compliance;
    private final DialRefusals refusals;

    public OutboundCallDesk(OutboundCalls calls, AgentPhones phones, DiallerFacts facts, TwilioCalls twilio,
            RuntimeService runtime, Clock clock, PlatformTransactionManager transactions, List<DiallerEvents> listeners,
            DiallingCompliance compliance, DialRefusals refusals) {
        this.compliance = compliance;
        this.refusals = refusals;
        this.calls = calls;
        this.phones = phones;
        this.facts = facts;
        this.twilio = twilio;
        this.runtime = runtime;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Places a call to the lead: to {@code phone}, or the lead's first dialable number. The call is created by Twilio
     * in the job executor, so the answer may not have its sid yet. A number the dialling compliance refuses is not
     * called; without {@code phone}, the first of the lead's numbers it allows is.
     */
    public OutboundCall place(long leadId, Caller caller, String phone, boolean overrideCallingHours) {
        try {
            return placeChecked(leadId, caller, phone, overrideCallingHours);
        } catch (DiallingRefused refused) {
            refusals.recordApart(refused.refusal());
            throw refused;
        }
    }

    private OutboundCall placeChecked(long leadId, Caller caller, String phone, boolean overrideCallingHours) {
        return transaction.execute(tx -> {
            LeadFacts lead = facts.lead(leadId).orElseThrow(() -> notFound("there is no lead " + leadId));
            if (caller.isAgent() && !facts.lockHeldBy(leadId, caller.userId())) {
                throw conflict("lead " + leadId + " is not locked by you: open the lead before calling it");
            }
            if (lead.lastCallStatus() != null && lead.lastCallStatus().blocksCalling()) {
                throw conflict(CallStatus.BLOCKED_MESSAGE);
            }
            long campaignId = facts.campaignFor(leadId, caller.userId()).orElseThrow(() -> conflict("lead " + leadId
                    + " is on no call list, so there is no campaign to call it for"));
            String to = numberToCall(leadId, phone, campaignId, caller.userId());
            DiallingRules rules = facts.rules(campaignId).orElseThrow();
            if (!overrideCallingHours && !rules.withinCallingHours(lead.timeZone(), clock.instant())) {
                throw conflict("it is outside the campaign's calling hours (" + rules.callingHoursStart() + " to "
                        + rules.callingHoursEnd() + " in the lead's time zone, " + lead.timeZone()
                        + "); set overrideCallingHours to call anyway");
            }
            boolean connected = phones.lockPhone(caller.userId()).map(AgentPhone::connected).orElse(false);
            if (!connected) {
                throw conflict("connect your phone first");
            }
            if (phones.onInboundCall(caller.userId())) {
                throw conflict("you are on an inbound call: it must end before you place a call");
            }
            calls.liveCallOf(caller.userId()).ifPresent(live -> {
                throw conflict("you are already on call " + live + ": it must end before you place another");
            });
            long callId = calls.open(leadId, caller.userId(), campaignId, AgentPhone.conferenceOf(caller.userId()), to,
                    overrideCallingHours);
            if (caller.isAgent()) {
                facts.touchLock(leadId, caller.userId());
            }
            listeners.forEach(listener -> listener.callPlaced(callId, leadId, caller.userId()));
            String instance = runtime.startProcessInstanceByKey(OutboundCallProcess.PROCESS_KEY, Long.toString(callId),
                    ProcessVariable.values().with(Variables.CALL_ID, callId).with(Variables.LEAD_ID, leadId)
                            .with(Variables.AGENT_ID, caller.userId()).asMap()).getId();
            calls.recordProcessInstance(callId, instance);
            return calls.call(callId).orElseThrow();
        });
    }

    /** The call, if the caller may see it: agents see only their own. */
    public OutboundCall call(long callId, Caller caller) {
        OutboundCall call = transaction.execute(tx -> calls.call(callId)).orElseThrow(() -> notFound("there is no call "
                + callId));
        if (caller.isAgent() && !call.userId().equals(caller.userId())) {
            throw forbidden("call " + callId + " is another agent's");
        }
        return call;
    }

    /** Ends the call: canceled while it has not been answered, completed once it has. */
    public void hangUp(long callId, Caller caller) {
        OutboundCall call = call(callId, caller);
        if (call.isFinal()) {
            throw conflict("call " + callId + " has already ended (" + call.status() + ")");
        }
        if (call.callSid() == null) {
            throw conflict("call " + callId + " is still being placed; hang it up in a moment");
        }
        twilio.hangUp(call.callSid(), call.answered());
    }

    /**
     * {@code phone}, or the first of the lead's valid numbers the dialling compliance allows; refused with the rule
     * when the compliance refuses {@code phone}, or every valid number (the first one's rule).
     */
    private String numberToCall(long leadId, String phone, long campaignId, String userId) {
        List<Number> numbers = facts.numbers(leadId);
        if (phone == null || phone.isBlank()) {
            List<String> valid = numbers.stream().filter(n -> !n.invalid()).map(Number::number).toList();
            if (valid.isEmpty()) {
                throw conflict("lead " + leadId + " has no number left to dial: each is invalid or on the do-not-call "
                        + "list");
            }
            Refusal first = null;
            for (String number : valid) {
                Verdict verdict = compliance.check(campaignId, number);
                if (verdict.allowed()) {
                    return number;
                }
                if (first == null) {
                    first = new Refusal(leadId, campaignId, number, verdict.rule(), verdict.detail(), userId, null);
                }
            }
            throw new DiallingRefused(first);
        }
        Number number = numbers.stream().filter(n -> n.number().equals(phone)).findFirst()
                .orElseThrow(() -> unprocessable(phone + " is not one of lead " + leadId + "'s numbers"));
        if (number.invalid()) {
            throw conflict(phone + " was refused by Twilio as invalid and is not dialled again");
        }
        Verdict verdict = compliance.check(campaignId, phone);
        if (!verdict.allowed()) {
            throw new DiallingRefused(new Refusal(leadId, campaignId, phone, verdict.rule(), verdict.detail(), userId,
                    null));
        }
        return phone;
    }
}
