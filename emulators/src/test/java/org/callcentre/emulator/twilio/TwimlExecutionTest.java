package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TwiML verbs as Twilio documents them, driven through the REST API with the Twilio SDK. */
class TwimlExecutionTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static final String DONOR = "+447700900123";
    private static final String CENTRE = "+441632960000";

    private static TwilioEmulator emulator;
    private static TwilioRestClient client;
    private static FakeApp app;

    @BeforeAll
    static void start() throws Exception {
        // pauses last 1/100 of their length; gathers never time out on their own
        emulator = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withOutboundOutcome(CallOutcome.ANSWER)
                .withPauseScale(0.01).withGatherTimeoutScale(0));
        client = TwilioSdk.client(emulator);
        app = new FakeApp();
    }

    @AfterAll
    static void stop() {
        app.close();
        emulator.close();
    }

    private static EmulatedCall dial(String path) {
        Call created = Call.creator(new PhoneNumber(DONOR), new PhoneNumber(CENTRE), URI.create(app.url(path)))
                .create(client);
        return emulator.call(created.getSid());
    }

    @Test
    void gatherWithNumDigitsPostsDigitsToTheAction() {
        app.twiml("/nd/start", "<Response><Say>Welcome.</Say>"
                + "<Gather action=\"/nd/collect\" numDigits=\"4\" timeout=\"7\"><Say>Enter the four digits.</Say></Gather>"
                + "<Say>We got nothing.</Say></Response>");
        app.twiml("/nd/collect", "<Response><Say>Thank you.</Say><Hangup/></Response>");

        EmulatedCall call = dial("/nd/start");
        GatherPrompt gather = call.awaitGather(T);
        assertThat(gather).isEqualTo(new GatherPrompt("Welcome. Enter the four digits.", 4, "#", 7, app.url("/nd/collect")));
        assertThat(call.status()).isEqualTo("in-progress");

        call.press("1234");
        FakeApp.Req action = app.take("/nd/collect", T);
        assertThat(action.method()).isEqualTo("POST");
        assertThat(action.params())
                .containsEntry("Digits", "1234")
                .containsEntry("FinishedOnKey", "")
                .containsEntry("CallSid", call.sid())
                .containsEntry("AccountSid", emulator.accountSid())
                .containsEntry("From", CENTRE) // the centre calls the donor
                .containsEntry("To", DONOR)
                .containsEntry("CallStatus", "in-progress")
                .containsEntry("Direction", "outbound-api")
                .containsEntry("ApiVersion", "2010-04-01");

        call.awaitHeard("Thank you", T);
        call.awaitEnded(T);
        assertThat(call.status()).isEqualTo("completed");
        assertThat(call.heard()).containsExactly("Welcome.", "Enter the four digits.", "Thank you.");

        call.press("5");
        assertThat(call.droppedKeys()).as("keys after the call ended go nowhere").isEqualTo(1);
        assertThat(emulator.webhooks()).anySatisfy(w -> {
            assertThat(w.callSid()).isEqualTo(call.sid());
            assertThat(w.kind()).isEqualTo(WebhookExchange.KIND_GATHER);
            assertThat(w.status()).isEqualTo(200);
            assertThat(w.latencyNanos()).isPositive();
            assertThat(w.params()).containsEntry("Digits", "1234");
        });
    }

    @Test
    void finishOnKeyEndsTheGatherAndIsNotPartOfTheDigits() {
        app.twiml("/fk/start", "<Response><Gather action=\"/fk/collect\"><Say>Card number then hash.</Say></Gather></Response>");
        app.twiml("/fk/collect", "<Response><Gather action=\"/fk/collect2\" finishOnKey=\"*\"><Say>Expiry then star.</Say></Gather></Response>");
        app.twiml("/fk/collect2", "<Response><Hangup/></Response>");

        EmulatedCall call = dial("/fk/start");
        GatherPrompt first = call.awaitGather(T);
        assertThat(first.numDigits()).isNull();
        assertThat(first.finishOnKey()).isEqualTo("#");
        call.press("4111 1111#99");
        FakeApp.Req r = app.take("/fk/collect", T);
        assertThat(r.params()).containsEntry("Digits", "41111111").containsEntry("FinishedOnKey", "#");

        GatherPrompt second = call.awaitGather(T);
        assertThat(second.prompt()).isEqualTo("Expiry then star.");
        assertThat(second.finishOnKey()).isEqualTo("*");
        call.press("12#3*");
        FakeApp.Req r2 = app.take("/fk/collect2", T);
        assertThat(r2.params()).containsEntry("Digits", "12#3").containsEntry("FinishedOnKey", "*");
        call.awaitEnded(T);
        assertThat(call.droppedKeys()).as("the 99 after # was pressed while the action was being fetched").isEqualTo(2);
    }

    @Test
    void emptyGatherFallsThroughToTheNextVerb() {
        app.twiml("/empty/start", "<Response><Gather action=\"/empty/collect\" numDigits=\"1\"><Say>Press one.</Say></Gather>"
                + "<Say>We did not receive any input.</Say></Response>");
        app.twiml("/empty/collect", "<Response><Say>Unexpected.</Say></Response>");

        EmulatedCall call = dial("/empty/start");
        call.awaitGather(T);
        call.expireGather();
        call.awaitHeard("did not receive any input", T);
        call.awaitEnded(T);
        assertThat(call.status()).as("TwiML ran out: Twilio hangs up").isEqualTo("completed");
        assertThat(app.requests("/empty/collect")).isEmpty();

        // finishOnKey with nothing typed is an empty result too
        EmulatedCall again = dial("/empty/start");
        again.awaitGather(T);
        again.press("#");
        again.awaitHeard("did not receive any input", T);
        assertThat(app.requests("/empty/collect")).isEmpty();
    }

    @Test
    void actionOnEmptyResultRequestsTheActionWithNoDigits() {
        app.twiml("/aoe/start", "<Response><Gather action=\"/aoe/collect\" actionOnEmptyResult=\"true\"><Say>Anything?</Say></Gather>"
                + "<Say>Not reached.</Say></Response>");
        app.twiml("/aoe/collect", "<Response><Say>Handled empty.</Say></Response>");

        EmulatedCall call = dial("/aoe/start");
        call.awaitGather(T);
        call.expireGather();
        FakeApp.Req r = app.take("/aoe/collect", T);
        assertThat(r.params()).containsEntry("Digits", "").containsEntry("FinishedOnKey", "");
        call.awaitHeard("Handled empty", T);
        call.awaitEnded(T);
        assertThat(call.heard()).doesNotContain("Not reached.");
    }

    @Test
    void gatherTimesOutOnItsOwnWhenScaled() {
        // gather timeouts at 1/100 of their length: timeout="200" lasts 2 s
        try (TwilioEmulator fast = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withOutboundOutcome(CallOutcome.ANSWER)
                .withPauseScale(0).withGatherTimeoutScale(0.01))) {
            app.twiml("/to/start", "<Response><Gather action=\"/to/collect\" timeout=\"200\"><Say>Type.</Say></Gather>"
                    + "<Gather action=\"/to/collect\" timeout=\"1\"><Say>Again.</Say></Gather><Say>Timed out.</Say></Response>");
            app.twiml("/to/collect", "<Response><Redirect>/to/start2</Redirect></Response>");
            app.twiml("/to/start2", "<Response><Gather action=\"/to/never\" timeout=\"1\"><Say>Last chance.</Say></Gather>"
                    + "<Say>Timed out.</Say></Response>");
            String sid = Call.creator(new PhoneNumber(DONOR), new PhoneNumber(CENTRE), URI.create(app.url("/to/start")))
                    .create(TwilioSdk.client(fast)).getSid();
            EmulatedCall call = fast.call(sid);
            call.awaitGather(T);
            call.press("12"); // no finish key, no numDigits: the timeout after the last key ends the gather
            FakeApp.Req r = app.take("/to/collect", T);
            assertThat(r.params()).containsEntry("Digits", "12").containsEntry("FinishedOnKey", "");
            call.awaitHeard("Timed out.", T);
            call.awaitEnded(T);
            assertThat(app.requests("/to/never")).isEmpty();
        }
    }

    @Test
    void pausesInsideAGatherDelayTheRestOfThePrompt() {
        app.twiml("/pause/start", "<Response><Say>Before.</Say><Pause length=\"2\"/>"
                + "<Gather action=\"/pause/collect\" numDigits=\"1\"><Say>Part one.</Say><Pause/><Say>Part two.</Say></Gather></Response>");
        app.twiml("/pause/collect", "<Response><Hangup/></Response>");

        EmulatedCall call = dial("/pause/start");
        call.awaitHeard("Part two.", T);
        GatherPrompt g = call.awaitGather(T);
        assertThat(g.prompt()).isEqualTo("Before. Part one. Part two.");
        call.press("1");
        app.take("/pause/collect", T);
        call.awaitEnded(T);
    }

    @Test
    void pressingDuringTheNestedPromptsBargesIn() {
        app.twiml("/barge/start", "<Response><Gather action=\"/barge/collect\" numDigits=\"1\">"
                + "<Say>For payments press one.</Say><Pause length=\"1000\"/><Say>For anything else press two.</Say>"
                + "</Gather></Response>");
        app.twiml("/barge/collect", "<Response><Say>Thanks.</Say><Hangup/></Response>");

        EmulatedCall call = dial("/barge/start");
        GatherPrompt g = call.awaitGather(T);
        assertThat(g.prompt()).isEqualTo("For payments press one.");
        call.press("1"); // while the 10 s pause is still playing
        assertThat(app.take("/barge/collect", T).params()).containsEntry("Digits", "1");
        call.awaitHeard("Thanks.", T);
        call.awaitEnded(T);
        assertThat(call.heard()).containsExactly("For payments press one.", "Thanks.");
    }

    @Test
    void redirectsResolveRelativeUrlsAgainstTheDocument() {
        app.twiml("/flows/start", "<Response><Say>Start.</Say><Redirect>next</Redirect><Say>Never.</Say></Response>");
        app.twiml("/flows/next", "<Response><Redirect method=\"GET\">../other/page?step=2</Redirect></Response>");
        app.twiml("/other/page", "<Response><Gather action=\"collect\" numDigits=\"1\"><Say>Press a key.</Say></Gather></Response>");
        app.twiml("/other/collect", "<Response><Say>Done.</Say></Response>");

        EmulatedCall call = dial("/flows/start");
        GatherPrompt g = call.awaitGather(T);
        assertThat(g.action()).isEqualTo(app.url("/other/collect"));
        assertThat(g.prompt()).as("prompt counts from the start of the current document").isEqualTo("Press a key.");
        call.press("5");
        call.awaitHeard("Done.", T);
        call.awaitEnded(T);

        assertThat(app.take("/flows/next", T).method()).isEqualTo("POST");
        FakeApp.Req get = app.take("/other/page", T);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.params()).containsEntry("step", "2").containsEntry("CallSid", call.sid());
        assertThat(app.take("/other/collect", T).params()).containsEntry("Digits", "5");
        assertThat(call.heard()).containsExactly("Start.", "Press a key.", "Done.");
    }

    @Test
    void gatherWithoutActionPostsToTheCurrentDocument() {
        app.route("/self", req -> FakeApp.Reply.twiml(req.params().containsKey("Digits")
                ? "<Response><Say>Got " + req.param("Digits") + ".</Say></Response>"
                : "<Response><Gather numDigits=\"2\"><Say>Two keys.</Say></Gather></Response>"));
        EmulatedCall call = dial("/self");
        assertThat(call.awaitGather(T).action()).isEqualTo(app.url("/self"));
        call.press("77");
        call.awaitHeard("Got 77.", T);
        call.awaitEnded(T);
    }

    @Test
    void anErrorAnswerIsAnApplicationErrorAndTheCallHangsUp() {
        app.route("/broken", req -> new FakeApp.Reply(500, "boom"));
        app.twiml("/garbage", "this is not XML");
        app.twiml("/unknown-verb", "<Response><Say>Hello.</Say><Dance/></Response>");
        app.twiml("/wrong-root", "<Document><Say>Hi</Say></Document>");

        EmulatedCall broken = dial("/broken");
        broken.awaitHeard(EmulatedCall.APPLICATION_ERROR, T);
        broken.awaitEnded(T);
        assertThat(broken.status()).isEqualTo("completed");
        assertThat(emulator.webhooks()).anySatisfy(w -> {
            assertThat(w.callSid()).isEqualTo(broken.sid());
            assertThat(w.status()).isEqualTo(500);
            assertThat(w.kind()).isEqualTo(WebhookExchange.KIND_TWIML);
            assertThat(w.url()).isEqualTo(app.url("/broken"));
            assertThat(w.method()).isEqualTo("POST");
        });

        for (String path : new String[] {"/garbage", "/wrong-root", "/missing-route"}) {
            EmulatedCall call = dial(path);
            call.awaitEnded(T);
            assertThat(call.heard()).as(path).containsExactly(EmulatedCall.APPLICATION_ERROR);
        }
        EmulatedCall unknown = dial("/unknown-verb");
        unknown.awaitEnded(T);
        assertThat(unknown.heard()).containsExactly("Hello.", EmulatedCall.APPLICATION_ERROR);
    }

    @Test
    void conferenceAndDialKeepTheCallConnectedAndKeysAreDropped() {
        String sid = emulator.createCall(DONOR, CENTRE,
                "<Response><Say>Connecting you.</Say><Dial><Conference>agent-conf-1</Conference></Dial></Response>");
        EmulatedCall call = emulator.call(sid);
        call.awaitConference("agent-conf-1", T);
        assertThat(call.inConference()).isTrue();
        assertThat(call.status()).isEqualTo("in-progress");
        assertThat(call.conferenceJoins()).extracting(EmulatedCall.ConferenceJoin::conference)
                .containsExactly("agent-conf-1");
        call.press("123");
        assertThat(call.droppedKeys()).isEqualTo(3);
        assertThatThrownBy(call::expireGather).isInstanceOf(IllegalStateException.class);
        call.hangUp();
        call.awaitEnded(T);
        assertThat(call.inConference()).isFalse();

        EmulatedCall number = emulator.call(emulator.createCall(DONOR, CENTRE,
                "<Response><Say>Dialling.</Say><Dial timeout=\"20\">+15551234567</Dial><Say>After.</Say></Response>"));
        number.awaitHeard("Dialling.", T); // the Dial runs in the same step as the Say before it
        assertThat(number.dialed()).isEqualTo("+15551234567");
        assertThat(number.inConference()).isFalse();
        assertThat(number.status()).isEqualTo("in-progress");
        assertThat(number.heard()).containsExactly("Dialling.");
        assertThat(number.conferenceJoins()).isEmpty();
        number.hangUp();
        number.awaitEnded(T);
    }
}
