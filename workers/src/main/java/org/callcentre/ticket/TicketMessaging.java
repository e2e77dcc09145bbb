package org.callcentre.ticket;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.callcentre.dialler.PhoneNumbers;
import org.callcentre.ticket.Ticket.Origin;
import org.callcentre.ticket.Tickets.Incoming;
import org.callcentre.ticket.Tickets.NewAttachment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message (SMS, or MMS with photos) sent to one of the call centre's numbers becomes correspondence on the
 * sender's open ticket (of any group, the most recently updated), or on a new ticket of {@code tickets.messaging.group}
 * (the triage group by default). Its photos are fetched from Twilio before the ticket's transaction, kept as the
 * ticket's attachments where their type and size allow ({@link Tickets} notes the others), and deleted from Twilio
 * once the ticket has them. The message's Twilio sid is its correspondence's: a webhook Twilio repeats adds nothing.
 */
public class TicketMessaging {

    private static final Logger log = LoggerFactory.getLogger(TicketMessaging.class);
    private static final Map<String, String> EXTENSIONS = Map.of("image/jpeg", ".jpg", "image/png", ".png",
            "image/gif", ".gif", "image/webp", ".webp", "image/heic", ".heic", "application/pdf", ".pdf");

    /** What Twilio's incoming-message webhook says. */
    public record IncomingMessage(String messageSid, String from, String to, String body, List<Media> media) {
    }

    /** One of its media: {@code MediaUrl{N}} and {@code MediaContentType{N}}. */
    public record Media(String url, String contentType) {
    }

    /** The media as fetched: the attachments to keep (or refuse, by type or size), and those Twilio did not give. */
    public record Fetched(List<NewAttachment> attachments, int unavailable) {
    }

    private final Tickets tickets;
    private final TwilioMedia twilio;
    private final TicketMessagingProperties properties;

    public TicketMessaging(Tickets tickets, TwilioMedia twilio, TicketMessagingProperties properties) {
        this.tickets = tickets;
        this.twilio = twilio;
        this.properties = properties;
    }

    public TicketMessagingProperties properties() {
        return properties;
    }

    /** Whether the message is already on a ticket (Twilio sent the webhook again). */
    public boolean filed(String messageSid) {
        return tickets.ticketOfTwilioSid(messageSid).isPresent();
    }

    /**
     * Fetches the media whose type is kept, at most one byte more than the size kept (enough to refuse a larger one);
     * outside any transaction. Media of other types are not fetched: their attachment is empty and refused by type.
     */
    public Fetched fetch(IncomingMessage message) {
        List<NewAttachment> attachments = new ArrayList<>();
        int unavailable = 0;
        for (int i = 0; i < message.media().size(); i++) {
            Media media = message.media().get(i);
            String type = media.contentType() == null ? "" : media.contentType().toLowerCase(Locale.ROOT)
                    .split(";")[0].strip();
            String name = "message-photo-" + (i + 1) + EXTENSIONS.getOrDefault(type, "");
            if (!tickets.properties().attachmentTypes().contains(type)) {
                attachments.add(new NewAttachment(name, type, new byte[0]));
                continue;
            }
            Optional<byte[]> content = twilio.ofMessage(media.url(), message.messageSid())
                    ? twilio.fetch(media.url(), tickets.properties().maxAttachmentBytes()) : Optional.empty();
            if (content.isEmpty()) {
                unavailable++;
            } else {
                attachments.add(new NewAttachment(name, type, content.get()));
            }
        }
        return new Fetched(attachments, unavailable);
    }

    /** Files the message and its fetched media, in the caller's transaction; the ticket's number. */
    public long file(IncomingMessage message, Fetched fetched) {
        Optional<String> phone = PhoneNumbers.e164(message.from(), null);
        EndUser sender = phone.map(number -> EndUser.of(null, null, number, tickets.properties().phoneRegion()))
                .orElse(new EndUser(null, null, null));
        String text = message.body() == null || message.body().isBlank() ? null : message.body().strip();
        if (fetched.unavailable() > 0) {
            text = (text == null ? "" : text + "\n\n") + "[" + fetched.unavailable() + " of the message's "
                    + message.media().size() + " media could not be fetched from Twilio]";
        }
        String subject = (message.media().isEmpty() ? "Message" : "Photos by message") + " from "
                + phone.orElse(message.from() == null || message.from().isBlank() ? "an unknown sender"
                        : message.from());
        String group = properties.group() == null || properties.group().isBlank()
                ? tickets.properties().triageGroup() : properties.group().strip();
        Incoming incoming = new Incoming(group, sender, Origin.MESSAGE, subject, text, null, phone.orElse(null),
                message.to(), null, message.messageSid(), null, fetched.attachments());
        Optional<Long> open = phone.flatMap(tickets::openTicketOfPhone);
        return open.isPresent() ? tickets.receiveOn(open.get(), incoming).number() : tickets.receive(incoming).number();
    }

    /** Deletes the message's media from Twilio, once they are on the ticket (or refused there); best effort. */
    public void deleteMedia(IncomingMessage message) {
        for (Media media : message.media()) {
            if (twilio.ofMessage(media.url(), message.messageSid()) && !twilio.delete(media.url())) {
                log.warn("Message {}: Twilio did not confirm the deletion of a media item", message.messageSid());
            }
        }
    }
}
