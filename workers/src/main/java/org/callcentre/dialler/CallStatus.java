package org.callcentre.dialler;

import java.util.EnumSet;
import java.util.Set;

/** The agent's outcome of a call, recorded on the lead. */
public enum CallStatus {
    NO_ANSWER, BUSY, ANSWERING_MACHINE, WRONG_NUMBER, CALL_BACK, NOT_INTERESTED, PLEDGE, COMPLETE, REMOVE, DO_NOT_CALL;

    /** A lead whose most recent status is one of these cannot be called until that status is edited. */
    public static final Set<CallStatus> BLOCKING = EnumSet.of(REMOVE, DO_NOT_CALL, COMPLETE);

    /** The refusal for calling such a lead, word for word as agents know it. */
    public static final String BLOCKED_MESSAGE = "You can't call a record in the Call Statuses of Remove, Do Not Call "
            + "or Complete. Please edit the most recent Call Status if you wish to enable the phone";

    public boolean blocksCalling() {
        return BLOCKING.contains(this);
    }
}
