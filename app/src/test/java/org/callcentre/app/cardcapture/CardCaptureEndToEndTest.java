package org.callcentre.app.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.emulator.gateway.GatewayFaults;
import org.callcentre.emulator.gateway.SimulatedCharge;
import org.callcentre.emulator.twilio.GatherPrompt;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.cardcapture.CardCaptureProcess;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Elements;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Card capture end to end: the agent's API over HTTP, the donor on an emulated Twilio call pressing keys, the
 * gateway simulator charging and tokenising, the engine's job executor running the async steps.
 */
@Order(1)
class CardCaptureEndToEndTest extends EndToEndTest {

    static final String VISA = "4242424242424242";
    static final String MASTERCARD = "5555555555554444";
    static final String AMEX = "378282246310005";
    static final String DECLINED = "4000000000000002";
    static final String INSUFFICIENT_FUNDS = "4000000000009995";
    static final String EXPIRY = "1230";
    static final String CVC = "737";
    static final String AMEX_CVC = "7319";
    /** Stripe's test card whose bank always asks for 3-D Secure, unless the payment is MOTO. */
    static final String THREE_D_SECURE_ALWAYS = "4000002760003184";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    ManagementService management;

    @AfterEach
    void clearFaults() {
        gateway.faults().clear();
    }

    @Test
    void paymentFirstChargesThenTokenises() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, true, true, "25.00", "MONTHLY");
        call.start();
        GatherPrompt first = call.prompt();
        assertThat(first.prompt()).contains("Your payment will be 25 pounds every month.")
                .containsIgnoringCase("card number");
        assertThat(first.prompt().indexOf("Your payment will be")).isLessThan(first.prompt().indexOf("card number"));
        call.donor.press(VISA + "#");
        call.answer("expiry date", EXPIRY + "#");
        call.answer("3 digit security code", CVC + "#");
        call.awaitBackWithAgent();

        assertThat(call.donor.heard()).anyMatch(text -> text.contains("accepted"));
        JsonNode pledge = call.pledge();
        assertThat(pledge.get("cardCapture").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(pledge.get("maskedCard").asText()).isEqualTo("Visa ending 4242");
        assertThat(pledge.get("tokenPresent").asBoolean()).isTrue();
        assertThat(pledge.get("paid").asBoolean()).isTrue();
        assertThat(pledge.get("payments")).hasSize(1);
        List<SimulatedCharge> charges = chargesFor(call.pledgeId);
        assertThat(charges).singleElement().satisfies(charge -> {
            assertThat(charge.amount()).isEqualTo(2500);
            assertThat(charge.currency()).isEqualTo("gbp");
            assertThat(charge.paymentMethodId()).isNotNull();
            assertThat(pledge.get("payments").get(0).get("reference").asText()).isEqualTo(charge.id());
        });
        // Charged before tokenised: the charge carries raw card data, so no saved token was used for it.
        assertThat(gateway.tokens()).anyMatch(token -> token.last4().equals("4242"));
        assertEndedInWords(call, "SUCCEEDED", "Paid: Visa ending 4242, saved for later payments");
    }

    @Test
    void tokeniseFirstSavesTheCardThenChargesTheToken() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, true, false, "10.50", "WEEKLY");
        call.start();
        assertThat(call.prompt().prompt()).contains("Your payment will be 10.50 pounds every week.");
        call.donor.press(MASTERCARD + "#");
        call.answer("expiry date", EXPIRY + "#");
        call.answer("security code", CVC + "#");
        call.awaitBackWithAgent();

        JsonNode pledge = call.pledge();
        assertThat(pledge.get("cardCapture").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(pledge.get("maskedCard").asText()).isEqualTo("Mastercard ending 4444");
        assertThat(pledge.get("tokenPresent").asBoolean()).isTrue();
        SimulatedCharge charge = chargesFor(call.pledgeId).get(0);
        assertThat(chargesFor(call.pledgeId)).hasSize(1);
        // The charge was made with the token saved a moment before.
        assertThat(gateway.tokens()).anyMatch(token -> token.id().equals(charge.paymentMethodId()));
        assertThat(charge.amount()).isEqualTo(1050);
    }

    @Test
    void instantPaymentOnlyChargesAndSavesNothing() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "50", "ONE_OFF");
        call.start();
        GatherPrompt prompt = call.prompt();
        assertThat(prompt.prompt()).doesNotContain("Your payment will be").containsIgnoringCase("card number");
        assertThat(prompt.numDigits()).as("entries end with #, not on a digit count").isNull();
        assertThat(prompt.finishOnKey()).isEqualTo("#");
        call.donor.press(AMEX + "#");
        call.answer("expiry date", EXPIRY + "#");
        call.answer("4 digit security code", AMEX_CVC + "#");
        call.awaitBackWithAgent();

        JsonNode pledge = call.pledge();
        assertThat(pledge.get("cardCapture").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(pledge.get("maskedCard").asText()).isEqualTo("American Express ending 0005");
        assertThat(pledge.get("tokenPresent").asBoolean()).isFalse();
        assertThat(pledge.get("paid").asBoolean()).isTrue();
        assertThat(chargesFor(call.pledgeId)).singleElement().satisfies(c -> assertThat(c.amount()).isEqualTo(5000));
        assertEndedInWords(call, "SUCCEEDED", "Paid: American Express ending 0005");
    }

    @Test
    void tokensOnlySavesTheCardWithoutCharging() {
        var call = CardCaptureScenario.pledge(admin, twilio, false, true, false, "15", "MONTHLY");
        call.start();
        call.enterCard(VISA, EXPIRY, CVC);
        call.awaitBackWithAgent();

        JsonNode pledge = call.pledge();
        assertThat(pledge.get("cardCapture").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(pledge.get("tokenPresent").asBoolean()).isTrue();
        assertThat(pledge.get("paid").asBoolean()).isFalse();
        assertThat(pledge.get("payments")).isEmpty();
        assertThat(chargesFor(call.pledgeId)).isEmpty();
        assertEndedInWords(call, "SUCCEEDED", "Card saved for later payments: Visa ending 4242");
    }

    @Test
    void anExistingTokenIsReplacedOnlyWhenTheNewCardSucceeds() {
        var first = CardCaptureScenario.pledge(admin, twilio, false, true, false, "15", "MONTHLY");
        first.start();
        first.enterCard(VISA, EXPIRY, CVC);
        first.awaitBackWithAgent();
        String firstToken = tokenOf(first.pledgeId);
        assertThat(firstToken).isNotNull();

        // Updating payment details over the phone: both new cards are declined, the old token stays.
        var declined = first.anotherCall();
        declined.start();
        declined.enterCard(DECLINED, EXPIRY, CVC);
        declined.answer("declined by your bank", DECLINED + "#");
        declined.answer("expiry date", EXPIRY + "#");
        declined.answer("security code", CVC + "#");
        declined.awaitBackWithAgent();
        assertEndedInWords(declined, "DECLINED", "The card was declined: the bank gave no reason");
        assertThat(tokenOf(first.pledgeId)).isEqualTo(firstToken);
        assertThat(declined.pledge().get("maskedCard").asText()).isEqualTo("Visa ending 4242");

        var replaced = declined.anotherCall();
        replaced.start();
        replaced.enterCard(MASTERCARD, EXPIRY, CVC);
        replaced.awaitBackWithAgent();
        assertThat(replaced.captureStatus()).isEqualTo("SUCCEEDED");
        assertThat(tokenOf(first.pledgeId)).isNotEqualTo(firstToken).isNotNull();
        assertThat(replaced.pledge().get("maskedCard").asText()).isEqualTo("Mastercard ending 4444");
    }

    @Test
    void aDeclinedCardGetsTheReasonAndOneMoreTry() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "30", "ONE_OFF");
        call.start();
        call.enterCard(INSUFFICIENT_FUNDS, EXPIRY, CVC);
        GatherPrompt retry = call.answer("insufficient funds", VISA + "#");
        assertThat(retry.prompt()).contains("You can try one other card.").containsIgnoringCase("card number");
        call.answer("expiry date", EXPIRY + "#");
        call.answer("security code", CVC + "#");
        call.awaitBackWithAgent();

        assertThat(call.captureStatus()).isEqualTo("SUCCEEDED");
        assertThat(chargesFor(call.pledgeId)).singleElement()
                .satisfies(charge -> assertThat(charge.last4()).isEqualTo("4242"));
    }

    @Test
    void threeBadEntriesReturnTheDonorToTheAgent() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        call.answer("card number", "4242424242424241#");
        call.answer("not a valid card number", "1234#");
        GatherPrompt third = call.answer("not a valid card number", "99#");
        assertThat(third.prompt()).containsIgnoringCase("card number");
        call.awaitBackWithAgent();

        assertEndedInWords(call, "RETURNED_TO_AGENT",
                "The donor came back to you without paying: they entered the card number wrongly three times");
        assertThat(call.donor.heard()).anyMatch(text -> text.contains("Returning you to your agent"));
        assertThat(chargesFor(call.pledgeId)).isEmpty();
        assertVaultEmpty(call);
    }

    @Test
    void badExpiryAndSecurityCodeAreRepromptedWithTheReason() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        call.answer("card number", VISA + "#");
        call.answer("expiry date", "1399#");
        call.answer("not a valid expiry date", "0120#");
        call.answer("card has expired", EXPIRY + "#");
        call.answer("security code", "12#");
        call.answer("not a valid security code", CVC + "#");
        call.awaitBackWithAgent();
        assertThat(call.captureStatus()).isEqualTo("SUCCEEDED");
    }

    @Test
    void hashHashReturnsTheDonorToTheAgent() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        call.answer("card number", VISA + "#");
        call.answer("expiry date", "##");
        call.awaitBackWithAgent();

        assertEndedInWords(call, "RETURNED_TO_AGENT",
                "The donor came back to you without paying: they pressed ## during the expiry date");
        assertThat(chargesFor(call.pledgeId)).isEmpty();
        assertVaultEmpty(call);
    }

    @Test
    void theAgentCanBringTheDonorBackAtOnce() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        call.answer("card number", VISA + "#");
        call.prompt();
        AgentApi.Reply cancel = call.agent.delete("/api/pledges/" + call.pledgeId + "/card-capture");
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(202);
        call.awaitBackWithAgent();

        assertEndedInWords(call, "CANCELLED_BY_AGENT",
                "You brought the donor back before the card was taken: nothing was charged");
        AgentApi.Reply again = call.agent.delete("/api/pledges/" + call.pledgeId + "/card-capture");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("no card capture is running");
        assertVaultEmpty(call);
    }

    @Test
    void aDonorHangingUpAbandonsTheCapture() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        call.answer("card number", VISA + "#");
        call.answer("expiry date", EXPIRY + "#");
        call.prompt();
        call.donor.hangUp();

        await().atMost(WAIT).until(() -> "ABANDONED".equals(call.captureStatus()));
        await().atMost(WAIT).until(() -> instanceEnded(call));
        assertThat(endEvents(call)).contains(Elements.END_ABANDONED);
        assertEndedInWords(call, "ABANDONED", "The call ended before the card was taken: nothing was charged");
        assertThat(chargesFor(call.pledgeId)).isEmpty();
        assertVaultEmpty(call);
    }

    @Test
    void aGatewayTimeoutIsRetriedWithTheSameKeyAndChargesOnce() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "42", "ONE_OFF");
        call.start();
        call.answer("card number", VISA + "#");
        call.answer("expiry date", EXPIRY + "#");
        call.prompt();
        // The charge goes through at the gateway, but its answer comes after the app's 1 s timeout.
        gateway.faults().slowNext(1, Duration.ofMillis(2500), "POST", "/v1/payment_intents");
        call.donor.press(CVC + "#");
        call.awaitBackWithAgent();

        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(call.captureStatus()));
        List<SimulatedCharge> charges = chargesFor(call.pledgeId);
        assertThat(charges).hasSize(1);
        assertThat(call.pledge().get("payments")).hasSize(1);
        assertThat(call.donor.heard()).anyMatch(text -> text.contains("Please hold while we process your payment"));
    }

    /** The gateway is down before anything is charged: the donor is told, the capture fails, nothing is charged. */
    @Test
    void aGatewayOutageBeforeAnyChargeTellsTheDonorAndChargesNothing() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "42", "ONE_OFF");
        call.start();
        call.answer("card number", VISA + "#");
        call.answer("expiry date", EXPIRY + "#");
        call.prompt();
        gateway.faults().failAll(true);
        call.donor.press(CVC + "#");
        call.awaitBackWithAgent();

        await().atMost(WAIT).until(() -> "FAILED".equals(call.captureStatus()));
        await().atMost(WAIT).untilAsserted(() -> assertThat(call.donor.heard())
                .anyMatch(text -> text.contains("could not reach our payment provider")));
        String instance = instanceOf(call);
        assertThat(runtime.createIncidentQuery().processInstanceId(instance).count()).isZero();
        gateway.faults().clear();
        assertEndedInWords(call, "FAILED", "The payment gateway could not be reached: nothing was charged");
        assertThat(endEvents(call)).contains(Elements.END_FAILED);
        assertThat(chargesFor(call.pledgeId)).isEmpty();
        assertThat(call.pledge().get("paid").asBoolean()).isFalse();
        assertVaultEmpty(call);
        // Nothing is pending: the pledge takes a new capture at once.
        var again = call.anotherCall();
        assertThat(again.startCapture().status()).isEqualTo(202);
    }

    // ------------------------------------------------------------------------------------------ money

    /**
     * What is charged comes from the capture's own row: an administrator (who may write variables; an agent may not)
     * rewrites the pledge, the decline count and the payment path during card entry, and the donor is still charged
     * their own pledge's amount, once, under the capture's own key.
     */
    @Test
    void forgedVariablesCannotChangeWhatIsCharged() {
        var other = CardCaptureScenario.pledge(admin, twilio, true, false, false, "9999", "ONE_OFF");
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "50", "ONE_OFF");
        call.start();
        call.answer("card number", VISA + "#");
        String instance = instanceOf(call);
        String task = captureInProgressTask(instance);

        AgentApi.Reply agentWrite = call.agent.send("PUT", "/engine-rest/task/" + task + "/variables/pledgeId",
                Map.of("value", other.pledgeId, "type", "Long"));
        assertThat(agentWrite.status()).as(agentWrite.toString()).isEqualTo(403);
        forge(instance, CardCaptureProcess.Variables.PLEDGE_ID, other.pledgeId, "Long");
        forge(instance, CardCaptureProcess.Variables.DECLINES, 5, "Integer");
        forge(instance, CardCaptureProcess.Variables.PAYMENT_PATH, "TOKENISE_ONLY", "String");
        call.answer("expiry date", EXPIRY + "#");
        call.answer("security code", CVC + "#");
        call.awaitBackWithAgent();

        assertThat(call.captureStatus()).isEqualTo("SUCCEEDED");
        assertThat(chargesFor(call.pledgeId)).singleElement().satisfies(charge -> {
            assertThat(charge.amount()).isEqualTo(5000);
            assertThat(charge.idempotencyKey()).endsWith(":card0:charge");
        });
        assertThat(chargesFor(other.pledgeId)).isEmpty();
        assertThat(tokenOf(call.pledgeId)).isNull();
        assertThat(other.pledge().get("paid").asBoolean()).isFalse();
        assertThat(other.pledge().get("payments")).isEmpty();
    }

    @Test
    void aPaidOneOffPledgeIsNeverChargedAgain() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        call.start();
        call.enterCard(VISA, EXPIRY, CVC);
        call.awaitBackWithAgent();
        assertThat(call.captureStatus()).isEqualTo("SUCCEEDED");

        var again = call.anotherCall();
        AgentApi.Reply refused = again.startCapture();

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.contentType()).contains("application/problem+json");
        assertThat(refused.json().get("detail").asText()).contains("already paid");
        assertThat(chargesFor(call.pledgeId)).hasSize(1);
        assertThat(again.captureStatus()).isEqualTo("SUCCEEDED");
    }

    /** A paid monthly pledge takes a new card over the phone: a new token, and no second charge. */
    @Test
    void aPaidRecurringPledgeOnlyHasItsCardReplaced() {
        var first = CardCaptureScenario.pledge(admin, twilio, true, true, true, "25", "MONTHLY");
        first.start();
        first.enterCard(VISA, EXPIRY, CVC);
        first.awaitBackWithAgent();
        String firstToken = tokenOf(first.pledgeId);

        var update = first.anotherCall();
        update.start();
        update.enterCard(MASTERCARD, EXPIRY, CVC);
        update.awaitBackWithAgent();

        assertThat(update.captureStatus()).isEqualTo("SUCCEEDED");
        assertThat(chargesFor(first.pledgeId)).hasSize(1);
        assertThat(update.pledge().get("payments")).hasSize(1);
        assertThat(tokenOf(first.pledgeId)).isNotNull().isNotEqualTo(firstToken);
        assertThat(update.pledge().get("maskedCard").asText()).isEqualTo("Mastercard ending 4444");
    }

    /** A campaign that charges on a card update takes the next payment with the new card, once. */
    @Test
    void aCampaignThatChargesOnACardUpdateChargesTheNewCard() {
        AgentApi.Reply campaign = admin.post("/api/campaigns", Map.of("name", "Charge on update " + System.nanoTime(),
                "currency", "GBP", "locale", "en-GB", "instantPayment", true, "tokensEnabled", true,
                "paymentFirst", true, "chargeOnCardUpdate", true));
        assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
        var first = CardCaptureScenario.pledgeIn(campaign.json().get("id").asLong(), admin, twilio, "8",
                "MONTHLY");
        first.start();
        first.enterCard(VISA, EXPIRY, CVC);
        first.awaitBackWithAgent();

        var update = first.anotherCall();
        update.start();
        update.enterCard(MASTERCARD, EXPIRY, CVC);
        update.awaitBackWithAgent();

        assertThat(update.captureStatus()).isEqualTo("SUCCEEDED");
        assertThat(chargesFor(first.pledgeId)).extracting(SimulatedCharge::last4).containsExactly("4242", "4444");
        assertThat(update.pledge().get("payments")).hasSize(2);
    }

    /** A phone payment is MOTO: a card whose bank would ask for 3-D Secure on line goes through. */
    @Test
    void everyChargeIsMotoSoThreeDSecureCardsGoThrough() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "12", "ONE_OFF");
        call.start();
        call.enterCard(THREE_D_SECURE_ALWAYS, EXPIRY, CVC);
        call.awaitBackWithAgent();

        assertThat(call.captureStatus()).isEqualTo("SUCCEEDED");
        assertThat(chargesFor(call.pledgeId)).singleElement()
                .satisfies(charge -> assertThat(charge.moto()).isTrue());
    }

    /** The bank wants to authenticate the cardholder even so: that is no payment, and the donor hears why. */
    @Test
    void aChargeTheBankWantsToAuthenticateIsADecline() {
        gateway.faults().requireAuthentication(true);
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "13", "ONE_OFF");
        call.start();
        call.enterCard(VISA, EXPIRY, CVC);
        call.answer("confirm the payment", VISA + "#");
        call.answer("expiry date", EXPIRY + "#");
        call.answer("security code", CVC + "#");
        call.awaitBackWithAgent();

        assertThat(call.captureStatus()).isEqualTo("DECLINED");
        assertThat(call.pledge().get("paid").asBoolean()).isFalse();
        assertThat(call.pledge().get("payments")).isEmpty();
    }

    /**
     * The gateway accepts a charge but is still processing it: that is not a payment yet. The capture is UNKNOWN, the
     * pledge takes no new capture, and a later look (the timer, driven here) records it once the gateway settled it.
     */
    @Test
    void aProcessingChargeIsUnknownUntilTheGatewaySettlesIt() {
        gateway.faults().processing(GatewayFaults.Settlement.SUCCEEDS);
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "14", "ONE_OFF");
        call.start();
        call.enterCard(VISA, EXPIRY, CVC);
        call.awaitBackWithAgent();

        assertThat(call.donor.heard()).anyMatch(text -> text.contains("not confirmed yet"));
        String instance = instanceOf(call);
        Job wait = awaitSettleTimer(instance);
        assertThat(call.captureStatus()).isEqualTo("UNKNOWN");
        assertThat(call.pledge().get("paid").asBoolean()).isFalse();
        AgentApi.Reply refused = call.anotherCall()
                .startCapture();
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("not confirmed yet");

        gateway.settleProcessing();
        management.executeJob(wait.getId());

        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(call.captureStatus()));
        assertThat(call.pledge().get("paid").asBoolean()).isTrue();
        assertThat(call.pledge().get("payments")).hasSize(1);
        assertThat(chargesFor(call.pledgeId)).hasSize(1);
    }

    /** A processing charge the bank then declines: no payment is recorded, and the pledge takes a new capture. */
    @Test
    void aProcessingChargeTheBankDeclinesEndsDeclined() {
        gateway.faults().processing(GatewayFaults.Settlement.DECLINES);
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "17", "ONE_OFF");
        call.start();
        call.enterCard(VISA, EXPIRY, CVC);
        call.awaitBackWithAgent();
        Job wait = awaitSettleTimer(instanceOf(call));

        gateway.settleProcessing();
        management.executeJob(wait.getId());

        await().atMost(WAIT).until(() -> "DECLINED".equals(call.captureStatus()));
        assertThat(call.pledge().get("paid").asBoolean()).isFalse();
        assertThat(call.pledge().get("payments")).isEmpty();
        var again = call.anotherCall();
        assertThat(again.startCapture().status()).isEqualTo(202);
    }

    /**
     * Every attempt's answer is lost (the charge went through at the first): the capture is UNKNOWN, never FAILED, and
     * sending the same request again later gets the gateway's stored answer, so the donor is charged exactly once.
     */
    @Test
    void aChargeWhoseAnswerIsLostIsSettledByReplayingItAndChargesOnce() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "15", "ONE_OFF");
        call.start();
        call.answer("card number", VISA + "#");
        call.answer("expiry date", EXPIRY + "#");
        call.prompt();
        // Three attempts and the first look at it: four answers that come after the app's 1 s timeout.
        gateway.faults().slowNext(4, Duration.ofMillis(2500), "POST", "/v1/payment_intents");
        call.donor.press(CVC + "#");
        call.awaitBackWithAgent();

        String instance = instanceOf(call);
        Job wait = awaitSettleTimer(instance);
        assertThat(call.captureStatus()).isEqualTo("UNKNOWN");
        assertThat(call.donor.heard()).anyMatch(text -> text.contains("not confirmed yet"))
                .noneMatch(text -> text.contains("could not reach our payment provider"));
        assertThat(chargesFor(call.pledgeId)).hasSize(1);
        assertVaultEmpty(call);

        management.executeJob(wait.getId());

        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(call.captureStatus()));
        assertThat(chargesFor(call.pledgeId)).hasSize(1);
        assertThat(call.pledge().get("payments")).singleElement().satisfies(payment -> assertThat(
                payment.get("reference").asText()).isEqualTo(chargesFor(call.pledgeId).get(0).id()));
    }

    /**
     * On the charge-then-tokenise path the card (security code included) has left the vault once the charge is
     * made: while saving it is still under way, the vault holds nothing, and saving needs no security code.
     */
    @Test
    void theCardIsGoneFromTheVaultWhenTheChargeIsMade() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, true, true, "16", "MONTHLY");
        call.start();
        call.answer("card number", VISA + "#");
        call.answer("expiry date", EXPIRY + "#");
        call.prompt();
        // The check that the charged card was saved waits: the charge is committed meanwhile.
        gateway.faults().slowNext(1, Duration.ofMillis(2500), "GET", "/v1/payment_methods/");
        call.donor.press(CVC + "#");

        await().atMost(WAIT).until(() -> call.pledge().get("paid").asBoolean());
        assertThat(jdbc.queryForObject("select count(*) from card_vault_entry v join card_capture c on c.id = "
                + "v.capture_id where c.pledge_id = ? and (v.card_number is not null or v.expiry is not null "
                + "or v.security_code is not null)", Integer.class, call.pledgeId)).isZero();
        call.awaitBackWithAgent();
        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(call.captureStatus()));
        SimulatedCharge charge = chargesFor(call.pledgeId).get(0);
        assertThat(tokenOf(call.pledgeId)).isEqualTo(charge.paymentMethodId());
        assertThat(gateway.setups()).noneMatch(setup -> charge.paymentMethodId().equals(setup.paymentMethodId()));
    }

    private Job awaitSettleTimer(String instance) {
        return await().atMost(WAIT).until(() -> management.createJobQuery().processInstanceId(instance)
                .activityId(Elements.SETTLE_BACKOFF).singleResult(), job -> job != null);
    }

    private String captureInProgressTask(String instance) {
        return await().atMost(WAIT).until(() -> admin.get("/engine-rest/task?processInstanceId=" + instance
                + "&taskDefinitionKey=" + Elements.CAPTURE_IN_PROGRESS), reply -> reply.status() == 200
                        && reply.json().size() == 1).json().get(0).get("id").asText();
    }

    private void forge(String instance, ProcessVariable<?> variable, Object value, String type) {
        AgentApi.Reply reply = admin.send("PUT", "/engine-rest/process-instance/" + instance + "/variables/"
                + variable.name(),
                Map.of("value", value, "type", type));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(204);
    }

    /**
     * The capture ended so, and its instance with it: no task waits for the agent, who reads the outcome in words in
     * the console ({@code GET /api/pledges/{id}}).
     */
    private void assertEndedInWords(CardCaptureScenario call, String status, String words) {
        await().atMost(WAIT).until(() -> instanceEnded(call));
        JsonNode capture = call.pledge().get("cardCapture");
        assertThat(capture.get("status").asText()).isEqualTo(status);
        assertThat(capture.get("description").asText()).isEqualTo(words);
    }

    private List<SimulatedCharge> chargesFor(long pledgeId) {
        return gateway.charges().stream()
                .filter(charge -> String.valueOf(pledgeId).equals(charge.metadata().get("pledge_id")))
                .toList();
    }

    private String tokenOf(long pledgeId) {
        return jdbc.queryForObject("select token_ref from pledge where id = ?", String.class, pledgeId);
    }

    private String instanceOf(CardCaptureScenario call) {
        return jdbc.queryForObject("select process_instance_id from card_capture where pledge_id = ? "
                + "order by started_at desc limit 1", String.class, call.pledgeId);
    }

    private boolean instanceEnded(CardCaptureScenario call) {
        HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery()
                .processInstanceId(instanceOf(call)).singleResult();
        return instance != null && instance.getEndTime() != null;
    }

    private List<String> endEvents(CardCaptureScenario call) {
        return history.createHistoricActivityInstanceQuery().processInstanceId(instanceOf(call))
                .activityType("noneEndEvent").list().stream().map(a -> a.getActivityId()).toList();
    }

    private void assertVaultEmpty(CardCaptureScenario call) {
        Integer entries = jdbc.queryForObject("select count(*) from card_vault_entry v join card_capture c "
                + "on c.id = v.capture_id where c.pledge_id = ?", Integer.class, call.pledgeId);
        assertThat(entries).isZero();
    }
}
