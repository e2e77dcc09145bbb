package org.callcentre.dialler;

import org.callcentre.processes.dialler.OutboundCallProcess.Failure;
import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.callcentre.telephony.TwilioCalls;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * The call ends failed before it was placed (not an attempt). When Twilio refused it, its code and message are on the
 * call's row; a number Twilio calls invalid is marked on the lead and never dialled again. When the dialling compliance
 * refused it, the row has its message without a code.
 */
public class RecordCallFailedDelegate implements JavaDelegate {

    private final OutboundCalls calls;
    private final DiallerFacts facts;

    public RecordCallFailedDelegate(OutboundCalls calls, DiallerFacts facts) {
        this.calls = calls;
        this.facts = facts;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long callId = Variables.CALL_ID.get(execution);
        Failure failure = Variables.FAILURE.getLocal(execution);
        OutboundCall call = calls.call(callId).orElseThrow();
        if (failure == Failure.NO_CALLER_ID) {
            calls.failedBeforePlacing(callId, "the campaign has no caller ID that is not spam-flagged");
            return;
        }
        if (call.errorCode() == null) {
            calls.failedBeforePlacing(callId, call.errorMessage());
            return;
        }
        String reason = "Twilio error " + call.errorCode() + ": " + call.errorMessage();
        if (calls.failedBeforePlacing(callId, reason) && TwilioCalls.invalidNumber(call.errorCode())) {
            facts.markInvalid(call.leadId(), call.to(), reason);
        }
    }
}
