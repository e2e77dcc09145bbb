package org.callcentre.app.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;

import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.app.support.TwimlAnswer;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.GatherPrompt;
import org.callcentre.telephony.CallStatusLog;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Twilio never hears an error: a failure is injected into each webhook (through the database, for one capture or
 * for all) and the answer must still be TwiML the donor can follow: the current prompt if it can be read, else an
 * apology and the way back to the agent. The failure is logged at ERROR, never with the request's digits.
 */
@Order(4)
class TwimlFallbackEndToEndTest extends EndToEndTest {

    private static final String CARD = "4242424242424242";
    private static final String APOLOGY = "Sorry, something went wrong on our side.";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    CallStatusLog statuses;

    @Test
    void anEntryTheDatabaseRefusesRepeatsThePrompt() {
        var call = startedCapture();
        GatherPrompt cardNumber = call.prompt();
        String captureId = captureIdOf(call);
        // The capture's row cannot move past step 0: taking any entry fails in the database.
        sql("alter table card_capture add constraint fault_stuck check (id <> '" + captureId + "' or step = 0)");
        long log = logLength();
        try {
            TwimlAnswer answer = TwimlAnswer.of(TwilioWebhook.post(cardNumber.action(), entry(call, CARD),
                    twilio.authToken()));
            assertThat(answer.prompts()).as(answer.toString()).isTrue();
            assertThat(answer.gatherAction()).contains("step=0").contains("prompt=CARD_NUMBER");
            assertThat(answer.speech()).containsIgnoringCase("card number");

            // The donor's own key presses meet the same failure, and the donor simply hears the prompt again.
            call.donor.press(CARD + "#");
            GatherPrompt again = call.prompt();
            assertThat(again.prompt()).containsIgnoringCase("card number");
            assertThat(call.donor.heard()).doesNotContain(EmulatedCall.APPLICATION_ERROR);
        } finally {
            sql("alter table card_capture drop constraint fault_stuck");
        }
        assertThat(row(captureId, "step")).isZero();
        assertThat(jdbc.queryForObject("select count(*) from card_vault_entry where capture_id = ? and card_number "
                + "is not null", Integer.class, captureId)).as("the failed entry was rolled back").isZero();
        assertLoggedWithoutDigits(log, captureId, "digits");

        // Once the database takes entries again, the conversation goes on.
        call.donor.press(CARD + "#");
        assertThat(call.prompt().prompt()).containsIgnoringCase("expiry date");
        call.donor.press("##");
        call.awaitBackWithAgent();
    }

    @Test
    void everyWebhookOfACaptureThatCannotBeReadGivesTheWayBack() {
        var call = startedCapture();
        GatherPrompt cardNumber = call.prompt();
        String captureId = captureIdOf(call);
        String base = BASE + "/twilio/card-capture/" + captureId;
        // A value the code does not know: reading the capture fails, but its conference can still be read alone.
        sql("update card_capture set status = 'CORRUPTED' where id = '" + captureId + "'");
        long log = logLength();
        try {
            Map<String, TwimlAnswer> answers = Map.of(
                    "voice", TwimlAnswer.of(TwilioWebhook.post(base + "/voice", callParams(call), twilio.authToken())),
                    "digits", TwimlAnswer.of(TwilioWebhook.post(cardNumber.action(), entry(call, CARD),
                            twilio.authToken())),
                    "return", TwimlAnswer.of(TwilioWebhook.post(base + "/return", callParams(call),
                            twilio.authToken())));
            answers.forEach((endpoint, answer) -> {
                assertThat(answer.said()).as(endpoint).startsWith(APOLOGY).contains("Returning you to your agent now.");
                assertThat(answer.conference()).as(endpoint).isEqualTo(call.conference);
            });

            // Card capture cannot act on the hang-up either; the status is recorded all the same, and Twilio gets
            // its 204 (a listener's failure is the app's to log, not Twilio's to hear).
            var status = TwilioWebhook.post(BASE + "/twilio/calls/status", Map.of("CallSid", call.donor.sid(),
                    "CallStatus", "completed", "SequenceNumber", "7"), twilio.authToken());
            assertThat(status.status()).as(status.toString()).isEqualTo(204);
            assertThat(statuses.call(call.donor.sid())).map(CallStatusLog.CallState::status).contains("completed");
        } finally {
            sql("update card_capture set status = 'IN_PROGRESS' where id = '" + captureId + "'");
        }
        assertLoggedWithoutDigits(log, captureId, "voice");
        assertThat(logSince(log)).contains("the return webhook failed")
                .contains("Call status callback failed in CardCaptureCallStatusListener");

        call.donor.press("##");
        call.awaitBackWithAgent();
    }

    @Test
    void withTheCapturesTableGoneTheDonorHoldsAndIsReturnedOnceItIsBack() {
        var call = startedCapture();
        call.prompt();
        String captureId = captureIdOf(call);
        String voice = BASE + "/twilio/card-capture/" + captureId + "/voice";
        sql("alter table card_capture rename to card_capture_away");
        TwimlAnswer first;
        TwimlAnswer last;
        try {
            first = TwimlAnswer.of(TwilioWebhook.post(voice, callParams(call), twilio.authToken()));
            assertThat(first.said()).containsExactly(APOLOGY, "Please hold for a moment.");
            assertThat(first.redirect()).endsWith("/twilio/card-capture/" + captureId + "/return?attempt=1");
            assertThat(first.conference()).isNull();
            // Each try counts; after the last one the call cannot go on, and ends with an apology.
            TwimlAnswer next = first;
            for (int attempt = 1; attempt <= 3; attempt++) {
                assertThat(next.redirect()).endsWith("?attempt=" + attempt);
                next = TwimlAnswer.of(TwilioWebhook.post(next.redirect(), callParams(call), twilio.authToken()));
            }
            last = next;
        } finally {
            sql("alter table card_capture_away rename to card_capture");
        }
        assertThat(last.hangup()).isTrue();
        assertThat(last.redirect()).isNull();

        // The table is back: the redirect the donor was given returns them to the agent.
        TwimlAnswer back = TwimlAnswer.of(TwilioWebhook.post(first.redirect(), callParams(call), twilio.authToken()));
        assertThat(back.conference()).isEqualTo(call.conference);
        assertThat(back.said()).contains("Returning you to your agent now.");
        // The gather the donor is still in may be the one from before the outage, of an earlier step: the app then
        // asks again (the entry was for a step that has passed), and the donor's next ## takes the way back. Keys
        // pressed while no gather listens (between a prompt that timed out and its repeat) are lost, as on a real
        // call: the donor presses ## whenever a prompt listens, until they are with the agent.
        await().atMost(WAIT).until(() -> {
            if (!call.donor.inConference() && call.donor.gatherOpen()) {
                call.donor.press("##");
            }
            return call.donor.inConference();
        });
        call.awaitBackWithAgent();
    }

    @Test
    void requestsThatBindNowhereOrToNothingStillGetTwiml() {
        var call = startedCapture();
        GatherPrompt cardNumber = call.prompt();
        String captureId = captureIdOf(call);
        long log = logLength();

        // A gather answer without its step: the parameters do not bind, and the donor hears the current prompt.
        String withoutStep = BASE + "/twilio/card-capture/" + captureId + "/digits";
        TwimlAnswer unbound = TwimlAnswer.of(TwilioWebhook.post(withoutStep, entry(call, CARD), twilio.authToken()));
        assertThat(unbound.prompts()).isTrue();
        assertThat(unbound.gatherAction()).isEqualTo(cardNumber.action());

        // A path under the capture that has no handler: the current prompt too.
        TwimlAnswer nowhere = TwimlAnswer.of(TwilioWebhook.post(BASE + "/twilio/card-capture/" + captureId
                + "/nowhere", callParams(call), twilio.authToken()));
        assertThat(nowhere.gatherAction()).isEqualTo(cardNumber.action());

        // A Twilio path that is no flow of this app: a polite goodbye.
        TwimlAnswer unknown = TwimlAnswer.of(TwilioWebhook.post(BASE + "/twilio/nowhere", callParams(call),
                twilio.authToken()));
        assertThat(unknown.said()).isNotEmpty();
        assertThat(unknown.hangup()).isTrue();

        // A status callback without its CallSid: 200 and nothing to do.
        TwimlAnswer status = TwimlAnswer.of(TwilioWebhook.post(BASE + "/twilio/calls/status",
                Map.of("CallStatus", "completed"), twilio.authToken()));
        assertThat(status.said()).isEmpty();

        assertLoggedWithoutDigits(log, captureId, "digits");
        assertThat(row(captureId, "step")).isZero();
        call.donor.press("##");
        call.awaitBackWithAgent();
    }

    /** A one-off pledge's card capture, started: the donor is at the card-number prompt. */
    private CardCaptureScenario startedCapture() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        return call;
    }

    private String captureIdOf(CardCaptureScenario call) {
        return jdbc.queryForObject("select id from card_capture where pledge_id = ?", String.class, call.pledgeId);
    }

    private int row(String captureId, String column) {
        return jdbc.queryForObject("select " + column + " from card_capture where id = ?", Integer.class, captureId);
    }

    /** A statement of its own, committed (the app's connections do not commit by themselves). */
    private void sql(String statement) {
        new TransactionTemplate(transactions).executeWithoutResult(status -> jdbc.execute(statement));
    }

    private void assertLoggedWithoutDigits(long since, String captureId, String endpoint) {
        String logged = logSince(since);
        assertThat(logged).containsPattern("ERROR.*Card capture " + captureId + ": the " + endpoint
                + " webhook failed");
        assertThat(logged).doesNotContain(CARD);
    }

    private static Map<String, String> callParams(CardCaptureScenario call) {
        return Map.of("CallSid", call.donor.sid(), "AccountSid", twilio.accountSid());
    }

    /** The form parameters Twilio sends with a gather's digits. */
    private static Map<String, String> entry(CardCaptureScenario call, String digits) {
        return Map.of("CallSid", call.donor.sid(), "AccountSid", twilio.accountSid(), "Digits", digits,
                "FinishedOnKey", "#");
    }
}
