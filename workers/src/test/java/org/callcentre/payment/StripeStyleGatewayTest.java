package org.callcentre.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.callcentre.cardvault.CardDetails;
import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.gateway.SimulatedCharge;
import org.callcentre.emulator.gateway.SimulatedToken;
import org.callcentre.payment.PaymentGateway.ChargeResult;
import org.callcentre.payment.PaymentGateway.TokenResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StripeStyleGatewayTest {

    private static final String VISA = "4242424242424242";
    private static final String MASTERCARD = "5555555555554444";
    private static final String AMEX = "378282246310005";
    private static final String GENERIC_DECLINE = "4000000000000002";
    private static final String INSUFFICIENT_FUNDS = "4000000000009995";
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

    private static List<SimulatedCharge> chargesWithKey(String key) {
        return simulator.charges().stream().filter(c -> key.equals(c.idempotencyKey())).toList();
    }

    // ------------------------------------------------------------------ charges

    @Test
    void chargeSucceedsWithReferenceAmountAndCurrency() {
        String key = newKey();

        ChargeResult result = gateway.chargeCard(card(VISA), pounds("25.00"), key, "42");

        assertThat(result.reference()).startsWith("pi_");
        assertThat(result.amountMinor()).isEqualTo(2500);
        assertThat(result.currency()).isEqualTo("GBP");

        assertThat(simulator.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.id()).isEqualTo(result.reference());
            assertThat(charge.amount()).isEqualTo(2500);
            assertThat(charge.currency()).isEqualTo("gbp");
            assertThat(charge.brand()).isEqualTo("visa");
            assertThat(charge.last4()).isEqualTo("4242");
            assertThat(charge.idempotencyKey()).isEqualTo(key);
            assertThat(charge.metadata()).containsEntry("idempotency_key", key).containsEntry("pledge_id", "42");
        });
    }

    @ParameterizedTest(name = "{0} is charged as {1}")
    @CsvSource({
            MASTERCARD + ", mastercard, 4444",
            AMEX + ", amex, 0005"
    })
    void otherBrandsAreCharged(String number, String brand, String last4) {
        ChargeResult result = gateway.chargeCard(card(number), pounds("10.50"), newKey(), "7");

        assertThat(result.amountMinor()).isEqualTo(1050);
        assertThat(simulator.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.id()).isEqualTo(result.reference());
            assertThat(charge.brand()).isEqualTo(brand);
            assertThat(charge.last4()).isEqualTo(last4);
        });
    }

    @Test
    void zeroDecimalCurrencyIsSentInWholeUnits() {
        ChargeResult result = gateway.chargeCard(card(VISA), Money.of(new BigDecimal("1500"),
                Currency.getInstance("JPY")), newKey(), "9");

        assertThat(result.amountMinor()).isEqualTo(1500);
        assertThat(result.currency()).isEqualTo("JPY");
        assertThat(simulator.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.amount()).isEqualTo(1500);
            assertThat(charge.currency()).isEqualTo("jpy");
        });
    }

    @Test
    void aRepeatedChargeWithTheSameKeyChargesOnce() {
        String key = newKey();

        ChargeResult first = gateway.chargeCard(card(VISA), pounds("5.00"), key, "1");
        ChargeResult second = gateway.chargeCard(card(VISA), pounds("5.00"), key, "1");

        assertThat(second).isEqualTo(first);
        assertThat(simulator.charges()).hasSize(1);
    }

    @Test
    void differentKeysAreDifferentCharges() {
        ChargeResult first = gateway.chargeCard(card(VISA), pounds("5.00"), newKey(), "1");
        ChargeResult second = gateway.chargeCard(card(VISA), pounds("5.00"), newKey(), "1");

        assertThat(second.reference()).isNotEqualTo(first.reference());
        assertThat(simulator.charges()).hasSize(2);
    }

    // ------------------------------------------------------------------ tokens

    @Test
    void tokeniseReturnsAPaymentMethodToken() {
        TokenResult token = gateway.tokeniseCard(card(VISA), newKey(), "42");

        assertThat(token.token()).startsWith("pm_");
        assertThat(simulator.tokens()).singleElement().satisfies(saved -> {
            assertThat(saved.id()).isEqualTo(token.token());
            assertThat(saved.brand()).isEqualTo("visa");
            assertThat(saved.last4()).isEqualTo("4242");
        });
        assertThat(simulator.charges()).isEmpty();
    }

    @Test
    void tokeniseTwiceWithTheSameKeySavesOnce() {
        String key = newKey();
        TokenResult first = gateway.tokeniseCard(card(MASTERCARD), key, "42");
        TokenResult second = gateway.tokeniseCard(card(MASTERCARD), key, "42");

        assertThat(second).isEqualTo(first);
        assertThat(simulator.tokens()).extracting(SimulatedToken::id).containsExactly(first.token());
    }

    @Test
    void aTokenCanBeCharged() {
        TokenResult token = gateway.tokeniseCard(card(AMEX), newKey(), "42");
        String key = newKey();

        ChargeResult result = gateway.chargeToken(token.token(), pounds("12.34"), key, "42");

        assertThat(result.reference()).startsWith("pi_");
        assertThat(result.amountMinor()).isEqualTo(1234);
        assertThat(result.currency()).isEqualTo("GBP");
        assertThat(simulator.charges()).singleElement().satisfies(charge -> {
            assertThat(charge.id()).isEqualTo(result.reference());
            assertThat(charge.paymentMethodId()).isEqualTo(token.token());
            assertThat(charge.brand()).isEqualTo("amex");
            assertThat(charge.idempotencyKey()).isEqualTo(key);
        });
    }

    @Test
    void chargingAnUnknownTokenIsAGatewayFailureNotADecline() {
        assertThatThrownBy(() -> gateway.chargeToken("pm_doesnotexist", pounds("1.00"), newKey(), "42"))
                .isInstanceOf(GatewayUnavailableException.class)
                .hasMessageContaining("400");
    }

    // ------------------------------------------------------------------ declines

    @Test
    void genericDeclineIsDeclinedByBank() {
        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.chargeCard(card(GENERIC_DECLINE), pounds("5.00"), newKey(), "1"),
                CardDeclinedException.class);

        assertThat(declined.reason()).isEqualTo(DeclineReason.DECLINED_BY_BANK);
        assertThat(declined.getMessage()).doesNotContain(GENERIC_DECLINE);
        assertThat(simulator.charges()).isEmpty();
    }

    @Test
    void insufficientFundsIsRecognised() {
        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.chargeCard(card(INSUFFICIENT_FUNDS), pounds("5.00"), newKey(), "1"),
                CardDeclinedException.class);

        assertThat(declined.reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
        assertThat(simulator.charges()).isEmpty();
    }

    @Test
    void anExpiredCardIsDeclinedAsExpired() {
        YearMonth lastMonth = YearMonth.now().minusMonths(1);
        CardDetails expired = new CardDetails(VISA, lastMonth.getMonthValue(), lastMonth.getYear(), "123");

        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.chargeCard(expired, pounds("5.00"), newKey(), "1"), CardDeclinedException.class);

        assertThat(declined.reason()).isEqualTo(DeclineReason.EXPIRED_CARD);
    }

    @Test
    void aWrongLengthSecurityCodeIsIncorrectDetails() {
        YearMonth expiry = YearMonth.now().plusYears(2);
        CardDetails amexWithThreeDigits = new CardDetails(AMEX, expiry.getMonthValue(), expiry.getYear(), "123");

        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.chargeCard(amexWithThreeDigits, pounds("5.00"), newKey(), "1"),
                CardDeclinedException.class);

        assertThat(declined.reason()).isEqualTo(DeclineReason.INCORRECT_DETAILS);
    }

    @Test
    void tokenisingADeclinedCardIsADecline() {
        CardDeclinedException declined = catchThrowableOfType(
                () -> gateway.tokeniseCard(card(INSUFFICIENT_FUNDS), newKey(), "1"), CardDeclinedException.class);

        assertThat(declined.reason()).isEqualTo(DeclineReason.INSUFFICIENT_FUNDS);
        assertThat(simulator.tokens()).isEmpty();
    }

    @Test
    void aRetriedDeclineIsTheSameDecline() {
        String key = newKey();
        assertThatThrownBy(() -> gateway.chargeCard(card(GENERIC_DECLINE), pounds("5.00"), key, "1"))
                .isInstanceOf(CardDeclinedException.class);
        assertThatThrownBy(() -> gateway.chargeCard(card(GENERIC_DECLINE), pounds("5.00"), key, "1"))
                .isInstanceOf(CardDeclinedException.class);
        assertThat(simulator.processedCount()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ outages

    @Test
    void serverErrorIsGatewayUnavailableWithoutCardData() {
        simulator.faults().failNext(1);
        CardDetails card = card(VISA);

        GatewayUnavailableException outage = catchThrowableOfType(
                () -> gateway.chargeCard(card, pounds("25.00"), newKey(), "42"), GatewayUnavailableException.class);

        assertThat(outage.getMessage()).contains("500")
                .doesNotContain(VISA)
                .doesNotContain("4242")
                .doesNotContain(card.securityCode())
                .doesNotContain(Integer.toString(card.expiryYear()));
        assertThat(simulator.charges()).isEmpty();
    }

    @Test
    void aRetryAfterAServerErrorChargesOnce() {
        String key = newKey();
        simulator.faults().failNext(1);
        assertThatThrownBy(() -> gateway.chargeCard(card(VISA), pounds("25.00"), key, "42"))
                .isInstanceOf(GatewayUnavailableException.class);

        ChargeResult retried = gateway.chargeCard(card(VISA), pounds("25.00"), key, "42");

        assertThat(chargesWithKey(key)).extracting(SimulatedCharge::id).containsExactly(retried.reference());
    }

    @Test
    void tokeniseDuringAnOutageIsGatewayUnavailable() {
        simulator.faults().failAll(true);

        assertThatThrownBy(() -> gateway.tokeniseCard(card(VISA), newKey(), "42"))
                .isInstanceOf(GatewayUnavailableException.class)
                .hasMessageNotContaining(VISA);
        assertThatThrownBy(() -> gateway.findCharge(newKey())).isInstanceOf(GatewayUnavailableException.class);
        simulator.faults().clear();
        assertThat(simulator.tokens()).isEmpty();
    }

    @Test
    void aTimeoutIsGatewayUnavailableAndTheRetryWithTheSameKeyChargesOnce() {
        StripeStyleGateway impatient = gatewayWith(GatewaySimulator.DEFAULT_SECRET_KEY, Duration.ofMillis(300));
        String key = newKey();
        CardDetails card = card(VISA);
        simulator.faults().slowNext(1, Duration.ofSeconds(5));

        GatewayUnavailableException outage = catchThrowableOfType(
                () -> impatient.chargeCard(card, pounds("25.00"), key, "42"), GatewayUnavailableException.class);
        assertThat(outage).isNotNull();
        assertThat(outage.getMessage()).doesNotContain(VISA).doesNotContain("4242");

        // The job executor's retry: same key, and this time the answer comes back in time.
        ChargeResult retried = gateway.chargeCard(card, pounds("25.00"), key, "42");

        assertThat(retried.reference()).startsWith("pi_");
        assertThat(retried.amountMinor()).isEqualTo(2500);
        assertThat(simulator.charges()).extracting(SimulatedCharge::id).containsExactly(retried.reference());
        assertThat(gateway.findCharge(key)).contains(retried);
    }

    @Test
    void anUnreachableGatewayIsGatewayUnavailable() {
        String deadUrl;
        try (GatewaySimulator stopped = GatewaySimulator.start("127.0.0.1", 0, GatewaySimulator.DEFAULT_SECRET_KEY)) {
            deadUrl = stopped.baseUrl();
        }
        StripeStyleGateway unreachable = new StripeStyleGateway(
                new PaymentGatewayProperties(deadUrl, GatewaySimulator.DEFAULT_SECRET_KEY, Duration.ofSeconds(2)));

        assertThatThrownBy(() -> unreachable.chargeCard(card(VISA), pounds("1.00"), newKey(), "1"))
                .isInstanceOf(GatewayUnavailableException.class)
                .hasMessageNotContaining(VISA);
    }

    @Test
    void aWrongSecretKeyIsGatewayUnavailable() {
        StripeStyleGateway misconfigured = gatewayWith("sk_test_not_the_right_key", TIMEOUT);

        GatewayUnavailableException outage = catchThrowableOfType(
                () -> misconfigured.chargeCard(card(VISA), pounds("1.00"), newKey(), "1"),
                GatewayUnavailableException.class);

        assertThat(outage.getMessage()).contains("401")
                .doesNotContain("sk_test_not_the_right_key")
                .doesNotContain(VISA);
        assertThatThrownBy(() -> misconfigured.tokeniseCard(card(VISA), newKey(), "1"))
                .isInstanceOf(GatewayUnavailableException.class);
        assertThatThrownBy(() -> misconfigured.findCharge(newKey())).isInstanceOf(GatewayUnavailableException.class);
        assertThat(simulator.charges()).isEmpty();
        assertThat(simulator.tokens()).isEmpty();
    }

    // ------------------------------------------------------------------ findCharge

    @Test
    void findChargeFindsAChargeByItsIdempotencyKey() {
        String key = newKey();
        gateway.chargeCard(card(MASTERCARD), pounds("3.00"), newKey(), "1");
        ChargeResult charged = gateway.chargeCard(card(VISA), pounds("7.50"), key, "2");
        gateway.chargeCard(card(AMEX), pounds("9.00"), newKey(), "3");

        assertThat(gateway.findCharge(key)).contains(charged);
    }

    @Test
    void findChargeFindsATokenCharge() {
        TokenResult token = gateway.tokeniseCard(card(VISA), newKey(), "1");
        String key = newKey();
        ChargeResult charged = gateway.chargeToken(token.token(), pounds("4.00"), key, "1");

        assertThat(gateway.findCharge(key)).contains(charged);
    }

    @Test
    void findChargeIsEmptyForAnUnknownKey() {
        gateway.chargeCard(card(VISA), pounds("7.50"), newKey(), "2");

        assertThat(gateway.findCharge(newKey())).isEmpty();
    }

    @Test
    void findChargeIsEmptyForADeclinedAttempt() {
        String key = newKey();
        assertThatThrownBy(() -> gateway.chargeCard(card(GENERIC_DECLINE), pounds("5.00"), key, "1"))
                .isInstanceOf(CardDeclinedException.class);

        assertThat(gateway.findCharge(key)).isEmpty();
    }

    @Test
    void findChargeIsEmptyWhenTheChargeNeverArrived() {
        String key = newKey();
        simulator.faults().failNext(1);
        assertThatThrownBy(() -> gateway.chargeCard(card(VISA), pounds("5.00"), key, "1"))
                .isInstanceOf(GatewayUnavailableException.class);

        assertThat(gateway.findCharge(key)).isEmpty();
    }

    // ------------------------------------------------------------------ known bugs
    @Test
    void currencyCodeDoesNotDependOnTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            ChargeResult result = gateway.chargeCard(card(VISA), Money.of(new BigDecimal("100.00"),
                    Currency.getInstance("INR")), newKey(), "1");
            assertThat(result.currency()).isEqualTo("INR");
        } finally {
            Locale.setDefault(before);
        }
    }
}
