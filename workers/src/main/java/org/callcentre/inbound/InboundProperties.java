package org.callcentre.inbound;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The inbound calls' settings.
 *
 * @param menuAttempts              tries a caller gets at the menu (a wrong key or no answer) before the default
 *                                  option takes them
 * @param menuTimeoutSeconds        how long the menu waits for a key
 * @param maxQueuedCallbackRequests callbacks asked for in one team's queue that may wait to be served at once; a
 *                                  caller asking beyond that hears the missed-call message
 * @param holdMusicUrl              what a queued caller hears between announcements
 * @param announceEverySeconds      how often a queued caller hears their position (and the callback offer)
 * @param dispatchSweep             how often every team's queue is matched with free agents, besides the moments a
 *                                  caller joins or an agent becomes free
 * @param websiteAddress            what a caller routed to a group that takes no voicemail is told to visit, to
 *                                  write to it with the web form
 * @param voicemailMaxSeconds       the longest voicemail (Twilio transcribes messages of up to two minutes)
 */
@ConfigurationProperties("inbound")
public record InboundProperties(@DefaultValue("3") int menuAttempts, @DefaultValue("6") int menuTimeoutSeconds,
        @DefaultValue("2") int maxQueuedCallbackRequests,
        @DefaultValue("http://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3")
        String holdMusicUrl, @DefaultValue("30") int announceEverySeconds, @DefaultValue("PT2S") Duration dispatchSweep,
        @DefaultValue("our website") String websiteAddress, @DefaultValue("120") int voicemailMaxSeconds) {

    public InboundProperties {
        if (menuAttempts < 1 || menuTimeoutSeconds < 1 || maxQueuedCallbackRequests < 0 || announceEverySeconds < 1
                || voicemailMaxSeconds < 1) {
            throw new IllegalArgumentException("inbound.menu-attempts, menu-timeout-seconds, announce-every-seconds "
                    + "and voicemail-max-seconds must be at least 1, max-queued-callback-requests at least 0");
        }
    }
}
