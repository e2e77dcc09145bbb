package org.callcentre.ticket.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.callcentre.ticket.mail.IncomingMail.Automatic;
import org.junit.jupiter.api.Test;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/** Mail as it comes from the server, read: who, what it answers, its parts, and whether a machine sent it. */
class IncomingMailTest {

    private static final String HEADERS = "Return-Path: <jo@example.org>\r\n"
            + "From: =?UTF-8?Q?Jo_M=C3=BCller?= <Jo@Example.org>\r\n"
            + "To: info@callcentre.test, Donations <Donations@CallCentre.test>\r\n"
            + "Cc: other@example.org\r\n"
            + "Subject: =?UTF-8?Q?Caf=C3=A9_table?=\r\n"
            + "Message-ID: <m2@example.org>\r\n"
            + "In-Reply-To: <ours@callcentre.test>\r\n"
            + "References: <first@example.org> <ours@callcentre.test>\r\n";

    @Test
    void aPersonsMailIsReadWithItsTextSanitisedHtmlAndFiles() throws Exception {
        IncomingMail mail = read(HEADERS
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
                + "--outer\r\n"
                + "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
                + "--inner\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "A table to give.\r\n"
                + "--inner\r\n"
                + "Content-Type: text/html; charset=UTF-8\r\n\r\n"
                + "<p onclick=\"x()\">A <b>table</b></p><script>x()</script>\r\n"
                + "--inner--\r\n"
                + "--outer\r\n"
                + "Content-Type: image/png\r\n"
                + "Content-Disposition: inline\r\n"
                + "Content-ID: <photo1>\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + "aGVsbG8=\r\n"
                + "--outer\r\n"
                + "Content-Type: application/pdf; name=\"list.pdf\"\r\n"
                + "Content-Disposition: attachment; filename=\"list.pdf\"\r\n\r\n"
                + "0123456789\r\n"
                + "--outer--\r\n", 5);

        assertThat(mail.messageId()).isEqualTo("<m2@example.org>");
        assertThat(mail.fromName()).isEqualTo("Jo Müller");
        assertThat(mail.fromAddress()).isEqualTo("jo@example.org");
        assertThat(mail.recipients()).containsExactly("info@callcentre.test", "donations@callcentre.test",
                "other@example.org");
        assertThat(mail.subject()).isEqualTo("Café table");
        assertThat(mail.referencedIds()).containsExactly("<ours@callcentre.test>", "<first@example.org>");
        assertThat(mail.text()).isEqualTo("A table to give.");
        assertThat(mail.html()).isEqualTo("<p>A <b>table</b></p>");
        assertThat(mail.attachments()).hasSize(2);
        assertThat(mail.attachments().get(0).contentType()).isEqualTo("image/png");
        assertThat(new String(mail.attachments().get(0).content(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(mail.attachments().get(1).fileName()).isEqualTo("list.pdf");
        // Cut just past the limit, so the size check refuses it without the rest being read.
        assertThat(mail.attachments().get(1).content()).hasSize(6);
        assertThat(mail.automatic()).isNull();
    }

    @Test
    void anHtmlOnlyMailHasTheHtmlsTextAsItsText() throws Exception {
        IncomingMail mail = read(HEADERS + "Content-Type: text/html; charset=UTF-8\r\n\r\n<p>One</p><p>Two</p>", 100);

        assertThat(mail.text()).isEqualTo("One\n\nTwo");
        assertThat(mail.html()).isEqualTo("<p>One</p><p>Two</p>");
    }

    @Test
    void machinesMailIsToldApart() throws Exception {
        assertThat(automatic("Auto-Submitted: auto-replied\r\n")).isEqualTo(Automatic.AUTO_REPLY);
        assertThat(automatic("Auto-Submitted: auto-generated; owner-email=\"x@y.org\"\r\n"))
                .isEqualTo(Automatic.AUTO_REPLY);
        assertThat(automatic("Auto-Submitted: No\r\n")).isNull();
        assertThat(automatic("X-Autoreply: yes\r\n")).isEqualTo(Automatic.AUTO_REPLY);
        assertThat(automatic("X-Autorespond: vacation\r\n")).isEqualTo(Automatic.AUTO_REPLY);
        assertThat(automatic("Precedence: bulk\r\n")).isEqualTo(Automatic.AUTO_REPLY);
        assertThat(automatic("Precedence: junk\r\n")).isEqualTo(Automatic.AUTO_REPLY);
        assertThat(automatic("Precedence: auto_reply\r\n")).isEqualTo(Automatic.AUTO_REPLY);
        assertThat(automatic("Precedence: first-class\r\n")).isNull();
        assertThat(read("Return-Path: <>\r\nFrom: jo@example.org\r\nSubject: x\r\n\r\nAway", 10).automatic())
                .isEqualTo(Automatic.BOUNCE);
        assertThat(read("Return-Path: <x@mx.org>\r\nFrom: MAILER-DAEMON@mx.org\r\nSubject: x\r\n\r\nFailed", 10)
                .automatic()).isEqualTo(Automatic.BOUNCE);
        assertThat(read("From: postmaster@mx.org\r\nSubject: x\r\nContent-Type: multipart/report; "
                + "report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFailed\r\n"
                + "--b\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--b--\r\n", 10).automatic())
                .isEqualTo(Automatic.BOUNCE);
        assertThat(read("From: jo@example.org\r\nSubject: x\r\nContent-Type: multipart/report; "
                + "report-type=disposition-notification; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                + "Read\r\n--b--\r\n", 10).automatic()).isEqualTo(Automatic.AUTO_REPLY);
    }

    @Test
    void aMailWithoutMessageIdOrReadableSenderIsStillRead() throws Exception {
        IncomingMail mail = read("From: not an address <<>>\r\nSubject: Hello\r\n\r\nHello", 10);

        assertThat(mail.messageId()).isNull();
        assertThat(mail.fromAddress()).isNull();
        assertThat(mail.referencedIds()).isEmpty();
        assertThat(mail.text()).isEqualTo("Hello");
    }

    private static Automatic automatic(String header) throws MessagingException {
        return read("Return-Path: <jo@example.org>\r\nFrom: jo@example.org\r\n" + header + "Subject: x\r\n\r\nHi", 10)
                .automatic();
    }

    private static IncomingMail read(String raw, long maxAttachmentBytes) throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        return IncomingMail.read(message, maxAttachmentBytes);
    }
}
