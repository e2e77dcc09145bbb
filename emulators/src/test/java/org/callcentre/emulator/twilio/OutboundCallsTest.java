package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.security.RequestValidator;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls the application places over the REST API, as the dialler places them: the called party rings, then answers,
 * is busy, does not answer or cannot be reached, and the application hears each step it asked for, numbered.
 */
class OutboundCallsTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static final String CENTRE = "+441632960000";
    private static final List<String> ALL_EVENTS = List.of("initiated", "ringing", "answered", "completed");
    private static final AtomicInteger numbers = new AtomicInteger(100);

    private static TwilioEmulator emulator;
    private static FakeApp app;
    private static TwilioRestClient client;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        // the defaults (calls ring until the test acts), with a 60 s ring timeout lasting 60 ms
        emulator = TwilioEmulator.start(TwilioEmulator.Settings.defaults().withPauseScale(0).withRingScale(0.001));
        client = TwilioSdk.client(emulator);
        app = new FakeApp();
        app.twiml("/agent", "<Response><Dial><Conference>agent-7</Conference></Dial></Response>");
    }

    @AfterAll
    static void stop() {
        app.close();
        emulator.close();
    }

    /** A number no other test calls, so that awaitCallTo finds this test's call. */
    private static String donor() {
        return "+4477009" + String.format("%05d", numbers.incrementAndGet());
    }

    /** A status callback path of its own for each call. */
    private static String statusPath() {
        return "/status/" + numbers.incrementAndGet();
    }

    private static Call create(String to, String statusPath, List<String> events) {
        app.twiml(statusPath, "");
        return Call.creator(new PhoneNumber(to), new PhoneNumber(CENTRE), URI.create(app.url("/agent")))
                .setMethod(HttpMethod.POST)
                .setStatusCallback(URI.create(app.url(statusPath)))
                .setStatusCallbackMethod(HttpMethod.POST)
                .setStatusCallbackEvent(events)
                .create(client);
    }

    /** Takes exactly {@code count} status callbacks, and checks that no more come once the call's webhooks are out. */
    private static List<FakeApp.Req> callbacks(String statusPath, int count) {
        return callbacks(emulator, statusPath, count);
    }

    /**
     * The status callbacks to one URL in the order the application received them. The fake app queues a request
     * for {@code take} once it has answered it, so the next callback can arrive before the previous one is queued:
     * the order is read from the record it keeps as each request arrives.
     */
    private static List<FakeApp.Req> callbacks(TwilioEmulator from, String statusPath, int count) {
        for (int i = 0; i < count; i++) {
            app.take(statusPath, T);
        }
        from.awaitWebhooksDelivered(T);
        List<FakeApp.Req> got = app.requests(statusPath);
        assertThat(got).hasSize(count);
        return got;
    }

    private static List<org.assertj.core.groups.Tuple> statuses(List<FakeApp.Req> callbacks) {
        return callbacks.stream().map(r -> tuple(r.param("CallStatus"), r.param("SequenceNumber"))).toList();
    }

    @Test
    void anAnsweredCallReportsEveryRequestedStepInOrder() {
        String to = donor();
        String status = statusPath();
        Call created = create(to, status, ALL_EVENTS);
        assertThat(created.getStatus()).isEqualTo(Call.Status.QUEUED);

        EmulatedCall call = emulator.awaitCallTo(to, T);
        assertThat(call.sid()).isEqualTo(created.getSid());
        call.awaitStatus("ringing", T);
        assertThat(Call.fetcher(call.sid()).fetch(client).getStatus()).isEqualTo(Call.Status.RINGING);
        assertThat(app.requests("/agent")).noneMatch(r -> call.sid().equals(r.param("CallSid")));

        call.pickUp();
        call.awaitConference("agent-7", T);
        assertThat(Call.fetcher(call.sid()).fetch(client).getStatus()).isEqualTo(Call.Status.IN_PROGRESS);
        call.hangUp();

        List<FakeApp.Req> got = callbacks(status, 4);
        assertThat(statuses(got)).containsExactly(tuple("initiated", "0"), tuple("ringing", "1"),
                tuple("in-progress", "2"), tuple("completed", "3"));
        for (FakeApp.Req r : got) {
            assertThat(r.params())
                    .containsEntry("CallSid", call.sid())
                    .containsEntry("AccountSid", emulator.accountSid())
                    .containsEntry("From", CENTRE)
                    .containsEntry("To", to)
                    .containsEntry("Direction", "outbound-api")
                    .containsEntry("ApiVersion", "2010-04-01")
                    .containsEntry("CallbackSource", "call-progress-events")
                    .containsKey("Timestamp");
            ZonedDateTime.parse(r.param("Timestamp"), DateTimeFormatter.RFC_1123_DATE_TIME);
            assertThat(new RequestValidator(emulator.authToken()).validate(r.url(), r.params(), r.signature())).isTrue();
        }
        assertThat(got.subList(0, 3)).allSatisfy(r -> assertThat(r.params()).doesNotContainKey("CallDuration"));
        assertThat(got.get(3).params()).containsEntry("CallDuration", "0");
    }

    @Test
    void onlyTheRequestedEventsAreSentAndTheFinalAlways() {
        String to = donor();
        String status = statusPath();
        create(to, status, List.of("answered"));
        EmulatedCall call = emulator.awaitCallTo(to, T);
        call.pickUp();
        call.awaitConference("agent-7", T);
        Call.updater(call.sid()).setStatus(Call.UpdateStatus.COMPLETED).update(client);

        assertThat(statuses(callbacks(status, 2))).containsExactly(tuple("in-progress", "0"), tuple("completed", "1"));
        assertThat(call.status()).isEqualTo("completed");
    }

    @Test
    void busy() {
        String to = donor();
        String status = statusPath();
        emulator.setOutcome(to, CallOutcome.BUSY);
        create(to, status, ALL_EVENTS);
        EmulatedCall call = emulator.awaitCallTo(to, T);
        call.awaitEnded(T);

        List<FakeApp.Req> got = callbacks(status, 3);
        assertThat(statuses(got)).containsExactly(tuple("initiated", "0"), tuple("ringing", "1"), tuple("busy", "2"));
        assertThat(got.get(2).params()).containsEntry("CallDuration", "0");
        assertThat(Call.fetcher(call.sid()).fetch(client).getStatus()).isEqualTo(Call.Status.BUSY);
        assertThat(app.requests("/agent")).noneMatch(r -> call.sid().equals(r.param("CallSid")));
    }

    @Test
    void noAnswerOnceTheTimeoutRunsOut() {
        String to = donor();
        String status = statusPath();
        emulator.setOutcome(to, CallOutcome.NO_ANSWER);
        app.twiml(status, "");
        long t0 = System.nanoTime();
        String sid = Call.creator(new PhoneNumber(to), new PhoneNumber(CENTRE), URI.create(app.url("/agent")))
                .setStatusCallback(URI.create(app.url(status)))
                .setStatusCallbackEvent(ALL_EVENTS)
                .setTimeout(300) // 300 ms at this ring scale
                .create(client).getSid();
        EmulatedCall call = emulator.awaitCallTo(to, T);
        call.awaitEnded(T);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        assertThat(statuses(callbacks(status, 3)))
                .containsExactly(tuple("initiated", "0"), tuple("ringing", "1"), tuple("no-answer", "2"));
        assertThat(Call.fetcher(sid).fetch(client).getStatus()).isEqualTo(Call.Status.NO_ANSWER);
    }

    @Test
    void failedCallsNeverRing() {
        String to = donor();
        String status = statusPath();
        emulator.setOutcome(to, CallOutcome.FAILED);
        create(to, status, ALL_EVENTS);
        EmulatedCall call = emulator.awaitCallTo(to, T);
        call.awaitEnded(T);

        assertThat(statuses(callbacks(status, 2))).containsExactly(tuple("initiated", "0"), tuple("failed", "1"));
        assertThat(call.status()).isEqualTo("failed");
    }

    @Test
    void theTestDecidesWhatARingingPhoneDoes() {
        String to = donor();
        for (String expected : List.of("busy", "no-answer", "failed")) {
            String status = statusPath();
            create(to, status, List.of("ringing"));
            EmulatedCall call = emulator.awaitCallTo(to, T);
            call.awaitStatus("ringing", T);
            switch (expected) {
                case "busy" -> call.busy();
                case "no-answer" -> call.noAnswer();
                default -> call.fail();
            }
            assertThat(call.status()).isEqualTo(expected);
            // Sent one after the other, but Twilio does not promise they arrive in order: SequenceNumber orders them.
            assertThat(statuses(callbacks(status, 2))).containsExactlyInAnyOrder(tuple("ringing", "0"),
                    tuple(expected, "1"));
            assertThatThrownBy(call::pickUp).isInstanceOf(IllegalStateException.class).hasMessageContaining("not ringing");
        }
    }

    @Test
    void aRingingPhoneIsNotHungUpLikeAnAnsweredOne() {
        String to = donor();
        create(to, statusPath(), List.of());
        EmulatedCall call = emulator.awaitCallTo(to, T);
        call.awaitStatus("ringing", T);
        assertThatThrownBy(call::hangUp).isInstanceOf(IllegalStateException.class);
        assertThat(call.status()).isEqualTo("ringing");
        call.busy();
        assertThatThrownBy(() -> emulator.call(emulator.createCall(CENTRE, to, "<Response><Hangup/></Response>")).pickUp())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSettingsOutcomeAnswersAfterTheRingTime() throws Exception {
        try (TwilioEmulator answering = TwilioEmulator.start(TwilioEmulator.Settings.defaults().withPauseScale(0)
                .withOutboundOutcome(CallOutcome.ANSWER).withRingTime(Duration.ofSeconds(20)).withRingScale(0.001))) {
            String to = donor();
            String status = statusPath();
            app.twiml(status, "");
            long t0 = System.nanoTime();
            Call.creator(new PhoneNumber(to), new PhoneNumber(CENTRE), URI.create(app.url("/agent")))
                    .setStatusCallback(URI.create(app.url(status))).setStatusCallbackEvent(ALL_EVENTS)
                    .create(TwilioSdk.client(answering));
            EmulatedCall call = answering.awaitCallTo(to, T);
            call.awaitConference("agent-7", T);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            call.hangUp();
            assertThat(statuses(callbacks(answering, status, 4))).extracting(t -> t.toList().get(0))
                    .containsExactly("initiated", "ringing", "in-progress", "completed");

            // a ring time as long as the Timeout rings out before anyone picks up
            String late = donor();
            String lateStatus = statusPath();
            app.twiml(lateStatus, "");
            Call.creator(new PhoneNumber(late), new PhoneNumber(CENTRE), URI.create(app.url("/agent")))
                    .setStatusCallback(URI.create(app.url(lateStatus))).setTimeout(10)
                    .create(TwilioSdk.client(answering));
            answering.awaitCallTo(late, T).awaitEnded(T);
            assertThat(statuses(callbacks(answering, lateStatus, 1))).containsExactly(tuple("no-answer", "0"));
        }
    }

    @Test
    void anInvalidToIs21211AndCreatesNothing() throws Exception {
        int before = emulator.calls().size();
        for (String bad : List.of("07700900123", "+0447700900123", "+44", "+44 7700 900123", "sip:x@example.com", "client:")) {
            HttpResponse<String> r = post("To=" + enc(bad) + "&From=" + enc(CENTRE) + "&Url=" + enc(app.url("/agent")));
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(json.readTree(r.body())).isEqualTo(json.readTree("{\"code\":21211,\"message\":\"The 'To' number "
                    + bad.replace("\\", "\\\\") + " is not a valid phone number.\",\"more_info\":"
                    + "\"https://www.twilio.com/docs/errors/21211\",\"status\":400}"));
        }
        assertThat(emulator.calls()).hasSize(before);

        ApiException e = catchThrowableOfType(() -> Call.creator(new PhoneNumber("12345"), new PhoneNumber(CENTRE),
                URI.create(app.url("/agent"))).create(client), ApiException.class);
        assertThat(e.getStatusCode()).isEqualTo(400);
        assertThat(e.getCode()).isEqualTo(21211);
        assertThat(e.getMessage()).isEqualTo("The 'To' number 12345 is not a valid phone number.");

        // an agent's browser phone is a client, not a number
        Call agentLeg = Call.creator(new com.twilio.type.Client("client:agent-1"), new PhoneNumber(CENTRE),
                URI.create(app.url("/agent"))).create(client);
        assertThat(agentLeg.getTo()).isEqualTo("client:agent-1");
        emulator.awaitCallTo("client:agent-1", T).busy();
    }

    @Test
    void aTestRefusesAValidLookingNumber() throws Exception {
        String to = donor();
        emulator.refuseNumber(to, 21211);
        ApiException e = catchThrowableOfType(() -> create(to, statusPath(), ALL_EVENTS), ApiException.class);
        assertThat(e.getStatusCode()).isEqualTo(400);
        assertThat(e.getCode()).isEqualTo(21211);
        assertThat(e.getMessage()).isEqualTo("The 'To' number " + to + " is not a valid phone number.");
        assertThat(e.getMoreInfo()).isEqualTo("https://www.twilio.com/docs/errors/21211");

        emulator.refuseNumber(to, 21214);
        HttpResponse<String> r = post("To=" + enc(to) + "&From=" + enc(CENTRE) + "&Url=" + enc(app.url("/agent")));
        JsonNode body = json.readTree(r.body());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(body.get("code").asInt()).isEqualTo(21214);
        assertThat(body.get("message").asText()).isEqualTo("'To' phone number cannot be reached");
        assertThat(emulator.calls()).noneMatch(c -> c.to().equals(to));
        assertThatThrownBy(() -> emulator.refuseNumber(to, 20404)).isInstanceOf(IllegalArgumentException.class);

        emulator.acceptNumber(to);
        create(to, statusPath(), ALL_EVENTS);
        emulator.awaitCallTo(to, T).fail();
    }

    @Test
    void cancelWhileRinging() {
        String to = donor();
        String status = statusPath();
        create(to, status, ALL_EVENTS);
        EmulatedCall call = emulator.awaitCallTo(to, T);
        call.awaitStatus("ringing", T);

        Call canceled = Call.updater(call.sid()).setStatus(Call.UpdateStatus.CANCELED).update(client);
        assertThat(canceled.getStatus()).isEqualTo(Call.Status.CANCELED);
        assertThat(statuses(callbacks(status, 3)))
                .containsExactly(tuple("initiated", "0"), tuple("ringing", "1"), tuple("canceled", "2"));
        assertThatThrownBy(call::pickUp).isInstanceOf(IllegalStateException.class);

        // completed on a call nobody answered hangs it up too, and it ends canceled
        String other = donor();
        String otherStatus = statusPath();
        create(other, otherStatus, List.of());
        EmulatedCall second = emulator.awaitCallTo(other, T);
        second.awaitStatus("ringing", T);
        Call.updater(second.sid()).setStatus(Call.UpdateStatus.COMPLETED).update(client);
        assertThat(statuses(callbacks(otherStatus, 1))).containsExactly(tuple("canceled", "0"));
    }

    @Test
    void completeWhileInProgressAndCancelDoesNotTouchIt() {
        String to = donor();
        String status = statusPath();
        create(to, status, ALL_EVENTS);
        EmulatedCall call = emulator.awaitCallTo(to, T);
        call.pickUp();
        call.awaitConference("agent-7", T);

        Call unchanged = Call.updater(call.sid()).setStatus(Call.UpdateStatus.CANCELED).update(client);
        assertThat(unchanged.getStatus()).isEqualTo(Call.Status.IN_PROGRESS);
        assertThat(call.inConference()).isTrue();

        Call.updater(call.sid()).setStatus(Call.UpdateStatus.COMPLETED).update(client);
        assertThat(call.status()).isEqualTo("completed");
        List<FakeApp.Req> got = callbacks(status, 4);
        assertThat(statuses(got)).containsExactly(tuple("initiated", "0"), tuple("ringing", "1"),
                tuple("in-progress", "2"), tuple("completed", "3"));
        assertThat(got.get(3).params()).containsKey("CallDuration");
    }

    @Test
    void aRedirectBeforeTheAnswerIsWhatTheCalledPartyGets() {
        app.twiml("/other-room", "<Response><Dial><Conference>agent-8</Conference></Dial></Response>");
        String to = donor();
        create(to, statusPath(), List.of());
        EmulatedCall call = emulator.awaitCallTo(to, T);
        call.awaitStatus("ringing", T);
        Call.updater(call.sid()).setUrl(app.url("/other-room")).update(client);
        assertThat(call.status()).isEqualTo("ringing");
        call.pickUp();
        call.awaitConference("agent-8", T);
        call.hangUp();
    }

    @Test
    void theAgentAndTheDonorMeetInTheConference() {
        String agentPhone = "client:agent-conf-" + numbers.incrementAndGet();
        String donor = donor();
        create(agentPhone, statusPath(), List.of());
        EmulatedCall agentLeg = emulator.awaitCallTo(agentPhone, T);
        assertThat(emulator.conferenceParticipants("agent-7")).doesNotContain(agentLeg.sid());
        agentLeg.pickUp();
        agentLeg.awaitConference("agent-7", T);

        create(donor, statusPath(), List.of());
        EmulatedCall donorLeg = emulator.awaitCallTo(donor, T);
        donorLeg.pickUp();
        List<String> both = emulator.awaitConferenceParticipants("agent-7", 2, T);
        assertThat(both).containsExactly(agentLeg.sid(), donorLeg.sid());
        assertThat(emulator.conferences()).containsEntry("agent-7", both);

        assertThat(donorLeg.conferenceJoins()).singleElement().satisfies(join -> {
            assertThat(join.conference()).isEqualTo("agent-7");
            assertThat(join.at()).isAfterOrEqualTo(agentLeg.conferenceJoins().get(0).at()).isBeforeOrEqualTo(
                    Instant.now());
        });

        donorLeg.hangUp();
        assertThat(emulator.awaitConferenceParticipants("agent-7", 1, T)).containsExactly(agentLeg.sid());
        assertThat(donorLeg.conferenceJoins()).as("kept once the call has left").extracting(
                EmulatedCall.ConferenceJoin::conference).containsExactly("agent-7");
        agentLeg.hangUp();
        assertThat(emulator.awaitConferenceParticipants("agent-7", 0, T)).isEmpty();
        assertThat(emulator.conferences()).doesNotContainKey("agent-7");
        assertThatThrownBy(() -> emulator.awaitConferenceParticipants("agent-7", 1, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("agent-7");
    }

    @Test
    void shuffledStatusCallbacksArriveInAnyOrderWithTheirSequenceNumbers() throws Exception {
        try (TwilioEmulator shuffling = TwilioEmulator.start(TwilioEmulator.Settings.defaults().withPauseScale(0)
                .withShuffledStatusCallbacks(true))) {
            TwilioRestClient shuffled = TwilioSdk.client(shuffling);
            int inOrder = 0;
            int calls = 12;
            for (int i = 0; i < calls; i++) {
                String to = donor();
                String status = statusPath();
                app.twiml(status, "");
                Call.creator(new PhoneNumber(to), new PhoneNumber(CENTRE), URI.create(app.url("/agent")))
                        .setStatusCallback(URI.create(app.url(status))).setStatusCallbackEvent(ALL_EVENTS)
                        .create(shuffled);
                EmulatedCall call = shuffling.awaitCallTo(to, T);
                call.pickUp();
                call.awaitConference("agent-7", T);
                shuffling.awaitWebhooksDelivered(T);
                assertThat(app.requests(status)).as("held until the call ends").isEmpty();
                call.hangUp();

                List<FakeApp.Req> got = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    got.add(app.take(status, T));
                }
                List<String> arrival = got.stream().map(r -> r.param("SequenceNumber")).toList();
                if (arrival.equals(List.of("0", "1", "2", "3"))) {
                    inOrder++;
                }
                assertThat(got.stream().sorted(Comparator.comparing(r -> r.param("SequenceNumber"))).toList())
                        .extracting(r -> r.param("CallStatus"))
                        .containsExactly("initiated", "ringing", "in-progress", "completed");
            }
            // 12 calls all in order by chance: (1/24)^12
            assertThat(inOrder).isLessThan(calls);
        }
    }

    private static HttpResponse<String> post(String form) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString(
                (emulator.accountSid() + ":" + emulator.authToken()).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/2010-04-01/Accounts/"
                                + emulator.accountSid() + "/Calls.json"))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
