package org.callcentre.emulator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** A minimal Stripe-style client over java.net.http, for the simulator's tests. */
final class StripeTestClient {

    record Reply(int status, String body, JsonNode json, HttpHeaders headers) {
        JsonNode error() {
            return json.path("error");
        }

        boolean replayed() {
            return headers.firstValue("Idempotent-Replayed").map("true"::equals).orElse(false);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;
    private final String apiKey;

    StripeTestClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    StripeTestClient withKey(String key) {
        return new StripeTestClient(baseUrl, key);
    }

    Reply post(String path, Map<String, String> params) throws IOException, InterruptedException {
        return post(path, params, null, Duration.ofSeconds(10));
    }

    Reply post(String path, Map<String, String> params, String idempotencyKey) throws IOException, InterruptedException {
        return post(path, params, idempotencyKey, Duration.ofSeconds(10));
    }

    Reply post(String path, Map<String, String> params, String idempotencyKey, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params)));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return send(b.build());
    }

    Reply get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET();
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return send(b.build());
    }

    /** POST a JSON body (control endpoints). */
    Reply postJson(String path, String jsonBody) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    private Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        return new Reply(r.statusCode(), r.body(), json, r.headers());
    }

    static String form(Map<String, String> params) {
        StringJoiner j = new StringJoiner("&");
        params.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }

    // ------------------------------------------------------------------ parameter builders

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, String> card(String number, String expMonth, String expYear, String cvc) {
        return params("payment_method_data[type]", "card",
                "payment_method_data[card][number]", number,
                "payment_method_data[card][exp_month]", expMonth,
                "payment_method_data[card][exp_year]", expYear,
                "payment_method_data[card][cvc]", cvc);
    }

    static Map<String, String> card(String number) {
        return card(number, "12", "2034", TestCards.isAmex(number) ? "1234" : "123");
    }

    /** A charge of {@code amount} GBP pence with raw card data and the app's two metadata entries. */
    static Map<String, String> charge(long amount, String number, String idempotencyKey) {
        Map<String, String> m = params("amount", Long.toString(amount), "currency", "gbp", "confirm", "true");
        m.putAll(card(number));
        m.put("metadata[idempotency_key]", idempotencyKey);
        m.put("metadata[pledge_id]", "pledge-" + idempotencyKey);
        m.put("description", "Pledge payment");
        return m;
    }

    /** An off-session charge of a saved payment method; {@code customer} may be null to leave it out. */
    static Map<String, String> chargeToken(long amount, String paymentMethodId, String customer, String idempotencyKey) {
        Map<String, String> m = params("amount", Long.toString(amount), "currency", "gbp", "confirm", "true",
                "payment_method", paymentMethodId, "off_session", "true",
                "metadata[idempotency_key]", idempotencyKey);
        if (customer != null) {
            m.put("customer", customer);
        }
        return m;
    }

    /** A setup of a raw card, not saved to any customer. */
    static Map<String, String> tokenise(String number) {
        Map<String, String> m = params("confirm", "true", "usage", "off_session");
        m.putAll(card(number));
        m.put("metadata[donor_id]", "donor-1");
        return m;
    }

    /** A setup of a raw card that saves it to {@code customer}. */
    static Map<String, String> tokenise(String number, String customer) {
        Map<String, String> m = tokenise(number);
        m.put("customer", customer);
        return m;
    }

    /** The params of POST /v1/payment_methods for a card. */
    static Map<String, String> paymentMethod(String number, String cvc) {
        Map<String, String> m = params("type", "card", "card[number]", number, "card[exp_month]", "12",
                "card[exp_year]", "2034");
        if (cvc != null) {
            m.put("card[cvc]", cvc);
        }
        return m;
    }

    /** Creates a customer and answers its id. */
    String newCustomer() throws IOException, InterruptedException {
        Reply r = post("/v1/customers", params("metadata[donor_id]", "donor-1"));
        if (r.status() != 200) {
            throw new IllegalStateException("customer not created: " + r.status());
        }
        return r.json().path("id").asText();
    }

    /** Creates a card payment method and answers its id. */
    String newPaymentMethod(String number) throws IOException, InterruptedException {
        Reply r = post("/v1/payment_methods", paymentMethod(number, TestCards.isAmex(number) ? "1234" : "123"));
        if (r.status() != 200) {
            throw new IllegalStateException("payment method not created: " + r.status());
        }
        return r.json().path("id").asText();
    }
}
