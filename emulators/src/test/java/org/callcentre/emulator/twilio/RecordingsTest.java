package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.call.Recording;
import com.twilio.security.RequestValidator;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls created with {@code Record=true}: the recording starts when the call is answered, reports its statuses to
 * the RecordingStatusCallback (signed), can be paused, resumed and stopped over the REST API with the real SDK, keeps
 * what the callee heard and pressed in recorded and paused parts apart, and serves its audio to the account only.
 */
class RecordingsTest extends EmulatorTest {

    private static final String DONOR = "+447700900456";
    private static final String CENTRE = "+441632960000";
    private static final List<String> EVENTS = List.of("in-progress", "completed", "absent");
    private static final AtomicInteger PATHS = new AtomicInteger();

    private static TwilioRestClient client;

    @BeforeAll
    static void connectTheSdk() {
        client = TwilioSdk.client(emulator);
    }

    @Test
    void aRecordedCallReportsItsRecordingWithSignedCallbacks() {
        String callbacks = callbackPath();
        ZonedDateTime before = ZonedDateTime.now().minusSeconds(2);
        String callSid = recordedCall(callbacks, EVENTS, "<Response><Say>This call is recorded.</Say>"
                + "<Dial><Conference>rec-conf-1</Conference></Dial></Response>");

        FakeApp.Req started = app.take(callbacks, T);
        assertThat(started.params())
                .containsEntry("AccountSid", emulator.accountSid())
                .containsEntry("CallSid", callSid)
                .containsEntry("RecordingStatus", "in-progress")
                .containsEntry("RecordingSource", "OutboundAPI")
                .containsEntry("RecordingChannels", "1");
        String recordingSid = started.param("RecordingSid");
        assertThat(recordingSid).matches("RE[0-9a-f]{32}");
        assertThat(started.param("RecordingUrl")).isEqualTo(emulator.baseUrl() + "/2010-04-01/Accounts/"
                + emulator.accountSid() + "/Recordings/" + recordingSid);
        assertThat(ZonedDateTime.parse(started.param("RecordingStartTime"), DateTimeFormatter.RFC_1123_DATE_TIME))
                .isAfter(before);
        assertThat(new RequestValidator(emulator.authToken()).validate(started.url(), started.params(),
                started.signature())).isTrue();

        EmulatedCall call = emulator.call(callSid);
        call.awaitConference("rec-conf-1", T);
        call.hangUp();
        FakeApp.Req completed = app.take(callbacks, T);
        assertThat(completed.params()).containsEntry("RecordingSid", recordingSid)
                .containsEntry("RecordingStatus", "completed");
        assertThat(Integer.parseInt(completed.param("RecordingDuration"))).isBetween(1, 5);
        assertThat(new RequestValidator(emulator.authToken()).validate(completed.url(), completed.params(),
                completed.signature())).isTrue();

        EmulatedRecording recording = emulator.recording(recordingSid);
        assertThat(recording.status()).isEqualTo("completed");
        assertThat(recording.recordedPrompts()).containsExactly("This call is recorded.");
        assertThat(recording.wasPaused()).isFalse();
        assertThat(emulator.awaitWebhooks(w -> w.callSid().equals(callSid)
                && w.kind().equals(WebhookExchange.KIND_RECORDING), 2, T)).hasSize(2);
    }

    @Test
    void withoutEventsOnlyTheCompletedRecordingIsReported() {
        String callbacks = callbackPath();
        String callSid = recordedCall(callbacks, List.of(), "<Response><Say>Short.</Say></Response>");
        FakeApp.Req only = app.take(callbacks, T);
        assertThat(only.params()).containsEntry("CallSid", callSid).containsEntry("RecordingStatus", "completed");
        emulator.awaitWebhooksDelivered(T);
        assertThat(app.requests(callbacks)).hasSize(1);
    }

    @Test
    void aCallNotAskedToRecordHasNoRecording() {
        String sid = Call.creator(new PhoneNumber(DONOR), new PhoneNumber(CENTRE),
                new Twiml("<Response><Say>Not recorded.</Say></Response>")).create(client).getSid();
        EmulatedCall call = emulator.call(sid);
        call.awaitEnded(T);
        assertThat(call.recordings()).isEmpty();
    }

    /**
     * The card prompts and the keys pressed while the recording is paused (skip) fall in the paused part; what comes
     * before and after is recorded, and the paused stretch is left out of the duration's parts.
     */
    @Test
    void aPausedPartKeepsThePromptsAndKeysOutOfTheRecording() throws Exception {
        String callbacks = callbackPath();
        app.twiml("/card", "<Response><Gather action=\"/card-digits\" finishOnKey=\"#\"><Say>Please enter your card "
                + "number, then press hash.</Say></Gather></Response>");
        // With gather timeouts off, an empty gather waits until the call is redirected.
        app.twiml("/card-digits", "<Response><Say>Thank you.</Say><Gather action=\"/never\"/></Response>");
        app.twiml("/back", "<Response><Say>You are back with your agent.</Say>"
                + "<Dial><Conference>rec-conf-2</Conference></Dial></Response>");
        String callSid = recordedCall(callbacks, EVENTS, "<Response><Say>Hello, this is your agent.</Say>"
                + "<Dial><Conference>rec-conf-2</Conference></Dial></Response>");
        EmulatedCall call = emulator.call(callSid);
        call.awaitConference("rec-conf-2", T);
        String recordingSid = call.awaitRecording(T).sid();
        call.press("1");

        Recording paused = Recording.updater(callSid, "Twilio.CURRENT", Recording.Status.PAUSED)
                .setPauseBehavior("skip").update(client);
        assertThat(paused.getSid()).isEqualTo(recordingSid);
        assertThat(paused.getStatus()).isEqualTo(Recording.Status.PAUSED);
        Call.updater(callSid).setUrl(URI.create(app.url("/card"))).setMethod(HttpMethod.POST).update(client);
        call.awaitGather(T);
        call.press("4242424242424242#");
        call.awaitHeard("Thank you.", T);

        Recording resumed = Recording.updater(callSid, recordingSid, Recording.Status.IN_PROGRESS).update(client);
        assertThat(resumed.getStatus()).isEqualTo(Recording.Status.IN_PROGRESS);
        Call.updater(callSid).setUrl(URI.create(app.url("/back"))).setMethod(HttpMethod.POST).update(client);
        call.awaitHeard("You are back with your agent.", T);
        call.press("2");
        call.hangUp();

        EmulatedRecording recording = call.awaitRecordingStatus("completed", T);
        assertThat(recording.recordedPrompts()).containsExactly("Hello, this is your agent.",
                "You are back with your agent.");
        assertThat(recording.pausedPrompts()).containsExactly("Please enter your card number, then press hash.",
                "Thank you.");
        assertThat(recording.recordedKeys()).isEqualTo("12");
        assertThat(recording.pausedKeys()).isEqualTo("4242424242424242#");
        assertThat(recording.parts()).extracting(EmulatedRecording.Part::recorded).containsExactly(true, false, true);
        assertThat(recording.parts().get(1).pauseBehavior()).isEqualTo("skip");
        assertThat(recording.parts()).allSatisfy(part -> assertThat(part.to()).isNotNull());
        assertThat(recording.wasPaused()).isTrue();
        assertThat(recording.resumedAfterPause()).isTrue();
        assertThat(app.take(callbacks, T).param("RecordingStatus")).isEqualTo("in-progress");
        assertThat(app.take(callbacks, T).param("RecordingStatus")).isEqualTo("completed");

        // The page a person plays the donor on shows the same: what was recorded, what was paused out, and only
        // how many keys were pressed in each.
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                + "/emulator/calls/" + callSid)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode shown = json.readTree(page.body()).get("recordings").get(0);
        assertThat(shown.get("sid").asText()).isEqualTo(recordingSid);
        assertThat(shown.get("parts").findValuesAsText("recorded")).containsExactly("true", "false", "true");
        assertThat(shown.get("pausedPrompts").get(0).asText())
                .isEqualTo("Please enter your card number, then press hash.");
        assertThat(shown.get("pausedKeyCount").asInt()).isEqualTo(17);
        assertThat(shown.get("recordedKeyCount").asInt()).isEqualTo(2);
        assertThat(page.body()).doesNotContain("4242");
    }

    @Test
    void aRecordingUpdateFailsWhenAskedAndChangesNothing() {
        String callSid = recordedCall(callbackPath(), EVENTS, "<Response><Dial><Conference>rec-conf-3</Conference>"
                + "</Dial></Response>");
        EmulatedCall call = emulator.call(callSid);
        String recordingSid = call.awaitRecording(T).sid();
        // The SDK tries a 5xx again a few times: every try fails.
        emulator.failRecordingUpdates("paused", 100);

        ApiException failed = catchThrowableOfType(() -> Recording.updater(callSid, recordingSid,
                Recording.Status.PAUSED).setPauseBehavior("skip").update(client), ApiException.class);
        assertThat(failed).isNotNull();
        assertThat(failed.getStatusCode()).isEqualTo(500);
        assertThat(call.recordings().get(0).status()).isEqualTo("in-progress");
        assertThat(call.recordings().get(0).wasPaused()).isFalse();

        emulator.clearRecordingFaults();
        Recording.updater(callSid, recordingSid, Recording.Status.PAUSED).update(client);
        assertThat(call.recordings().get(0).status()).isEqualTo("paused");
        assertThat(call.recordings().get(0).parts().get(1).pauseBehavior()).isEqualTo("silence");
        call.hangUp();
    }

    @Test
    void anEndedOrUnknownRecordingCannotBeUpdated() {
        String callSid = recordedCall(callbackPath(), EVENTS, "<Response><Say>Goodbye.</Say><Hangup/></Response>");
        EmulatedCall call = emulator.call(callSid);
        String recordingSid = call.awaitRecordingStatus("completed", T).sid();

        ApiException ended = catchThrowableOfType(() -> Recording.updater(callSid, recordingSid,
                Recording.Status.PAUSED).update(client), ApiException.class);
        assertThat(ended.getStatusCode()).isEqualTo(400);
        ApiException unknown = catchThrowableOfType(() -> Recording.updater(callSid,
                "RE00000000000000000000000000000000", Recording.Status.PAUSED).update(client), ApiException.class);
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(unknown.getCode()).isEqualTo(20404);
    }

    @Test
    void stoppingARecordingCompletesIt() {
        String callbacks = callbackPath();
        String callSid = recordedCall(callbacks, EVENTS, "<Response><Dial><Conference>rec-conf-4</Conference>"
                + "</Dial></Response>");
        EmulatedCall call = emulator.call(callSid);
        String recordingSid = call.awaitRecording(T).sid();
        Recording.updater(callSid, recordingSid, Recording.Status.STOPPED).update(client);
        assertThat(call.awaitRecordingStatus("completed", T).durationSeconds()).isPositive();
        assertThat(app.take(callbacks, T).param("RecordingStatus")).isEqualTo("in-progress");
        assertThat(app.take(callbacks, T).param("RecordingStatus")).isEqualTo("completed");
        call.hangUp();
        emulator.awaitWebhooksDelivered(T);
        assertThat(app.requests(callbacks)).hasSize(2);
    }

    @Test
    void aSilentCalleesRecordingIsAbsent() {
        String silent = "+447700900457";
        emulator.setRecordingAbsent(silent, true);
        try {
            String callbacks = callbackPath();
            String callSid = Call.creator(new PhoneNumber(silent), new PhoneNumber(CENTRE),
                            new Twiml("<Response><Say>Anyone there?</Say></Response>"))
                    .setRecord(true).setRecordingStatusCallback(app.url(callbacks))
                    .setRecordingStatusCallbackEvent(EVENTS).create(client).getSid();
            assertThat(app.take(callbacks, T).param("RecordingStatus")).isEqualTo("in-progress");
            FakeApp.Req absent = app.take(callbacks, T);
            assertThat(absent.params()).containsEntry("CallSid", callSid).containsEntry("RecordingStatus", "absent")
                    .containsEntry("RecordingDuration", "0");
        } finally {
            emulator.setRecordingAbsent(silent, false);
        }
    }

    @Test
    void theAudioIsServedToTheAccountOnlyOnceCompleted() throws Exception {
        String callSid = recordedCall(callbackPath(), EVENTS, "<Response><Dial><Conference>rec-conf-5</Conference>"
                + "</Dial></Response>");
        EmulatedCall call = emulator.call(callSid);
        EmulatedRecording recording = call.awaitRecording(T);
        assertThat(get(recording.mediaUrl(), emulator.accountSid(), emulator.authToken()).statusCode())
                .as("not processed yet").isEqualTo(404);

        call.hangUp();
        recording = call.awaitRecordingStatus("completed", T);
        HttpResponse<byte[]> audio = get(recording.mediaUrl(), emulator.accountSid(), emulator.authToken());
        assertThat(audio.statusCode()).isEqualTo(200);
        assertThat(audio.headers().firstValue("Content-Type")).contains("audio/x-wav");
        assertThat(new String(audio.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(audio.body(), 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WAVE");
        assertThat(get(recording.mediaUrl() + ".wav", emulator.accountSid(), emulator.authToken()).body())
                .isEqualTo(audio.body());

        HttpResponse<byte[]> metadata = get(recording.mediaUrl() + ".json", emulator.accountSid(),
                emulator.authToken());
        JsonNode json = EmulatorTest.json.readTree(metadata.body());
        assertThat(json.get("sid").asText()).isEqualTo(recording.sid());
        assertThat(json.get("call_sid").asText()).isEqualTo(callSid);
        assertThat(json.get("status").asText()).isEqualTo("completed");

        assertThat(get(recording.mediaUrl(), null, null).statusCode()).isEqualTo(401);
        assertThat(get(recording.mediaUrl(), emulator.accountSid(), "wrong").statusCode()).isEqualTo(401);
        assertThat(get(emulator.baseUrl() + "/2010-04-01/Accounts/ACother00000000000000000000000000/Recordings/"
                + recording.sid(), emulator.accountSid(), emulator.authToken()).statusCode()).isEqualTo(404);
    }

    @Test
    void theCallsRecordingsAreListedAndFetchedWithTheSdk() {
        String callSid = recordedCall(callbackPath(), EVENTS, "<Response><Dial><Conference>rec-conf-6</Conference>"
                + "</Dial></Response>");
        EmulatedCall call = emulator.call(callSid);
        String recordingSid = call.awaitRecording(T).sid();
        List<Recording> listed = new java.util.ArrayList<>();
        Recording.reader(callSid).read(client).forEach(listed::add);
        assertThat(listed).extracting(Recording::getSid).containsExactly(recordingSid);
        Recording fetched = Recording.fetcher(callSid, recordingSid).fetch(client);
        assertThat(fetched.getCallSid()).isEqualTo(callSid);
        assertThat(fetched.getStatus()).isEqualTo(Recording.Status.IN_PROGRESS);
        call.hangUp();
    }

    private static String recordedCall(String callbacks, List<String> events, String twiml) {
        var creator = Call.creator(new PhoneNumber(DONOR), new PhoneNumber(CENTRE), new Twiml(twiml))
                .setRecord(true)
                .setRecordingStatusCallback(app.url(callbacks))
                .setRecordingStatusCallbackMethod(HttpMethod.POST);
        if (!events.isEmpty()) {
            creator.setRecordingStatusCallbackEvent(events);
        }
        return creator.create(client).getSid();
    }

    /** A callback path of the test's own, so that the tests' callbacks never mix. */
    private static String callbackPath() {
        String path = "/recording-status-" + PATHS.incrementAndGet();
        app.twiml(path, "");
        return path;
    }

    private static HttpResponse<byte[]> get(String url, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
