package org.callcentre.app.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.emulator.twilio.GatherPrompt;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The webhook edge: a missing or wrong signature is refused with 403 and changes nothing; a duplicated
 * webhook (Twilio retrying) advances the conversation once; a late one gets a sensible TwiML answer.
 */
@Order(2)
class TwilioWebhookEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void unsignedAndWronglySignedWebhooksAreRefusedAndChangeNothing() {
        var call = startedCapture();
        GatherPrompt prompt = call.prompt();
        Map<String, String> params = entry(call, "4242424242424242");

        AgentApi.Reply unsigned = TwilioWebhook.post(prompt.action(), params, null);
        AgentApi.Reply wrongToken = TwilioWebhook.post(prompt.action(), params, "not-the-auth-token");
        AgentApi.Reply otherUrl = TwilioWebhook.post(prompt.action(), params,
                org.callcentre.emulator.twilio.TwilioSignature.compute(twilio.authToken(),
                        prompt.action().replace("step=0", "step=1"), params), true);
        AgentApi.Reply status = TwilioWebhook.post(BASE + "/twilio/calls/status",
                Map.of("CallSid", call.donor.sid(), "CallStatus", "completed"), "not-the-auth-token");

        for (AgentApi.Reply reply : new AgentApi.Reply[] {unsigned, wrongToken, otherUrl, status}) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
            assertThat(reply.body()).contains("X-Twilio-Signature");
        }
        assertThat(stepOf(call)).isZero();
        assertThat(call.captureStatus()).isEqualTo("IN_PROGRESS");

        // The real donor is unaffected and goes on.
        entersTheCardNumberThenGoesBack(call);
    }

    @Test
    void aDuplicatedGatherWebhookAdvancesOnceAndALateOneIsAnsweredCalmly() {
        var call = startedCapture();
        GatherPrompt cardNumber = call.prompt();
        Map<String, String> entry = entry(call, "4242424242424242");
        AgentApi.Reply first = TwilioWebhook.post(cardNumber.action(), entry, twilio.authToken());
        AgentApi.Reply retry = TwilioWebhook.post(cardNumber.action(), entry, twilio.authToken());
        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        // Both answer the expiry prompt; the entry was taken once.
        assertThat(first.body()).contains("expiry date");
        assertThat(retry.body()).contains("expiry date");
        assertThat(stepOf(call)).isEqualTo(1);

        // The donor's own gather (still open in the emulator) sends the same entry a third time: it is late now,
        // and the donor simply hears the prompt the conversation is at. Then the donor gives up: ##.
        call.donor.press("4242424242424242#");
        assertThat(call.prompt().prompt()).containsIgnoringCase("expiry date");
        assertThat(stepOf(call)).isEqualTo(1);
        call.donor.press("##");
        call.awaitBackWithAgent();
        assertThat(call.captureStatus()).isEqualTo("RETURNED_TO_AGENT");

        // A late key press and a late voice request after the end: TwiML that returns the donor, never a 5xx.
        AgentApi.Reply late = TwilioWebhook.post(cardNumber.action(), entry, twilio.authToken());
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.body()).contains("<Conference>" + call.conference + "</Conference>");
        String voice = cardNumber.action().replaceAll("/digits\\?.*", "/voice");
        AgentApi.Reply lateVoice = TwilioWebhook.post(voice, Map.of("CallSid", call.donor.sid()), twilio.authToken());
        assertThat(lateVoice.status()).isEqualTo(200);
        assertThat(lateVoice.body()).contains("<Dial>");

        // Status callbacks twice (Twilio may repeat them) for a finished capture change nothing.
        Map<String, String> completed = Map.of("CallSid", call.donor.sid(), "CallStatus", "completed",
                "SequenceNumber", "0");
        assertThat(TwilioWebhook.post(BASE + "/twilio/calls/status", completed, twilio.authToken()).status()).isEqualTo(204);
        assertThat(TwilioWebhook.post(BASE + "/twilio/calls/status", completed, twilio.authToken()).status()).isEqualTo(204);
        assertThat(call.captureStatus()).isEqualTo("RETURNED_TO_AGENT");
    }

    @Test
    void anAnswerNamingAPromptTheConversationIsNotAtChangesNothing() {
        var call = startedCapture();
        GatherPrompt cardNumber = call.prompt();
        assertThat(cardNumber.action()).contains("step=0").contains("prompt=CARD_NUMBER");
        // A correctly signed request for the current step that claims to answer the security code prompt: the
        // engine is waiting for the card number, refuses it, and everything (vault included) rolls back.
        String forged = cardNumber.action().replace("prompt=CARD_NUMBER", "prompt=SECURITY_CODE");
        long logBefore = logLength();
        AgentApi.Reply reply = TwilioWebhook.post(forged, entry(call, "737"), twilio.authToken());
        // An expected race, answered by re-prompting: logged as such, not as an engine error (ENGINE-16004).
        assertThat(logSince(logBefore)).contains("no longer at; re-prompting").doesNotContain("ENGINE-16004");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("card number").contains("prompt=CARD_NUMBER");
        assertThat(stepOf(call)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from card_vault_entry v join card_capture c "
                + "on c.id = v.capture_id where c.pledge_id = ? and (v.card_number is not null "
                + "or v.security_code is not null)", Integer.class, call.pledgeId)).isZero();

        // The donor's real answers go on as normal.
        entersTheCardNumberThenGoesBack(call);
    }

    @Test
    void aWebhookForAnUnknownCaptureGetsAPoliteGoodbye() {
        String url = BASE + "/twilio/card-capture/00000000-0000-0000-0000-000000000000/voice";
        AgentApi.Reply reply = TwilioWebhook.post(url, Map.of("CallSid", "CA" + "0".repeat(32)), twilio.authToken());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("<Hangup/>");
    }

    @Test
    void duplicateStatusCallbacksOfAHangUpAbandonOnce() {
        var call = startedCapture();
        call.prompt();
        Map<String, String> completed = Map.of("CallSid", call.donor.sid(), "CallStatus", "completed",
                "SequenceNumber", "3");
        assertThat(TwilioWebhook.post(BASE + "/twilio/calls/status", completed, twilio.authToken()).status()).isEqualTo(204);
        assertThat(TwilioWebhook.post(BASE + "/twilio/calls/status", completed, twilio.authToken()).status()).isEqualTo(204);
        await().atMost(WAIT).until(() -> "ABANDONED".equals(call.captureStatus()));
        call.donor.hangUp();
    }

    /**
     * The donor hangs up at the moment the card number arrives, and again at the moment the agent brings the donor
     * back: whichever comes first, the hang-up is never lost nor answered with a 5xx, and the capture ends once.
     */
    @Test
    void aHangUpRacingAnEntryOrTheAgentIsNeverLost() {
        for (int race = 0; race < 4; race++) {
            var call = startedCapture();
            GatherPrompt cardNumber = call.prompt();
            Map<String, String> ended = Map.of("CallSid", call.donor.sid(), "CallStatus", "completed");
            boolean withAgent = race % 2 == 1;
            CompletableFuture<AgentApi.Reply> other = CompletableFuture.supplyAsync(() -> withAgent
                    ? call.agent.delete("/api/pledges/" + call.pledgeId + "/card-capture")
                    : TwilioWebhook.post(cardNumber.action(), entry(call, "4242424242424242"), twilio.authToken()));
            AgentApi.Reply hangUp = TwilioWebhook.post(BASE + "/twilio/calls/status", ended, twilio.authToken());
            AgentApi.Reply otherReply = other.join();

            assertThat(hangUp.status()).as("hang-up").isEqualTo(204);
            assertThat(otherReply.status()).as(otherReply.toString()).isIn(200, 202, 409);
            await().atMost(WAIT).until(() -> !"IN_PROGRESS".equals(call.captureStatus()));
            boolean agentFirst = withAgent && otherReply.status() == 202;
            // Either the agent's cancel came first (the capture then ended as cancelled, and the return to the agent
            // finds the call ended), or the hang-up did, and the capture was abandoned with the hang-up recorded.
            assertThat(call.captureStatus()).isEqualTo(agentFirst ? "CANCELLED_BY_AGENT" : "ABANDONED");
            if (!agentFirst) {
                assertThat(jdbc.queryForObject("select donor_hung_up from card_capture where pledge_id = ?",
                        Boolean.class, call.pledgeId)).isTrue();
            }
            call.donor.hangUp();
        }
    }

    /** A one-off pledge's card capture, started: the donor is at the card-number prompt. */
    private CardCaptureScenario startedCapture() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        return call;
    }

    /** The form parameters Twilio sends with a gather's digits. */
    private Map<String, String> entry(CardCaptureScenario call, String digits) {
        return Map.of("CallSid", call.donor.sid(), "AccountSid", twilio.accountSid(), "Digits", digits,
                "FinishedOnKey", "#");
    }

    /** The real donor keys the card number, hears the expiry prompt, and asks for the agent (##). */
    private static void entersTheCardNumberThenGoesBack(CardCaptureScenario call) {
        call.donor.press("4242424242424242#");
        assertThat(call.prompt().prompt()).containsIgnoringCase("expiry date");
        call.donor.press("##");
        call.awaitBackWithAgent();
    }

    private int stepOf(CardCaptureScenario call) {
        return jdbc.queryForObject("select step from card_capture where pledge_id = ?", Integer.class, call.pledgeId);
    }
}
