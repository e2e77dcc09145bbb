package org.callcentre.ticket.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.callcentre.ticket.Tickets.NewAttachment;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;

/**
 * A mail read from the mailbox, parsed once, outside any transaction: who wrote it and to whom, what it answers,
 * its text and sanitised HTML, its files, and whether a machine sent it.
 *
 * @param messageId     its Message-ID, or null
 * @param recipients    the To and Cc addresses, lower-case
 * @param referencedIds the Message-IDs it answers: In-Reply-To first, then References from the newest
 * @param text          the text/plain part, else the HTML's text
 * @param html          the text/html part, sanitised ({@link MailHtml#sanitise})
 * @param attachments   every other part (inline images too); one larger than the limit is cut just past it, so the
 *                      tickets' own size check refuses it without the whole being read
 * @param automatic     an auto-reply or a bounce, to be recorded and otherwise ignored; null for a person's mail
 */
public record IncomingMail(String messageId, String fromName, String fromAddress, List<String> recipients,
        String subject, List<String> referencedIds, String text, String html, List<NewAttachment> attachments,
        Automatic automatic) {

    /** Mail a machine sent: never a ticket, never answered, so two auto-responders cannot keep each other going. */
    public enum Automatic {
        AUTO_REPLY, BOUNCE
    }

    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");
    private static final Set<String> AUTOMATIC_PRECEDENCE = Set.of("auto_reply", "bulk", "junk");
    private static final int MAX_DEPTH = 20;
    /** The newest Message-IDs a mail answers that are looked up: a long thread's oldest are not needed. */
    private static final int MAX_REFERENCES = 20;
    /** Longer bodies are cut here: a ticket is read by people. */
    static final int MAX_BODY_CHARS = 200_000;

    /** Reads the message; a part that cannot be read is left out rather than losing the whole mail. */
    public static IncomingMail read(MimeMessage message, long maxAttachmentBytes) throws MessagingException {
        InternetAddress from = first(addresses(message, "From"));
        List<String> recipients = new ArrayList<>();
        for (String header : List.of("To", "Cc")) {
            for (InternetAddress address : addresses(message, header)) {
                if (address.getAddress() != null) {
                    recipients.add(address.getAddress().toLowerCase(Locale.ROOT));
                }
            }
        }
        Body body = new Body(maxAttachmentBytes);
        body.walk(message, 0);
        String html = body.html == null ? null : MailHtml.sanitise(cut(body.html));
        String text = body.text != null ? cut(body.text) : html == null ? null : MailHtml.text(html);
        return new IncomingMail(messageId(header(message, "Message-ID")),
                from == null ? null : blankToNull(from.getPersonal()),
                from == null || from.getAddress() == null || !from.getAddress().contains("@") ? null
                        : from.getAddress().toLowerCase(Locale.ROOT),
                List.copyOf(recipients), subject(message), referencedIds(message), text, html,
                List.copyOf(body.attachments), automatic(message, from));
    }

    /** Whether a machine sent it (RFC 3834 and the headers auto-responders use), and which kind. */
    static Automatic automatic(MimeMessage message, InternetAddress from) throws MessagingException {
        ContentType type = contentType(message.getContentType());
        if (type != null && type.match("multipart/report")) {
            String report = type.getParameter("report-type");
            if (report != null && report.equalsIgnoreCase("delivery-status")) {
                return Automatic.BOUNCE;
            }
            return Automatic.AUTO_REPLY;
        }
        if (from != null && from.getAddress() != null) {
            String local = from.getAddress().split("@")[0].toLowerCase(Locale.ROOT);
            if (local.equals("mailer-daemon")) {
                return Automatic.BOUNCE;
            }
        }
        String submitted = header(message, "Auto-Submitted");
        if (submitted != null && !submitted.split(";")[0].strip().equalsIgnoreCase("no")) {
            return Automatic.AUTO_REPLY;
        }
        if (header(message, "X-Autoreply") != null || header(message, "X-Autorespond") != null) {
            return Automatic.AUTO_REPLY;
        }
        String precedence = header(message, "Precedence");
        if (precedence != null && AUTOMATIC_PRECEDENCE.contains(precedence.strip().toLowerCase(Locale.ROOT))) {
            return Automatic.AUTO_REPLY;
        }
        String returnPath = header(message, "Return-Path");
        if (returnPath != null && returnPath.replaceAll("[<>\\s]", "").isEmpty()) {
            return Automatic.BOUNCE;
        }
        return null;
    }

    /** The Message-ID a header holds, or null. */
    static String messageId(String header) {
        if (header == null) {
            return null;
        }
        Matcher matcher = MESSAGE_ID.matcher(header);
        return matcher.find() ? matcher.group() : blankToNull(header);
    }

    private static List<String> referencedIds(MimeMessage message) throws MessagingException {
        Set<String> ids = new LinkedHashSet<>();
        String inReplyTo = header(message, "In-Reply-To");
        if (inReplyTo != null) {
            Matcher matcher = MESSAGE_ID.matcher(inReplyTo);
            while (matcher.find()) {
                ids.add(matcher.group());
            }
        }
        String references = header(message, "References");
        if (references != null) {
            List<String> found = new ArrayList<>();
            Matcher matcher = MESSAGE_ID.matcher(references);
            while (matcher.find()) {
                found.add(matcher.group());
            }
            for (int i = found.size() - 1; i >= 0; i--) {
                ids.add(found.get(i));
            }
        }
        return ids.stream().limit(MAX_REFERENCES).toList();
    }

    private static String subject(MimeMessage message) {
        try {
            return blankToNull(message.getSubject());
        } catch (MessagingException unreadable) {
            return null;
        }
    }

    /** The header's addresses, read leniently; a header that cannot be read at all gives none. */
    private static List<InternetAddress> addresses(MimeMessage message, String name) throws MessagingException {
        String value = message.getHeader(name, ",");
        if (value == null || value.isBlank()) {
            return List.of();
        }
        try {
            Address[] parsed = InternetAddress.parseHeader(value, false);
            return Arrays.stream(parsed).filter(InternetAddress.class::isInstance).map(InternetAddress.class::cast)
                    .toList();
        } catch (AddressException unreadable) {
            return List.of();
        }
    }

    private static InternetAddress first(List<InternetAddress> addresses) {
        return addresses.isEmpty() ? null : addresses.get(0);
    }

    static String header(Part part, String name) throws MessagingException {
        String[] values = part.getHeader(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    private static ContentType contentType(String value) {
        try {
            return value == null ? null : new ContentType(value);
        } catch (ParseException unreadable) {
            return null;
        }
    }

    private static String cut(String text) {
        return text.length() <= MAX_BODY_CHARS ? text : text.substring(0, MAX_BODY_CHARS);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The body's parts: the first text/plain and text/html that are not attachments, and the files. */
    private static final class Body {
        private final long maxAttachmentBytes;
        private String text;
        private String html;
        private final List<NewAttachment> attachments = new ArrayList<>();

        Body(long maxAttachmentBytes) {
            this.maxAttachmentBytes = maxAttachmentBytes;
        }

        void walk(Part part, int depth) throws MessagingException {
            if (depth > MAX_DEPTH) {
                return;
            }
            try {
                if (part.isMimeType("multipart/*")) {
                    Object content = part.getContent();
                    if (content instanceof Multipart multipart) {
                        for (int i = 0; i < multipart.getCount(); i++) {
                            BodyPart child = multipart.getBodyPart(i);
                            walk(child, depth + 1);
                        }
                    }
                    return;
                }
                String fileName = fileName(part);
                boolean attached = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || fileName != null;
                if (!attached && part.isMimeType("text/plain")) {
                    // Some mailers split the text around an inline image: its pieces are one text.
                    text = text == null ? text(part) : text + "\n" + text(part);
                } else if (!attached && html == null && part.isMimeType("text/html")) {
                    html = text(part);
                } else if (!attached && part.isMimeType("message/delivery-status")) {
                    return;
                } else {
                    ContentType type = contentType(part.getContentType());
                    attachments.add(new NewAttachment(fileName, type == null ? "application/octet-stream"
                            : type.getBaseType().toLowerCase(Locale.ROOT), bytes(part)));
                }
            } catch (IOException unreadable) {
                // A part that cannot be read is left out; the rest of the mail is still filed.
            }
        }

        private byte[] bytes(Part part) throws MessagingException, IOException {
            try (InputStream in = part.getInputStream()) {
                return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxAttachmentBytes + 1));
            }
        }

        private static String text(Part part) throws MessagingException, IOException {
            try {
                Object content = part.getContent();
                if (content instanceof String string) {
                    return string;
                }
            } catch (UnsupportedEncodingException unknownCharset) {
                // read below as UTF-8
            }
            try (InputStream in = part.getInputStream()) {
                return new String(in.readNBytes(MAX_BODY_CHARS * 4), StandardCharsets.UTF_8);
            }
        }

        private static String fileName(Part part) {
            try {
                String name = part.getFileName();
                return name == null || name.isBlank() ? null : MimeUtility.decodeText(name).strip();
            } catch (MessagingException | UnsupportedEncodingException unreadable) {
                return "attachment";
            }
        }
    }
}
