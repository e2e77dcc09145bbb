package org.callcentre.dialler;

import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.callcentre.telephony.CallStatusLog;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * Twilio calls back while the create job's transaction is still open: those statuses were recorded for the sid
 * ({@code telephony_call}) but the call's row did not have the sid yet. Once the create has committed, this applies the
 * latest of them.
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
        log.call(call.callSid()).ifPresent(state -> calls.apply(state.callSid(), state.status(),
                state.sequenceNumber(), null));
    }
}
