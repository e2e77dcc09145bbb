package org.callcentre.dialler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Makes leads offerable again once their wait between calls is over. A lead comes back at most one interval
 * ({@code dialler.readiness-sweep-interval}, 30 s by default) after its {@code next_call_at}: the rules set minimum
 * gaps, so a little later is within them. Every node may sweep; the update is the same whoever runs it.
 */
@Component
public class LeadReadinessSweeper {

    private static final Logger log = LoggerFactory.getLogger(LeadReadinessSweeper.class);

    private final LeadReadiness readiness;

    public LeadReadinessSweeper(LeadReadiness readiness) {
        this.readiness = readiness;
    }

    @Scheduled(fixedDelayString = "${dialler.readiness-sweep-interval:PT30S}", initialDelayString = "PT10S")
    public void sweep() {
        int ready = readiness.sweep();
        if (ready > 0) {
            log.debug("{} call-list entries ready to be offered again", ready);
        }
    }
}
