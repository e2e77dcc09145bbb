package org.callcentre.dialler;

import java.util.Optional;

/** Agents' locks on leads: one holder at a time, expiring after {@code dialler.lock-idle-minutes} idle. */
public class LeadLocks {

    /** Who holds the lead now; an expired lock is no lock. */
    public Optional<LeadView.Lock> holder(long leadId) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Whether {@code userId} holds the lead now. */
    public boolean heldBy(long leadId, String userId) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Activity on the lead by its holder: the lock's idle time starts again. Does nothing for anyone else. */
    public void touch(long leadId, String userId) {
        throw new UnsupportedOperationException("not built yet");
    }
}
