package org.callcentre.dialler;

import java.time.Instant;
import java.util.Collection;

/**
 * One tier of Next Lead's order: it finds the best lead of its kind for the agent and takes it (locks it to the
 * agent, recording the lock in the lead's history), or says why it has none. {@link NextLeadQuery} asks the tiers in
 * order, inside one transaction, and offers the first lead one takes.
 */
public interface NextLeadTier {

    /** The {@code @Order} of the callback tier: asked first. */
    int CALLBACKS = 100;
    /** The {@code @Order} of the call-list tier: asked last. */
    int CALL_LISTS = 200;

    /**
     * @param agentId      the agent pressing Next Lead
     * @param now          the moment of the press, for calling hours, the gap between calls and expired locks
     * @param passedOver   the leads the agent held until this press and just let go: not offered again at once
     */
    NextLead claim(String agentId, Instant now, Collection<Long> passedOver);
}
