package org.callcentre.journey;

import java.time.Instant;
import java.util.List;

/**
 * One thing that happened with a customer, as their journey lists it: a call they made or were made, a callback
 * promised to them, or a ticket of theirs.
 *
 * @param at     when it began: the call started or was placed, the callback was created
 * @param detail how it went, in words (how a call ended; a callback's origin and outcome)
 * @param agent  the agent who handled it, if any
 * @param links  the activities it is tied to, both ways (a lost call and the callback it became, say)
 */
public record Activity(Kind kind, long id, Instant at, Status status, String detail, String agent, List<Link> links) {

    public enum Kind {
        INBOUND_CALL, OUTBOUND_CALL, CALLBACK, TICKET
    }

    /**
     * Where the activity stands, in the customer's terms. {@code TRANSFERRING} is for a call passed from one agent
     * or queue to another: no call is transferred today, so no activity has it yet.
     */
    public enum Status {
        WAITING, ASSIGNING, ASSIGNED, TRANSFERRING, ENDED, FAILED
    }

    /** What the linked activity is to this one. */
    public enum Relation {
        /** The call a callback was promised on, asked for in, or made of (a lost call). */
        ORIGIN,
        /** A callback this call promised, asked for or became. */
        CALLBACK,
        /** The callback this outbound call served. */
        SERVED_CALLBACK,
        /** An outbound call that served this callback (each attempt). */
        SERVED_BY,
        /** An open callback this inbound call made Neglected: the caller was served. */
        NEGLECTED_CALLBACK,
        /** The inbound call that made this callback Neglected. */
        NEGLECTED_BY,
        /** An inbound call whose caller asked again while this callback was open: the caller keeps this one. */
        ASKED_AGAIN_IN,
        /** Two steps on: the call that served the callback this call asked for or became. */
        CALLBACK_SERVED_BY,
        /** Two steps back: the call the callback this outbound call served came from. */
        CALLBACK_ORIGIN,
        /** The ticket this ticket was merged into. */
        MERGED_INTO,
        /** A ticket that was merged into this one. */
        MERGED_FROM
    }

    public record Link(Kind kind, long id, Relation relation) {
    }
}
