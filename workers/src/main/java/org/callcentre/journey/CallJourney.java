package org.callcentre.journey;

import java.time.Instant;
import java.util.List;

import org.callcentre.journey.Activity.Kind;
import org.callcentre.journey.Activity.Link;

/**
 * One call's way from start to end, step by step, with its summary and the activities it is tied to.
 *
 * @param callerId       the number the customer sees or called: an outbound call's caller ID, the inbound number
 * @param number         the customer's number
 * @param answeredAt     when the customer was answered (outbound: the call went in-progress; inbound: the caller
 *                       joined the agent)
 * @param talkingSeconds the end minus the answer, once both happened
 * @param result         how the call ended: Twilio's final status of an outbound call (completed, busy, ...), the
 *                       result of an inbound call (SERVED, LOST, ...); null while it goes on
 * @param outcome        the agent's outcome recorded for an outbound call (a call status such as PLEDGE), if any
 */
public record CallJourney(Kind kind, long id, List<Step> steps, String callerId, String number, Instant answeredAt,
        Long talkingSeconds, String result, String outcome, List<Link> links) {

    /** The steps a call can take, in their order. */
    public enum StepKind {
        /** Outbound: placed by the agent; inbound: the caller called the inbound number. */
        INITIATED,
        /** Into a team's queue (outbound: the team of the callback it serves, or the agent's). */
        ROUTED,
        /** The agent, on their device. */
        ANSWERED_BY_AGENT,
        /** Outbound: the customer picked up. */
        ANSWERED_BY_CUSTOMER,
        ENDED
    }

    /** One step, with who and where where it has them. */
    public record Step(StepKind step, Instant at, String detail, String agent, String device, String queue) {
    }
}
