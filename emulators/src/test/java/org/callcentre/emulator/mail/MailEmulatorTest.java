package org.callcentre.emulator.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

class MailEmulatorTest {

    @Test
    void itTakesMailForAnyoneAndTheInfoMailboxIsReadWithItsPassword() throws Exception {
        try (MailEmulator mail = MailEmulator.start(MailEmulator.Settings.defaults().withFreePorts())) {
            Properties smtp = new Properties();
            smtp.put("mail.smtp.host", mail.host());
            smtp.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
            MimeMessage message = new MimeMessage(Session.getInstance(smtp));
            message.setFrom(new InternetAddress("jo@example.org"));
            message.setRecipients(Message.RecipientType.TO, "info@callcentre.test, anyone@elsewhere.example");
            message.setSubject("Hello");
            message.setText("Hi");
            Transport.send(message);

            assertThat(mail.receivedBy("anyone@elsewhere.example")).hasSize(1);
            try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
                store.connect(mail.host(), mail.imapPort(), "info@callcentre.test", "demo");
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessageCount()).isOne();
                assertThat(inbox.getMessage(1).getSubject()).isEqualTo("Hello");
            }
            try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
                assertThatThrownBy(() -> store.connect(mail.host(), mail.imapPort(), "info@callcentre.test", "guess"))
                        .isInstanceOf(AuthenticationFailedException.class);
            }
        }
    }
}
