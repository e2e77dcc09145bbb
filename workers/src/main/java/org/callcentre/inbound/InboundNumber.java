package org.callcentre.inbound;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A number donors call, with its IVR menu.
 *
 * @param callbackOffer              the IVR callback node, or null: the key a queued caller presses to be called back
 *                                   instead of waiting, and the minutes to schedule the callback for (0: at once)
 * @param lostCallsBecomeCallbacks   a caller who hangs up while queued is called back
 * @param campaignId                 whose calling hours and caller IDs the number's callbacks follow; a caller no
 *                                   lead matches becomes a lead of this campaign's "Inbound callers" list
 * @param voicemailGroup             the ticket group whose voicemail takes a caller who asks for a callback when
 *                                   their team's queue already holds the most callback requests it may; null: the
 *                                   caller hears the missed-call message
 */
public record InboundNumber(long id, String number, Locale locale, String greeting, List<Option> options,
        CallbackOffer callbackOffer, boolean lostCallsBecomeCallbacks, Long campaignId, String voicemailGroup) {

    /** A menu key: to a team's queue, or to a ticket group (its voicemail, or the website form). */
    public record Option(String key, String label, Long teamId, String groupKey) {
    }

    public record CallbackOffer(String key, int minutes) {
    }

    public Optional<Option> option(String key) {
        return options.stream().filter(option -> option.key().equals(key)).findFirst();
    }

    /** Where a caller who gives no valid answer goes: the option with the lowest key. */
    public Option defaultOption() {
        return options.stream().min(java.util.Comparator.comparing(Option::key)).orElseThrow();
    }
}
