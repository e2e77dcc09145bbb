package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code <Record>} verb: a caller leaves a message after the beep, which becomes a Recording posted to the
 * action (signed), is transcribed to the transcribeCallback and reported to the recordingStatusCallback; silence, a
 * finish key, maxLength, a hang-up and a REST redirect end it as Twilio documents.
 */
class RecordVerbTest extends EmulatorTest {

    private static final String DONOR = "+447700900321";
    private static final AtomicInteger NUMBERS = new AtomicInteger(200);

    private static TwilioRestClient client;
    private static RequestValidator validator;

    @BeforeAll
    static void connect() {
        client = TwilioSdk.client(emulator);
        validator = new RequestValidator(emulator.authToken());
    }

    @Test
    void aMessageIsRecordedPostedToTheActionTranscribedAndReported() throws Exception {
        String number = inboundNumber("/vm/voice");
        app.twiml("/vm/voice", "<Response><Say>Please leave a message after the beep.</Say>"
                + "<Record action=\"/vm/done\" maxLength=\"120\" transcribe=\"true\" transcribeCallback=\"/vm/text\""
                + " recordingStatusCallback=\"/vm/recording\" recordingStatusCallbackEvent=\"in-progress completed\"/>"
                + "<Say>Not reached.</Say></Response>");
        app.twiml("/vm/done", "<Response><Say>Thank you, goodbye.</Say><Hangup/></Response>");
        app.twiml("/vm/text", "");
        app.twiml("/vm/recording", "");

        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        RecordPrompt record = call.awaitRecord(T);
        assertThat(record.prompt()).isEqualTo("Please leave a message after the beep.");
        assertThat(record.action()).isEqualTo(app.url("/vm/done"));
        assertThat(record.method()).isEqualTo("POST");
        assertThat(record.finishOnKey()).isEqualTo("1234567890*#");
        assertThat(record.timeoutSeconds()).isEqualTo(5);
        assertThat(record.maxLengthSeconds()).isEqualTo(120);
        assertThat(record.transcribe()).isTrue();
        assertThat(record.transcribeCallback()).isEqualTo(app.url("/vm/text"));
        assertThat(call.heard()).containsExactly("Please leave a message after the beep.", RecordInput.BEEP);
        assertThat(call.recordOpen()).isTrue();

        call.leaveMessage("Please call me back about my monthly gift.", 7, '#');
        assertThat(call.recordOpen()).isFalse();

        FakeApp.Req action = app.take("/vm/done", T);
        assertThat(action.method()).isEqualTo("POST");
        String recordingSid = action.param("RecordingSid");
        assertThat(recordingSid).matches("RE[0-9a-f]{32}");
        assertThat(action.params())
                .containsEntry("CallSid", call.sid())
                .containsEntry("AccountSid", emulator.accountSid())
                .containsEntry("From", DONOR)
                .containsEntry("To", number)
                .containsEntry("Direction", "inbound")
                .containsEntry("CallStatus", "in-progress")
                .containsEntry("RecordingUrl", emulator.baseUrl() + "/2010-04-01/Accounts/" + emulator.accountSid()
                        + "/Recordings/" + recordingSid)
                .containsEntry("RecordingDuration", "7")
                .containsEntry("Digits", "#");
        assertThat(validator.validate(action.url(), action.params(), action.signature())).isTrue();
        call.awaitHeard("Thank you, goodbye.", T);
        call.awaitEnded(T);
        assertThat(call.heard()).doesNotContain("Not reached.");

        FakeApp.Req started = app.take("/vm/recording", T);
        assertThat(started.params()).containsEntry("RecordingStatus", "in-progress")
                .containsEntry("RecordingSid", recordingSid);
        FakeApp.Req completed = app.take("/vm/recording", T);
        assertThat(completed.params())
                .containsEntry("AccountSid", emulator.accountSid())
                .containsEntry("CallSid", call.sid())
                .containsEntry("RecordingSid", recordingSid)
                .containsEntry("RecordingUrl", action.param("RecordingUrl"))
                .containsEntry("RecordingStatus", "completed")
                .containsEntry("RecordingDuration", "7")
                .containsEntry("RecordingChannels", "1")
                .containsEntry("RecordingSource", "RecordVerb");
        assertThat(validator.validate(completed.url(), completed.params(), completed.signature())).isTrue();

        FakeApp.Req text = app.take("/vm/text", T);
        assertThat(text.method()).isEqualTo("POST");
        String transcriptionSid = text.param("TranscriptionSid");
        assertThat(transcriptionSid).matches("TR[0-9a-f]{32}");
        assertThat(text.params())
                .containsEntry("TranscriptionText", "Please call me back about my monthly gift.")
                .containsEntry("TranscriptionStatus", "completed")
                .containsEntry("TranscriptionUrl", emulator.baseUrl() + "/2010-04-01/Accounts/"
                        + emulator.accountSid() + "/Transcriptions/" + transcriptionSid)
                .containsEntry("RecordingSid", recordingSid)
                .containsEntry("RecordingUrl", action.param("RecordingUrl"))
                .containsEntry("CallSid", call.sid())
                .containsEntry("AccountSid", emulator.accountSid())
                .containsEntry("From", DONOR)
                .containsEntry("To", number)
                .containsEntry("Direction", "inbound")
                .containsKey("CallStatus");
        assertThat(validator.validate(text.url(), text.params(), text.signature())).isTrue();
        assertThat(validator.validate(text.url(), text.params(), completed.signature())).isFalse();

        // the recording is one of the call's: its resource, its audio and its transcription are served
        Recording fetched = Recording.fetcher(call.sid(), recordingSid).fetch(client);
        assertThat(fetched.getStatus()).isEqualTo(Recording.Status.COMPLETED);
        assertThat(fetched.getDuration()).isEqualTo("7");
        assertThat(fetched.getSource()).isEqualTo(Recording.Source.RECORDVERB);
        HttpResponse<byte[]> audio = get(action.param("RecordingUrl"), true);
        assertThat(audio.statusCode()).isEqualTo(200);
        assertThat(audio.headers().firstValue("Content-Type")).contains("audio/x-wav");
        assertThat(new String(audio.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(get(action.param("RecordingUrl"), false).statusCode()).isEqualTo(401);
        JsonNode transcription = json.readTree(get(text.param("TranscriptionUrl") + ".json", true).body());
        assertThat(transcription.get("sid").asText()).isEqualTo(transcriptionSid);
        assertThat(transcription.get("recording_sid").asText()).isEqualTo(recordingSid);
        assertThat(transcription.get("status").asText()).isEqualTo("completed");
        assertThat(transcription.get("transcription_text").asText()).isEqualTo("Please call me back about my monthly gift.");
        assertThat(new String(get(text.param("TranscriptionUrl") + ".txt", true).body(), StandardCharsets.UTF_8))
                .isEqualTo("Please call me back about my monthly gift.");
        assertThat(get(text.param("TranscriptionUrl"), false).statusCode()).isEqualTo(401);

        EmulatedRecording recording = emulator.recording(recordingSid);
        assertThat(recording.source()).isEqualTo("RecordVerb");
        assertThat(recording.spokenText()).isEqualTo("Please call me back about my monthly gift.");
        assertThat(recording.durationSeconds()).isEqualTo(7);
        assertThat(recording.transcription().sid()).isEqualTo(transcriptionSid);
        assertThat(recording.transcription().completed()).isTrue();
        assertThat(emulator.webhooks()).filteredOn(w -> w.callSid().equals(call.sid()))
                .extracting(WebhookExchange::kind)
                .contains(WebhookExchange.KIND_RECORD_ACTION, WebhookExchange.KIND_TRANSCRIPTION,
                        WebhookExchange.KIND_RECORDING);
    }

    @Test
    void silenceRecordsNothing_soNoActionIsRequestedAndTheDocumentGoesOn() {
        String number = inboundNumber("/quiet/voice");
        app.twiml("/quiet/voice", "<Response><Record action=\"/quiet/done\" transcribe=\"true\""
                + " transcribeCallback=\"/quiet/text\" recordingStatusCallback=\"/quiet/recording\""
                + " recordingStatusCallbackEvent=\"completed absent\"/><Say>We did not get a message.</Say></Response>");
        app.twiml("/quiet/done", "<Response><Say>Wrong.</Say></Response>");
        app.twiml("/quiet/text", "");
        app.twiml("/quiet/recording", "");

        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitRecord(T);
        call.stayQuiet();
        call.awaitHeard("We did not get a message.", T);
        call.awaitEnded(T);

        FakeApp.Req absent = app.take("/quiet/recording", T);
        assertThat(absent.params()).containsEntry("RecordingStatus", "absent").containsEntry("RecordingDuration", "0")
                .containsEntry("RecordingSource", "RecordVerb");
        emulator.awaitWebhooksDelivered(T);
        assertThat(app.requests("/quiet/done")).isEmpty();
        assertThat(app.requests("/quiet/text")).isEmpty();
        assertThat(call.recordings()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("absent");
            assertThat(r.transcription()).isNull();
        });
    }

    @Test
    void aFinishKeyEndsTheMessage_otherKeysDoNot_andTheDefaultActionIsTheDocument() {
        String number = inboundNumber("/key/voice");
        AtomicInteger requests = new AtomicInteger();
        app.route("/key/voice", req -> requests.incrementAndGet() == 1
                ? FakeApp.Reply.twiml("<Response><Say>Speak, then press star.</Say>"
                        + "<Record finishOnKey=\"*\" playBeep=\"false\"/></Response>")
                : FakeApp.Reply.twiml("<Response><Say>Got it.</Say><Hangup/></Response>"));

        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        RecordPrompt record = call.awaitRecord(T);
        assertThat(record.action()).as("the current document").isEqualTo(app.url("/key/voice"));
        assertThat(call.heard()).containsExactly("Speak, then press star.");
        FakeApp.Req first = app.take("/key/voice", T);

        assertThatThrownBy(() -> call.leaveMessage("hello", 3, '#')).isInstanceOf(IllegalArgumentException.class);
        assertThat(call.recordOpen()).as("a refused message changes nothing").isTrue();
        call.speak("I would like a receipt", 3);
        call.press("#");
        assertThat(call.recordOpen()).as("# is only a tone in the message").isTrue();
        assertThat(call.droppedKeys()).isZero();
        call.speak("for last year.", 2);
        call.press("*");

        FakeApp.Req action = app.take("/key/voice", T);
        assertThat(first.params()).doesNotContainKey("RecordingSid");
        assertThat(action.params()).containsEntry("Digits", "*").containsEntry("RecordingDuration", "5");
        call.awaitHeard("Got it.", T);
        call.awaitEnded(T);
        assertThat(emulator.recording(action.param("RecordingSid")).spokenText())
                .isEqualTo("I would like a receipt for last year.");
        assertThat(emulator.recording(action.param("RecordingSid")).transcription()).as("not asked for").isNull();
    }

    @Test
    void aMessageEndedBySilenceOrMaxLengthHasNoDigits() {
        String number = inboundNumber("/max/voice");
        app.twiml("/max/voice", "<Response><Record action=\"/max/one\" trim=\"do-not-trim\" timeout=\"3\"/></Response>");
        app.twiml("/max/one", "<Response><Record action=\"/max/two\" maxLength=\"10\"/></Response>");
        app.twiml("/max/two", "<Response><Hangup/></Response>");

        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitRecord(T);
        call.leaveMessage("Short one.", 4);
        FakeApp.Req one = app.take("/max/one", T);
        assertThat(one.params()).doesNotContainKey("Digits")
                .as("do-not-trim keeps the silence that ended it").containsEntry("RecordingDuration", "7");

        assertThat(call.awaitRecord(T).maxLengthSeconds()).isEqualTo(10);
        call.leaveMessage("A very long message.", 25, '#');
        FakeApp.Req two = app.take("/max/two", T);
        assertThat(two.params()).doesNotContainKey("Digits").containsEntry("RecordingDuration", "10");
        call.awaitEnded(T);
        assertThat(call.droppedKeys()).as("the key came after maxLength ended the message: not pressed").isZero();
    }

    @Test
    void hangingUpWhileRecordingStillPostsTheMessage_andTheActionsTwimlIsNotRun() {
        String number = inboundNumber("/hang/voice");
        app.twiml("/hang/voice", "<Response><Record action=\"/hang/done\" transcribe=\"true\""
                + " transcribeCallback=\"/hang/text\" recordingStatusCallback=\"/hang/recording\"/></Response>");
        app.twiml("/hang/done", "<Response><Say>Should not be heard.</Say></Response>");
        app.twiml("/hang/text", "");
        app.twiml("/hang/recording", "");

        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitRecord(T);
        call.speak("Please cancel my direct debit.", 4);
        call.hangUp();
        assertThat(call.status()).isEqualTo("completed");

        FakeApp.Req action = app.take("/hang/done", T);
        assertThat(action.params()).containsEntry("Digits", "hangup").containsEntry("CallStatus", "completed")
                .containsEntry("RecordingDuration", "4").containsKey("RecordingSid").containsKey("RecordingUrl");
        assertThat(validator.validate(action.url(), action.params(), action.signature())).isTrue();
        assertThat(app.take("/hang/recording", T).params()).containsEntry("RecordingStatus", "completed");
        FakeApp.Req text = app.take("/hang/text", T);
        assertThat(text.params()).containsEntry("TranscriptionStatus", "completed")
                .containsEntry("TranscriptionText", "Please cancel my direct debit.");
        emulator.awaitWebhooksDelivered(T);
        assertThat(call.heard()).doesNotContain("Should not be heard.");

        // a caller who hangs up without a word leaves no message: nothing is requested
        String silent = inboundNumber("/hang-silent/voice");
        app.twiml("/hang-silent/voice", "<Response><Record action=\"/hang-silent/done\"/></Response>");
        app.twiml("/hang-silent/done", "<Response/>");
        EmulatedCall quiet = emulator.placeInboundCall(DONOR, silent);
        quiet.awaitRecord(T);
        quiet.hangUp();
        emulator.awaitWebhooksDelivered(T);
        assertThat(app.requests("/hang-silent/done")).isEmpty();
    }

    @Test
    void aFailedTranscriptionHasNoText_onAnOutboundCall() {
        app.twiml("/fail/done", "<Response><Hangup/></Response>");
        app.twiml("/fail/text", "");
        String sid = Call.creator(new PhoneNumber("+447700900322"), new PhoneNumber("+441632960000"),
                new Twiml("<Response><Record action=\"" + app.url("/fail/done") + "\" transcribe=\"true\""
                        + " transcribeCallback=\"" + app.url("/fail/text") + "\"/></Response>")).create(client).getSid();
        EmulatedCall call = emulator.call(sid);
        call.awaitRecord(T);
        call.setTranscriptionsFail(true);
        call.leaveMessage("Mumble mumble.", 3);

        assertThat(app.take("/fail/done", T).params()).containsEntry("Direction", "outbound-api")
                .containsEntry("RecordingDuration", "3");
        FakeApp.Req text = app.take("/fail/text", T);
        assertThat(text.params()).containsEntry("TranscriptionStatus", "failed").doesNotContainKey("TranscriptionText")
                .containsEntry("CallSid", sid).containsKey("TranscriptionSid").containsKey("RecordingSid");
        assertThat(validator.validate(text.url(), text.params(), text.signature())).isTrue();
        call.awaitEnded(T);
        EmulatedRecording recording = call.recordings().get(0);
        assertThat(recording.transcription().status()).isEqualTo("failed");
        assertThat(recording.transcription().text()).isNull();
    }

    @Test
    void aRestRedirectKeepsTheMessageWithoutAnAction() {
        String number = inboundNumber("/redirect/voice");
        app.twiml("/redirect/voice", "<Response><Record action=\"/redirect/done\"/></Response>");
        app.twiml("/redirect/done", "<Response/>");
        app.twiml("/redirect/elsewhere", "<Response><Say>Elsewhere.</Say><Hangup/></Response>");

        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitRecord(T);
        call.speak("Hello?", 2);
        Call.updater(call.sid()).setUrl(URI.create(app.url("/redirect/elsewhere"))).update(client);
        call.awaitHeard("Elsewhere.", T);
        call.awaitEnded(T);
        emulator.awaitWebhooksDelivered(T);
        assertThat(app.requests("/redirect/done")).isEmpty();
        assertThat(call.recordings()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("completed");
            assertThat(r.durationSeconds()).isEqualTo(2);
        });
    }

    @Test
    void theCallerCannotSpeakWithoutAnOpenRecord() {
        String number = inboundNumber("/none/voice");
        app.twiml("/none/voice", "<Response><Gather action=\"/none/digits\"><Say>Press a key.</Say></Gather></Response>");
        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitGather(T);
        assertThat(call.recordOpen()).isFalse();
        assertThatThrownBy(() -> call.speak("hello", 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> call.leaveMessage("hello", 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(call::stayQuiet).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> call.leaveMessage("hello", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(call.gatherOpen()).as("nothing changed").isTrue();
        assertThat(call.recordings()).isEmpty();
        call.hangUp();
    }

    private static String inboundNumber(String voicePath) {
        String number = "+4416329602" + String.format("%02d", NUMBERS.incrementAndGet() % 100);
        emulator.setVoiceUrl(number, app.url(voicePath), null);
        return number;
    }

    private static HttpResponse<byte[]> get(String url, boolean authenticated) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authenticated) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (emulator.accountSid() + ":" + emulator.authToken()).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
