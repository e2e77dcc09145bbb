package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Two hundred calls at once, as the benchmarks run them. */
class ConcurrentCallsTest {

    private static final int CALLS = 200;
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void twoHundredSimultaneousPaymentCalls() throws Exception {
        try (TwilioEmulator emulator = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withOutboundOutcome(CallOutcome.ANSWER)
                .withPauseScale(0.001).withGatherTimeoutScale(0)); FakeApp app = new FakeApp()) {
            app.twiml("/start", "<Response><Say>Hello.</Say><Pause length=\"5\"/>"
                    + "<Gather action=\"/card\" numDigits=\"16\"><Say>Card number.</Say></Gather></Response>");
            app.route("/card", req -> FakeApp.Reply.twiml("<Response><Say>Got " + req.param("Digits").substring(12)
                    + ".</Say><Hangup/></Response>"));
            app.twiml("/status", "");

            HttpClient http = HttpClient.newHttpClient();
            String auth = "Basic " + Base64.getEncoder().encodeToString(
                    (emulator.accountSid() + ":" + emulator.authToken()).getBytes(StandardCharsets.UTF_8));
            String form = "To=" + enc("+447700900123") + "&From=" + enc("+441632960000")
                    + "&Url=" + enc(app.url("/start")) + "&StatusCallback=" + enc(app.url("/status"));
            List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                creates.add(http.sendAsync(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                                + "/2010-04-01/Accounts/" + emulator.accountSid() + "/Calls.json"))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            ObjectMapper json = new ObjectMapper();
            List<EmulatedCall> calls = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : creates) {
                HttpResponse<String> r = f.get(T.toSeconds(), TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(201);
                calls.add(emulator.call(json.readTree(r.body()).get("sid").asText()));
            }
            for (int i = 0; i < CALLS; i++) {
                calls.get(i).awaitGather(T);
                calls.get(i).press(String.format("4111111111%06d", i));
            }
            for (int i = 0; i < CALLS; i++) {
                EmulatedCall call = calls.get(i);
                call.awaitEnded(T);
                assertThat(call.heard()).containsExactly("Hello.", "Card number.", String.format("Got %04d.", i));
            }
            List<WebhookExchange> statuses = emulator.awaitWebhooks(w -> w.kind().equals(WebhookExchange.KIND_STATUS), CALLS, T);
            assertThat(statuses).allSatisfy(w -> assertThat(w.status()).isEqualTo(200));
            assertThat(emulator.webhooks()).hasSize(3 * CALLS).allSatisfy(w -> assertThat(w.succeeded()).isTrue());
            assertThat(emulator.webhooks().stream().map(WebhookExchange::callSid).distinct()).hasSize(CALLS);
            emulator.clearWebhooks();
            assertThat(emulator.webhooks()).isEmpty();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
