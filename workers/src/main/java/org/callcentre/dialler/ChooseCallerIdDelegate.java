package org.callcentre.dialler;

import org.callcentre.processes.dialler.OutboundCallProcess.Errors;
import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/** Takes the campaign's least used caller ID that is not spam-flagged and records it on the call. */
public class ChooseCallerIdDelegate implements JavaDelegate {

    private final OutboundCalls calls;
    private final DiallerFacts facts;

    public ChooseCallerIdDelegate(OutboundCalls calls, DiallerFacts facts) {
        this.calls = calls;
        this.facts = facts;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long callId = Variables.CALL_ID.get(execution);
        OutboundCall call = calls.call(callId).orElseThrow();
        String from = facts.takeLeastUsed(call.campaignId()).orElseThrow(() -> new BpmnError(Errors.NO_CALLER_ID,
                "campaign " + call.campaignId() + " has no caller ID that is not spam-flagged"));
        calls.callerIdChosen(callId, from);
    }
}
