package org.callcentre.inbound;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Matches every waiting caller with free agents every {@code inbound.dispatch-sweep}: catches a free agent no event
 * announced (an outbound call that ended, a node that died between a commit and its dispatch). The team's row lock
 * makes sweeping on every node safe.
 */
@Component
public class InboundDispatchSweeper {

    private final InboundDispatch dispatch;

    public InboundDispatchSweeper(InboundDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @Scheduled(fixedDelayString = "${inbound.dispatch-sweep:PT2S}", initialDelayString = "PT5S")
    public void sweep() {
        dispatch.sweep();
    }
}
