package org.callcentre.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Currency;
import java.util.Locale;
import java.util.UUID;

import org.callcentre.cardvault.CardDetails;
import org.callcentre.emulator.gateway.GatewayFaults;
import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.gateway.SimulatedCharge;
import org.callcentre.emulator.gateway.SimulatedSetup;
import org.callcentre.emulator.gateway.SimulatedToken;
import org.callcentre.payment.PaymentGateway.ChargeResult;
import org.callcentre.payment.PaymentGateway.ChargeStatus;
import org.callcentre.payment.PaymentGateway.TokenResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Stripe adapter against the gateway simulator, a real HTTP peer that behaves as Stripe documents. */
class StripeStyleGatewayTest {

    private static final String VISA = "4242424242424242";
    private static final String MASTERCARD = "5555555555554444";
    private static final String AMEX = "378282246310005";
    private static final String GENERIC_DECLINE = "4000000000000002";
    private static final String INSUFFICIENT_FUNDS = "4000000000009995";
    private static final String ALWAYS_AUTHENTICATE = "4000002760003184";
    private static final String AUTHENTICATE_UNLESS_SET_UP = "4000002500003155";
    private static final Currency GBP = Currency.getInstance("GBP");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static GatewaySimulator simulator;

    private StripeStyleGateway gateway;

    @BeforeAll
    static void startSimulator() {
        simulator = GatewaySimulator.start("127.0.0.1", 0, GatewaySimulator.DEFAULT_SECRET_KEY);
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @BeforeEach
    void freshSimulator() {
        simulator.reset();
        gateway = gatewayWith(GatewaySimulator.DEFAULT_SECRET_KEY, TIMEOUT);
    }

    private static StripeStyleGateway gatewayWith(String secretKey, Duration timeout) {
        return new StripeStyleGateway(new PaymentGatewayProperties(simulator.baseUrl(), secretKey, timeout));
    }

    private static CardDetails card(String number) {
        YearMonth expiry = YearMonth.now().plusYears(3);
        return new CardDetails(number, expiry.getMonthValue(), expiry.getYear(), number.startsWith("3") ? "1234" : "123");
    }

    private static Money pounds(String amount) {
        return Money.of(new BigDecimal(amount), GBP);
    }

    private static String newKey() {
        return "capture-" + UUID.randomUUID() + ":card0:charge";
    }

    private String paymentMethod(String number) {
        return gateway.createPaymentMethod(card(number), newKey());
    }

    // ------------------------------------------------------------------ payment methods

    @Test
    void theCardBecomesAPaymentMethodOnceAndAReplayAnswersTheSameOne() {
        String key = newKey();

        String first = gateway.createPaymentMethod(card(VISA), key);
        String replayed = gateway.createPaymentMethod(card(VISA), key);

        assertThat(first).startsWith("pm_").isEqualTo(replayed);
        assertThat(gateway.isSaved(first)).isFalse();
        assertThat(simulator.charges()).isEmpty();
    }

    @Test
    void anExpiredCardIsDeclinedAsExpiredWhenItBecomesAPaymentMethod() {
        YearMonth lastMonth = YearMonth.now().minusMonths(1);
        CardDetails expired = new CardDetails(VISA, lastMonth.getMonthValue(), lastMonth.getYear(), "123");

        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.createPaymentMethod(expired, newKey()), CardDeclinedException.class);

        assertThat(declined.reason()).isEqualTo(DeclineReason.EXPIRED_CARD);
    }

    @Test
    void aWrongLengthSecurityCodeIsIncorrectDetails() {
        YearMonth expiry = YearMonth.now().plusYears(2);
        CardDetails amexWithThreeDigits = new CardDetails(AMEX, expiry.getMonthValue(), expiry.getYear(), "123");

        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.createPaymentMethod(amexWithThreeDigits, newKey()), CardDeclinedException.class);

        assertThat(declined.reason()).isEqualTo(DeclineReason.INCORRECT_DETAILS);
        assertThat(declined.getMessage()).doesNotContain(AMEX).doesNotContain("123");
    }

    // ------------------------------------------------------------------ charges

    @Test
    void aChargeIsMotoAndAnswersItsReferenceStatusAmountAndCurrency() {
        String pm = paymentMethod(VISA);
        String key = newKey();

        ChargeResult result = gateway.charge(pm, pounds("25.00"), false, key, "42");

        assertThat(result).isEqualTo(new ChargeResult(result.reference(), ChargeStatus.SUCCEEDED, 2500, "GBP"));
        assertThat(result.reference()).startsWith("pi_");
        assertThat(simulator.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.id()).isEqualTo(result.reference());
            assertThat(charge.moto()).as("MOTO flag").isTrue();
            assertThat(charge.offSession()).isFalse();
            assertThat(charge.paymentMethodId()).isEqualTo(pm);
            assertThat(charge.amount()).isEqualTo(2500);
            assertThat(charge.currency()).isEqualTo("gbp");
            assertThat(charge.last4()).isEqualTo("4242");
            assertThat(charge.idempotencyKey()).isEqualTo(key);
            assertThat(charge.metadata()).containsEntry("idempotency_key", key).containsEntry("pledge_id", "42");
        });
        assertThat(gateway.chargeState(result.reference())).isEqualTo(result);
    }

    @ParameterizedTest(name = "{0} is charged as {1}")
    @CsvSource({
            MASTERCARD + ", mastercard, 4444",
            AMEX + ", amex, 0005"
    })
    void otherBrandsAreCharged(String number, String brand, String last4) {
        ChargeResult result = gateway.charge(paymentMethod(number), pounds("10.50"), false, newKey(), "7");

        assertThat(result.amountMinor()).isEqualTo(1050);
        assertThat(simulator.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.id()).isEqualTo(result.reference());
            assertThat(charge.brand()).isEqualTo(brand);
            assertThat(charge.last4()).isEqualTo(last4);
        });
    }

    @Test
    void zeroDecimalCurrencyIsSentInWholeUnits() {
        ChargeResult result = gateway.charge(paymentMethod(VISA), Money.of(new BigDecimal("1500"),
                Currency.getInstance("JPY")), false, newKey(), "9");

        assertThat(result.amountMinor()).isEqualTo(1500);
        assertThat(result.currency()).isEqualTo("JPY");
        assertThat(simulator.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.amount()).isEqualTo(1500);
            assertThat(charge.currency()).isEqualTo("jpy");
        });
    }

    @Test
    void aRepeatedChargeWithTheSameKeyChargesOnce() {
        String pm = paymentMethod(VISA);
        String key = newKey();

        ChargeResult first = gateway.charge(pm, pounds("5.00"), false, key, "1");
        ChargeResult second = gateway.charge(pm, pounds("5.00"), false, key, "1");

        assertThat(second).isEqualTo(first);
        assertThat(simulator.charges()).hasSize(1);
    }

    @Test
    void aPaymentMethodChargedWithoutSavingIsNotSavedAndCannotBeChargedAgain() {
        String pm = paymentMethod(VISA);
        gateway.charge(pm, pounds("5.00"), false, newKey(), "1");

        assertThat(gateway.isSaved(pm)).isFalse();
        assertThatThrownBy(() -> gateway.charge(pm, pounds("5.00"), false, newKey(), "1"))
                .isInstanceOf(GatewayUnavailableException.class)
                .hasMessageContaining("400")
                .hasMessageNotContaining("previously used");
        assertThatThrownBy(() -> gateway.chargeToken(pm, pounds("5.00"), newKey(), "1"))
                .isInstanceOf(GatewayUnavailableException.class);
        assertThat(simulator.charges()).hasSize(1);
    }

    @Test
    void aChargeThatSavesTheCardLeavesATokenChargeableWithoutTheCardholder() {
        String pm = paymentMethod(MASTERCARD);
        ChargeResult first = gateway.charge(pm, pounds("25.00"), true, newKey(), "42");

        assertThat(first.status()).isEqualTo(ChargeStatus.SUCCEEDED);
        assertThat(gateway.isSaved(pm)).isTrue();
        assertThat(simulator.tokens()).extracting(SimulatedToken::id).containsExactly(pm);

        // The security code went with the first authorisation: the later charge goes through without it.
        String key = newKey();
        ChargeResult later = gateway.chargeToken(pm, pounds("25.00"), key, "42");

        assertThat(later.status()).isEqualTo(ChargeStatus.SUCCEEDED);
        assertThat(simulator.charges()).hasSize(2).last().satisfies(charge -> {
            assertThat(charge.id()).isEqualTo(later.reference());
            assertThat(charge.offSession()).isTrue();
            assertThat(charge.moto()).isFalse();
            assertThat(charge.customer()).isEqualTo(simulator.tokens().get(0).customer());
            assertThat(charge.idempotencyKey()).isEqualTo(key);
        });
    }

    @Test
    void aChargeThatSavesTheCardIsReplayedWithTheSameCustomerAndChargesOnce() {
        String pm = paymentMethod(VISA);
        String key = newKey();

        ChargeResult first = gateway.charge(pm, pounds("5.00"), true, key, "1");
        ChargeResult replayed = gateway.charge(pm, pounds("5.00"), true, key, "1");

        assertThat(replayed).isEqualTo(first);
        assertThat(simulator.charges()).hasSize(1);
        assertThat(simulator.tokens()).hasSize(1);
    }

    // ------------------------------------------------------------------ saving and token charges

    @Test
    void savingIsAMotoSetupWhoseTokenIsThePaymentMethod() {
        String pm = paymentMethod(VISA);
        String key = newKey();

        TokenResult token = gateway.save(pm, key, "42");

        assertThat(token.token()).isEqualTo(pm);
        assertThat(gateway.isSaved(pm)).isTrue();
        assertThat(simulator.setups()).singleElement().satisfies(setup -> {
            assertThat(setup.status()).isEqualTo("succeeded");
            assertThat(setup.moto()).as("MOTO flag").isTrue();
            assertThat(setup.paymentMethodId()).isEqualTo(pm);
            assertThat(setup.idempotencyKey()).isEqualTo(key);
        });
        assertThat(simulator.tokens()).singleElement().satisfies(saved -> {
            assertThat(saved.id()).isEqualTo(pm);
            assertThat(saved.brand()).isEqualTo("visa");
            assertThat(saved.customer()).startsWith("cus_");
        });
        assertThat(simulator.charges()).isEmpty();
    }

    @Test
    void savingTwiceWithTheSameKeySavesOnce() {
        String pm = paymentMethod(MASTERCARD);
        String key = newKey();

        TokenResult first = gateway.save(pm, key, "42");
        TokenResult second = gateway.save(pm, key, "42");

        assertThat(second).isEqualTo(first);
        assertThat(simulator.setups()).extracting(SimulatedSetup::id).hasSize(1);
    }

    @Test
    void aTokenIsChargedOffSession() {
        TokenResult token = gateway.save(paymentMethod(AMEX), newKey(), "42");
        String key = newKey();

        ChargeResult result = gateway.chargeToken(token.token(), pounds("12.34"), key, "42");

        assertThat(result).isEqualTo(new ChargeResult(result.reference(), ChargeStatus.SUCCEEDED, 1234, "GBP"));
        assertThat(simulator.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.id()).isEqualTo(result.reference());
            assertThat(charge.paymentMethodId()).isEqualTo(token.token());
            assertThat(charge.offSession()).isTrue();
            assertThat(charge.brand()).isEqualTo("amex");
            assertThat(charge.idempotencyKey()).isEqualTo(key);
        });
        assertThat(gateway.chargeToken(token.token(), pounds("12.34"), key, "42")).as("replayed").isEqualTo(result);
        assertThat(simulator.charges()).hasSize(1);
    }

    @Test
    void chargingAnUnknownTokenIsAGatewayFailureNotADecline() {
        assertThatThrownBy(() -> gateway.chargeToken("pm_doesnotexist", pounds("1.00"), newKey(), "42"))
                .isInstanceOf(GatewayUnavailableException.class)
                .hasMessageContaining("404");
    }

    // ------------------------------------------------------------------ 3-D Secure

    @ParameterizedTest(name = "{0}: a MOTO charge and setup need no authentication")
    @ValueSource(strings = {ALWAYS_AUTHENTICATE, AUTHENTICATE_UNLESS_SET_UP})
    void threeDSecureCardsGoThroughAsMoto(String number) {
        assertThat(gateway.charge(paymentMethod(number), pounds("5.00"), false, newKey(), "1").status())
                .isEqualTo(ChargeStatus.SUCCEEDED);
        String pm = paymentMethod(number);
        assertThat(gateway.save(pm, newKey(), "1").token()).isEqualTo(pm);
    }

    @Test
    void aSavedCardThatAlwaysAsksForAuthenticationIsDeclinedOffSession() {
        String always = gateway.save(paymentMethod(ALWAYS_AUTHENTICATE), newKey(), "1").token();
        String unlessSetUp = gateway.save(paymentMethod(AUTHENTICATE_UNLESS_SET_UP), newKey(), "1").token();

        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.chargeToken(always, pounds("5.00"), newKey(), "1"), CardDeclinedException.class);

        assertThat(declined.reason()).isEqualTo(DeclineReason.AUTHENTICATION_REQUIRED);
        assertThat(gateway.chargeToken(unlessSetUp, pounds("5.00"), newKey(), "1").status())
                .isEqualTo(ChargeStatus.SUCCEEDED);
        assertThat(simulator.charges()).extracting(SimulatedCharge::paymentMethodId).containsExactly(unlessSetUp);
    }

    @Test
    void anAnswerThatNeedsAuthenticationIsADeclineNotAPayment() {
        simulator.faults().requireAuthentication(true);

        CardDeclinedException charge = catchThrowableOfType(
                () -> gateway.charge(paymentMethod(VISA), pounds("5.00"), false, newKey(), "1"),
                CardDeclinedException.class);
        CardDeclinedException save = catchThrowableOfType(
                () -> gateway.save(paymentMethod(VISA), newKey(), "1"), CardDeclinedException.class);

        assertThat(charge.reason()).isEqualTo(DeclineReason.AUTHENTICATION_REQUIRED);
        assertThat(save.reason()).isEqualTo(DeclineReason.AUTHENTICATION_REQUIRED);
        assertThat(simulator.charges()).isEmpty();
        assertThat(simulator.tokens()).isEmpty();
    }

    // ------------------------------------------------------------------ processing

    @Test
    void aProcessingChargeIsNotAPaymentUntilTheGatewaySaysItSucceeded() {
        simulator.faults().processing(GatewayFaults.Settlement.SUCCEEDS);
        String pm = paymentMethod(VISA);
        String key = newKey();

        ChargeResult processing = gateway.charge(pm, pounds("25.00"), true, key, "42");

        assertThat(processing.status()).isEqualTo(ChargeStatus.PROCESSING);
        assertThat(gateway.chargeState(processing.reference()).status()).isEqualTo(ChargeStatus.PROCESSING);
        assertThat(simulator.charges()).isEmpty();

        simulator.settleProcessing();

        assertThat(gateway.chargeState(processing.reference()))
                .isEqualTo(new ChargeResult(processing.reference(), ChargeStatus.SUCCEEDED, 2500, "GBP"));
        assertThat(gateway.isSaved(pm)).isTrue();
        assertThat(simulator.charges()).extracting(SimulatedCharge::id).containsExactly(processing.reference());
    }

    @Test
    void aProcessingChargeThatSettlesAsADeclineIsADecline() {
        simulator.faults().processing(GatewayFaults.Settlement.DECLINES);
        ChargeResult processing = gateway.charge(paymentMethod(VISA), pounds("25.00"), false, newKey(), "42");

        simulator.settleProcessing();

        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.chargeState(processing.reference()), CardDeclinedException.class);
        assertThat(declined.reason()).isEqualTo(DeclineReason.DECLINED_BY_BANK);
        assertThat(simulator.charges()).isEmpty();
    }

    @Test
    void theStateOfAnUnknownChargeIsAGatewayFailure() {
        assertThatThrownBy(() -> gateway.chargeState("pi_doesnotexist"))
                .isInstanceOf(GatewayUnavailableException.class)
                .hasMessageContaining("404");
    }

    // ------------------------------------------------------------------ declines

    @Test
    void genericDeclineIsDeclinedByBank() {
        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.charge(paymentMethod(GENERIC_DECLINE), pounds("5.00"), false, newKey(), "1"),
                CardDeclinedException.class);

        assertThat(declined.reason()).isEqualTo(DeclineReason.DECLINED_BY_BANK);
        assertThat(declined.getMessage()).doesNotContain(GENERIC_DECLINE);
        assertThat(simulator.charges()).isEmpty();
    }

    @Test
    void insufficientFundsIsRecognised() {
        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.charge(paymentMethod(INSUFFICIENT_FUNDS), pounds("5.00"), false, newKey(), "1"),
                CardDeclinedException.class);

        assertThat(declined.reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
        assertThat(simulator.charges()).isEmpty();
    }

    @Test
    void savingADeclinedCardIsADecline() {
        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.save(paymentMethod(INSUFFICIENT_FUNDS), newKey(), "1"), CardDeclinedException.class);

        assertThat(declined.reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
        assertThat(simulator.tokens()).isEmpty();
    }

    @Test
    void aRetriedDeclineIsTheSameDecline() {
        String pm = paymentMethod(GENERIC_DECLINE);
        String key = newKey();
        int before = simulator.processedCount();
        assertThatThrownBy(() -> gateway.charge(pm, pounds("5.00"), false, key, "1"))
                .isInstanceOf(CardDeclinedException.class);
        assertThatThrownBy(() -> gateway.charge(pm, pounds("5.00"), false, key, "1"))
                .isInstanceOf(CardDeclinedException.class);
        assertThat(simulator.processedCount() - before).isEqualTo(1);
    }

    // ------------------------------------------------------------------ outages and lost answers

    @Test
    void serverErrorIsGatewayUnavailableWithoutCardData() {
        simulator.faults().failNext(1);
        CardDetails card = card(VISA);

        GatewayUnavailableException outage = catchThrowableOfType(
                () -> gateway.createPaymentMethod(card, newKey()), GatewayUnavailableException.class);

        assertThat(outage.getMessage()).contains("500")
                .doesNotContain(VISA)
                .doesNotContain("4242")
                .doesNotContain(card.securityCode())
                .doesNotContain(Integer.toString(card.expiryYear()));
    }

    @Test
    void aRetryAfterAServerErrorChargesOnce() {
        String pm = paymentMethod(VISA);
        String key = newKey();
        simulator.faults().failNext(1);
        assertThatThrownBy(() -> gateway.charge(pm, pounds("25.00"), false, key, "42"))
                .isInstanceOf(GatewayUnavailableException.class);

        ChargeResult retried = gateway.charge(pm, pounds("25.00"), false, key, "42");

        assertThat(simulator.charges()).extracting(SimulatedCharge::id).containsExactly(retried.reference());
    }

    @Test
    void savingDuringAnOutageIsGatewayUnavailable() {
        String pm = paymentMethod(VISA);
        simulator.faults().failAll(true);

        assertThatThrownBy(() -> gateway.save(pm, newKey(), "42")).isInstanceOf(GatewayUnavailableException.class);
        assertThatThrownBy(() -> gateway.isSaved(pm)).isInstanceOf(GatewayUnavailableException.class);
        assertThatThrownBy(() -> gateway.chargeState("pi_x")).isInstanceOf(GatewayUnavailableException.class);
        simulator.faults().clear();
        assertThat(simulator.tokens()).isEmpty();
    }

    @Test
    void aChargeWhoseAnswerIsLostIsReplayedWithoutCardDataAndAnswersTheStoredCharge() {
        StripeStyleGateway impatient = gatewayWith(GatewaySimulator.DEFAULT_SECRET_KEY, Duration.ofMillis(300));
        String pm = paymentMethod(VISA);
        String key = newKey();
        // The charge is made at the gateway, but its answer comes after the client stopped waiting.
        simulator.faults().slowNext(1, Duration.ofSeconds(5));

        GatewayUnavailableException outage = catchThrowableOfType(
                () -> impatient.charge(pm, pounds("25.00"), false, key, "42"), GatewayUnavailableException.class);
        assertThat(outage).isNotNull();
        assertThat(outage.getMessage()).contains("HttpTimeoutException").doesNotContain(VISA);
        assertThat(simulator.charges()).as("charged although the answer was lost").hasSize(1);

        // The replay names only the payment method: the same key and parameters answer the stored charge.
        ChargeResult replayed = gateway.charge(pm, pounds("25.00"), false, key, "42");

        assertThat(replayed.status()).isEqualTo(ChargeStatus.SUCCEEDED);
        assertThat(simulator.charges()).extracting(SimulatedCharge::id).containsExactly(replayed.reference());
    }

    @Test
    void anUnreachableGatewayIsGatewayUnavailable() {
        String deadUrl;
        try (GatewaySimulator stopped = GatewaySimulator.start("127.0.0.1", 0, GatewaySimulator.DEFAULT_SECRET_KEY)) {
            deadUrl = stopped.baseUrl();
        }
        StripeStyleGateway unreachable = new StripeStyleGateway(new PaymentGatewayProperties(deadUrl,
                GatewaySimulator.DEFAULT_SECRET_KEY, Duration.ofSeconds(2), Duration.ofSeconds(1)));

        assertThatThrownBy(() -> unreachable.createPaymentMethod(card(VISA), newKey()))
                .isInstanceOf(GatewayUnavailableException.class)
                .hasMessageNotContaining(VISA);
    }

    @Test
    void aWrongSecretKeyIsGatewayUnavailableInOurOwnWords() {
        StripeStyleGateway misconfigured = gatewayWith("sk_test_not_the_right_key", TIMEOUT);

        GatewayUnavailableException outage = catchThrowableOfType(
                () -> misconfigured.createPaymentMethod(card(VISA), newKey()), GatewayUnavailableException.class);

        assertThat(outage.getMessage()).contains("401")
                .doesNotContain("sk_test_not_the_right_key")
                .doesNotContain("API Key")
                .doesNotContain(VISA);
        String pm = paymentMethod(VISA);
        assertThatThrownBy(() -> misconfigured.save(pm, newKey(), "1")).isInstanceOf(GatewayUnavailableException.class);
        assertThatThrownBy(() -> misconfigured.chargeState("pi_x")).isInstanceOf(GatewayUnavailableException.class);
        assertThat(simulator.charges()).isEmpty();
        assertThat(simulator.tokens()).isEmpty();
    }

    @Test
    void timeoutsDefaultToWhatACardAuthorisationTakes() {
        PaymentGatewayProperties defaults = new PaymentGatewayProperties("https://api.stripe.com", "sk", null, null);

        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void currencyCodeDoesNotDependOnTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            ChargeResult result = gateway.charge(paymentMethod(VISA), Money.of(new BigDecimal("100.00"),
                    Currency.getInstance("INR")), false, newKey(), "1");
            assertThat(result.currency()).isEqualTo("INR");
        } finally {
            Locale.setDefault(before);
        }
    }
}
