package org.callcentre.emulator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.emulator.gateway.StripeTestClient.card;
import static org.callcentre.emulator.gateway.StripeTestClient.charge;
import static org.callcentre.emulator.gateway.StripeTestClient.params;
import static org.callcentre.emulator.gateway.StripeTestClient.tokenise;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import org.callcentre.emulator.gateway.StripeTestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Authentication, validation and retrieval, over HTTP. */
class GatewaySimulatorApiTest extends SimulatorTest {


    @Test
    void baseUrlAndPort() {
        assertThat(sim.port()).isPositive();
        assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port());
    }

    @Test
    void missingKeyIs401() throws Exception {
        Reply r = client.withKey(null).post("/v1/payment_intents", charge(100, "4242424242424242", "a"), "a");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error().path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(r.error().path("message").asText()).startsWith("You did not provide an API key");
        assertThat(sim.charges()).isEmpty();
        assertThat(sim.requestCount()).isEqualTo(1);
        assertThat(sim.processedCount()).isZero();
    }

    @Test
    void wrongKeyIs401AndTheKeyIsNotEchoed() throws Exception {
        String wrong = "sk_test_51HxYzWrongKeyValue9876";
        Reply r = client.withKey(wrong).post("/v1/payment_intents", charge(100, "4242424242424242", "a"), "a");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error().path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(r.error().path("message").asText()).startsWith("Invalid API Key provided: sk_test_").endsWith("9876");
        assertThat(r.body()).doesNotContain(wrong).doesNotContain(KEY);
        assertThat(client.withKey("short").get("/v1/payment_intents/pi_x").body()).doesNotContain("short");
        assertThat(client.withKey(KEY + "x").get("/v1/payment_intents/pi_x").status()).isEqualTo(401);
        assertThat(sim.charges()).isEmpty();
    }

    @Test
    void basicAuthWithTheKeyAsUserIsAccepted() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String basic = Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/payment_intents/pi_x"))
                .header("Authorization", "Basic " + basic).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404); // authenticated; the intent just does not exist
    }

    @Test
    void maskKeepsOnlyPrefixAndLastFour() {
        assertThat(GatewaySimulator.mask("sk_test_abcdefghijkl1234")).isEqualTo("sk_test_************1234");
        assertThat(GatewaySimulator.mask("sk_test_abc")).isEqualTo("sk_test_***");
        assertThat(GatewaySimulator.mask("whatever")).isEqualTo("********");
    }

    @ParameterizedTest(name = "without {0}")
    @CsvSource({"amount", "currency", "confirm", "payment_method_data[card][number]", "payment_method_data[card][exp_month]",
            "payment_method_data[card][exp_year]", "payment_method_data[card][cvc]", "payment_method_data[type]"})
    void missingChargeParameterIs400(String param) throws Exception {
        Map<String, String> p = charge(100, "4242424242424242", "m");
        p.remove(param);

        Reply r = client.post("/v1/payment_intents", p);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error().path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(r.error().path("code").asText()).isEqualTo("parameter_missing");
        assertThat(r.error().path("param").asText()).isEqualTo(param);
        assertThat(sim.charges()).isEmpty();
    }

    @Test
    void chargeWithoutAnyPaymentMethodIs400() throws Exception {
        Reply r = client.post("/v1/payment_intents", params("amount", "100", "currency", "gbp", "confirm", "true"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error().path("code").asText()).isEqualTo("parameter_missing");
        assertThat(r.error().path("param").asText()).isEqualTo("payment_method");
    }

    @Test
    void tokeniseWithoutCardIs400() throws Exception {
        Reply r = client.post("/v1/setup_intents", params("confirm", "true", "usage", "off_session"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error().path("code").asText()).isEqualTo("parameter_missing");
        assertThat(r.error().path("param").asText()).isEqualTo("payment_method");
    }

    @ParameterizedTest(name = "{0}={1} → {2}")
    @CsvSource({
            "amount, abc, parameter_invalid_integer",
            "amount, 12.50, parameter_invalid_integer",
            "amount, 0, parameter_invalid_integer",
            "amount, -5, parameter_invalid_integer",
            "amount, 100000000, amount_too_large",
            "currency, pounds, parameter_invalid",
            "currency, g1p, parameter_invalid",
            "confirm, false, parameter_invalid",
            "confirm, yes, parameter_invalid_boolean",
            "off_session, maybe, parameter_invalid_boolean",
            "capture_method, manual, parameter_invalid",
            "payment_method_data[type], sepa_debit, parameter_invalid",
            "payment_method, pm_123, parameter_invalid",
            "colour, blue, parameter_unknown"})
    void invalidChargeParameterIs400(String param, String value, String code) throws Exception {
        Map<String, String> p = charge(100, "4242424242424242", "v");
        p.put(param, value);

        Reply r = client.post("/v1/payment_intents", p);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error().path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(r.error().path("code").asText()).isEqualTo(code);
        assertThat(sim.charges()).isEmpty();
    }

    @Test
    void invalidUsageOnSetupIs400() throws Exception {
        Map<String, String> p = tokenise("4242424242424242");
        p.put("usage", "sometimes");
        Reply r = client.post("/v1/setup_intents", p);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error().path("param").asText()).isEqualTo("usage");
    }

    @Test
    void unknownIntentIs404ResourceMissing() throws Exception {
        Reply r = client.get("/v1/payment_intents/pi_nope");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.error().path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(r.error().path("code").asText()).isEqualTo("resource_missing");
        assertThat(r.error().path("message").asText()).contains("pi_nope");
        assertThat(client.get("/v1/setup_intents/seti_nope").error().path("code").asText()).isEqualTo("resource_missing");
        assertThat(client.get("/v1/payment_methods/pm_nope").error().path("code").asText()).isEqualTo("resource_missing");
    }

    @Test
    void unknownRouteIs404() throws Exception {
        Reply r = client.get("/v1/customers");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.error().path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(r.error().path("message").asText()).startsWith("Unrecognized request URL (GET: /v1/customers)");
    }

    @Test
    void controlEndpointsNeedNoAuthAndAreNotCounted() throws Exception {
        StripeTestClient anon = client.withKey(null);
        client.post("/v1/setup_intents", tokenise("4242424242424242", client.newCustomer()));

        Reply tokens = anon.get("/__simulator/tokens");
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(tokens.json()).singleElement().satisfies(t -> assertThat(t.path("last4").asText()).isEqualTo("4242"));
        Reply stats = anon.get("/__simulator/stats");
        assertThat(stats.json().path("requestCount").asInt()).isEqualTo(2);
        assertThat(stats.json().path("processedCount").asInt()).isEqualTo(2);
        assertThat(anon.get("/__simulator/faults").json().path("failAll").asBoolean()).isFalse();

        assertThat(anon.postJson("/__simulator/reset", "").status()).isEqualTo(200);
        assertThat(sim.tokens()).isEmpty();
        assertThat(sim.requestCount()).isZero();
    }

    @Test
    void recordsAreCopies() throws Exception {
        client.post("/v1/payment_intents", charge(100, "4242424242424242", "c"));
        var charges = sim.charges();
        Consumer<Runnable> mutationFails = r -> org.assertj.core.api.Assertions.assertThatThrownBy(r::run)
                .isInstanceOf(UnsupportedOperationException.class);
        mutationFails.accept(() -> charges.clear());
        mutationFails.accept(() -> charges.get(0).metadata().put("x", "y"));
        client.post("/v1/payment_intents", charge(100, "4242424242424242", "d"));
        assertThat(charges).hasSize(1);
        assertThat(sim.charges()).hasSize(2);
    }

    @Test
    void rawCardChargeAlsoWorksWithoutIdempotencyKey() throws Exception {
        Map<String, String> p = params("amount", "100", "currency", "eur", "confirm", "true");
        p.putAll(card("5555555555554444"));
        Reply r = client.post("/v1/payment_intents", p);
        assertThat(r.status()).isEqualTo(200);
        assertThat(sim.charges()).singleElement().satisfies(c -> {
            assertThat(c.idempotencyKey()).isNull();
            assertThat(c.metadata()).isEmpty();
            assertThat(c.currency()).isEqualTo("eur");
        });
    }
}
