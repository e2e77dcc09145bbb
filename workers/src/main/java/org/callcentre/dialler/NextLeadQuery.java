package org.callcentre.dialler;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The agent presses Next Lead: in one transaction the leads the agent held are let go, then each tier in order is
 * asked for a lead, and the first one taken is offered, locked to the agent. Tiers: due callbacks first (when
 * callbacks exist), then the team's call lists ({@link TeamCallListTier}).
 */
public class NextLeadQuery {

    private final List<NextLeadTier> tiers;
    private final LeadLocks locks;
    private final TransactionTemplate transaction;

    public NextLeadQuery(List<NextLeadTier> tiers, LeadLocks locks, PlatformTransactionManager transactions) {
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("Next Lead needs at least one tier");
        }
        this.tiers = List.copyOf(tiers);
        this.locks = locks;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** The lead now locked to the agent, if any. */
    public Optional<Long> claim(String agentId) {
        return next(agentId).lead();
    }

    /** The lead now locked to the agent, or why there is none (the last tier's reason: the broadest one). */
    public NextLead next(String agentId) {
        return transaction.execute(tx -> {
            List<Long> released = locks.releaseAllOf(agentId);
            Instant now = locks.now();
            NextLead answer = null;
            for (NextLeadTier tier : tiers) {
                answer = tier.claim(agentId, now, released);
                if (answer.leadId() != null) {
                    return answer;
                }
            }
            return answer;
        });
    }
}
