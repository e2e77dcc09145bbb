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
                "setInterval(poll, 1000)");
        assertThat(page.body()).contains("id=\"answer\"", "id=\"busy\"", "id=\"no-answer\"", "id=\"fail\"",
                "id=\"conferences\"", "id=\"queues\"", "id=\"inbound-call\"", "id=\"number\"");
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
