package org.callcentre.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.callcentre.emulator.twilio.CallOutcome;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.EmulatedRecording;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.callcentre.problem.RefusedException;
import org.callcentre.recording.CallRecordings.Report;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.callcentre.telephony.TwilioCalls;
import org.callcentre.telephony.TwilioProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import com.sun.net.httpserver.HttpServer;

/**
 * The pauses around card capture against the Twilio emulator, with the real SDK and the store on H2 and PostgreSQL:
 * paused before the capture exists, refused when Twilio cannot pause, resumed after a start that rolled back, resumed
 * once the donor is on the way back, and left to the sweeper when the resume fails.
 */
class RecordingPausesTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static final String AGENT = "amy";

    private static TwilioEmulator emulator;
    /** Answers every answered call with TwiML that joins it to a conference, as the dialler's does. */
    private static HttpServer twiml;

    private CallRecordings recordings;
    private RecordingPauses pauses;
    private RecordingRows rows;
    private TwilioCalls twilio;
    private long campaign;
    private long lead;

    @BeforeAll
    static void startTwilio() throws IOException {
        emulator = TwilioEmulator.start(TwilioEmulator.Settings.defaults().withOutboundOutcome(CallOutcome.ANSWER)
                .withPauseScale(0).withGatherTimeoutScale(0));
        twiml = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        twiml.createContext("/", exchange -> {
            byte[] body = "<Response><Dial><Conference>agent-amy</Conference></Dial></Response>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        twiml.start();
    }

    @AfterAll
    static void stopTwilio() {
        twiml.stop(0);
        emulator.close();
    }

    @BeforeEach
    void store(StoreDatabase database) {
        Clock clock = Clock.fixed(Instant.parse("2026-06-01T10:00:00Z"), ZoneOffset.UTC);
        recordings = new CallRecordings(database.jdbc(), database.transaction().getTransactionManager(), clock);
        String app = "http://127.0.0.1:" + twiml.getAddress().getPort();
        twilio = new TwilioCalls(new TwilioProperties(emulator.accountSid(), emulator.authToken(), emulator.baseUrl()),
                app + "/status", app + "/recording-status");
        pauses = new RecordingPauses(recordings, twilio, database.transaction().getTransactionManager());
        rows = new RecordingRows(database.jdbc());
        campaign = rows.campaign();
        lead = rows.lead("Jane", "Donor");
        rows.user(AGENT, true);
    }

    @AfterEach
    void clearFaults() {
        emulator.clearRecordingFaults();
    }

    @OnEachDatabase
    void theRecordingIsPausedWithSkipBeforeTheCaptureAndRecordsAgainWhenTheDonorIsBack(StoreDatabase database) {
        RecordedCall call = recordedCall();
        String capture = rows.capture(campaign, lead, call.sid());

        database.transaction().executeWithoutResult(tx -> pauses.pauseForCardCapture(call.sid(), capture));

        EmulatedRecording paused = call.emulated().recordings().get(0);
        assertThat(paused.status()).isEqualTo("paused");
        assertThat(paused.parts()).last().satisfies(part -> {
            assertThat(part.recorded()).isFalse();
            assertThat(part.pauseBehavior()).isEqualTo("skip");
        });
        assertThat(recordings.pausedFor(capture)).extracting(CallRecordings.Paused::recordingSid)
                .containsExactly(call.recordingSid());
        assertThat(recordings.ofLead(lead, null).get(0).status()).isEqualTo("paused");

        rows.donorReturned(capture);
        pauses.resumeAfterCardCapture(capture);

        EmulatedRecording resumed = call.emulated().recordings().get(0);
        assertThat(resumed.status()).isEqualTo("in-progress");
        assertThat(resumed.resumedAfterPause()).isTrue();
        assertThat(recordings.pausedFor(capture)).isEmpty();
        assertThat(recordings.ofLead(lead, null).get(0).status()).isEqualTo("in-progress");
        assertThat(pauses.resumeOverdue()).as("nothing left for the sweeper").isZero();
        call.emulated().hangUp();
    }

    @OnEachDatabase
    void aPauseTwilioRefusesRefusesTheCaptureAndChangesNothing(StoreDatabase database) {
        RecordedCall call = recordedCall();
        emulator.failRecordingUpdates("paused", 100);

        assertThatThrownBy(() -> database.transaction().executeWithoutResult(
                tx -> pauses.pauseForCardCapture(call.sid(), "capture-1")))
                .isInstanceOfSatisfying(RefusedException.class, refused -> {
                    assertThat(refused.reason()).isEqualTo(RefusedException.Reason.UNAVAILABLE);
                    assertThat(refused.getMessage()).contains("recording could not be paused")
                            .contains("card capture did not start");
                });

        assertThat(call.emulated().recordings().get(0).wasPaused()).isFalse();
        assertThat(recordings.pausedFor("capture-1")).isEmpty();
        assertThat(recordings.ofLead(lead, null).get(0).status()).isEqualTo("in-progress");
        call.emulated().hangUp();
    }

    @OnEachDatabase
    void aRecordedCallWhoseRecordingIsNotReportedYetIsRefused(StoreDatabase database) {
        String sid = rows.call(campaign, lead, AGENT, true);

        assertThatThrownBy(() -> pauses.pauseForCardCapture(sid, "capture-2"))
                .isInstanceOfSatisfying(RefusedException.class, refused -> {
                    assertThat(refused.reason()).isEqualTo(RefusedException.Reason.CONFLICT);
                    assertThat(refused.getMessage()).contains("has not reported its recording yet");
                });
    }

    @OnEachDatabase
    void aCallNotRecordedOrWhoseRecordingEndedNeedsNoPause(StoreDatabase database) {
        pauses.pauseForCardCapture(rows.call(campaign, lead, AGENT, false), "capture-3");

        String ended = rows.call(campaign, lead, AGENT, true);
        String recording = RecordingRows.newSid("RE");
        recordings.report(new Report(recording, ended, "in-progress", null, null, null));
        recordings.report(new Report(recording, ended, "completed", 3, null, null));
        pauses.pauseForCardCapture(ended, "capture-3");
        assertThat(recordings.pausedFor("capture-3")).isEmpty();
    }

    @OnEachDatabase
    void aStartThatRollsBackAfterThePauseResumesTheRecording(StoreDatabase database) {
        RecordedCall call = recordedCall();

        assertThatThrownBy(() -> database.transaction().executeWithoutResult(tx -> {
            pauses.pauseForCardCapture(call.sid(), "capture-4");
            assertThat(call.emulated().recordings().get(0).status()).isEqualTo("paused");
            throw new IllegalStateException("the capture's process could not start");
        })).hasMessageContaining("could not start");

        assertThat(call.emulated().recordings().get(0).status()).isEqualTo("in-progress");
        assertThat(call.emulated().recordings().get(0).resumedAfterPause()).isTrue();
        assertThat(recordings.pausedFor("capture-4")).isEmpty();
        call.emulated().hangUp();
    }

    @OnEachDatabase
    void aResumeThatFailsNeverThrowsAndTheSweeperResumesItLater(StoreDatabase database) {
        RecordedCall call = recordedCall();
        String capture = rows.capture(campaign, lead, call.sid());
        database.transaction().executeWithoutResult(tx -> pauses.pauseForCardCapture(call.sid(), capture));
        rows.donorReturned(capture);
        emulator.failRecordingUpdates("in-progress", 100);

        pauses.resumeAfterCardCapture(capture);
        assertThat(new RecordingResumeSweeper(pauses).sweep()).isZero();

        assertThat(call.emulated().recordings().get(0).status()).isEqualTo("paused");
        assertThat(recordings.pausedFor(capture)).hasSize(1);

        emulator.clearRecordingFaults();
        assertThat(new RecordingResumeSweeper(pauses).sweep()).isEqualTo(1);
        assertThat(call.emulated().recordings().get(0).status()).isEqualTo("in-progress");
        assertThat(recordings.pausedFor(capture)).isEmpty();
        call.emulated().hangUp();
    }

    @OnEachDatabase
    void aRecordingWhoseCallHasEndedIsNoLongerHeld(StoreDatabase database) {
        RecordedCall call = recordedCall();
        String capture = rows.capture(campaign, lead, call.sid());
        database.transaction().executeWithoutResult(tx -> pauses.pauseForCardCapture(call.sid(), capture));
        call.emulated().hangUp();
        rows.captureEnded(capture, "ABANDONED");

        assertThat(pauses.resumeOverdue()).isEqualTo(1);
        assertThat(recordings.pausedFor(capture)).isEmpty();
    }

    /** A call the dialler placed with recording, answered, whose recording Twilio has reported. */
    private RecordedCall recordedCall() {
        String sid = twilio.create("+447700900123", "+441632960000",
                "http://127.0.0.1:" + twiml.getAddress().getPort() + "/answered", 30, true);
        EmulatedCall emulated = emulator.call(sid);
        emulated.awaitConference("agent-amy", T);
        String recordingSid = emulated.awaitRecording(T).sid();
        rows.recordedCall(campaign, lead, AGENT, sid);
        recordings.report(new Report(recordingSid, sid, "in-progress", null, null, null));
        return new RecordedCall(sid, recordingSid, emulated);
    }

    private record RecordedCall(String sid, String recordingSid, EmulatedCall emulated) {
    }
}
