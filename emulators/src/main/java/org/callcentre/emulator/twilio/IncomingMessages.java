package org.callcentre.emulator.twilio;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.callcentre.emulator.twilio.Twiml.TwimlException;
import org.callcentre.emulator.twilio.Twiml.Verb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages senders send to the account's numbers: each is POSTed, signed, to its number's messaging URL with
 * Twilio's incoming-message parameters, and its media are kept for the application to fetch and delete
 * ({@link MessagesApi}). The request is synchronous, as Twilio's is: the application's TwiML answer comes back with
 * it, and its {@code <Message>}s are what the sender gets back.
 */
final class IncomingMessages {

    /** Twilio takes at most ten media in one message. */
    static final int MAX_MEDIA = 10;

    private static final Logger log = LoggerFactory.getLogger(IncomingMessages.class);
    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
            + "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    /** A message as the emulator keeps it. */
    private static final class Stored {
        final String sid;
        final String from;
        final String to;
        final String body;
        final Instant created = Instant.now();
        final long sequence;
        final List<StoredMedia> media;
        volatile int status;
        volatile String responseBody;
        volatile List<EmulatedMessage.Reply> replies = List.of();

        Stored(String sid, String from, String to, String body, long sequence, List<StoredMedia> media) {
            this.sid = sid;
            this.from = from;
            this.to = to;
            this.body = body;
            this.sequence = sequence;
            this.media = media;
        }
    }

    /** One media item: its bytes until the application deletes it. */
    static final class StoredMedia {
        final String sid;
        final String messageSid;
        final String contentType;
        final byte[] content;
        final Instant created = Instant.now();
        volatile boolean deleted;

        StoredMedia(String sid, String messageSid, String contentType, byte[] content) {
            this.sid = sid;
            this.messageSid = messageSid;
            this.contentType = contentType;
            this.content = content;
        }
    }

    private final TwilioEmulator emulator;
    private final ConcurrentHashMap<String, Stored> messages = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    IncomingMessages(TwilioEmulator emulator) {
        this.emulator = emulator;
    }

    /** Sends the message to the messaging URL and waits for the application's answer. */
    EmulatedMessage send(String messagingUrl, String from, String to, String body, List<MessageMedia> media) {
        if (media.size() > MAX_MEDIA) {
            throw new IllegalArgumentException("a message has at most " + MAX_MEDIA + " media: " + media.size());
        }
        String sid = newSid(media.isEmpty() ? "SM" : "MM");
        List<StoredMedia> stored = new ArrayList<>();
        for (MessageMedia item : media) {
            stored.add(new StoredMedia(newSid("ME"), sid, item.contentType(), item.content()));
        }
        Stored message = new Stored(sid, from, to, body, sequence.incrementAndGet(), List.copyOf(stored));
        messages.put(sid, message);
        WebhookDelivery.Result result = emulator.sendWebhook(sid, messagingUrl, "POST", params(message),
                WebhookExchange.KIND_MESSAGE).join();
        message.responseBody = result.body();
        message.replies = replies(result, message);
        message.status = result.status();
        return view(message);
    }

    /** The parameters of Twilio's request to a messaging URL. */
    private Map<String, String> params(Stored m) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ToCountry", country(m.to));
        p.put("ToState", "");
        p.put("SmsMessageSid", m.sid);
        p.put("NumMedia", Integer.toString(m.media.size()));
        p.put("ToCity", "");
        p.put("FromZip", "");
        p.put("SmsSid", m.sid);
        p.put("FromState", "");
        p.put("SmsStatus", "received");
        p.put("FromCity", "");
        p.put("Body", m.body);
        p.put("FromCountry", country(m.from));
        p.put("To", m.to);
        p.put("ToZip", "");
        p.put("NumSegments", Integer.toString(m.media.isEmpty() ? segments(m.body) : 1));
        p.put("MessageSid", m.sid);
        p.put("AccountSid", emulator.accountSid());
        p.put("From", m.from);
        p.put("ApiVersion", TwilioEmulator.API_VERSION);
        for (int i = 0; i < m.media.size(); i++) {
            StoredMedia media = m.media.get(i);
            p.put("MediaContentType" + i, media.contentType);
            p.put("MediaUrl" + i, mediaUrl(media));
        }
        return p;
    }

    /** The {@code <Message>}s of the application's TwiML answer; none when it answered anything else. */
    private static List<EmulatedMessage.Reply> replies(WebhookDelivery.Result result, Stored m) {
        if (!result.ok() || result.body() == null || result.body().isBlank()) {
            return List.of();
        }
        Verb root;
        try {
            root = Twiml.parse(result.body());
        } catch (TwimlException e) {
            log.warn("Message {}: the messaging URL answered what is not TwiML: {}", m.sid, e.getMessage());
            return List.of();
        }
        List<EmulatedMessage.Reply> replies = new ArrayList<>();
        for (Verb v : root.children()) {
            if (!"Message".equals(v.name())) {
                continue;
            }
            List<Verb> bodies = v.children().stream().filter(c -> "Body".equals(c.name())).toList();
            List<String> mediaUrls = v.children().stream().filter(c -> "Media".equals(c.name()))
                    .map(Verb::text).toList();
            String text = v.children().isEmpty() ? v.text()
                    : bodies.stream().map(Verb::text).collect(Collectors.joining(" "));
            replies.add(new EmulatedMessage.Reply(v.attr("from", m.to), v.attr("to", m.from), text, mediaUrls));
        }
        return replies;
    }

    List<EmulatedMessage> all() {
        return messages.values().stream().sorted(Comparator.comparingLong(s -> s.sequence)).map(this::view).toList();
    }

    EmulatedMessage find(String messageSid) {
        Stored m = messages.get(messageSid);
        return m == null ? null : view(m);
    }

    /** The message's media item, or null when there is none (or it was deleted). */
    StoredMedia media(String messageSid, String mediaSid) {
        Stored m = messages.get(messageSid);
        if (m == null) {
            return null;
        }
        for (StoredMedia media : m.media) {
            if (media.sid.equals(mediaSid) && !media.deleted) {
                return media;
            }
        }
        return null;
    }

    /** The message's media that are not deleted, or null when there is no such message. */
    List<StoredMedia> mediaOf(String messageSid) {
        Stored m = messages.get(messageSid);
        return m == null ? null : m.media.stream().filter(media -> !media.deleted).toList();
    }

    String mediaUrl(StoredMedia media) {
        return emulator.baseUrl() + MessagesApi.mediaPath(emulator.accountSid(), media.messageSid, media.sid);
    }

    private EmulatedMessage view(Stored m) {
        List<EmulatedMessage.Media> media = m.media.stream().map(item -> new EmulatedMessage.Media(item.sid,
                item.contentType, mediaUrl(item), item.content.length, item.deleted)).toList();
        return new EmulatedMessage(m.sid, m.from, m.to, m.body, m.created, media, m.status, m.responseBody, m.replies);
    }

    /**
     * How many SMS segments the body takes: 160 GSM-7 characters in one (153 each once split; the extension
     * characters count twice), or 70 UTF-16 units when a character is outside GSM-7 (67 each once split).
     */
    static int segments(String body) {
        int units = 0;
        boolean gsm = true;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                units++;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                units += 2;
            } else {
                gsm = false;
                break;
            }
        }
        if (!gsm) {
            units = body.length();
            return units <= 70 ? 1 : (units + 66) / 67;
        }
        return units <= 160 ? 1 : (units + 152) / 153;
    }

    /** The country Twilio looks up for a number, for the few prefixes the emulator knows; otherwise empty. */
    private static String country(String number) {
        if (number.startsWith("+44")) {
            return "GB";
        } else if (number.startsWith("+353")) {
            return "IE";
        } else if (number.startsWith("+1")) {
            return "US";
        } else if (number.startsWith("+33")) {
            return "FR";
        } else if (number.startsWith("+49")) {
            return "DE";
        }
        return "";
    }

    private static String newSid(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("%s%016x%016x", prefix, random.nextLong(), random.nextLong());
    }
}
