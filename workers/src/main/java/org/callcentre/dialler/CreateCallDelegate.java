package org.callcentre.dialler;

import org.callcentre.dialler.DialRefusals.Refusal;
import org.callcentre.dialler.DiallingCompliance.Verdict;
import org.callcentre.processes.dialler.OutboundCallProcess.Errors;
import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.callcentre.telephony.TwilioCalls;
import org.callcentre.telephony.TwilioCalls.CallRefusedException;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * Asks Twilio to place the call (recorded, if its campaign records calls) and, in the same transaction, records it as
 * placed: its sid on the call, an attempt on the lead, whether it is recorded. Twilio's refusal (an invalid number,
 * say) is kept on the call and thrown as {@code CALL_REFUSED}; any other failure is an exception the job executor
 * retries. The dialling compliance is asked again first, since a list may have changed since the call was placed: its
 * refusal is recorded and ends the call the same way, without asking Twilio.
 */
public class CreateCallDelegate implements JavaDelegate {

    /** How long Twilio lets the lead's phone ring before the call ends {@code no-answer}. */
    static final int RING_SECONDS = 30;

    private final OutboundCalls calls;
    private final DiallerFacts facts;
    private final TwilioCalls twilio;
    private final DiallerUrls urls;
    private final DiallingCompliance compliance;
    private final DialRefusals refusals;

    public CreateCallDelegate(OutboundCalls calls, DiallerFacts facts, TwilioCalls twilio, DiallerUrls urls,
            DiallingCompliance compliance, DialRefusals refusals) {
        this.compliance = compliance;
        this.refusals = refusals;
        this.calls = calls;
        this.facts = facts;
        this.twilio = twilio;
        this.urls = urls;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long callId = Variables.CALL_ID.get(execution);
        // Locked until this job commits, so a hang-up waits for the sid rather than missing it.
        OutboundCall call = calls.lock(callId).orElseThrow();
        if (call.callSid() != null || call.isFinal()) {
            return;
        }
        Verdict verdict = compliance.check(call.campaignId(), call.to());
        if (!verdict.allowed()) {
            refusals.record(new Refusal(call.leadId(), call.campaignId(), call.to(), verdict.rule(), verdict.detail(),
                    call.userId(), callId));
            calls.refusedByCompliance(callId, "refused by the " + verdict.rule() + " rule: " + verdict.detail());
            throw new BpmnError(Errors.CALL_REFUSED, "the dialling compliance refused the call: " + verdict.rule());
        }
        DiallingRules rules = facts.rules(call.campaignId()).orElseThrow();
        String sid;
        try {
            sid = twilio.create(call.to(), call.from(), urls.callAnswered(callId), RING_SECONDS, rules.recordCalls());
        } catch (CallRefusedException refused) {
            calls.refused(callId, refused.code(), refused.getMessage());
            throw new BpmnError(Errors.CALL_REFUSED, "Twilio refused the call: " + refused.code());
        }
        calls.placed(callId, sid, rules.minMinutesBetweenCalls(), rules.maxAttemptsIn8Hours());
        if (rules.recordCalls()) {
            calls.markRecorded(callId);
        }
    }
}
