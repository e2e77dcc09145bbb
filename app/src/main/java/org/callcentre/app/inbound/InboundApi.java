package org.callcentre.app.inbound;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.callcentre.inbound.InboundCall;
import org.callcentre.inbound.InboundNumber;
import org.callcentre.inbound.InboundNumbers;

/** The JSON shapes of inbound numbers, queues and agents' availability. */
public final class InboundApi {

    private InboundApi() {
    }

    /** A menu option: {@code key} (0-9, * or #) routes to {@code teamId}'s queue, or to the ticket group {@code groupKey}. */
    public record Option(String key, String label, Long teamId, String groupKey) {
    }

    /** The IVR callback node: the key a queued caller presses, and the minutes to schedule the callback for. */
    public record CallbackOffer(String key, Integer minutes) {
    }

    /**
     * An inbound number's settings. {@code campaignId}: whose calling hours and caller IDs its callbacks follow
     * (required with a callback offer or lost calls becoming callbacks). {@code voicemailGroup}: the ticket group
     * whose voicemail takes a caller asking for a callback when the team's queue holds the most callback requests it
     * may (none: the caller hears the missed-call message).
     */
    public record NumberSettings(String number, String locale, String greeting, List<Option> options,
            CallbackOffer callbackOffer, Boolean lostCallsBecomeCallbacks, Long campaignId, String voicemailGroup) {

        InboundNumbers.Written written() {
            return new InboundNumbers.Written(number, locale, greeting, options == null ? null : options.stream()
                    .map(o -> o == null ? null : new InboundNumber.Option(o.key(), o.label(), o.teamId(),
                            o.groupKey())).toList(),
                    callbackOffer == null ? null : new InboundNumber.CallbackOffer(callbackOffer.key(),
                            callbackOffer.minutes() == null ? 0 : callbackOffer.minutes()),
                    Boolean.TRUE.equals(lostCallsBecomeCallbacks), campaignId, voicemailGroup);
        }
    }

    public record NumberView(long id, String number, String locale, String greeting, List<Option> options,
            CallbackOffer callbackOffer, boolean lostCallsBecomeCallbacks, Long campaignId, String voicemailGroup) {

        static NumberView of(InboundNumber n) {
            return new NumberView(n.id(), n.number(), n.locale().toLanguageTag(), n.greeting(), n.options().stream()
                    .map(o -> new Option(o.key(), o.label(), o.teamId(), o.groupKey())).toList(),
                    n.callbackOffer() == null ? null : new CallbackOffer(n.callbackOffer().key(),
                            n.callbackOffer().minutes()), n.lostCallsBecomeCallbacks(), n.campaignId(),
                    n.voicemailGroup());
        }
    }

    /** One caller waiting in a team's queue, longest waiting first. */
    public record Waiting(long callId, String from, Long leadId, Instant since, long waitingSeconds) {

        static Waiting of(InboundCall call, Instant now) {
            return new Waiting(call.id(), call.from(), call.leadId(), call.enqueuedAt(),
                    Duration.between(call.enqueuedAt(), now).toSeconds());
        }
    }

    /** A team's queue: its callers, and how many of its agents are free for the next one. */
    public record QueueView(long teamId, List<Waiting> waiting, int freeAgents, int queuedCallbackRequests) {
    }

    public record AvailabilityRequest(Boolean available) {
    }

    /**
     * The agent's inbound side: availability, the team whose queue the agent answers (null: in no team), and the
     * call being put through or talked on.
     */
    public record MyInbound(boolean available, Long teamId, IncomingCall call) {
    }

    /** An inbound call an agent is on: who is calling and the lead their number matches, if any. */
    public record IncomingCall(long id, String from, String status, Long leadId, String leadName, Instant since) {
    }
}
