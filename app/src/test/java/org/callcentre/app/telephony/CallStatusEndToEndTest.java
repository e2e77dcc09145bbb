package org.callcentre.app.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.telephony.CallStatusLog;
import org.callcentre.telephony.CallStatusLog.CallState;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The one status-callback endpoint: every status of every call is recorded once per sequence number, the call's
 * status never moves backwards, and the capability that owns the call hears it; card capture's redirects keep the
 * call's status callback pointed at this endpoint.
 */
@Order(2)
class CallStatusEndToEndTest extends EndToEndTest {

    private static final String STATUS = BASE + "/twilio/calls/status";

    @Autowired
    CallStatusLog statuses;

    @Test
    void aStatusOfACallNoCapabilityKnowsIsRecordedAndAnsweredWithNoContent() {
        String sid = newCallSid();
        AgentApi.Reply reply = status(sid, "ringing", "0");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        assertThat(statuses.call(sid)).contains(new CallState(sid, "ringing", 0));
        assertThat(events(sid)).containsExactly("0 ringing");
    }

    @Test
    void statusesOutOfOrderNeverMoveTheCallBackwardsAndARepeatIsRecordedOnce() {
        String sid = newCallSid();
        assertThat(status(sid, "completed", "3").status()).isEqualTo(204);
        assertThat(status(sid, "in-progress", "2").status()).isEqualTo(204);
        assertThat(status(sid, "in-progress", "2").status()).isEqualTo(204);
        assertThat(status(sid, "completed", "3").status()).isEqualTo(204);

        assertThat(statuses.call(sid)).contains(new CallState(sid, "completed", 3));
        assertThat(events(sid)).containsExactly("2 in-progress", "3 completed");
    }

    @Test
    void concurrentDeliveriesAreEachRecordedOnceAndTheCallEndsAtTheHighest() throws Exception {
        String sid = newCallSid();
        ExecutorService twilioSenders = Executors.newFixedThreadPool(8);
        try {
            List<Future<AgentApi.Reply>> sent = new ArrayList<>();
            for (int copy = 0; copy < 3; copy++) {
                for (int sequence = 5; sequence >= 0; sequence--) {
                    String number = Integer.toString(sequence);
                    String callStatus = sequence == 5 ? "completed" : "in-progress";
                    sent.add(twilioSenders.submit(() -> status(sid, callStatus, number)));
                }
            }
            for (Future<AgentApi.Reply> reply : sent) {
                assertThat(reply.get().status()).as(reply.get().toString()).isEqualTo(204);
            }
        } finally {
            twilioSenders.shutdownNow();
        }

        assertThat(statuses.call(sid)).contains(new CallState(sid, "completed", 5));
        assertThat(events(sid)).containsExactly("0 in-progress", "1 in-progress", "2 in-progress", "3 in-progress",
                "4 in-progress", "5 completed");
    }

    @Test
    void aStatusWithoutASequenceNumberIsRecordedAndOnlyAnEndMovesAKnownCall() {
        String sid = newCallSid();
        assertThat(status(sid, "ringing", null).status()).isEqualTo(204);
        assertThat(statuses.call(sid)).as("an unknown call takes it").contains(new CallState(sid, "ringing", null));
        assertThat(status(sid, "in-progress", "1").status()).isEqualTo(204);
        assertThat(status(sid, "ringing", "garbled").status()).isEqualTo(204);
        assertThat(statuses.call(sid)).as("it may be older than what is known")
                .contains(new CallState(sid, "in-progress", 1));
        assertThat(status(sid, "completed", null).status()).isEqualTo(204);
        assertThat(statuses.call(sid)).as("an end is final in any order").contains(new CallState(sid, "completed", 1));

        assertThat(events(sid)).containsExactly("1 in-progress", "null ringing", "null ringing", "null completed");
    }

    @Test
    void cardCapturesRedirectsKeepTheCallsStatusCallbackAndItsHangUpIsRecorded() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        call.prompt();
        assertThat(call.donor.statusCallback()).as("after the move into the IVR").isEqualTo(STATUS);

        AgentApi.Reply cancel = call.agent.delete("/api/pledges/" + call.pledgeId + "/card-capture");
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(202);
        call.awaitBackWithAgent();
        await().atMost(WAIT).until(() -> "CANCELLED_BY_AGENT".equals(call.captureStatus()));
        assertThat(call.donor.statusCallback()).as("after the return to the agent").isEqualTo(STATUS);

        // The emulator sends the hang-up where the call's status callback points: recorded, and the capture
        // (already over) is unchanged.
        call.donor.hangUp();
        await().atMost(WAIT).until(() -> statuses.call(call.donor.sid()).map(CallState::status)
                .filter("completed"::equals).isPresent());
        assertThat(call.captureStatus()).isEqualTo("CANCELLED_BY_AGENT");
    }

    @Test
    void aHangUpDuringCaptureReachesCardCaptureThroughTheSharedEndpoint() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        call.prompt();
        call.donor.hangUp();

        await().atMost(WAIT).until(() -> "ABANDONED".equals(call.captureStatus()));
        assertThat(statuses.call(call.donor.sid()).orElseThrow().status()).isEqualTo("completed");
        // The dialler's call reported its way up to the answer before; the hang-up is its one end.
        assertThat(events(call.donor.sid())).filteredOn(event -> event.endsWith(" completed")).hasSize(1);
        assertThat(events(call.donor.sid()).get(events(call.donor.sid()).size() - 1)).endsWith(" completed");
    }

    private List<String> events(String sid) {
        return statuses.events(sid).stream().map(e -> e.sequenceNumber() + " " + e.status()).toList();
    }

    private static AgentApi.Reply status(String sid, String callStatus, String sequenceNumber) {
        Map<String, String> params = new HashMap<>(Map.of("CallSid", sid, "CallStatus", callStatus,
                "AccountSid", twilio.accountSid()));
        if (sequenceNumber != null) {
            params.put("SequenceNumber", sequenceNumber);
        }
        return TwilioWebhook.post(STATUS, params, twilio.authToken());
    }

    private static String newCallSid() {
        return "CA" + UUID.randomUUID().toString().replace("-", "");
    }
}
