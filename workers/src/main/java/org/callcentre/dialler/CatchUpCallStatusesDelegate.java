package org.callcentre.dialler;

import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.callcentre.telephony.CallStatusLog;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * Twilio calls back while the create job's transaction is still open: those statuses were recorded for the sid
 * ({@code telephony_call_event}) but the call's row did not have the sid yet. Once the create has committed, this applies
 * them in Twilio's order, as the status listener would have, so the call's history keeps every status it went
 * through.
 */
public class CatchUpCallStatusesDelegate implements JavaDelegate {

    private final OutboundCalls calls;
    private final CallStatusLog log;

    public CatchUpCallStatusesDelegate(OutboundCalls calls, CallStatusLog log) {
        this.calls = calls;
        this.log = log;
    }

    @Override
    public void execute(DelegateExecution execution) {
        OutboundCall call = calls.call(Variables.CALL_ID.get(execution)).orElseThrow();
        if (call.callSid() == null || call.isFinal()) {
            return;
        }
        for (CallStatusLog.CallEvent event : log.events(call.callSid())) {
            calls.apply(call.callSid(), event.status(), event.sequenceNumber(), null);
        }
    }
}
