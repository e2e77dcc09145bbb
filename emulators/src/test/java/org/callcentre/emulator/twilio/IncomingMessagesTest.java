package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.message.Media;
import com.twilio.security.RequestValidator;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messages senders send to the account's numbers: Twilio's incoming-message webhook, signed, to the number's messaging
 * URL; the TwiML replies the application answers with; the media, served at their MediaUrls (public by default, or
 * with the account's credentials) and deleted over the REST API.
 */
class IncomingMessagesTest extends EmulatorTest {

    private static final String DONOR = "+447700900654";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 4, 5, 6};

    private static TwilioRestClient client;
    private static RequestValidator validator;

    @BeforeAll
    static void connect() {
        client = TwilioSdk.client(emulator);
        validator = new RequestValidator(emulator.authToken());
    }

    @Test
    void aTextIsPostedSignedWithTwiliosParameters_andTheReplyIsWhatTheSenderGetsBack() {
        String number = "+441632960501";
        emulator.setMessagingUrl(number, app.url("/sms/in"));
        app.twiml("/sms/in", "<Response><Message>Thanks, we got your message.</Message></Response>");

        EmulatedMessage sent = emulator.sendMessage(DONOR, number, "Please send me a receipt", List.of());

        assertThat(sent.sid()).matches("SM[0-9a-f]{32}");
        assertThat(sent.responseStatus()).isEqualTo(200);
        assertThat(sent.delivered()).isTrue();
        assertThat(sent.responseBody()).contains("<Message>");
        assertThat(sent.replies()).containsExactly(new EmulatedMessage.Reply(number, DONOR,
                "Thanks, we got your message.", List.of()));
        FakeApp.Req req = app.take("/sms/in", T);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(req.params())
                .containsEntry("MessageSid", sent.sid())
                .containsEntry("SmsSid", sent.sid())
                .containsEntry("SmsMessageSid", sent.sid())
                .containsEntry("AccountSid", emulator.accountSid())
                .containsEntry("From", DONOR)
                .containsEntry("To", number)
                .containsEntry("Body", "Please send me a receipt")
                .containsEntry("NumMedia", "0")
                .containsEntry("NumSegments", "1")
                .containsEntry("SmsStatus", "received")
                .containsEntry("ApiVersion", "2010-04-01")
                .containsEntry("FromCountry", "GB")
                .containsEntry("ToCountry", "GB")
                .doesNotContainKeys("MessagingServiceSid", "MediaUrl0", "MediaContentType0");
        assertThat(validator.validate(req.url(), req.params(), req.signature())).isTrue();
        assertThat(new RequestValidator("another-token").validate(req.url(), req.params(), req.signature())).isFalse();
        assertThat(emulator.webhooks()).filteredOn(w -> w.callSid().equals(sent.sid()))
                .singleElement().satisfies(w -> assertThat(w.kind()).isEqualTo(WebhookExchange.KIND_MESSAGE));
        assertThat(emulator.message(sent.sid()).replies()).hasSize(1);
    }

    @Test
    void aPictureMessageCarriesItsMedia_servedPubliclyOrWithCredentials_andDeletedOverTheRestApi() throws Exception {
        String number = "+441632960502";
        emulator.setMessagingUrl(number, app.url("/mms/in"));
        app.twiml("/mms/in", "<Response/>");

        EmulatedMessage sent = emulator.sendMessage(DONOR, number, "My broken card",
                List.of(new MessageMedia("image/png", PNG), new MessageMedia("image/jpeg", JPEG)));

        assertThat(sent.sid()).matches("MM[0-9a-f]{32}");
        assertThat(sent.replies()).isEmpty();
        FakeApp.Req req = app.take("/mms/in", T);
        assertThat(req.params()).containsEntry("NumMedia", "2").containsEntry("NumSegments", "1")
                .containsEntry("MediaContentType0", "image/png").containsEntry("MediaContentType1", "image/jpeg")
                .doesNotContainKey("MediaUrl2");
        assertThat(validator.validate(req.url(), req.params(), req.signature())).isTrue();
        String prefix = emulator.baseUrl() + "/2010-04-01/Accounts/" + emulator.accountSid() + "/Messages/"
                + sent.sid() + "/Media/";
        String png = req.param("MediaUrl0");
        String jpeg = req.param("MediaUrl1");
        assertThat(png).startsWith(prefix).matches(".*/Media/ME[0-9a-f]{32}");
        assertThat(jpeg).startsWith(prefix);
        assertThat(sent.media()).extracting(EmulatedMessage.Media::url).containsExactly(png, jpeg);
        String pngSid = sent.media().get(0).sid();

        HttpResponse<byte[]> anyone = request("GET", png, null);
        assertThat(anyone.statusCode()).isEqualTo(200);
        assertThat(anyone.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(anyone.body()).isEqualTo(PNG);
        HttpResponse<byte[]> account = request("GET", jpeg, emulator.authToken());
        assertThat(account.statusCode()).isEqualTo(200);
        assertThat(account.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(account.body()).isEqualTo(JPEG);
        assertThat(request("GET", png, "wrong").statusCode()).as("wrong credentials").isEqualTo(401);

        assertThat(request("GET", png + ".json", null).statusCode()).isEqualTo(401);
        JsonNode metadata = json.readTree(request("GET", png + ".json", emulator.authToken()).body());
        assertThat(metadata.get("sid").asText()).isEqualTo(pngSid);
        assertThat(metadata.get("parent_sid").asText()).isEqualTo(sent.sid());
        assertThat(metadata.get("content_type").asText()).isEqualTo("image/png");
        List<Media> listed = new ArrayList<>();
        Media.reader(sent.sid()).read(client).forEach(listed::add);
        assertThat(listed).extracting(Media::getSid).containsExactlyInAnyOrder(pngSid, sent.media().get(1).sid());

        // only the account deletes, and a deleted media item is gone for everyone
        assertThat(request("DELETE", png, null).statusCode()).isEqualTo(401);
        assertThat(request("GET", png, null).statusCode()).isEqualTo(200);
        assertThat(Media.deleter(sent.sid(), pngSid).delete(client)).isTrue();
        assertThat(request("GET", png, null).statusCode()).isEqualTo(404);
        assertThat(request("GET", png, emulator.authToken()).statusCode()).isEqualTo(404);
        assertThat(request("DELETE", png, emulator.authToken()).statusCode()).isEqualTo(404);
        assertThat(request("GET", jpeg, null).statusCode()).as("the other one stays").isEqualTo(200);
        assertThat(emulator.message(sent.sid()).media()).extracting(EmulatedMessage.Media::deleted)
                .containsExactly(true, false);
        assertThat(request("DELETE", jpeg, emulator.authToken()).statusCode()).isEqualTo(204);
        assertThat(emulator.message(sent.sid()).media()).allMatch(EmulatedMessage.Media::deleted);

        String otherAccount = jpeg.replace(emulator.accountSid(), "ACother00000000000000000000000000");
        assertThat(request("GET", otherAccount, null).statusCode()).isEqualTo(404);
    }

    @Test
    void mediaCanBeMadeToNeedTheAccountsCredentials() throws Exception {
        String number = "+441632960503";
        emulator.setMessagingUrl(number, app.url("/mms-auth/in"));
        app.twiml("/mms-auth/in", "<Response/>");
        EmulatedMessage sent = emulator.sendMessage(DONOR, number, "", List.of(new MessageMedia("image/png", PNG)));
        String url = sent.media().get(0).url();
        emulator.setMediaAuthRequired(true);
        try {
            assertThat(request("GET", url, null).statusCode()).isEqualTo(401);
            assertThat(request("GET", url, emulator.authToken()).body()).isEqualTo(PNG);
        } finally {
            emulator.setMediaAuthRequired(false);
        }
        assertThat(request("GET", url, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theApplicationsAnswerIsReturned_whateverItIs() {
        String number = "+441632960504";
        emulator.setMessagingUrl(number, app.url("/sms-answers/in"));
        app.route("/sms-answers/in", req -> switch (req.param("Body")) {
            case "fail" -> new FakeApp.Reply(500, "oops");
            case "body" -> FakeApp.Reply.twiml("<Response><Message to=\"+447700900999\"><Body>Ticket 12 opened.</Body>"
                    + "<Media>https://example.org/logo.png</Media></Message><Message>And another.</Message></Response>");
            default -> FakeApp.Reply.twiml("");
        });

        EmulatedMessage failed = emulator.sendMessage(DONOR, number, "fail", List.of());
        assertThat(failed.responseStatus()).isEqualTo(500);
        assertThat(failed.delivered()).isFalse();
        assertThat(failed.replies()).isEmpty();

        EmulatedMessage replied = emulator.sendMessage(DONOR, number, "body", null);
        assertThat(replied.replies()).containsExactly(
                new EmulatedMessage.Reply(number, "+447700900999", "Ticket 12 opened.",
                        List.of("https://example.org/logo.png")),
                new EmulatedMessage.Reply(number, DONOR, "And another.", List.of()));

        EmulatedMessage empty = emulator.sendMessage(DONOR, number, "nothing", List.of());
        assertThat(empty.responseStatus()).isEqualTo(200);
        assertThat(empty.replies()).isEmpty();
        assertThat(emulator.messages()).extracting(EmulatedMessage::sid)
                .containsSubsequence(failed.sid(), replied.sid(), empty.sid());
    }

    @Test
    void onlyTheAccountsMessagingNumbersTakeMessages_andAMessageHasAtMostTenMedia() {
        assertThatThrownBy(() -> emulator.sendMessage(DONOR, "+441632969998", "hi", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("+441632969998");
        assertThatThrownBy(() -> emulator.setMessagingUrl("+441632960505", "not a url"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageMedia("png", PNG)).isInstanceOf(IllegalArgumentException.class);
        String number = "+441632960506";
        emulator.setMessagingUrl(number, app.url("/sms-many/in"));
        app.twiml("/sms-many/in", "<Response/>");
        int before = emulator.messages().size();
        assertThatThrownBy(() -> emulator.sendMessage(DONOR, number, "too many",
                Collections.nCopies(11, new MessageMedia("image/png", PNG))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(emulator.messages()).hasSize(before);
        assertThat(app.requests("/sms-many/in")).isEmpty();

        emulator.setMessagingUrl(number, null);
        assertThat(emulator.messagingUrls()).doesNotContainKey(number);
        assertThatThrownBy(() -> emulator.sendMessage(DONOR, number, "hi", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numbersTakeMessagesFromTheSettingsToo() {
        app.twiml("/settings-sms/in", "<Response><Message>Hello back.</Message></Response>");
        try (TwilioEmulator other = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withMessagingUrl("+441632960507", app.url("/settings-sms/in")))) {
            assertThat(other.messagingUrls()).containsEntry("+441632960507", app.url("/settings-sms/in"));
            assertThat(other.sendMessage(DONOR, "+441632960507", "Hello", List.of()).replies())
                    .extracting(EmulatedMessage.Reply::body).containsExactly("Hello back.");
        }
        assertThatThrownBy(() -> TwilioEmulator.Settings.defaults().withMessagingUrl("+441632960508", "ftp://x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLongOrUnicodeTextTakesMoreSegments() {
        assertThat(IncomingMessages.segments("")).isEqualTo(1);
        assertThat(IncomingMessages.segments("a".repeat(160))).isEqualTo(1);
        assertThat(IncomingMessages.segments("a".repeat(161))).isEqualTo(2);
        assertThat(IncomingMessages.segments("a".repeat(306))).isEqualTo(2);
        assertThat(IncomingMessages.segments("a".repeat(307))).isEqualTo(3);
        assertThat(IncomingMessages.segments("€".repeat(80))).as("extension characters count twice").isEqualTo(1);
        assertThat(IncomingMessages.segments("€".repeat(81))).isEqualTo(2);
        assertThat(IncomingMessages.segments("ж".repeat(70))).isEqualTo(1);
        assertThat(IncomingMessages.segments("ж".repeat(71))).isEqualTo(2);
    }

    private static HttpResponse<byte[]> request(String method, String url, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method,
                HttpRequest.BodyPublishers.noBody());
        if (password != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (emulator.accountSid() + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
