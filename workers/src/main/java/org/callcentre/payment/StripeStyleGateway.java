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
import java.util.stream.Collectors;

import org.callcentre.cardvault.CardDetails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@link PaymentGateway} over Stripe's HTTP API: a PaymentMethod made once from the card, PaymentIntents to charge
 * it, SetupIntents to save it. Every card charge and setup is flagged MOTO
 * ({@code payment_method_options[card][moto]=true}). Saving needs a Customer, as in Stripe: a payment method is
 * reusable only once attached to one, so {@link #save} and a charge that saves create one (under an idempotency key
 * derived from the step's), and {@link #isSaved} asks whether the payment method has a customer.
 *
 * <p>The intent's {@code status} decides, never the HTTP status alone: {@code succeeded} and {@code processing} are
 * answers; {@code requires_action} (3-D Secure) is a decline for lack of authentication; anything else is a decline.
 * Timeouts, broken connections, 5xx and unexpected 4xx are {@link GatewayUnavailableException}: the outcome is
 * unknown and the caller replays the same request with the same idempotency key, which the gateway answers from its
 * record. Nothing the gateway says is copied into an exception message: its error text can echo parameters.
 */
public class StripeStyleGateway implements PaymentGateway {

    private static final String IDEMPOTENCY_METADATA = "idempotency_key";
    private static final String PLEDGE_METADATA = "pledge_id";
    private static final String MOTO = "payment_method_options[card][moto]";

    private final PaymentGatewayProperties properties;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public StripeStyleGateway(PaymentGatewayProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
    }

    @Override
    public String createPaymentMethod(CardDetails card, String idempotencyKey) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("type", "card");
        form.put("card[number]", card.number());
        form.put("card[exp_month]", Integer.toString(card.expiryMonth()));
        form.put("card[exp_year]", Integer.toString(card.expiryYear()));
        if (card.securityCode() != null) {
            form.put("card[cvc]", card.securityCode());
        }
        return id(post("/v1/payment_methods", form, idempotencyKey), "payment method");
    }

    @Override
    public ChargeResult charge(String paymentMethod, Money amount, boolean saveForLater, String idempotencyKey,
            String pledgeReference) {
        Map<String, String> form = chargeForm(paymentMethod, amount, idempotencyKey, pledgeReference);
        form.put(MOTO, "true");
        if (saveForLater) {
            form.put("customer", createCustomer(idempotencyKey, pledgeReference));
            form.put("setup_future_usage", "off_session");
        }
        return toCharge(post("/v1/payment_intents", form, idempotencyKey), amount);
    }

    @Override
    public TokenResult save(String paymentMethod, String idempotencyKey, String pledgeReference) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("payment_method", paymentMethod);
        form.put("customer", createCustomer(idempotencyKey, pledgeReference));
        form.put("confirm", "true");
        form.put("usage", "off_session");
        form.put(MOTO, "true");
        form.put("metadata[" + IDEMPOTENCY_METADATA + "]", idempotencyKey);
        form.put("metadata[" + PLEDGE_METADATA + "]", pledgeReference);
        JsonNode intent = post("/v1/setup_intents", form, idempotencyKey);
        String status = intent.path("status").asText();
        if ("succeeded".equals(status)) {
            return new TokenResult(id(intent.path("payment_method"), "saved payment method"));
        }
        throw declined(status, intent.path("last_setup_error"));
    }

    /**
     * A charge without the cardholder: not MOTO (no card is being given over the phone) but a merchant-initiated
     * {@code off_session} charge, which names the customer the token is saved to, as Stripe requires.
     */
    @Override
    public ChargeResult chargeToken(String token, Money amount, String idempotencyKey, String pledgeReference) {
        Map<String, String> form = chargeForm(token, amount, idempotencyKey, pledgeReference);
        String customer = paymentMethod(token).path("customer").asText(null);
        if (customer != null) {
            form.put("customer", customer);
        }
        form.put("off_session", "true");
        return toCharge(post("/v1/payment_intents", form, idempotencyKey), amount);
    }

    @Override
    public boolean isSaved(String paymentMethod) {
        return paymentMethod(paymentMethod).path("customer").isTextual();
    }

    @Override
    public ChargeResult chargeState(String reference) {
        return toCharge(get("/v1/payment_intents/" + pathSegment(reference), "payment intent look-up"), null);
    }

    /** A customer to save a payment method to; a replayed step replays its creation too, so gets the same one. */
    private String createCustomer(String idempotencyKey, String pledgeReference) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("metadata[" + PLEDGE_METADATA + "]", pledgeReference);
        return id(post("/v1/customers", form, idempotencyKey + ":customer"), "customer");
    }

    private JsonNode paymentMethod(String id) {
        return get("/v1/payment_methods/" + pathSegment(id), "payment method look-up");
    }

    private static Map<String, String> chargeForm(String paymentMethod, Money amount, String idempotencyKey,
            String pledgeReference) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("payment_method", paymentMethod);
        form.put("amount", Long.toString(amount.minorUnits()));
        form.put("currency", amount.currency().getCurrencyCode().toLowerCase(Locale.ROOT));
        form.put("confirm", "true");
        form.put("metadata[" + IDEMPOTENCY_METADATA + "]", idempotencyKey);
        form.put("metadata[" + PLEDGE_METADATA + "]", pledgeReference);
        return form;
    }

    /**
     * What a payment intent's status means for us. {@code expected} is the amount asked for, checked against the
     * answer when known; a gateway that answers for another amount or currency is not believed.
     */
    private static ChargeResult toCharge(JsonNode intent, Money expected) {
        String status = intent.path("status").asText();
        ChargeStatus chargeStatus = switch (status) {
            case "succeeded" -> ChargeStatus.SUCCEEDED;
            case "processing" -> ChargeStatus.PROCESSING;
            default -> throw declined(status, intent.path("last_payment_error"));
        };
        String reference = intent.path("id").asText("");
        long amount = intent.path("amount").asLong(-1);
        String currency = intent.path("currency").asText("").toUpperCase(Locale.ROOT);
        if (reference.isEmpty() || amount <= 0 || currency.isEmpty()) {
            throw new GatewayUnavailableException("payment gateway answered a charge without its reference, amount "
                    + "or currency");
        }
        if (expected != null && (amount != expected.minorUnits()
                || !currency.equals(expected.currency().getCurrencyCode()))) {
            throw new GatewayUnavailableException("payment gateway answered a charge of another amount or currency "
                    + "than the one asked for");
        }
        return new ChargeResult(reference, chargeStatus, amount, currency);
    }

    private static CardDeclinedException declined(String status, JsonNode lastError) {
        if ("requires_action".equals(status)) {
            return new CardDeclinedException(DeclineReason.AUTHENTICATION_REQUIRED);
        }
        return new CardDeclinedException(DeclineReason.fromGatewayCodes(
                lastError.path("code").asText(null), lastError.path("decline_code").asText(null)));
    }

    private static String id(JsonNode node, String what) {
        JsonNode id = node.isTextual() ? node : node.path("id");
        if (!id.isTextual() || id.asText().isBlank()) {
            throw new GatewayUnavailableException("payment gateway answered without a " + what + " id");
        }
        return id.asText();
    }

    private static String pathSegment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
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
        return send(request, "POST " + path);
    }

    private JsonNode get(String path, String operation) {
        return send(authorised(URI.create(properties.baseUrl() + path)).GET().build(), operation);
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
            // A timeout (HttpTimeoutException is an IOException) or a broken connection: the outcome is unknown.
            // The exception's own message may name the URL but never the body; still, say it in our words.
            throw new GatewayUnavailableException("payment gateway " + operation + " failed: "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayUnavailableException("payment gateway " + operation + " interrupted");
        }
        int status = response.statusCode();
        if (status >= 500) {
            throw new GatewayUnavailableException("payment gateway " + operation + " answered HTTP " + status);
        }
        JsonNode body = parse(response.body(), operation, status);
        if (status == 402) {
            JsonNode error = body.path("error");
            throw new CardDeclinedException(DeclineReason.fromGatewayCodes(
                    error.path("code").asText(null), error.path("decline_code").asText(null)));
        }
        if (status >= 200 && status < 300) {
            return body;
        }
        throw new GatewayUnavailableException("payment gateway " + operation + " refused the request with HTTP "
                + status);
    }

    private JsonNode parse(String body, String operation, int status) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IOException("not an object");
            }
            return node;
        } catch (IOException e) {
            throw new GatewayUnavailableException("payment gateway " + operation + " answered HTTP " + status
                    + " with a body that is not a JSON object");
        }
    }
}
