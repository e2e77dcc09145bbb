package org.callcentre.emulator.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One emulator per test class, with {@code <Pause>} and gather timeouts cut to nothing and REST-created calls
 * answered at once, and a {@link FakeApp} for it to fetch TwiML from and send callbacks to.
 */
abstract class EmulatorTest {

    static final Duration T = Duration.ofSeconds(10);
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    static TwilioEmulator emulator;
    static FakeApp app;

    @BeforeAll
    static void startEmulatorAndApp() throws Exception {
        emulator = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withOutboundOutcome(CallOutcome.ANSWER).withPauseScale(0).withGatherTimeoutScale(0));
        app = new FakeApp();
    }

    @AfterAll
    static void stopEmulatorAndApp() {
        app.close();
        emulator.close();
    }
}
