package org.callcentre.app.support;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.callcentre.emulator.mail.MailEmulator;

import jakarta.activation.DataHandler;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

/** End-users' mail in the tests: written here and sent over SMTP to the test's mail server, as a mail client would. */
public final class Mails {

    private Mails() {
    }

    /** A mail from {@code address} to the info address. */
    public static Draft from(String name, String address) {
        return new Draft(name, address);
    }

    /** Marks every message of the polled mailbox unread, as a crash between filing and marking would leave them. */
    public static void markAllUnread(MailEmulator mail) throws MessagingException {
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect(mail.host(), mail.imapPort(), mail.user(), mail.password());
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            inbox.setFlags(inbox.getMessages(), new Flags(Flags.Flag.SEEN), false);
            inbox.close(false);
        }
    }

    /** Whether the polled mailbox's message with this subject is unread. */
    public static boolean unread(MailEmulator mail, String subject) throws MessagingException {
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect(mail.host(), mail.imapPort(), mail.user(), mail.password());
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                // The server finds the candidates: reading every message's envelope would trip over any mail another
                // test left whose headers the server cannot put in an envelope.
                for (Message message : inbox.search(new jakarta.mail.search.SubjectTerm(subject))) {
                    if (subject.equals(message.getSubject())) {
                        return !message.isSet(Flags.Flag.SEEN);
                    }
                }
                throw new AssertionError("no message " + subject + " in the mailbox");
            } finally {
                inbox.close(false);
            }
        }
    }

    /** A mail being written. */
    public static final class Draft {
        private final String name;
        private final String address;
        private final List<String> to = new ArrayList<>(List.of("info@callcentre.test"));
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final List<MimeBodyPart> files = new ArrayList<>();
        private String subject;
        private String text;
        private String html;
        private boolean nullSender;
        private String reportedRecipient;
        private String messageId;
        private boolean ownMessageId;

        private Draft(String name, String address) {
            this.name = name;
            this.address = address;
        }

        public Draft to(String... addresses) {
            to.clear();
            to.addAll(List.of(addresses));
            return this;
        }

        public Draft subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Draft text(String text) {
            this.text = text;
            return this;
        }

        public Draft html(String html) {
            this.html = html;
            return this;
        }

        public Draft header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /**
         * Delivered into the info mailbox as a mail server delivers one sent with the null sender
         * ({@code MAIL FROM:<>}, which the test server does not take over SMTP): with {@code Return-Path: <>}.
         */
        public Draft nullSender() {
            this.nullSender = true;
            return this;
        }

        /** Makes it a delivery status notification (a bounce) about a mail to {@code recipient}. */
        public Draft deliveryReport(String recipient) {
            this.reportedRecipient = recipient;
            return this;
        }

        /** Its Message-ID; {@code null} for a mail without one. */
        public Draft messageId(String messageId) {
            this.messageId = messageId;
            this.ownMessageId = true;
            return this;
        }

        public Draft attach(String fileName, String type, byte[] content) throws MessagingException {
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(content, type)));
            part.setFileName(fileName);
            part.setDisposition(MimeBodyPart.ATTACHMENT);
            files.add(part);
            return this;
        }

        /** Sends it over SMTP; answers its Message-ID. */
        public String send(MailEmulator mail) throws MessagingException {
            Properties settings = new Properties();
            settings.put("mail.smtp.host", mail.host());
            settings.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
            Session session = Session.getInstance(settings);
            MimeMessage message = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    if (!ownMessageId) {
                        super.updateMessageID();
                    } else if (messageId == null) {
                        removeHeader("Message-ID");
                    } else {
                        setHeader("Message-ID", messageId);
                    }
                }
            };
            try {
                message.setFrom(new InternetAddress(address, name, "UTF-8"));
            } catch (UnsupportedEncodingException impossible) {
                throw new IllegalStateException(impossible);
            }
            for (String recipient : to) {
                message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
            }
            message.setSubject(subject, "UTF-8");
            MimeMultipart body = new MimeMultipart("alternative");
            if (text != null) {
                MimeBodyPart plain = new MimeBodyPart();
                plain.setText(text, "UTF-8");
                body.addBodyPart(plain);
            }
            if (html != null) {
                MimeBodyPart rich = new MimeBodyPart();
                rich.setText(html, "UTF-8", "html");
                body.addBodyPart(rich);
            }
            if (reportedRecipient != null) {
                message.setContent(report(text, reportedRecipient));
            } else if (files.isEmpty()) {
                message.setContent(body);
            } else {
                MimeMultipart mixed = new MimeMultipart("mixed");
                MimeBodyPart alternative = new MimeBodyPart();
                alternative.setContent(body);
                mixed.addBodyPart(alternative);
                for (MimeBodyPart file : files) {
                    mixed.addBodyPart(file);
                }
                message.setContent(mixed);
            }
            for (Map.Entry<String, String> header : headers.entrySet()) {
                message.setHeader(header.getKey(), header.getValue());
            }
            message.saveChanges();
            String id = message.getMessageID();
            // Transport.send saves again: keep the Message-ID just made.
            messageId = id;
            ownMessageId = true;
            if (nullSender) {
                message.setHeader("Return-Path", "<>");
                message.saveChanges();
                mail.greenMail().getUserManager().getUserByEmail(mail.user()).deliver(message);
            } else {
                Transport.send(message);
            }
            return id;
        }

        /** RFC 3464: a human-readable part and the machine-readable status. */
        private static MimeMultipart report(String text, String recipient) throws MessagingException {
            MimeMultipart report = new MimeMultipart("report") {
                {
                    ContentType type = new ContentType(contentType);
                    type.setParameter("report-type", "delivery-status");
                    contentType = type.toString();
                }
            };
            MimeBodyPart human = new MimeBodyPart();
            human.setText(text == null ? "Delivery failed." : text, "UTF-8");
            report.addBodyPart(human);
            MimeBodyPart status = new MimeBodyPart();
            String fields = "Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; " + recipient
                    + "\r\nAction: failed\r\nStatus: 5.1.1\r\n";
            status.setDataHandler(new DataHandler(new ByteArrayDataSource(fields.getBytes(StandardCharsets.US_ASCII),
                    "message/delivery-status")));
            report.addBodyPart(status);
            return report;
        }
    }
}
