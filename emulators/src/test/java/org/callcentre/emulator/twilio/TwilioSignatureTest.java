package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.security.RequestValidator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioSignatureTest {

    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void matchesTwiliosPublishedExample() {
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        Map<String, String> params = Map.of(
                "CallSid", "CA1234567890ABCDE",
                "Caller", "+12349013030",
                "Digits", "1234",
                "From", "+12349013030",
                "To", "+18005551212");
        String published = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

        assertThat(new RequestValidator("12345").validate(url, params, published))
                .as("the SDK accepts the published example").isTrue();
        assertThat(TwilioSignature.compute("12345", url, params)).isEqualTo(published);
        assertThat(TwilioSignature.validate("12345", url, params, published)).isTrue();

        Map<String, String> tampered = new HashMap<>(params);
        tampered.put("Digits", "1235");
        assertThat(TwilioSignature.validate("12345", url, tampered, published)).isFalse();
        assertThat(TwilioSignature.validate("12346", url, params, published)).isFalse();
    }

    @Test
    void everyWebhookIsSignedAsTheSdkExpects_postAndGet() throws Exception {
        TwilioEmulator.Settings settings = TwilioEmulator.Settings.defaults()
                .withOutboundOutcome(CallOutcome.ANSWER)
                .withAuthToken("a-secret-token").withPauseScale(0).withGatherTimeoutScale(0);
        try (TwilioEmulator emulator = TwilioEmulator.start(settings); FakeApp app = new FakeApp()) {
            app.twiml("/voice", "<Response><Redirect method=\"GET\">/voice-get?x=a%20b&amp;y=2</Redirect></Response>");
            app.twiml("/voice-get", "<Response><Gather action=\"/digits\" numDigits=\"2\"><Say>Two digits</Say></Gather></Response>");
            app.twiml("/digits", "<Response><Hangup/></Response>");
            app.twiml("/status", "");

            String sid = com.twilio.rest.api.v2010.account.Call.creator(
                            new com.twilio.type.PhoneNumber("+441632960001"),
                            new com.twilio.type.PhoneNumber("+441632960002"),
                            java.net.URI.create(app.url("/voice")))
                    .setStatusCallback(app.url("/status"))
                    .create(TwilioSdk.client(emulator)).getSid();
            EmulatedCall call = emulator.call(sid);
            call.awaitGather(T);
            call.press("42");
            call.awaitEnded(T);

            RequestValidator validator = new RequestValidator("a-secret-token");
            RequestValidator wrongKey = new RequestValidator("emulator-auth-token");
            for (String path : new String[] {"/voice", "/voice-get", "/digits", "/status"}) {
                FakeApp.Req req = app.take(path, T);
                assertThat(req.signature()).as("signature header on %s", path).isNotBlank();
                assertThat(validator.validate(req.url(), req.signedParams(), req.signature()))
                        .as("%s %s %s", req.method(), req.url(), req.params()).isTrue();
                assertThat(wrongKey.validate(req.url(), req.signedParams(), req.signature())).isFalse();
            }
            FakeApp.Req get = app.requests("/voice-get").get(0);
            assertThat(get.method()).isEqualTo("GET");
            assertThat(get.params()).containsEntry("x", "a b").containsEntry("y", "2")
                    .containsEntry("CallSid", sid).containsEntry("CallStatus", "in-progress");
            FakeApp.Req post = app.requests("/digits").get(0);
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.contentType()).startsWith("application/x-www-form-urlencoded");
            assertThat(post.params()).containsEntry("Digits", "42");
        }
    }
}
