package org.callcentre.emulator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.emulator.gateway.StripeTestClient.card;
import static org.callcentre.emulator.gateway.StripeTestClient.charge;
import static org.callcentre.emulator.gateway.StripeTestClient.chargeToken;
import static org.callcentre.emulator.gateway.StripeTestClient.params;
import static org.callcentre.emulator.gateway.StripeTestClient.tokenise;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The simulator never stores or logs a full card number: not in its records, its stored intents and
 * payment methods, its idempotency store, its HTTP answers, nor its log output.
 */
class CardDataHygieneTest {

    private static final List<String> NUMBERS = List.of(
            "4242424242424242", "5555555555554444", "378282246310005", "4000000000000002", "4000000000009995",
            "4000000000000341", "4111111111111111", "4242424242424241", "5105105105105100");

    @Test
    void noFullCardNumberInStateAnswersOrLogs() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> answers = new ArrayList<>();
        String state;
        List<SimulatedCharge> charges;
        List<SimulatedToken> tokens;
        // slf4j-simple writes to whatever System.err is at the time of each log call.
        System.setErr(new PrintStream(new TeeStream(originalErr, captured), true, StandardCharsets.UTF_8));
        try (GatewaySimulator sim = GatewaySimulator.start("127.0.0.1", 0, "sk_test_simulator")) {
            StripeTestClient client = new StripeTestClient(sim.baseUrl(), "sk_test_simulator");
            int i = 0;
            for (String number : NUMBERS) {
                String key = "hyg-" + i++;
                answers.add(client.post("/v1/payment_intents", charge(1234, number, key), key).body());
                answers.add(client.post("/v1/payment_intents", charge(1234, number, key), key).body()); // replay
                answers.add(client.post("/v1/payment_intents", charge(999, number, key), key).body()); // mismatch
                String customer = client.newCustomer();
                StripeTestClient.Reply saved = client.post("/v1/setup_intents", tokenise(number, customer), "save-" + key);
                answers.add(saved.body());
                if (saved.status() == 200) {
                    String pm = saved.json().path("payment_method").asText();
                    answers.add(client.post("/v1/payment_intents", chargeToken(500, pm, customer, key + "-t")).body());
                    answers.add(client.get("/v1/payment_methods/" + pm).body());
                }
                // Malformed variants of the same number.
                Map<String, String> badExpiry = params("amount", "10", "currency", "gbp", "confirm", "true");
                badExpiry.putAll(card(number, "13", "2034", "123"));
                answers.add(client.post("/v1/payment_intents", badExpiry).body());
                Map<String, String> badCvc = params("amount", "10", "currency", "gbp", "confirm", "true");
                badCvc.putAll(card(number, "12", "2034", "1"));
                answers.add(client.post("/v1/payment_intents", badCvc).body());
            }
            // Faulted and slow requests carry card data too.
            sim.faults().failNext(1);
            answers.add(client.post("/v1/payment_intents", charge(1, "4242424242424242", "fault"), "fault").body());
            sim.faults().slowNext(1, Duration.ofMillis(50));
            answers.add(client.post("/v1/payment_intents", charge(1, "4242424242424242", "fault"), "fault").body());
            answers.add(client.withKey("sk_test_wrong").post("/v1/payment_intents", charge(1, "4242424242424242", "x")).body());
            answers.add(client.withKey(null).get("/__simulator/charges").body());
            answers.add(client.withKey(null).get("/__simulator/tokens").body());

            state = sim.stateSnapshot();
            charges = sim.charges();
            tokens = sim.tokens();
        } finally {
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(charges).isNotEmpty();
        assertThat(tokens).isNotEmpty();
        // A field named cvc, in JSON or in a record's toString. (Not the bare letters: a random
        // 24-character object id contains "cvc" now and then.)
        assertThat(state).contains("4242").doesNotContain("\"cvc\"").doesNotContain("cvc=");
        if (LoggerFactory.getLogger(GatewaySimulator.class).isInfoEnabled()) {
            assertThat(log).as("the capture works").contains(charges.get(0).id()).contains("****4242");
        }
        for (String number : NUMBERS) {
            assertThat(state).as("stored state").doesNotContain(number);
            assertThat(charges.toString()).as("charges()").doesNotContain(number);
            assertThat(tokens.toString()).as("tokens()").doesNotContain(number);
            assertThat(log).as("log output").doesNotContain(number);
            for (String answer : answers) {
                assertThat(answer).as("HTTP answer").doesNotContain(number);
            }
        }
    }

    /**
     * A payment method keeps its security code only until its first confirmation, whatever that confirmation's
     * outcome: a charge, a charge that saves the card, a setup, a decline, a 3-D Secure challenge.
     */
    @Test
    void theSecurityCodeIsGoneAfterThePaymentMethodsFirstConfirmation() throws Exception {
        try (GatewaySimulator sim = GatewaySimulator.start("127.0.0.1", 0, "sk_test_simulator")) {
            StripeTestClient client = new StripeTestClient(sim.baseUrl(), "sk_test_simulator");
            String customer = client.newCustomer();
            Map<String, Map<String, String>> confirmations = new java.util.LinkedHashMap<>();
            confirmations.put("/v1/payment_intents 4242424242424242", moto(params("amount", "100", "currency", "gbp",
                    "confirm", "true")));
            confirmations.put("/v1/payment_intents 5555555555554444", moto(params("amount", "100", "currency", "gbp",
                    "confirm", "true", "customer", customer, "setup_future_usage", "off_session")));
            confirmations.put("/v1/setup_intents 4242424242424242", moto(params("confirm", "true",
                    "customer", customer)));
            confirmations.put("/v1/payment_intents 4000000000000002", moto(params("amount", "100", "currency", "gbp",
                    "confirm", "true")));
            confirmations.put("/v1/payment_intents 4000002760003184", params("amount", "100", "currency", "gbp",
                    "confirm", "true"));
            for (Map.Entry<String, Map<String, String>> c : confirmations.entrySet()) {
                String[] endpointAndCard = c.getKey().split(" ");
                String securityCode = "987";
                String pm = client.post("/v1/payment_methods",
                        StripeTestClient.paymentMethod(endpointAndCard[1], securityCode)).json().path("id").asText();
                assertThat(sim.holdsSecurityCode(pm)).as("held until first use: " + c.getKey()).isTrue();
                assertThat(sim.stateSnapshot()).as("the snapshot shows what is held").contains("\"" + pm + "\":\"987\"");

                Map<String, String> confirm = new java.util.LinkedHashMap<>(c.getValue());
                confirm.put("payment_method", pm);
                int status = client.post(endpointAndCard[0], confirm).status();

                assertThat(status).as(c.getKey()).isIn(200, 402);
                assertThat(sim.holdsSecurityCode(pm)).as("after first use: " + c.getKey()).isFalse();
                assertThat(sim.stateSnapshot()).as(c.getKey()).contains("\"held_security_codes\":{}");
            }
        }
    }

    private static Map<String, String> moto(Map<String, String> p) {
        p.put("payment_method_options[card][moto]", "true");
        return p;
    }

    @Test
    void formParamsNeverPrintValues() {
        FormParams p = FormParams.parse(StripeTestClient.form(card("4242424242424242")));
        assertThat(p.toString()).doesNotContain("4242424242424242").contains("payment_method_data[card][number]");
        assertThat(p.digest("POST", "/v1/payment_intents")).hasSize(64).doesNotContain("4242");
    }

    /** Writes to two streams. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
