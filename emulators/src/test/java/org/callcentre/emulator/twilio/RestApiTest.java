package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.security.RequestValidator;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Calls REST resource, exercised with the real Twilio SDK and with plain HTTP. */
class RestApiTest extends EmulatorTest {

    private static final String DONOR = "+447700900123";
    private static final String CENTRE = "+441632960000";
    private static final String IN_CONFERENCE = "<Response><Dial><Conference>agent-conf-1</Conference></Dial></Response>";

    private static TwilioRestClient client;

    @BeforeAll
    static void connectTheSdk() {
        client = TwilioSdk.client(emulator);
        app.twiml("/status", "");
    }

    @Test
    void createAndFetchACallLikeTwilio() {
        app.twiml("/hello", "<Response><Say>Hello.</Say><Pause length=\"1\"/><Dial><Conference>c-1</Conference></Dial></Response>");
        Call created = Call.creator(new PhoneNumber(CENTRE), new PhoneNumber(DONOR), URI.create(app.url("/hello")))
                .setMethod(HttpMethod.POST)
                .create(client);
        assertThat(created.getSid()).matches("CA[0-9a-f]{32}");
        assertThat(created.getAccountSid()).isEqualTo(emulator.accountSid());
        assertThat(created.getStatus()).isEqualTo(Call.Status.QUEUED);
        assertThat(created.getDirection()).isEqualTo("outbound-api");
        assertThat(created.getApiVersion()).isEqualTo("2010-04-01");
        assertThat(created.getTo()).isEqualTo(CENTRE);
        assertThat(created.getFrom()).isEqualTo(DONOR);
        assertThat(created.getDateCreated()).isNotNull();
        assertThat(created.getUri()).isEqualTo("/2010-04-01/Accounts/" + emulator.accountSid() + "/Calls/" + created.getSid() + ".json");

        EmulatedCall call = emulator.call(created.getSid());
        call.awaitConference("c-1", T);
        Call fetched = Call.fetcher(created.getSid()).fetch(client);
        assertThat(fetched.getStatus()).isEqualTo(Call.Status.IN_PROGRESS);
        assertThat(fetched.getStartTime()).isNotNull();
        assertThat(emulator.calls()).contains(call);

        assertThat(app.take("/hello", T).params()).containsEntry("CallStatus", "in-progress").containsEntry("To", CENTRE);
        call.hangUp();
        assertThat(Call.fetcher(created.getSid()).fetch(client).getStatus()).isEqualTo(Call.Status.COMPLETED);
    }

    @Test
    void inlineTwimlOnCreate() {
        Call created = Call.creator(new PhoneNumber(CENTRE), new PhoneNumber(DONOR),
                new com.twilio.type.Twiml("<Response><Say>Inline hello.</Say></Response>")).create(client);
        EmulatedCall call = emulator.call(created.getSid());
        call.awaitEnded(T);
        assertThat(call.heard()).containsExactly("Inline hello.");
    }

    @Test
    void wrongCredentialsAre401() throws Exception {
        TwilioRestClient wrong = TwilioSdk.client(emulator, emulator.accountSid(), "not-the-token");
        ApiException e = catchThrowableOfType(() -> Call.fetcher("CA00000000000000000000000000000000").fetch(wrong),
                ApiException.class);
        assertThat(e.getStatusCode()).isEqualTo(401);
        assertThat(e.getCode()).isEqualTo(20003);

        HttpResponse<String> noAuth = http.send(HttpRequest.newBuilder(
                        URI.create(emulator.baseUrl() + "/2010-04-01/Accounts/" + emulator.accountSid() + "/Calls.json"))
                .POST(HttpRequest.BodyPublishers.ofString("To=%2B1&From=%2B2&Url=http%3A%2F%2Fx"))
                .header("Content-Type", "application/x-www-form-urlencoded").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noAuth.statusCode()).isEqualTo(401);
        assertThat(json.readTree(noAuth.body())).isEqualTo(json.readTree(
                "{\"code\":20003,\"message\":\"Authenticate\",\"more_info\":\"https://www.twilio.com/docs/errors/20003\",\"status\":401}"));
        assertThat(emulator.calls()).noneMatch(c -> c.to().equals("+1"));
    }

    @Test
    void unknownAccountOrCallIs404() throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString(
                (emulator.accountSid() + ":" + emulator.authToken()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                        + "/2010-04-01/Accounts/AC11111111111111111111111111111111/Calls.json"))
                .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("code").asInt()).isEqualTo(20404);
        assertThat(body.get("status").asInt()).isEqualTo(404);

        ApiException e = catchThrowableOfType(() -> Call.fetcher("CA99999999999999999999999999999999").fetch(client),
                ApiException.class);
        assertThat(e.getStatusCode()).isEqualTo(404);
        assertThat(e.getCode()).isEqualTo(20404);
    }

    @Test
    void updatingWithAUrlInterruptsAGather() {
        app.twiml("/ig/start", "<Response><Gather action=\"/ig/collect\" numDigits=\"4\"><Say>Card number please.</Say></Gather></Response>");
        app.twiml("/ig/back", "<Response><Say>Back to your agent.</Say><Dial><Conference>agent-conf-2</Conference></Dial></Response>");
        String sid = Call.creator(new PhoneNumber(DONOR), new PhoneNumber(CENTRE), URI.create(app.url("/ig/start")))
                .create(client).getSid();
        EmulatedCall call = emulator.call(sid);
        call.awaitGather(T);
        call.press("12");

        Call updated = Call.updater(sid).setUrl(app.url("/ig/back")).update(client);
        assertThat(updated.getSid()).isEqualTo(sid);
        call.awaitConference("agent-conf-2", T);
        assertThat(call.gatherOpen()).isFalse();
        call.press("34");
        assertThat(call.droppedKeys()).isEqualTo(2);
        assertThat(app.requests("/ig/collect")).as("the interrupted gather never reports").isEmpty();
        assertThat(call.heard()).containsExactly("Card number please.", "Back to your agent.");
        call.hangUp();
    }

    @Test
    void updatingTakesTheCallOutOfItsConference() {
        app.twiml("/pay", "<Response><Gather action=\"/pay/card\" numDigits=\"16\"><Say>Please enter your card number.</Say></Gather></Response>");
        app.twiml("/pay/card", "<Response><Say>Card received.</Say><Redirect>/pay/back</Redirect></Response>");
        app.twiml("/pay/back", IN_CONFERENCE);

        EmulatedCall call = emulator.call(emulator.createCall(DONOR, CENTRE, IN_CONFERENCE));
        call.awaitConference("agent-conf-1", T);

        Call.updater(call.sid()).setUrl(URI.create(app.url("/pay"))).setMethod(HttpMethod.POST).update(client);
        GatherPrompt g = call.awaitGather(T);
        assertThat(g.prompt()).isEqualTo("Please enter your card number.");
        assertThat(call.inConference()).isFalse();
        assertThat(call.conference()).isNull();

        call.press("4111111111111111");
        assertThat(app.take("/pay/card", T).params()).containsEntry("Digits", "4111111111111111");
        call.awaitConference("agent-conf-1", T);
        assertThat(call.heard()).containsExactly("Please enter your card number.", "Card received.");

        Call.updater(call.sid()).setTwiml("<Response><Say>Inline update.</Say><Hangup/></Response>").update(client);
        call.awaitEnded(T);
        assertThat(call.heard()).endsWith("Inline update.");
    }

    @Test
    void updatingAnEndedCallIs21220() {
        EmulatedCall call = emulator.call(emulator.createCall(DONOR, CENTRE, IN_CONFERENCE));
        call.awaitConference("agent-conf-1", T);
        call.hangUp();

        ApiException e = catchThrowableOfType(() -> Call.updater(call.sid()).setUrl(app.url("/anything")).update(client),
                ApiException.class);
        assertThat(e.getStatusCode()).isEqualTo(400);
        assertThat(e.getCode()).isEqualTo(21220);
        assertThat(e.getMessage()).isEqualTo("Call is not in-progress. Cannot redirect.");
        assertThat(e.getMoreInfo()).isEqualTo("https://www.twilio.com/docs/errors/21220");
    }

    @Test
    void hangupSendsASignedStatusCallback() {
        app.twiml("/bye", "<Response><Say>Goodbye.</Say><Hangup/><Say>Never heard.</Say></Response>");
        ZonedDateTime before = ZonedDateTime.now().minusSeconds(2);
        String sid = Call.creator(new PhoneNumber(DONOR), new PhoneNumber(CENTRE), URI.create(app.url("/bye")))
                .setStatusCallback(URI.create(app.url("/status")))
                .setStatusCallbackMethod(HttpMethod.POST)
                .create(client).getSid();

        FakeApp.Req status = takeStatusFor(sid);
        assertThat(status.method()).isEqualTo("POST");
        assertThat(status.params())
                .containsEntry("CallSid", sid)
                .containsEntry("CallStatus", "completed")
                .containsEntry("SequenceNumber", "0")
                .containsEntry("CallbackSource", "call-progress-events")
                .containsEntry("AccountSid", emulator.accountSid())
                .containsEntry("From", CENTRE)
                .containsEntry("To", DONOR)
                .containsKey("CallDuration");
        assertThat(Integer.parseInt(status.param("CallDuration"))).isBetween(0, 5);
        ZonedDateTime ts = ZonedDateTime.parse(status.param("Timestamp"), DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(ts).isAfter(before);
        assertThat(new RequestValidator(emulator.authToken()).validate(status.url(), status.params(), status.signature())).isTrue();

        EmulatedCall call = emulator.call(sid);
        assertThat(call.status()).isEqualTo("completed");
        assertThat(call.heard()).containsExactly("Goodbye.");
        assertThat(emulator.awaitWebhooks(w -> w.callSid().equals(sid) && w.kind().equals(WebhookExchange.KIND_STATUS), 1, T))
                .singleElement().satisfies(w -> assertThat(w.status()).isEqualTo(200));
    }

    @Test
    void restCompletedAndDonorHangupBothReportCompletion() {
        String sid = Call.creator(new PhoneNumber(DONOR), new PhoneNumber(CENTRE), new com.twilio.type.Twiml(IN_CONFERENCE))
                .setStatusCallback(app.url("/nowhere"))
                .create(client).getSid();
        EmulatedCall call = emulator.call(sid);
        call.awaitConference("agent-conf-1", T);
        // the update replaces the status callback URL
        Call updated = Call.updater(sid).setStatusCallback(app.url("/status")).update(client);
        assertThat(updated.getStatus()).isEqualTo(Call.Status.IN_PROGRESS);
        Call.updater(sid).setStatus(Call.UpdateStatus.COMPLETED).update(client);
        call.awaitEnded(T);
        assertThat(takeStatusFor(sid).params()).containsEntry("CallStatus", "completed");
        assertThat(app.requests("/nowhere")).isEmpty();

        String donor = Call.creator(new PhoneNumber(DONOR), new PhoneNumber(CENTRE), new com.twilio.type.Twiml(IN_CONFERENCE))
                .setStatusCallback(app.url("/status")).create(client).getSid();
        emulator.call(donor).awaitConference("agent-conf-1", T);
        emulator.call(donor).hangUp();
        assertThat(takeStatusFor(donor).params()).containsEntry("SequenceNumber", "0");
    }

    @Test
    void duplicateStatusCallbacksCarryTheSameSequenceNumber() throws Exception {
        try (TwilioEmulator dup = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withOutboundOutcome(CallOutcome.ANSWER)
                .withDuplicateStatusCallbacks(true).withPauseScale(0)); FakeApp own = new FakeApp()) {
            own.twiml("/status", "");
            own.twiml("/start", "<Response><Say>Short call.</Say></Response>");
            String sid = Call.creator(new PhoneNumber(DONOR), new PhoneNumber(CENTRE), URI.create(own.url("/start")))
                    .setStatusCallback(own.url("/status")).create(TwilioSdk.client(dup)).getSid();
            FakeApp.Req first = own.take("/status", T);
            FakeApp.Req second = own.take("/status", T);
            assertThat(first.params()).containsEntry("CallSid", sid).containsEntry("SequenceNumber", "0");
            assertThat(second.params()).isEqualTo(first.params());
            assertThat(dup.awaitWebhooks(w -> w.kind().equals(WebhookExchange.KIND_STATUS), 2, T)).hasSize(2);
        }
    }

    @Test
    void awaitWebhooksDeliveredWaitsForAStatusCallbackStillUnanswered() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        app.route("/status-slow", req -> {
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeApp.Reply.twiml("");
        });
        String sid = Call.creator(new PhoneNumber(DONOR), new PhoneNumber(CENTRE), new com.twilio.type.Twiml(IN_CONFERENCE))
                .setStatusCallback(app.url("/status-slow")).create(client).getSid();
        EmulatedCall call = emulator.call(sid);
        call.awaitConference("agent-conf-1", T);
        call.hangUp();
        // The caller has gone; its status callback is still waiting for the app's answer.
        assertThatThrownBy(() -> emulator.awaitWebhooksDelivered(Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("in flight");
        answer.countDown();
        emulator.awaitWebhooksDelivered(T);
        assertThat(emulator.webhooks()).filteredOn(w -> w.callSid().equals(sid) && w.kind().equals(WebhookExchange.KIND_STATUS))
                .singleElement().satisfies(w -> assertThat(w.status()).isEqualTo(200));
    }

    @Test
    void aFailingStatusCallbackIsOnlyRecorded() {
        app.route("/status-broken", req -> new FakeApp.Reply(503, "down"));
        String sid = Call.creator(new PhoneNumber(DONOR), new PhoneNumber(CENTRE), new com.twilio.type.Twiml("<Response><Hangup/></Response>"))
                .setStatusCallback(app.url("/status-broken")).create(client).getSid();
        assertThat(emulator.awaitWebhooks(w -> w.callSid().equals(sid), 1, T))
                .singleElement().satisfies(w -> {
                    assertThat(w.status()).isEqualTo(503);
                    assertThat(w.kind()).isEqualTo("status");
                });
        assertThat(emulator.call(sid).heard()).isEmpty();
        assertThat(emulator.call(sid).status()).isEqualTo("completed");
    }

    private static FakeApp.Req takeStatusFor(String sid) {
        // status callbacks of several tests share /status: skip other calls' ones
        long deadline = System.nanoTime() + T.toNanos();
        while (true) {
            FakeApp.Req r = app.take("/status", Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (sid.equals(r.param("CallSid"))) {
                return r;
            }
        }
    }
}
