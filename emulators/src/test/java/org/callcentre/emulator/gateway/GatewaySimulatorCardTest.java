package org.callcentre.emulator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.emulator.gateway.StripeTestClient.card;
import static org.callcentre.emulator.gateway.StripeTestClient.charge;
import static org.callcentre.emulator.gateway.StripeTestClient.chargeToken;
import static org.callcentre.emulator.gateway.StripeTestClient.params;
import static org.callcentre.emulator.gateway.StripeTestClient.tokenise;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import org.callcentre.emulator.gateway.StripeTestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stripe's test cards on charge (payment intents) and on tokenise (setup intents), over HTTP. */
class GatewaySimulatorCardTest extends SimulatorTest {


    @ParameterizedTest(name = "{0} ({1}) charges")
    @CsvSource({
            "4242424242424242, visa, 4242",
            "5555555555554444, mastercard, 4444",
            "378282246310005, amex, 0005"})
    void successfulCardsCharge(String number, String brand, String last4) throws Exception {
        Reply r = client.post("/v1/payment_intents", charge(1500, number, "k-" + last4), "k-" + last4);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("id").asText()).startsWith("pi_");
        assertThat(r.json().path("object").asText()).isEqualTo("payment_intent");
        assertThat(r.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(r.json().path("amount").asLong()).isEqualTo(1500);
        assertThat(r.json().path("currency").asText()).isEqualTo("gbp");
        assertThat(r.json().path("latest_charge").asText()).startsWith("ch_");
        assertThat(r.json().path("payment_method").asText()).startsWith("pm_");
        assertThat(r.json().path("metadata").path("idempotency_key").asText()).isEqualTo("k-" + last4);
        assertThat(r.json().path("metadata").path("pledge_id").asText()).isEqualTo("pledge-k-" + last4);
        assertThat(r.json().path("description").asText()).isEqualTo("Pledge payment");
        assertThat(r.json().path("created").asLong()).isPositive();

        assertThat(sim.charges()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(r.json().path("id").asText());
            assertThat(c.amount()).isEqualTo(1500);
            assertThat(c.currency()).isEqualTo("gbp");
            assertThat(c.brand()).isEqualTo(brand);
            assertThat(c.last4()).isEqualTo(last4);
            assertThat(c.paymentMethodId()).isEqualTo(r.json().path("payment_method").asText());
            assertThat(c.idempotencyKey()).isEqualTo("k-" + last4);
            assertThat(c.metadata()).containsEntry("pledge_id", "pledge-k-" + last4);
        });

        // The intent can be fetched back.
        Reply fetched = client.get("/v1/payment_intents/" + r.json().path("id").asText());
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json()).isEqualTo(r.json());
    }

    @ParameterizedTest(name = "{0} ({1}) tokenises")
    @CsvSource({
            "4242424242424242, visa, 4242",
            "5555555555554444, mastercard, 4444",
            "378282246310005, amex, 0005"})
    void successfulCardsTokenise(String number, String brand, String last4) throws Exception {
        String customer = client.newCustomer();
        Reply r = client.post("/v1/setup_intents", tokenise(number, customer));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("id").asText()).startsWith("seti_");
        assertThat(r.json().path("customer").asText()).isEqualTo(customer);
        assertThat(r.json().path("object").asText()).isEqualTo("setup_intent");
        assertThat(r.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(r.json().path("usage").asText()).isEqualTo("off_session");
        assertThat(r.json().path("metadata").path("donor_id").asText()).isEqualTo("donor-1");
        String pm = r.json().path("payment_method").asText();
        assertThat(pm).startsWith("pm_");
        assertThat(sim.tokens()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo(pm);
            assertThat(t.brand()).isEqualTo(brand);
            assertThat(t.last4()).isEqualTo(last4);
            assertThat(t.expMonth()).isEqualTo(12);
            assertThat(t.expYear()).isEqualTo(2034);
            assertThat(t.customer()).isEqualTo(customer);
        });
        assertThat(sim.charges()).isEmpty();

        Reply method = client.get("/v1/payment_methods/" + pm);
        assertThat(method.status()).isEqualTo(200);
        assertThat(method.json().path("card").path("brand").asText()).isEqualTo(brand);
        assertThat(method.json().path("card").path("last4").asText()).isEqualTo(last4);
        assertThat(method.json().path("card").path("fingerprint").asText()).hasSize(16);
        assertThat(method.json().path("customer").asText()).isEqualTo(customer);
    }

    @ParameterizedTest(name = "{0} declines on charge with {2}")
    @CsvSource({
            "4000000000000002, card_declined, generic_decline, Your card was declined.",
            "4000000000009995, card_declined, insufficient_funds, Your card has insufficient funds.",
            "4111111111111111, card_declined, test_mode_live_card, Your card was declined. Your request was in test mode"})
    void declinedCardsOnCharge(String number, String code, String declineCode, String message) throws Exception {
        Reply r = client.post("/v1/payment_intents", charge(2500, number, "decl-" + declineCode), "decl-" + declineCode);

        assertThat(r.status()).isEqualTo(402);
        assertThat(r.error().path("type").asText()).isEqualTo("card_error");
        assertThat(r.error().path("code").asText()).isEqualTo(code);
        assertThat(r.error().path("decline_code").asText()).isEqualTo(declineCode);
        assertThat(r.error().path("message").asText()).startsWith(message);
        assertThat(r.error().path("charge").asText()).startsWith("ch_");
        var pi = r.error().path("payment_intent");
        assertThat(pi.path("object").asText()).isEqualTo("payment_intent");
        assertThat(pi.path("status").asText()).isEqualTo("requires_payment_method");
        assertThat(pi.path("amount").asLong()).isEqualTo(2500);
        assertThat(pi.path("metadata").path("idempotency_key").asText()).isEqualTo("decl-" + declineCode);
        assertThat(pi.path("last_payment_error").path("decline_code").asText()).isEqualTo(declineCode);
        assertThat(sim.charges()).isEmpty();

        Reply fetched = client.get("/v1/payment_intents/" + pi.path("id").asText());
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().path("status").asText()).isEqualTo("requires_payment_method");
    }

    @ParameterizedTest(name = "{0} declines on tokenise with {2}")
    @CsvSource({
            "4000000000000002, card_declined, generic_decline",
            "4000000000009995, card_declined, insufficient_funds",
            "4111111111111111, card_declined, test_mode_live_card"})
    void declinedCardsOnTokenise(String number, String code, String declineCode) throws Exception {
        Reply r = client.post("/v1/setup_intents", tokenise(number));

        assertThat(r.status()).isEqualTo(402);
        assertThat(r.error().path("type").asText()).isEqualTo("card_error");
        assertThat(r.error().path("code").asText()).isEqualTo(code);
        assertThat(r.error().path("decline_code").asText()).isEqualTo(declineCode);
        assertThat(r.error().has("payment_intent")).isFalse();
        var si = r.error().path("setup_intent");
        assertThat(si.path("object").asText()).isEqualTo("setup_intent");
        assertThat(si.path("id").asText()).startsWith("seti_");
        assertThat(si.path("status").asText()).isEqualTo("requires_payment_method");
        assertThat(si.path("payment_method").isNull()).isTrue();
        assertThat(sim.tokens()).as("declined cards are never saved").isEmpty();
    }

    @ParameterizedTest(name = "{0}/{1}/{2}/{3} → {4} on {5}")
    @CsvSource({
            "4242424242424241, 12, 2034, 123, incorrect_number, /v1/payment_intents",
            "4242424242424241, 12, 2034, 123, incorrect_number, /v1/setup_intents",
            "42424242, 12, 2034, 123, incorrect_number, /v1/payment_intents",
            "4242x24242424242, 12, 2034, 123, incorrect_number, /v1/payment_intents",
            "4242424242424242, 13, 2034, 123, invalid_expiry_month, /v1/payment_intents",
            "4242424242424242, 0, 2034, 123, invalid_expiry_month, /v1/setup_intents",
            "4242424242424242, ab, 2034, 123, invalid_expiry_month, /v1/payment_intents",
            "4242424242424242, 12, 20345, 123, invalid_expiry_year, /v1/payment_intents",
            "4242424242424242, 12, 2019, 123, expired_card, /v1/payment_intents",
            "4242424242424242, 1, 2020, 123, expired_card, /v1/setup_intents",
            "4242424242424242, 12, 2034, 12, incorrect_cvc, /v1/payment_intents",
            "4242424242424242, 12, 2034, 1234, incorrect_cvc, /v1/payment_intents",
            "4242424242424242, 12, 2034, 12a, incorrect_cvc, /v1/setup_intents",
            "378282246310005, 12, 2034, 123, incorrect_cvc, /v1/payment_intents",
            "378282246310005, 12, 2034, 12345, incorrect_cvc, /v1/setup_intents"})
    void malformedCardsAreCardErrors(String number, String month, String year, String cvc, String code, String path)
            throws Exception {
        Map<String, String> p = path.endsWith("payment_intents")
                ? params("amount", "1000", "currency", "gbp", "confirm", "true")
                : params("confirm", "true", "usage", "off_session");
        p.putAll(card(number, month, year, cvc));

        Reply r = client.post(path, p);

        assertThat(r.status()).isEqualTo(402);
        assertThat(r.error().path("type").asText()).isEqualTo("card_error");
        assertThat(r.error().path("code").asText()).isEqualTo(code);
        assertThat(r.error().path("message").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain(number);
        assertThat(sim.charges()).isEmpty();
        assertThat(sim.tokens()).isEmpty();
    }

    @Test
    void expiryThisMonthIsStillValidAndTwoDigitYearsAreAccepted() throws Exception {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        Map<String, String> p = params("amount", "100", "currency", "GBP", "confirm", "true");
        p.putAll(card("4242424242424242", Integer.toString(now.getMonthValue()), Integer.toString(now.getYear() % 100), "123"));

        Reply r = client.post("/v1/payment_intents", p);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("currency").asText()).as("currency is normalised to lowercase").isEqualTo("gbp");
    }

    @Test
    void amexNeedsFourDigitCvc() throws Exception {
        Map<String, String> p = params("amount", "100", "currency", "gbp", "confirm", "true");
        p.putAll(card("378282246310005", "12", "2034", "1234"));
        assertThat(client.post("/v1/payment_intents", p).status()).isEqualTo(200);
    }

    @Test
    void savedTokenCanBeChargedOffSession() throws Exception {
        String customer = client.newCustomer();
        String pm = client.post("/v1/setup_intents", tokenise("5555555555554444", customer)).json()
                .path("payment_method").asText();

        Reply first = client.post("/v1/payment_intents", chargeToken(1000, pm, customer, "monthly-1"), "monthly-1");
        Reply second = client.post("/v1/payment_intents", chargeToken(1000, pm, customer, "monthly-2"), "monthly-2");

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(first.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(first.json().path("payment_method").asText()).isEqualTo(pm);
        assertThat(first.json().path("id").asText()).isNotEqualTo(second.json().path("id").asText());
        assertThat(sim.charges()).hasSize(2).allSatisfy(c -> {
            assertThat(c.paymentMethodId()).isEqualTo(pm);
            assertThat(c.brand()).isEqualTo("mastercard");
            assertThat(c.last4()).isEqualTo("4444");
        });
        assertThat(sim.charges()).extracting(SimulatedCharge::idempotencyKey).containsExactly("monthly-1", "monthly-2");
    }

    @Test
    void cardThatSavesButDeclinesOnCharge() throws Exception {
        // Stripe's 4000000000000341: attaching succeeds, charges fail.
        String customer = client.newCustomer();
        Reply saved = client.post("/v1/setup_intents", tokenise("4000000000000341", customer));
        assertThat(saved.status()).isEqualTo(200);
        String pm = saved.json().path("payment_method").asText();

        Reply r = client.post("/v1/payment_intents", chargeToken(1000, pm, customer, "recurring-1"));

        assertThat(r.status()).isEqualTo(402);
        assertThat(r.error().path("decline_code").asText()).isEqualTo("generic_decline");
        assertThat(r.error().path("payment_intent").path("status").asText()).isEqualTo("requires_payment_method");
        assertThat(sim.charges()).isEmpty();
    }

    @Test
    void chargingAnUnknownOrSpentPaymentMethodIsRefused() throws Exception {
        Reply unknown = client.post("/v1/payment_intents", chargeToken(1000, "pm_doesnotexist", null, "x"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error().path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(unknown.error().path("code").asText()).isEqualTo("resource_missing");
        assertThat(unknown.error().path("param").asText()).isEqualTo("payment_method");

        // A payment method used by a one-off charge is not saved, so it is not chargeable again.
        String oneOff = client.post("/v1/payment_intents", charge(100, "4242424242424242", "one-off"))
                .json().path("payment_method").asText();
        Reply again = client.post("/v1/payment_intents", chargeToken(100, oneOff, null, "again"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error().path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(again.error().path("param").asText()).isEqualTo("payment_method");
        assertThat(again.error().path("message").asText()).contains("previously used without being attached");
        assertThat(sim.charges()).hasSize(1);
    }

    @Test
    void everyPublishedTestCardPassesLuhnAndHasABrand() {
        for (String n : TestCards.knownNumbers()) {
            assertThat(TestCards.luhnValid(n)).as(n).isTrue();
            assertThat(TestCards.brand(n)).as(n).isNotEqualTo("unknown");
        }
        assertThat(TestCards.luhnValid("4242424242424241")).isFalse();
    }
}
