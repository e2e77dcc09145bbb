package org.callcentre.payment;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.callcentre.cardvault.CardDetails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@link PaymentGateway} over a Stripe-style HTTP API: PaymentIntents to charge, SetupIntents to tokenise,
 * the search API to find a charge by the idempotency key it was made with (kept in its metadata).
 *
 * <p>Nothing the gateway says is copied into an exception message: its error text can echo parameters.
 */
public class StripeStyleGateway implements PaymentGateway {

    private static final String IDEMPOTENCY_METADATA = "idempotency_key";

    private final PaymentGatewayProperties properties;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public StripeStyleGateway(PaymentGatewayProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
    }

    @Override
    public ChargeResult chargeCard(CardDetails card, Money amount, String idempotencyKey, String pledgeReference) {
        Map<String, String> form = chargeForm(amount, idempotencyKey, pledgeReference);
        putCard(form, card);
        return toCharge(post("/v1/payment_intents", form, idempotencyKey));
    }

    @Override
    public TokenResult tokeniseCard(CardDetails card, String idempotencyKey, String pledgeReference) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("confirm", "true");
        form.put("usage", "off_session");
        form.put("metadata[" + IDEMPOTENCY_METADATA + "]", idempotencyKey);
        form.put("metadata[pledge_id]", pledgeReference);
        putCard(form, card);
        JsonNode intent = post("/v1/setup_intents", form, idempotencyKey);
        return new TokenResult(intent.path("payment_method").asText());
    }

    @Override
    public ChargeResult chargeToken(String token, Money amount, String idempotencyKey, String pledgeReference) {
        Map<String, String> form = chargeForm(amount, idempotencyKey, pledgeReference);
        form.put("payment_method", token);
        form.put("off_session", "true");
        return toCharge(post("/v1/payment_intents", form, idempotencyKey));
    }

    @Override
    public Optional<ChargeResult> findCharge(String idempotencyKey) {
        String query = "metadata['" + IDEMPOTENCY_METADATA + "']:'" + idempotencyKey + "'";
        HttpRequest request = authorised(URI.create(properties.baseUrl() + "/v1/payment_intents/search?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8))).GET().build();
        JsonNode result = send(request, "search");
        for (JsonNode intent : result.path("data")) {
            if ("succeeded".equals(intent.path("status").asText())) {
                return Optional.of(toCharge(intent));
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> chargeForm(Money amount, String idempotencyKey, String pledgeReference) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("amount", Long.toString(amount.minorUnits()));
        form.put("currency", amount.currency().getCurrencyCode().toLowerCase(Locale.ROOT));
        form.put("confirm", "true");
        form.put("metadata[" + IDEMPOTENCY_METADATA + "]", idempotencyKey);
        form.put("metadata[pledge_id]", pledgeReference);
        return form;
    }

    private static void putCard(Map<String, String> form, CardDetails card) {
        form.put("payment_method_data[type]", "card");
        form.put("payment_method_data[card][number]", card.number());
        form.put("payment_method_data[card][exp_month]", Integer.toString(card.expiryMonth()));
        form.put("payment_method_data[card][exp_year]", Integer.toString(card.expiryYear()));
        if (card.securityCode() != null) {
            form.put("payment_method_data[card][cvc]", card.securityCode());
        }
    }

    private static ChargeResult toCharge(JsonNode intent) {
        return new ChargeResult(intent.path("id").asText(), intent.path("amount").asLong(),
                intent.path("currency").asText().toUpperCase(Locale.ROOT));
    }

    private JsonNode post(String path, Map<String, String> form, String idempotencyKey) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = authorised(URI.create(properties.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(request, path);
    }

    private HttpRequest.Builder authorised(URI uri) {
        return HttpRequest.newBuilder(uri)
                .timeout(properties.timeout())
                .header("Authorization", "Bearer " + properties.secretKey());
    }

    private JsonNode send(HttpRequest request, String operation) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // The exception's own message may name the URL but never the body; still, say it in our words.
            throw new GatewayUnavailableException("payment gateway " + operation + " failed: "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayUnavailableException("payment gateway " + operation + " interrupted");
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body(), operation, status);
        if (status == 402) {
            JsonNode error = body.path("error");
            throw new CardDeclinedException(DeclineReason.fromGatewayCodes(
                    error.path("code").asText(null), error.path("decline_code").asText(null)));
        }
        if (status >= 200 && status < 300) {
            return body;
        }
        throw new GatewayUnavailableException("payment gateway " + operation + " answered HTTP " + status + " ("
                + body.path("error").path("type").asText("no error type") + ")");
    }

    private JsonNode parse(String body, String operation, int status) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new GatewayUnavailableException("payment gateway " + operation + " answered HTTP " + status
                    + " with a body that is not JSON");
        }
    }
}
