package org.callcentre.emulator.twilio;

import java.time.Instant;
import java.util.List;

/**
 * A message (SMS, or MMS when it has media) that a sender sent to one of the account's numbers, and what the
 * application did with it: the HTTP answer to the incoming-message webhook and the {@code <Message>} replies its
 * TwiML asked Twilio to send back.
 *
 * @param sid            MM followed by 32 hex digits when the message has media, SM otherwise
 * @param from           the sender
 * @param to             the account's number
 * @param body           the text
 * @param dateCreated    when it arrived
 * @param media          its media, in order (MediaUrl0 first)
 * @param responseStatus the HTTP status the messaging URL answered, 0 when no answer came
 * @param responseBody   what it answered (TwiML, or nothing); null when no answer came
 * @param replies        the {@code <Message>}s of that TwiML, in order: what the sender got back
 */
public record EmulatedMessage(String sid, String from, String to, String body, Instant dateCreated, List<Media> media,
        int responseStatus, String responseBody, List<Reply> replies) {

    /**
     * One media item of the message, as Twilio keeps it.
     *
     * @param sid         ME followed by 32 hex digits
     * @param contentType its MIME type
     * @param url         where it is served (Twilio's {@code MediaUrl{N}}); readable without credentials unless
     *                    {@link TwilioEmulator#setMediaAuthRequired} says otherwise
     * @param size        its length in bytes
     * @param deleted     whether the application deleted it (its URL answers 404 since)
     */
    public record Media(String sid, String contentType, String url, int size, boolean deleted) {
    }

    /**
     * A {@code <Message>} the application answered with: what Twilio sends back.
     *
     * @param from      the sender of the reply (the {@code from} attribute, else the account's number)
     * @param to        its recipient (the {@code to} attribute, else the original sender)
     * @param body      its text ({@code <Body>} elements joined, or the element's own text)
     * @param mediaUrls the {@code <Media>} URLs it attaches
     */
    public record Reply(String from, String to, String body, List<String> mediaUrls) {
        public Reply {
            mediaUrls = List.copyOf(mediaUrls);
        }
    }

    public EmulatedMessage {
        media = List.copyOf(media);
        replies = List.copyOf(replies);
    }

    /** True for a 2xx answer from the messaging URL. */
    public boolean delivered() {
        return responseStatus >= 200 && responseStatus < 300;
    }
}
