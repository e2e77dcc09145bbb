package org.callcentre.app.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.app.support.TwimlAnswer;
import org.callcentre.cardcapture.CardCapturePromptProperties;
import org.callcentre.cardcapture.OrphanedCaptureSweeper;
import org.callcentre.emulator.twilio.GatherPrompt;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A donor who says nothing, and a capture whose process instance is deleted: neither may hang. A prompt that times
 * out is asked again without counting as a failed entry; after {@code app.card-capture.silent-prompts} silent
 * re-prompts the donor goes back to the agent. A capture whose instance Cockpit deletes without listeners is ended
 * by the sweeper, its card data erased, and the donor's next webhook hears the way back.
 */
@Order(3)
class CardCaptureSilenceEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    HistoryService history;
    @Autowired
    CardCapturePromptProperties prompts;
    @Autowired
    OrphanedCaptureSweeper sweeper;

    @Test
    void promptsWaitAConfiguredTimeAndPostAnEmptyResult() {
        var call = startedCapture();
        GatherPrompt prompt = call.prompt();
        assertThat(prompt.timeoutSeconds()).isEqualTo(prompts.gatherTimeoutSeconds());
        assertThat(call.donor.toString()).contains("gather open");
        call.donor.expireGather();
        // The empty result is posted (actionOnEmptyResult) and answered with the same prompt, at the next step.
        GatherPrompt again = call.prompt();
        assertThat(again.prompt()).startsWith("Sorry, we did not hear anything.").containsIgnoringCase("card number");
        assertThat(again.action()).contains("step=1").contains("prompt=CARD_NUMBER");
        call.donor.press("##");
        call.awaitBackWithAgent();
    }

    @Test
    void aSilentRepromptIsNoFailedEntry() {
        var call = startedCapture();
        call.answer("card number", "4242424242424241#");
        call.answer("not a valid card number", "1234#");
        // Two failures so far: a third would send the donor back. Silence does not count.
        call.prompt();
        call.donor.expireGather();
        GatherPrompt afterSilence = call.prompt();
        assertThat(afterSilence.prompt()).contains("we did not hear anything").containsIgnoringCase("card number");
        assertThat(call.captureStatus()).isEqualTo("IN_PROGRESS");
        assertThat(row(call, "failures")).isEqualTo(2);
        assertThat(row(call, "step")).isEqualTo(3);

        // A valid number after the silence goes on as usual, and ends the run of silences.
        call.donor.press(CardCaptureEndToEndTest.VISA + "#");
        call.answer("expiry date", "##");
        call.awaitBackWithAgent();
        assertThat(call.captureStatus()).isEqualTo("RETURNED_TO_AGENT");
        assertThat(call.donor.heard()).noneMatch(text -> text.contains("We have not heard from you"));
    }

    @Test
    void aRetriedSilenceIsRecognisedAndRepromptedOnce() {
        var call = startedCapture();
        GatherPrompt cardNumber = call.prompt();
        Map<String, String> silence = Map.of("CallSid", call.donor.sid(), "AccountSid", twilio.accountSid(),
                "Digits", "", "FinishedOnKey", "");
        TwimlAnswer first = TwimlAnswer.of(TwilioWebhook.post(cardNumber.action(), silence, twilio.authToken()));
        TwimlAnswer retry = TwimlAnswer.of(TwilioWebhook.post(cardNumber.action(), silence, twilio.authToken()));
        assertThat(first.speech()).contains("we did not hear anything");
        assertThat(first.gatherAction()).contains("step=1");
        assertThat(retry.gatherAction()).isEqualTo(first.gatherAction());
        assertThat(row(call, "step")).isEqualTo(1);
        assertThat(row(call, "silent_prompts")).isEqualTo(1);

        // The donor's own gather is still the first one: its late answer is recognised too, and changes nothing.
        call.donor.press("#");
        GatherPrompt current = call.prompt();
        assertThat(current.action()).isEqualTo(first.gatherAction());
        assertThat(row(call, "step")).isEqualTo(1);
        call.donor.press("##");
        call.awaitBackWithAgent();
    }

    @Test
    void afterTheSilentRepromptsTheDonorGoesBackToTheAgent() {
        var call = startedCapture();
        call.answer("card number", CardCaptureEndToEndTest.VISA + "#");
        for (int silent = 1; silent <= prompts.silentPrompts(); silent++) {
            assertThat(call.prompt().prompt()).containsIgnoringCase("expiry date");
            call.donor.expireGather();
            assertThat(call.prompt().prompt()).as("silent re-prompt %d", silent)
                    .startsWith("Sorry, we did not hear anything.").containsIgnoringCase("expiry date");
            assertThat(call.captureStatus()).isEqualTo("IN_PROGRESS");
        }
        assertThat(row(call, "silent_prompts")).isEqualTo(prompts.silentPrompts());
        call.donor.expireGather();
        call.awaitBackWithAgent();

        assertThat(call.captureStatus()).isEqualTo("RETURNED_TO_AGENT");
        assertThat(jdbc.queryForObject("select entry_error from card_capture where pledge_id = ?", String.class,
                call.pledgeId)).isEqualTo("SILENCE");
        List<String> heard = call.donor.heard();
        int told = heard.indexOf("We have not heard from you for a while.");
        assertThat(told).as("heard: %s", heard).isPositive();
        assertThat(heard.subList(told, heard.size())).contains("Returning you to your agent now.");
        assertVaultEmpty(call);
    }

    @Test
    void aCaptureWhoseInstanceCockpitDeletesEndsAndItsCardDataGoes() {
        var call = startedCapture();
        call.answer("card number", CardCaptureEndToEndTest.VISA + "#");
        GatherPrompt expiry = call.prompt();
        assertThat(expiry.prompt()).containsIgnoringCase("expiry date");
        String instance = jdbc.queryForObject("select process_instance_id from card_capture where pledge_id = ?",
                String.class, call.pledgeId);

        // Cockpit's "delete" skips custom listeners, so the model's end listener does not run.
        AgentApi.Reply deleted = admin.delete("/engine-rest/process-instance/" + instance
                + "?skipCustomListeners=true&skipIoMappings=true");
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(instance).singleResult().getEndTime())
                .isNotNull();
        assertThat(vaultEntries(call)).as("the vault entry outlives the deleted instance until swept").isOne();

        sweeper.sweep();

        assertThat(call.captureStatus()).isEqualTo("CANCELLED");
        assertThat(jdbc.queryForObject("select count(*) from card_capture where pledge_id = ? and ended_at is not null "
                + "and running_pledge_id is null", Integer.class, call.pledgeId)).isOne();
        assertVaultEmpty(call);

        // The donor, still at the expiry prompt, keys the date: the answer is the way back to the agent.
        call.donor.press("1230#");
        call.awaitBackWithAgent();
        assertThat(call.donor.heard()).contains("We are sorry, your card details could not be taken this time.");
        // And the pledge is free for another capture.
        var again = call.anotherCall();
        again.start();
        again.prompt();
        again.donor.press("##");
        again.awaitBackWithAgent();
    }

    /** A one-off pledge's card capture, started: the donor is at the card-number prompt. */
    private CardCaptureScenario startedCapture() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        return call;
    }

    private int row(CardCaptureScenario call, String column) {
        return jdbc.queryForObject("select " + column + " from card_capture where pledge_id = ?", Integer.class,
                call.pledgeId);
    }

    private int vaultEntries(CardCaptureScenario call) {
        return jdbc.queryForObject("select count(*) from card_vault_entry v join card_capture c "
                + "on c.id = v.capture_id where c.pledge_id = ?", Integer.class, call.pledgeId);
    }

    private void assertVaultEmpty(CardCaptureScenario call) {
        assertThat(vaultEntries(call)).isZero();
    }
}
