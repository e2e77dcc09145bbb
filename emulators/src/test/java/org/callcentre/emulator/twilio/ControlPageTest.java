package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.twilio.rest.api.v2010.account.Call;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The web page a person uses to play the donor, and the control endpoints behind it. */
class ControlPageTest extends EmulatorTest {

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void servesThePageAndItsScripts() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("id=\"keypad\"", "data-key=\"#\"", "data-key=\"*\"", "/emulator/ui/emulator.js")
                .doesNotContain("https://");
        HttpResponse<String> js = get("/emulator/ui/emulator.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.body()).contains("/emulator/calls", "/digits", "'hangup', 'answer', 'busy', 'no-answer', 'fail'",
                "/emulator/conferences", "/emulator/queues", "/emulator/inbound-calls", "/emulator/numbers",
                "/emulator/messages", "/message", "mediaBase64", "setInterval(poll, 1000)");
        assertThat(page.body()).contains("id=\"answer\"", "id=\"busy\"", "id=\"no-answer\"", "id=\"fail\"",
                "id=\"conferences\"", "id=\"queues\"", "id=\"inbound-call\"", "id=\"number\"",
                "id=\"send-message\"", "id=\"messages\"", "id=\"voicemail\"", "id=\"quiet\"", "name=\"messagingUrl\"");
        assertThat(get("/emulator/ui/emulator.css").statusCode()).isEqualTo(200);
        assertThat(get("/emulator/ui/nope.js").statusCode()).isEqualTo(404);
        assertThat(get("/emulator/ui/../twilio-emulator/index.html").statusCode()).isEqualTo(404);
    }

    @Test
    void aPersonPlaysTheDonor() throws Exception {
        HttpResponse<String> created = post("/emulator/calls",
                "from=" + enc("+447700900555") + "&to=" + enc("+441632960999") + "&conference=agent-conf-7");
        assertThat(created.statusCode()).isEqualTo(201);
        String sid = json.readTree(created.body()).get("sid").asText();
        assertThat(sid).matches("CA[0-9a-f]{32}");
        EmulatedCall call = emulator.call(sid);
        call.awaitConference("agent-conf-7", T);

        JsonNode listed = findCall(json.readTree(get("/emulator/calls").body()), sid);
        assertThat(listed.get("from").asText()).isEqualTo("+447700900555");
        assertThat(listed.get("to").asText()).isEqualTo("+441632960999");
        assertThat(listed.get("status").asText()).isEqualTo("in-progress");
        assertThat(listed.get("conference").asText()).isEqualTo("agent-conf-7");
        assertThat(listed.get("gatherOpen").asBoolean()).isFalse();
        assertThat(listed.get("heard").isArray()).isTrue();

        // the app (here: the test, over the REST API) sends the donor to the payment prompts
        app.twiml("/page/pay", "<Response><Gather action=\"/page/card\" numDigits=\"4\"><Say>Enter four digits.</Say></Gather></Response>");
        app.twiml("/page/card", "<Response><Say>Thanks, back to your agent.</Say><Dial><Conference>agent-conf-7</Conference></Dial></Response>");
        Call.updater(sid).setUrl(app.url("/page/pay")).update(TwilioSdk.client(emulator));
        call.awaitGather(T);

        JsonNode one = json.readTree(get("/emulator/calls/" + sid).body());
        assertThat(one.get("gatherOpen").asBoolean()).isTrue();
        assertThat(one.get("prompt").asText()).isEqualTo("Enter four digits.");
        assertThat(one.get("conference").isNull()).isTrue();

        for (String key : new String[] {"1", "2", "3", "4"}) {
            assertThat(post("/emulator/calls/" + sid + "/digits", "digits=" + enc(key)).statusCode()).isEqualTo(200);
        }
        assertThat(app.take("/page/card", T).params()).containsEntry("Digits", "1234");
        call.awaitConference("agent-conf-7", T);
        assertThat(json.readTree(get("/emulator/calls/" + sid).body()).get("heard").toString())
                .contains("Enter four digits.", "Thanks, back to your agent.");

        assertThat(post("/emulator/calls/" + sid + "/digits", "digits=" + enc("#")).statusCode()).isEqualTo(200);
        assertThat(call.droppedKeys()).isEqualTo(1);
        assertThat(post("/emulator/calls/" + sid + "/digits", "digits=x").statusCode()).isEqualTo(400);

        HttpResponse<String> hungUp = post("/emulator/calls/" + sid + "/hangup", "");
        assertThat(hungUp.statusCode()).isEqualTo(200);
        assertThat(json.readTree(hungUp.body()).get("status").asText()).isEqualTo("completed");
        call.awaitEnded(T);
    }

    @Test
    void aPersonAnswersOrRefusesTheCallsTheAppPlaces() throws Exception {
        app.twiml("/page/agent", "<Response><Dial><Conference>agent-page</Conference></Dial></Response>");
        String phone = "client:page-agent";
        String donor = "+447700900777";
        emulator.setOutcome(phone, CallOutcome.RING);
        emulator.setOutcome(donor, CallOutcome.RING);
        var sdk = TwilioSdk.client(emulator);
        String agentSid = Call.creator(new com.twilio.type.Client(phone), new com.twilio.type.PhoneNumber("+441632960000"),
                URI.create(app.url("/page/agent"))).create(sdk).getSid();
        emulator.call(agentSid).awaitStatus("ringing", T);

        JsonNode ringing = json.readTree(get("/emulator/calls/" + agentSid).body());
        assertThat(ringing.get("status").asText()).isEqualTo("ringing");
        assertThat(ringing.get("ringing").asBoolean()).isTrue();
        assertThat(post("/emulator/calls/" + agentSid + "/hangup", "").statusCode()).isEqualTo(409);

        HttpResponse<String> answered = post("/emulator/calls/" + agentSid + "/answer", "");
        assertThat(answered.statusCode()).isEqualTo(200);
        emulator.call(agentSid).awaitConference("agent-page", T);
        JsonNode conferences = json.readTree(get("/emulator/conferences").body());
        assertThat(conferences.toString()).contains("{\"name\":\"agent-page\",\"participants\":[\"" + agentSid + "\"]}");

        for (String action : new String[] {"busy", "no-answer", "fail"}) {
            String sid = Call.creator(new com.twilio.type.PhoneNumber(donor), new com.twilio.type.PhoneNumber("+441632960000"),
                    URI.create(app.url("/page/agent"))).create(sdk).getSid();
            emulator.call(sid).awaitStatus("ringing", T);
            HttpResponse<String> refused = post("/emulator/calls/" + sid + "/" + action, "");
            assertThat(refused.statusCode()).isEqualTo(200);
            assertThat(json.readTree(refused.body()).get("status").asText())
                    .isEqualTo(action.equals("fail") ? "failed" : action);
            assertThat(post("/emulator/calls/" + sid + "/answer", "").statusCode()).isEqualTo(409);
        }
        assertThat(post("/emulator/calls/" + agentSid + "/busy", "").statusCode()).isEqualTo(409);
        assertThat(post("/emulator/calls/" + agentSid + "/hangup", "").statusCode()).isEqualTo(200);
        assertThat(json.readTree(get("/emulator/conferences").body()).toString()).doesNotContain("agent-page");
    }

    @Test
    void aPersonCallsOneOfTheAppsNumbersWaitsInTheQueueAndPressesKeys() throws Exception {
        app.twiml("/page-in/voice", "<Response><Enqueue waitUrl=\"/page-in/wait\" action=\"/page-in/left\">page-team"
                + "</Enqueue></Response>");
        app.twiml("/page-in/wait", "<Response><Gather action=\"/page-in/choice\" numDigits=\"1\">"
                + "<Say>Press 1 for a callback.</Say></Gather></Response>");
        app.twiml("/page-in/choice", "<Response><Leave/></Response>");
        app.twiml("/page-in/left", "<Response><Say>We will call you back.</Say><Hangup/></Response>");

        HttpResponse<String> saved = post("/emulator/numbers", "number=" + enc("+441632960400") + "&voiceUrl="
                + enc(app.url("/page-in/voice")));
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(saved.body()).contains("+441632960400", app.url("/page-in/voice"));
        assertThat(post("/emulator/numbers", "number=" + enc("+441632960401") + "&voiceUrl=nope").statusCode())
                .isEqualTo(400);
        assertThat(post("/emulator/inbound-calls", "from=" + enc("+447700900888") + "&to=" + enc("+441632969999"))
                .statusCode()).as("not one of the app's numbers").isEqualTo(400);

        HttpResponse<String> created = post("/emulator/inbound-calls",
                "from=" + enc("+447700900888") + "&to=" + enc("+441632960400"));
        assertThat(created.statusCode()).isEqualTo(201);
        String sid = json.readTree(created.body()).get("sid").asText();
        EmulatedCall call = emulator.call(sid);
        call.awaitGather(T);

        JsonNode listed = findCall(json.readTree(get("/emulator/calls").body()), sid);
        assertThat(listed.get("direction").asText()).isEqualTo("inbound");
        assertThat(listed.get("queue").asText()).isEqualTo("page-team");
        assertThat(listed.get("ringing").asBoolean()).isFalse();
        JsonNode queues = json.readTree(get("/emulator/queues").body());
        assertThat(queues.toString()).contains("\"name\":\"page-team\"", "\"callSid\":\"" + sid + "\"",
                "\"position\":1", "\"maxSize\":1000");

        assertThat(post("/emulator/calls/" + sid + "/digits", "digits=1").statusCode()).isEqualTo(200);
        call.awaitHeard("We will call you back.", T);
        call.awaitEnded(T);
        assertThat(app.take("/page-in/left", T).params()).containsEntry("QueueResult", "leave");
        assertThat(json.readTree(get("/emulator/queues").body()).toString()).doesNotContain(sid);
    }

    @Test
    void aPersonLeavesAVoicemail() throws Exception {
        app.twiml("/page-vm/voice", "<Response><Say>Leave a message.</Say><Record action=\"/page-vm/done\""
                + " finishOnKey=\"#\" transcribe=\"true\" transcribeCallback=\"/page-vm/text\"/>"
                + "<Say>Nothing recorded.</Say></Response>");
        app.twiml("/page-vm/done", "<Response><Say>Thanks.</Say><Record action=\"/page-vm/again\"/>"
                + "<Say>Goodbye.</Say></Response>");
        app.twiml("/page-vm/text", "");
        emulator.setVoiceUrl("+441632960410", app.url("/page-vm/voice"), null);
        String sid = json.readTree(post("/emulator/inbound-calls", "from=" + enc("+447700900889") + "&to="
                + enc("+441632960410")).body()).get("sid").asText();
        EmulatedCall call = emulator.call(sid);
        call.awaitRecord(T);

        JsonNode shown = json.readTree(get("/emulator/calls/" + sid).body());
        assertThat(shown.get("recordOpen").asBoolean()).isTrue();
        assertThat(shown.get("record").get("prompt").asText()).isEqualTo("Leave a message.");
        assertThat(shown.get("record").get("finishOnKey").asText()).isEqualTo("#");
        assertThat(post("/emulator/calls/" + sid + "/message", "words=hi&seconds=3&key=*").statusCode())
                .as("not a finish key").isEqualTo(400);
        assertThat(post("/emulator/calls/" + sid + "/message", "words=hi&seconds=x").statusCode()).isEqualTo(400);
        assertThat(post("/emulator/calls/" + sid + "/message", "words=hi&seconds=0").statusCode()).isEqualTo(400);
        assertThat(call.recordOpen()).as("refusals change nothing").isTrue();

        HttpResponse<String> left = post("/emulator/calls/" + sid + "/message", "words=" + enc("Call me back, please.")
                + "&seconds=6&key=" + enc("#") + "&transcriptionFails=true");
        assertThat(left.statusCode()).isEqualTo(200);
        FakeApp.Req action = app.take("/page-vm/done", T);
        assertThat(action.params()).containsEntry("Digits", "#").containsEntry("RecordingDuration", "6");
        assertThat(app.take("/page-vm/text", T).params()).containsEntry("TranscriptionStatus", "failed");

        call.awaitRecord(T);
        assertThat(post("/emulator/calls/" + sid + "/quiet", "").statusCode()).isEqualTo(200);
        call.awaitHeard("Goodbye.", T);
        call.awaitEnded(T);
        assertThat(post("/emulator/calls/" + sid + "/quiet", "").statusCode()).isEqualTo(409);
        assertThat(post("/emulator/calls/" + sid + "/message", "words=late").statusCode()).isEqualTo(409);
        JsonNode recordings = json.readTree(get("/emulator/calls/" + sid).body()).get("recordings");
        assertThat(recordings.get(0).get("source").asText()).isEqualTo("RecordVerb");
        assertThat(recordings.get(0).get("spokenText").asText()).isEqualTo("Call me back, please.");
        assertThat(recordings.get(0).get("transcription").get("status").asText()).isEqualTo("failed");
        assertThat(recordings.get(1).get("status").asText()).isEqualTo("absent");
    }

    @Test
    void aPersonTextsTheAppWithAPicture() throws Exception {
        app.twiml("/page-sms/in", "<Response><Message>We have your photo.</Message></Response>");
        assertThat(post("/emulator/numbers", "number=" + enc("+441632960420") + "&messagingUrl=nope").statusCode())
                .isEqualTo(400);
        assertThat(post("/emulator/numbers", "number=" + enc("+441632960420") + "&voiceUrl=" + enc(app.url("/v"))
                + "&messagingUrl=nope").statusCode()).as("neither side changes").isEqualTo(400);
        assertThat(emulator.incomingNumbers()).doesNotContainKey("+441632960420");
        HttpResponse<String> saved = post("/emulator/numbers", "number=" + enc("+441632960420") + "&messagingUrl="
                + enc(app.url("/page-sms/in")));
        assertThat(saved.statusCode()).isEqualTo(200);
        JsonNode number = findNumber(json.readTree(saved.body()), "+441632960420");
        assertThat(number.get("messagingUrl").asText()).isEqualTo(app.url("/page-sms/in"));
        assertThat(number.get("voiceUrl").isNull()).isTrue();
        assertThat(post("/emulator/messages", "from=" + enc("+447700900890") + "&to=" + enc("+441632969997")
                + "&body=hi").statusCode()).as("not one of the app's numbers").isEqualTo(400);
        assertThat(post("/emulator/messages", "to=" + enc("+441632960420") + "&body=hi&mediaContentType=image/png"
                + "&mediaBase64=" + enc("not base64!")).statusCode()).isEqualTo(400);

        byte[] picture = {(byte) 0x89, 'P', 'N', 'G', 9, 9};
        HttpResponse<String> sent = post("/emulator/messages", "from=" + enc("+447700900890") + "&to="
                + enc("+441632960420") + "&body=" + enc("Here is my card") + "&mediaContentType=image/png&mediaBase64="
                + enc(java.util.Base64.getEncoder().encodeToString(picture)));
        assertThat(sent.statusCode()).isEqualTo(201);
        JsonNode message = json.readTree(sent.body());
        assertThat(message.get("sid").asText()).startsWith("MM");
        assertThat(message.get("responseStatus").asInt()).isEqualTo(200);
        assertThat(message.get("replies").get(0).get("body").asText()).isEqualTo("We have your photo.");
        FakeApp.Req req = app.take("/page-sms/in", T);
        assertThat(req.params()).containsEntry("Body", "Here is my card").containsEntry("NumMedia", "1")
                .containsEntry("MediaContentType0", "image/png");
        HttpResponse<byte[]> media = http.send(HttpRequest.newBuilder(URI.create(req.param("MediaUrl0"))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(media.body()).isEqualTo(picture);
        assertThat(get("/emulator/messages").body()).contains(message.get("sid").asText(), "We have your photo.");
    }

    private static JsonNode findNumber(JsonNode numbers, String number) {
        for (JsonNode n : numbers) {
            if (n.get("number").asText().equals(number)) {
                return n;
            }
        }
        throw new AssertionError(number + " not listed in " + numbers);
    }

    @Test
    void controlEndpointsAreNotTheRestApi() throws Exception {
        assertThat(post("/emulator/calls/CA0000/hangup", "").statusCode()).isEqualTo(404);
        assertThat(get("/emulator/nothing").statusCode()).isEqualTo(404);
        // the REST API still wants credentials; the page's endpoints never create REST-visible side doors
        HttpResponse<String> rest = get("/2010-04-01/Accounts/" + emulator.accountSid() + "/Calls.json");
        assertThat(rest.statusCode()).isEqualTo(401);
        assertThat(get("/2010-04-01/Accounts/" + emulator.accountSid() + "/Calls.json?x=/emulator/calls").statusCode())
                .isEqualTo(401);
        assertThat(post("/", "").statusCode()).isEqualTo(405);
    }

    private static JsonNode findCall(JsonNode calls, String sid) {
        for (JsonNode c : calls) {
            if (c.get("sid").asText().equals(sid)) {
                return c;
            }
        }
        throw new AssertionError(sid + " not listed in " + calls);
    }
}
