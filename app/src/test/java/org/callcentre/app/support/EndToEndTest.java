package org.callcentre.app.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.callcentre.app.CallCentreApplication;
import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.mail.MailEmulator;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app as a user runs it (demo profile: demo users, job executor on), on a real port, talking over HTTP to a
 * Twilio emulator and a gateway simulator that the tests control, and over SMTP and IMAP to a mail server. One Spring
 * context and one set of emulators serve every end-to-end test class in the JVM.
 */
@SpringBootTest(classes = CallCentreApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {"logging.file.name=" + EndToEndTest.LOG_FILE,
            // The loggers that print request parameters, bodies and handler arguments, raised for the leak test;
            // the console (the build's output) stays at INFO.
            "logging.level.org.springframework.web=trace", "spring.mvc.log-request-details=true",
            "logging.level.org.apache.coyote.http11=debug", "logging.level.org.apache.tomcat.util.http=debug",
            "logging.level.org.apache.catalina.connector=debug", "logging.threshold.console=info",
            // Short, so the console's browser tests see the next lead come (and a paused countdown stay) in seconds.
            "dialler.next-lead-countdown-seconds=" + EndToEndTest.NEXT_LEAD_COUNTDOWN_SECONDS})
@ActiveProfiles("demo")
public abstract class EndToEndTest {

    public static final String LOG_FILE = "target/e2e-logs/app.log";
    public static final Duration WAIT = Duration.ofSeconds(20);
    public static final String PASSWORD = "demo";
    /** {@code dialler.next-lead-countdown-seconds} in the tests. */
    public static final int NEXT_LEAD_COUNTDOWN_SECONDS = 5;

    static {
        try {
            // The leak test scans this file: start it empty in every test JVM.
            Files.deleteIfExists(Path.of(LOG_FILE));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static final int PORT = freePort();
    protected static final String BASE = "http://127.0.0.1:" + PORT;
    protected static final TwilioEmulator twilio = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
            .withPauseScale(0.05)
            .withGatherTimeoutScale(0));
    protected static final GatewaySimulator gateway = GatewaySimulator.start("127.0.0.1", 0,
            GatewaySimulator.DEFAULT_SECRET_KEY);
    /** SMTP for the app's mail, and the info mailbox it reads: polled by the tests (MailIntake.poll), not the clock. */
    protected static final MailEmulator mail = MailEmulator.start(MailEmulator.Settings.defaults().withFreePorts());
    /** Where restored call recordings are put back. */
    protected static final RestoreStore restoreStore = RestoreStore.start();

    protected static final AgentApi admin = new AgentApi(BASE, "admin", PASSWORD);
    protected static final AgentApi agent = new AgentApi(BASE, "agent", PASSWORD);
    protected static final AgentApi agentAdmin = new AgentApi(BASE, "agentadmin", PASSWORD);
    protected static final AgentApi anonymous = new AgentApi(BASE, null, null);

    @DynamicPropertySource
    static void wireEmulators(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("app.public-base-url", () -> BASE);
        registry.add("app.emulators.enabled", () -> "false");
        registry.add("app.demo.password", () -> PASSWORD);
        registry.add("twilio.api-base-url", twilio::baseUrl);
        registry.add("twilio.account-sid", twilio::accountSid);
        registry.add("twilio.auth-token", twilio::authToken);
        registry.add("payment.gateway.base-url", gateway::baseUrl);
        registry.add("payment.gateway.secret-key", () -> GatewaySimulator.DEFAULT_SECRET_KEY);
        // Short, so the "slow gateway" test times out quickly and is retried with the same idempotency key.
        registry.add("payment.gateway.timeout", () -> "1s");
        registry.add("app.recording.restore-base-url", restoreStore::baseUrl);
        registry.add("spring.mail.host", mail::host);
        registry.add("spring.mail.port", mail::smtpPort);
        registry.add("tickets.mail.imap.host", mail::host);
        registry.add("tickets.mail.imap.port", mail::imapPort);
        registry.add("tickets.mail.poll", () -> "PT24H");
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spring.datasource.username", TestDatabase::user);
        registry.add("spring.datasource.password", () -> "");
    }

    /** The app's log file's length now, to read what a test step logs with {@link #logSince}. */
    protected static long logLength() {
        try {
            return Files.size(Path.of(LOG_FILE));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the app logged after the log file had {@code length} bytes. */
    protected static String logSince(long length) {
        try (var file = FileChannel.open(Path.of(LOG_FILE))) {
            var bytes = ByteBuffer.allocate((int) (file.size() - length));
            file.read(bytes, length);
            return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
