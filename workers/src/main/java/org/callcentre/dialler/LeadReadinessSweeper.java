package org.callcentre.dialler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * Makes leads offerable again once their wait between calls is over. A lead comes back at most one interval
 * ({@code dialler.readiness-sweep-interval}, 30 s by default) after its {@code next_call_at}: the rules set minimum
 * gaps, so a little later is within them. One node of the cluster sweeps at a time.
 */
@Component
public class LeadReadinessSweeper {

    private static final Logger log = LoggerFactory.getLogger(LeadReadinessSweeper.class);

    private final LeadReadiness readiness;
    private final TransactionTemplate transaction;

    public LeadReadinessSweeper(LeadReadiness readiness, PlatformTransactionManager transactions) {
        this.readiness = readiness;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * One update, seconds at most: ten minutes covers any run, and is as long as a node that dies holding the lock
     * holds up the sweep. Held at least half the default interval, so the nodes do not sweep one right after another.
     */
    @Scheduled(fixedDelayString = "${dialler.readiness-sweep-interval:PT30S}", initialDelayString = "PT10S")
    @SchedulerLock(name = "lead-readiness-sweep", lockAtMostFor = "PT10M", lockAtLeastFor = "PT15S")
    public void scheduledSweep() {
        sweep();
    }

    /** In a transaction of its own: the app's connections do not commit by themselves (application.yml). */
    public void sweep() {
        int ready = transaction.execute(status -> readiness.sweep());
        if (ready > 0) {
            log.debug("{} call-list entries ready to be offered again", ready);
        }
    }
}
