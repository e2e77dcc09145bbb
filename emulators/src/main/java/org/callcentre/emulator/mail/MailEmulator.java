package org.callcentre.emulator.mail;

import java.util.List;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

/**
 * A real SMTP and IMAP server (GreenMail, in memory) for the demo run and the tests. It accepts mail for any
 * recipient (each gets a mailbox on first delivery, its login and password the address) and has one mailbox with a
 * password of its own, the one the app polls. Port 0 takes a free port.
 */
public final class MailEmulator implements AutoCloseable {

    /** Where it listens and the polled mailbox's login. */
    public record Settings(String host, int smtpPort, int imapPort, String user, String password) {

        /** The demo's: GreenMail's usual test ports on 127.0.0.1, and {@code info@callcentre.test} / {@code demo}. */
        public static Settings defaults() {
            return new Settings("127.0.0.1", 3025, 3143, "info@callcentre.test", "demo");
        }

        /** The same on free ports, for tests. */
        public Settings withFreePorts() {
            return new Settings(host, 0, 0, user, password);
        }
    }

    private final GreenMail greenMail;
    private final Settings settings;

    private MailEmulator(GreenMail greenMail, Settings settings) {
        this.greenMail = greenMail;
        this.settings = settings;
    }

    public static MailEmulator start(Settings settings) {
        ServerSetup smtp = new ServerSetup(settings.smtpPort(), settings.host(), ServerSetup.PROTOCOL_SMTP);
        ServerSetup imap = new ServerSetup(settings.imapPort(), settings.host(), ServerSetup.PROTOCOL_IMAP);
        GreenMail greenMail = new GreenMail(new ServerSetup[] {settings.smtpPort() == 0 ? smtp.dynamicPort() : smtp,
            settings.imapPort() == 0 ? imap.dynamicPort() : imap});
        greenMail.withConfiguration(GreenMailConfiguration.aConfig()
                .withUser(settings.user(), settings.user(), settings.password()));
        greenMail.start();
        return new MailEmulator(greenMail, settings);
    }

    public String host() {
        return settings.host();
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    /** The polled mailbox's login (an address) and password. */
    public String user() {
        return settings.user();
    }

    public String password() {
        return settings.password();
    }

    /** Every message delivered to {@code address}'s mailbox so far (its copy on the server, as delivered). */
    public List<MimeMessage> receivedBy(String address) {
        return greenMail.findReceivedMessages(user -> address.equalsIgnoreCase(user.getEmail()), message -> true)
                .toList();
    }

    /** The server itself, for what a test needs beyond this class. */
    public GreenMail greenMail() {
        return greenMail;
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
