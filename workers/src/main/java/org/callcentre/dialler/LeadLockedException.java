package org.callcentre.dialler;

import java.time.Instant;
import java.util.Map;

import org.callcentre.problem.RefusedException;

/** A lead another agent holds: a conflict that also says who holds it and since when. */
public class LeadLockedException extends RefusedException {

    private final String lockedBy;
    private final Instant since;

    public LeadLockedException(long leadId, String lockedBy, Instant since) {
        super(Reason.CONFLICT, "lead " + leadId + " is locked by " + lockedBy
                + "; open it with override=true only if you must take it from them",
                Map.of("lockedBy", lockedBy, "since", since.toString()));
        this.lockedBy = lockedBy;
        this.since = since;
    }

    public String lockedBy() {
        return lockedBy;
    }

    public Instant since() {
        return since;
    }
}
