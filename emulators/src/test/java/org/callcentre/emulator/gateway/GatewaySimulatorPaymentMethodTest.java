package org.callcentre.emulator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.emulator.gateway.StripeTestClient.params;
import static org.callcentre.emulator.gateway.StripeTestClient.paymentMethod;

import java.util.Map;
import org.callcentre.emulator.gateway.StripeTestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Payment methods as Stripe has them: created once from the card, confirmed by intents that name only their id,
 * spent by their first confirmation unless saved to a customer; MOTO, 3-D Secure and charges that settle later.
 */
class GatewaySimulatorPaymentMethodTest extends SimulatorTest {

    private static final String VISA = "4242424242424242";
    private static final String ALWAYS_AUTHENTICATE = "4000002760003184";
    private static final String AUTHENTICATE_UNLESS_SET_UP = "4000002500003155";

    /** A MOTO charge of {@code pm} as the app sends it; {@code extra} are further key/value pairs. */
    private static Map<String, String> charge(String pm, boolean moto, String... extra) {
        Map<String, String> p = params("amount", "2500", "currency", "gbp", "confirm", "true", "payment_method", pm,
                "metadata[pledge_id]", "42");
        if (moto) {
            p.put("payment_method_options[card][moto]", "true");
        }
        p.putAll(params(extra));
        return p;
    }

    private static Map<String, String> setup(String pm, boolean moto, String... extra) {
        Map<String, String> p = params("confirm", "true", "usage", "off_session", "payment_method", pm);
        if (moto) {
            p.put("payment_method_options[card][moto]", "true");
        }
        p.putAll(params(extra));
        return p;
    }

    @Test
    void aPaymentMethodIsMadeFromTheCardAndShowsOnlyWhatMaySafelyBeShown() throws Exception {
        Reply r = client.post("/v1/payment_methods", paymentMethod(VISA, "123"), "pm-1");

        assertThat(r.status()).isEqualTo(200);
        String pm = r.json().path("id").asText();
        assertThat(pm).startsWith("pm_");
        assertThat(r.json().path("object").asText()).isEqualTo("payment_method");
        assertThat(r.json().path("customer").isNull()).isTrue();
        assertThat(r.json().path("card").path("last4").asText()).isEqualTo("4242");
        assertThat(r.json().path("card").path("checks").path("cvc_check").asText()).isEqualTo("unchecked");
        assertThat(r.body()).doesNotContain(VISA).doesNotContain("\"cvc\"");
        assertThat(client.post("/v1/payment_methods", paymentMethod(VISA, "123"), "pm-1").json().path("id").asText())
                .as("replayed").isEqualTo(pm);
        assertThat(client.get("/v1/payment_methods/" + pm).json().path("card").path("brand").asText()).isEqualTo("visa");
    }

    @Test
    void aPaymentMethodNeedsNoSecurityCodeButABadOneIsACardError() throws Exception {
        assertThat(client.post("/v1/payment_methods", paymentMethod(VISA, null)).status()).isEqualTo(200);

        Reply badCvc = client.post("/v1/payment_methods", paymentMethod(VISA, "12"));
        assertThat(badCvc.status()).isEqualTo(402);
        assertThat(badCvc.error().path("code").asText()).isEqualTo("incorrect_cvc");
        assertThat(badCvc.error().path("param").asText()).isEqualTo("card[cvc]");

        Reply badNumber = client.post("/v1/payment_methods", paymentMethod("4242424242424241", "123"));
        assertThat(badNumber.status()).isEqualTo(402);
        assertThat(badNumber.error().path("code").asText()).isEqualTo("incorrect_number");

        Map<String, String> noNumber = paymentMethod(VISA, "123");
        noNumber.remove("card[number]");
        Reply missing = client.post("/v1/payment_methods", noNumber);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.error().path("param").asText()).isEqualTo("card[number]");
    }

    @Test
    void theMotoFlagIsRecordedOnChargesAndSetups() throws Exception {
        Reply charged = client.post("/v1/payment_intents", charge(client.newPaymentMethod(VISA), true), "c-1");
        Reply plain = client.post("/v1/payment_intents", charge(client.newPaymentMethod(VISA), false), "c-2");
        Reply saved = client.post("/v1/setup_intents",
                setup(client.newPaymentMethod(VISA), true, "customer", client.newCustomer()), "s-1");

        assertThat(charged.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(charged.json().path("payment_method_options").path("card").path("moto").asBoolean()).isTrue();
        assertThat(plain.json().path("payment_method_options").path("card").has("moto")).isFalse();
        assertThat(sim.charges()).extracting(SimulatedCharge::idempotencyKey, SimulatedCharge::moto)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c-1", true),
                        org.assertj.core.groups.Tuple.tuple("c-2", false));
        assertThat(saved.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(sim.setups()).singleElement().satisfies(s -> {
            assertThat(s.moto()).isTrue();
            assertThat(s.idempotencyKey()).isEqualTo("s-1");
        });
    }

    @ParameterizedTest(name = "{0} asks for 3-D Secure on a one-off charge that is not MOTO")
    @ValueSource(strings = {ALWAYS_AUTHENTICATE, AUTHENTICATE_UNLESS_SET_UP})
    void threeDSecureCardsNeedAuthenticationUnlessMoto(String number) throws Exception {
        Reply notMoto = client.post("/v1/payment_intents", charge(client.newPaymentMethod(number), false));

        assertThat(notMoto.status()).isEqualTo(200);
        assertThat(notMoto.json().path("status").asText()).isEqualTo("requires_action");
        assertThat(notMoto.json().path("next_action").path("type").asText()).isEqualTo("use_stripe_sdk");
        assertThat(notMoto.json().path("amount_received").asLong()).isZero();
        assertThat(sim.charges()).isEmpty();
        String id = notMoto.json().path("id").asText();
        assertThat(client.get("/v1/payment_intents/" + id).json().path("status").asText()).isEqualTo("requires_action");

        Reply moto = client.post("/v1/payment_intents", charge(client.newPaymentMethod(number), true));

        assertThat(moto.status()).isEqualTo(200);
        assertThat(moto.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(moto.json().path("next_action").isNull()).isTrue();
        assertThat(sim.charges()).singleElement().satisfies(c -> assertThat(c.moto()).isTrue());
    }

    @Test
    void setupsOfTheAlwaysCardNeedAuthenticationUnlessMotoAndTheOtherCardSetsUpWithout() throws Exception {
        String customer = client.newCustomer();
        Reply always = client.post("/v1/setup_intents",
                setup(client.newPaymentMethod(ALWAYS_AUTHENTICATE), false, "customer", customer));
        Reply alwaysMoto = client.post("/v1/setup_intents",
                setup(client.newPaymentMethod(ALWAYS_AUTHENTICATE), true, "customer", customer));
        Reply unlessSetUp = client.post("/v1/setup_intents",
                setup(client.newPaymentMethod(AUTHENTICATE_UNLESS_SET_UP), false, "customer", customer));

        assertThat(always.json().path("status").asText()).isEqualTo("requires_action");
        assertThat(always.json().path("next_action").path("type").asText()).isEqualTo("use_stripe_sdk");
        assertThat(alwaysMoto.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(unlessSetUp.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(sim.tokens()).extracting(SimulatedToken::id).containsExactly(
                alwaysMoto.json().path("payment_method").asText(), unlessSetUp.json().path("payment_method").asText());
    }

    @Test
    void offSessionChargesOfASavedCardFollowTheCardsRules() throws Exception {
        String customer = client.newCustomer();
        String unlessSetUp = client.post("/v1/setup_intents",
                setup(client.newPaymentMethod(AUTHENTICATE_UNLESS_SET_UP), true, "customer", customer))
                .json().path("payment_method").asText();
        String always = client.post("/v1/setup_intents",
                setup(client.newPaymentMethod(ALWAYS_AUTHENTICATE), true, "customer", customer))
                .json().path("payment_method").asText();

        Reply fine = client.post("/v1/payment_intents",
                charge(unlessSetUp, false, "customer", customer, "off_session", "true"));
        Reply needsTheDonor = client.post("/v1/payment_intents",
                charge(always, false, "customer", customer, "off_session", "true"));

        assertThat(fine.json().path("status").asText()).isEqualTo("succeeded");
        // Off session there is no one to authenticate: Stripe answers 402 authentication_required.
        assertThat(needsTheDonor.status()).isEqualTo(402);
        assertThat(needsTheDonor.error().path("code").asText()).isEqualTo("authentication_required");
        assertThat(needsTheDonor.error().path("payment_intent").path("status").asText())
                .isEqualTo("requires_payment_method");
        assertThat(sim.charges()).singleElement().satisfies(c -> {
            assertThat(c.paymentMethodId()).isEqualTo(unlessSetUp);
            assertThat(c.offSession()).isTrue();
            assertThat(c.customer()).isEqualTo(customer);
        });
    }

    @Test
    void anIssuerThatRefusesTheMotoExemptionAsksForAuthenticationWhateverTheCard() throws Exception {
        sim.faults().requireAuthentication(true);
        String customer = client.newCustomer();

        Reply charge = client.post("/v1/payment_intents", charge(client.newPaymentMethod(VISA), true));
        Reply setup = client.post("/v1/setup_intents",
                setup(client.newPaymentMethod(VISA), true, "customer", customer));

        assertThat(charge.json().path("status").asText()).isEqualTo("requires_action");
        assertThat(charge.json().path("payment_method_options").path("card").path("moto").asBoolean()).isTrue();
        assertThat(setup.json().path("status").asText()).isEqualTo("requires_action");
        assertThat(sim.charges()).isEmpty();
        assertThat(sim.tokens()).isEmpty();

        sim.faults().clear();
        assertThat(sim.faults().requiringAuthentication()).isFalse();
        assertThat(client.post("/v1/payment_intents", charge(client.newPaymentMethod(VISA), true))
                .json().path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void aProcessingChargeSettlesAsSucceededWhenTheTestSaysSo() throws Exception {
        sim.faults().processing(GatewayFaults.Settlement.SUCCEEDS);
        String pm = client.newPaymentMethod(VISA);

        Reply first = client.post("/v1/payment_intents", charge(pm, true), "slow-bank");
        String id = first.json().path("id").asText();

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("status").asText()).isEqualTo("processing");
        assertThat(first.json().path("amount_received").asLong()).isZero();
        assertThat(sim.charges()).isEmpty();
        assertThat(client.get("/v1/payment_intents/" + id).json().path("status").asText()).isEqualTo("processing");

        assertThat(sim.settleProcessing()).containsExactly(id);

        Reply settled = client.get("/v1/payment_intents/" + id);
        assertThat(settled.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(settled.json().path("amount_received").asLong()).isEqualTo(2500);
        assertThat(sim.charges()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(id);
            assertThat(c.idempotencyKey()).isEqualTo("slow-bank");
        });
        // The replay answers what the first request answered, as Stripe does; the GET is what tells the state.
        Reply replay = client.post("/v1/payment_intents", charge(pm, true), "slow-bank");
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.json().path("id").asText()).isEqualTo(id);
        assertThat(sim.settleProcessing()).isEmpty();
        assertThat(sim.charges()).hasSize(1);
    }

    @Test
    void aProcessingChargeCanSettleAsADecline() throws Exception {
        sim.faults().processing(GatewayFaults.Settlement.DECLINES);
        String id = client.post("/v1/payment_intents", charge(client.newPaymentMethod(VISA), true))
                .json().path("id").asText();

        sim.settleProcessing();

        Reply settled = client.get("/v1/payment_intents/" + id);
        assertThat(settled.json().path("status").asText()).isEqualTo("requires_payment_method");
        assertThat(settled.json().path("last_payment_error").path("code").asText()).isEqualTo("card_declined");
        assertThat(settled.json().path("last_payment_error").path("decline_code").asText()).isEqualTo("generic_decline");
        assertThat(sim.charges()).isEmpty();
    }

    @Test
    void processingAndSettlingThroughTheControlEndpoints() throws Exception {
        StripeTestClient anon = client.withKey(null);
        Reply set = anon.postJson("/__simulator/faults", "{\"mode\":\"processing\",\"settle\":\"declined\"}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().path("processing").asText()).isEqualTo("declined");
        String id = client.post("/v1/payment_intents", charge(client.newPaymentMethod(VISA), true))
                .json().path("id").asText();

        Reply settled = anon.postJson("/__simulator/settle", "");

        assertThat(settled.json().path("settled")).extracting(n -> n.asText()).containsExactly(id);
        assertThat(client.get("/v1/payment_intents/" + id).json().path("status").asText())
                .isEqualTo("requires_payment_method");
        assertThat(anon.postJson("/__simulator/faults", "{\"mode\":\"requireAuthentication\"}").json()
                .path("requireAuthentication").asBoolean()).isTrue();
        assertThat(anon.postJson("/__simulator/faults", "{\"mode\":\"none\"}").json().path("processing").isNull())
                .isTrue();
        assertThat(sim.faults().requiringAuthentication()).isFalse();
    }

    @Test
    void aPaymentMethodChargedWithoutSavingCannotBeUsedAgain() throws Exception {
        String pm = client.newPaymentMethod(VISA);
        assertThat(client.post("/v1/payment_intents", charge(pm, true)).status()).isEqualTo(200);

        Reply again = client.post("/v1/payment_intents", charge(pm, true));
        Reply setup = client.post("/v1/setup_intents", setup(pm, true, "customer", client.newCustomer()));

        for (Reply r : new Reply[] {again, setup}) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.error().path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(r.error().path("message").asText()).contains("may not be used again");
        }
        assertThat(sim.charges()).hasSize(1);
        assertThat(client.get("/v1/payment_methods/" + pm).json().path("customer").isNull()).isTrue();
    }

    @Test
    void setupFutureUsageWithoutACustomerSavesNothing() throws Exception {
        String pm = client.newPaymentMethod(VISA);
        Reply charged = client.post("/v1/payment_intents", charge(pm, true, "setup_future_usage", "off_session"));

        assertThat(charged.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(charged.json().path("setup_future_usage").asText()).isEqualTo("off_session");
        assertThat(sim.tokens()).isEmpty();
        assertThat(client.post("/v1/payment_intents", charge(pm, false, "off_session", "true")).status())
                .isEqualTo(400);
    }

    @Test
    void aChargeThatSavesTheCardLetsItBeChargedOffSessionWithoutTheSecurityCode() throws Exception {
        String customer = client.newCustomer();
        String pm = client.newPaymentMethod(VISA);
        assertThat(sim.holdsSecurityCode(pm)).isTrue();

        Reply first = client.post("/v1/payment_intents",
                charge(pm, true, "customer", customer, "setup_future_usage", "off_session"));

        assertThat(first.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(sim.holdsSecurityCode(pm)).isFalse();
        Reply method = client.get("/v1/payment_methods/" + pm);
        assertThat(method.json().path("customer").asText()).isEqualTo(customer);
        assertThat(method.json().path("card").path("checks").path("cvc_check").asText()).isEqualTo("pass");
        assertThat(sim.tokens()).singleElement().satisfies(t -> assertThat(t.id()).isEqualTo(pm));

        Reply later = client.post("/v1/payment_intents", charge(pm, false, "customer", customer, "off_session", "true"));

        assertThat(later.status()).isEqualTo(200);
        assertThat(later.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(sim.charges()).hasSize(2);
    }

    @Test
    void aSavedPaymentMethodIsChargedOnlyWithItsOwnCustomer() throws Exception {
        String customer = client.newCustomer();
        String pm = client.newPaymentMethod(VISA);
        client.post("/v1/setup_intents", setup(pm, true, "customer", customer));

        Reply withoutCustomer = client.post("/v1/payment_intents", charge(pm, false, "off_session", "true"));
        Reply otherCustomer = client.post("/v1/payment_intents",
                charge(pm, false, "off_session", "true", "customer", client.newCustomer()));
        Reply unknownCustomer = client.post("/v1/payment_intents",
                charge(pm, false, "off_session", "true", "customer", "cus_nope"));

        assertThat(withoutCustomer.status()).isEqualTo(400);
        assertThat(withoutCustomer.error().path("param").asText()).isEqualTo("customer");
        assertThat(otherCustomer.status()).isEqualTo(400);
        assertThat(unknownCustomer.status()).isEqualTo(400);
        assertThat(unknownCustomer.error().path("code").asText()).isEqualTo("resource_missing");
        assertThat(sim.charges()).isEmpty();
        assertThat(client.get("/v1/customers/" + customer).json().path("object").asText()).isEqualTo("customer");
    }

    @Test
    void aSetupWithoutACustomerSucceedsButSavesNothing() throws Exception {
        String pm = client.newPaymentMethod(VISA);

        Reply setup = client.post("/v1/setup_intents", setup(pm, true));

        assertThat(setup.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(sim.tokens()).isEmpty();
        assertThat(client.post("/v1/payment_intents", charge(pm, false, "off_session", "true")).status())
                .isEqualTo(400);
    }
}
