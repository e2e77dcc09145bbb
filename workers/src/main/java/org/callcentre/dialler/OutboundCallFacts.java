package org.callcentre.dialler;

/** What the outbound-call model's gateways decide on, read from the call's row. */
public class OutboundCallFacts {

    private final OutboundCalls calls;

    public OutboundCallFacts(OutboundCalls calls) {
        this.calls = calls;
    }

    /** The call has its final status. */
    public boolean ended(Long callId) {
        return calls.call(callId).orElseThrow().isFinal();
    }
}
