package org.callcentre.dialler;

import java.time.Clock;
import java.time.Duration;

import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.callcentre.telephony.CallStatusLog;
import org.callcentre.telephony.TwilioCalls;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/**
 * A while without news of the call. Its row may already say it ended (the end's message found the instance busy);
 * otherwise the statuses recorded for its sid are applied; after a long silence Twilio is asked.
 */
public class ReconcileCallDelegate implements JavaDelegate {

    /** No status for this long: a callback was lost, or the call is very long; Twilio knows which. */
    static final Duration SILENCE = Duration.ofHours(4);

    private final OutboundCalls calls;
    private final CallStatusLog log;
    private final TwilioCalls twilio;
    private final Clock clock;

    public ReconcileCallDelegate(OutboundCalls calls, CallStatusLog log, TwilioCalls twilio, Clock clock) {
        this.calls = calls;
        this.log = log;
        this.twilio = twilio;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long callId = Variables.CALL_ID.get(execution);
        OutboundCall call = calls.call(callId).orElseThrow();
        if (call.isFinal() || call.callSid() == null) {
            return;
        }
        log.call(call.callSid()).ifPresent(state -> calls.apply(state.callSid(), state.status(),
                state.sequenceNumber(), null));
        if (calls.call(callId).orElseThrow().isFinal()
                || calls.lastHeardOf(callId).plus(SILENCE).isAfter(clock.instant())) {
            return;
        }
        twilio.fetch(call.callSid()).ifPresentOrElse(
                facts -> calls.apply(facts.callSid(), facts.status(), null, facts.durationSeconds()),
                () -> calls.apply(call.callSid(), "failed", null, null));
    }
}
