package org.callcentre.inbound;

import org.callcentre.processes.inbound.InboundCallProcess.Route;
import org.callcentre.processes.inbound.InboundCallProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** What the inbound call model's gateways read: the call's row and its number's settings, never a variable. */
public class InboundFacts {

    private final InboundCalls calls;
    private final InboundNumbers numbers;

    public InboundFacts(InboundCalls calls, InboundNumbers numbers) {
        this.calls = calls;
        this.numbers = numbers;
    }

    /** {@code QUEUE} once the menu routed the caller to a team, {@code GROUP} to a ticket group, else ask again. */
    public String route(DelegateExecution execution) {
        InboundCall call = call(execution);
        return (call.teamId() != null ? Route.QUEUE : call.groupKey() != null ? Route.GROUP : Route.ASK_AGAIN).name();
    }

    public boolean lostCallsBecomeCallbacks(DelegateExecution execution) {
        return numbers.number(call(execution).inboundNumberId()).orElseThrow().lostCallsBecomeCallbacks();
    }

    private InboundCall call(DelegateExecution execution) {
        return calls.call(Variables.INBOUND_CALL_ID.get(execution)).orElseThrow();
    }
}
