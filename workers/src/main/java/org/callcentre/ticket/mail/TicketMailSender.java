package org.callcentre.ticket.mail;

import static org.callcentre.problem.RefusedException.unavailable;

import java.io.UnsupportedEncodingException;
import java.util.Locale;
import java.util.UUID;

import org.callcentre.ticket.TicketGroup;
import org.callcentre.ticket.TicketGroups;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * Mail from a ticket, through Spring's {@link JavaMailSender} ({@code spring.mail.*}): from the group's inbox address
 * (else {@code tickets.mail.info-address}), with a Message-ID made here so that answers thread back to the ticket.
 */
public class TicketMailSender {

    /** One mail. {@code inReplyTo}: the Message-ID it answers, or null; {@code automatic}: no person wrote it. */
    public record Outgoing(InternetAddress from, String to, String subject, String text, String html,
            String messageId, String inReplyTo, boolean automatic) {
    }

    private final ObjectProvider<JavaMailSender> senders;
    private final TicketGroups groups;
    private final TicketMailProperties properties;

    public TicketMailSender(ObjectProvider<JavaMailSender> senders, TicketGroups groups,
            TicketMailProperties properties) {
        this.senders = senders;
        this.groups = groups;
        this.properties = properties;
    }

    /** The sender of the group's mail: its inbox address, else the info address, with the group's name. */
    public InternetAddress from(String groupKey) {
        TicketGroup group = groups.group(groupKey).orElse(null);
        String address = group != null && group.inboxAddress() != null ? group.inboxAddress()
                : properties.infoAddress();
        if (address == null) {
            throw unavailable("there is no address to send from: set tickets.mail.info-address");
        }
        try {
            return new InternetAddress(address, group == null ? null : group.name(), "UTF-8");
        } catch (UnsupportedEncodingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A new Message-ID in the sender's domain: random, so knowing it is what threads an answer to the ticket. */
    public static String messageId(long number, InternetAddress from) {
        String address = from.getAddress();
        String domain = address.substring(address.indexOf('@') + 1).toLowerCase(Locale.ROOT);
        return "<ticket-" + number + "." + UUID.randomUUID() + "@" + domain + ">";
    }

    /** Whether a mail server is configured ({@code spring.mail.host}). */
    public boolean configured() {
        return senders.getIfAvailable() != null;
    }

    /** Sends the mail; a mail server that is missing, unreachable or refuses it is a 503 refusal. */
    public void send(Outgoing outgoing) {
        JavaMailSender sender = senders.getIfAvailable();
        if (sender == null) {
            throw unavailable("no mail server is configured (spring.mail.host): nothing was sent");
        }
        try {
            MimeMessage mime = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(mime, "UTF-8");
            helper.setFrom(outgoing.from());
            helper.setTo(outgoing.to());
            helper.setSubject(outgoing.subject());
            if (outgoing.html() == null) {
                helper.setText(outgoing.text());
            } else {
                // The text and the HTML as alternatives, nothing else: a reply carries no files.
                MimeMultipart alternatives = new MimeMultipart("alternative");
                MimeBodyPart text = new MimeBodyPart();
                text.setText(outgoing.text(), "UTF-8");
                alternatives.addBodyPart(text);
                MimeBodyPart html = new MimeBodyPart();
                html.setText(outgoing.html(), "UTF-8", "html");
                alternatives.addBodyPart(html);
                mime.setContent(alternatives);
            }
            mime.setHeader("Message-ID", outgoing.messageId());
            if (outgoing.inReplyTo() != null) {
                mime.setHeader("In-Reply-To", outgoing.inReplyTo());
                mime.setHeader("References", outgoing.inReplyTo());
            }
            if (outgoing.automatic()) {
                // RFC 3834: auto-responders must not answer it; Exchange's own header says the same.
                mime.setHeader("Auto-Submitted", "auto-generated");
                mime.setHeader("X-Auto-Response-Suppress", "All");
            }
            sender.send(mime);
        } catch (MailException | MessagingException refused) {
            throw new NotSent(refused);
        }
    }

    /** The mail server did not take the mail. */
    public static class NotSent extends RuntimeException {
        NotSent(Exception cause) {
            super("the mail server did not take the mail: " + cause.getMessage(), cause);
        }
    }
}
