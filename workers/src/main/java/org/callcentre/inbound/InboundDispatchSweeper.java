package org.callcentre.inbound;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * Matches every waiting caller with free agents every {@code inbound.dispatch-sweep}: catches a free agent no event
 * announced (an outbound call that ended, a node that died between a commit and its dispatch). One node of the
 * cluster sweeps at a time; the team's row lock would keep two apart anyway.
 */
@Component
public class InboundDispatchSweeper {

    private final InboundDispatch dispatch;

    public InboundDispatchSweeper(InboundDispatch dispatch) {
        this.dispatch = dispatch;
    }

    /**
     * A sweep is a few transactions and a Twilio request per caller put through, seconds at most: five minutes covers
     * it, and is as long as a node that dies holding the lock holds up the sweep (events still dispatch meanwhile).
     * Held at least half the default interval, so the nodes do not sweep one right after another.
     */
    @Scheduled(fixedDelayString = "${inbound.dispatch-sweep:PT2S}", initialDelayString = "PT5S")
    @SchedulerLock(name = "inbound-dispatch-sweep", lockAtMostFor = "PT5M", lockAtLeastFor = "PT1S")
    public void scheduledSweep() {
        sweep();
    }

    public void sweep() {
        dispatch.sweep();
    }
}
