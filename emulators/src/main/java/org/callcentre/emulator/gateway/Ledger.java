package org.callcentre.emulator.gateway;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulator's state and endpoint logic: payment intents, setup intents, saved payment methods
 * and the records tests assert on. Holds no card number or cvc anywhere: cards are reduced to
 * {@link CardCheck.SafeCard} before anything is stored.
 */
final class Ledger {

    /** The answer of an endpoint: a JSON object and a short, card-safe summary for the log. */
    record Outcome(Map<String, Object> body, String summary) {
    }

    private record PaymentIntent(String id, long amount, String currency, String status, String latestCharge,
                                 String paymentMethodId, Map<String, String> metadata, String description,
                                 Instant created, Map<String, Object> lastPaymentError, String clientSecret) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("object", "payment_intent");
            m.put("amount", amount);
            m.put("amount_capturable", 0);
            m.put("amount_received", "succeeded".equals(status) ? amount : 0);
            m.put("capture_method", "automatic");
            m.put("client_secret", clientSecret);
            m.put("confirmation_method", "automatic");
            m.put("created", created.getEpochSecond());
            m.put("currency", currency);
            m.put("customer", null);
            m.put("description", description);
            m.put("last_payment_error", lastPaymentError);
            m.put("latest_charge", latestCharge);
            m.put("livemode", false);
            m.put("metadata", new TreeMap<>(metadata));
            m.put("payment_method", paymentMethodId);
            m.put("payment_method_types", List.of("card"));
            m.put("status", status);
            return m;
        }
    }

    private record SetupIntent(String id, String status, String paymentMethodId, String usage,
                               Map<String, String> metadata, String description, Instant created,
                               Map<String, Object> lastSetupError, String clientSecret) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("object", "setup_intent");
            m.put("client_secret", clientSecret);
            m.put("created", created.getEpochSecond());
            m.put("customer", null);
            m.put("description", description);
            m.put("last_setup_error", lastSetupError);
            m.put("livemode", false);
            m.put("metadata", new TreeMap<>(metadata));
            m.put("payment_method", paymentMethodId);
            m.put("payment_method_types", List.of("card"));
            m.put("status", status);
            m.put("usage", usage);
            return m;
        }
    }

    private record PaymentMethod(String id, CardCheck.SafeCard card, Instant created) {
        Map<String, Object> toJson() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("brand", card.brand());
            c.put("country", "US");
            c.put("exp_month", card.expMonth());
            c.put("exp_year", card.expYear());
            c.put("fingerprint", card.fingerprint());
            c.put("funding", card.funding());
            c.put("last4", card.last4());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("object", "payment_method");
            m.put("card", c);
            m.put("created", created.getEpochSecond());
            m.put("customer", null);
            m.put("livemode", false);
            m.put("metadata", Map.of());
            m.put("type", "card");
            return m;
        }
    }

    /** Top-level parameters Stripe accepts on POST /v1/payment_intents; others → 400 parameter_unknown. */
    private static final Set<String> PI_PARAMS = Set.of("amount", "currency", "confirm", "payment_method",
            "payment_method_data", "off_session", "metadata", "description", "expand", "customer", "receipt_email",
            "statement_descriptor", "statement_descriptor_suffix", "capture_method", "confirmation_method",
            "payment_method_types", "payment_method_options", "automatic_payment_methods", "error_on_requires_action",
            "return_url", "setup_future_usage", "shipping", "use_stripe_sdk", "radar_options", "mandate_data",
            "transfer_group");

    /** Top-level parameters Stripe accepts on POST /v1/setup_intents; others → 400 parameter_unknown. */
    private static final Set<String> SI_PARAMS = Set.of("confirm", "usage", "payment_method_data", "payment_method",
            "metadata", "description", "expand", "customer", "payment_method_types", "payment_method_options",
            "automatic_payment_methods", "return_url", "use_stripe_sdk", "mandate_data", "single_use");

    private static final long MAX_AMOUNT = 99_999_999L;

    private final Clock clock;
    private final CardCheck cardCheck = new CardCheck();

    private final Object lock = new Object();
    // guarded by lock
    private final LinkedHashMap<String, PaymentIntent> paymentIntents = new LinkedHashMap<>();
    private final Map<String, List<PaymentIntent>> byMetadata = new HashMap<>();
    private final LinkedHashMap<String, SetupIntent> setupIntents = new LinkedHashMap<>();
    private final List<SimulatedCharge> charges = new ArrayList<>();
    private final List<SimulatedToken> tokens = new ArrayList<>();
    // saved (chargeable) payment methods
    private final ConcurrentHashMap<String, PaymentMethod> savedMethods = new ConcurrentHashMap<>();

    Ledger(Clock clock) {
        this.clock = clock;
    }

    // ---------------------------------------------------------------- POST /v1/payment_intents

    Outcome createPaymentIntent(FormParams p, String idempotencyKey) {
        rejectUnknown(p, PI_PARAMS);
        long amount = amount(p);
        String currency = currency(p);
        requireConfirm(p);
        booleanParam(p, "off_session");
        String captureMethod = p.nonBlank("capture_method");
        if (captureMethod != null && !captureMethod.equals("automatic") && !captureMethod.equals("automatic_async")) {
            throw ApiException.invalid("capture_method",
                    "The simulator only supports automatic capture (capture_method=automatic).");
        }
        Map<String, String> metadata = metadata(p);
        String description = description(p);

        String pmId = p.nonBlank("payment_method");
        boolean hasPmd = hasPrefix(p, CardCheck.PMD);
        if (pmId != null && hasPmd) {
            throw ApiException.invalid("payment_method_data",
                    "You cannot provide both payment_method and payment_method_data.");
        }
        if (pmId == null && !hasPmd) {
            throw ApiException.missing("payment_method");
        }

        Instant now = now();
        CardCheck.SafeCard card;
        TestCards.Decline decline;
        boolean saved;
        if (pmId != null) {
            PaymentMethod pm = savedMethods.get(pmId);
            if (pm == null) {
                throw ApiException.resourceMissing(400, "payment_method", "No such PaymentMethod: '" + pmId + "'");
            }
            card = pm.card();
            decline = YearMonth.of(card.expYear(), card.expMonth()).isBefore(YearMonth.now(clock.withZone(ZoneOffset.UTC)))
                    ? TestCards.EXPIRED_CARD_DECLINE
                    : card.behaviour().onCharge();
            saved = true;
        } else {
            card = cardCheck.check(p, YearMonth.now(clock.withZone(ZoneOffset.UTC)));
            decline = card.behaviour().onCharge();
            pmId = Ids.next("pm"); // one-off: not saved, not chargeable again
            saved = false;
        }

        String piId = Ids.next("pi");
        String chargeId = Ids.next("ch");
        String secret = piId + "_secret_" + Ids.next("s").substring(2);
        if (decline == null) {
            PaymentIntent pi = new PaymentIntent(piId, amount, currency, "succeeded", chargeId, pmId, metadata,
                    description, now, null, secret);
            synchronized (lock) {
                store(pi);
                charges.add(new SimulatedCharge(piId, amount, currency, card.brand(), card.last4(), pmId,
                        idempotencyKey, metadata, now));
            }
            return new Outcome(pi.toJson(), piId + " succeeded " + amount + " " + currency + " " + card
                    + (saved ? " (saved " + pmId + ")" : ""));
        }

        Map<String, Object> lastError = declineError(decline, chargeId, new PaymentMethod(pmId, card, now).toJson());
        PaymentIntent pi = new PaymentIntent(piId, amount, currency, "requires_payment_method", chargeId, null,
                metadata, description, now, lastError, secret);
        synchronized (lock) {
            store(pi);
        }
        ApiException e = CardCheck.cardError(decline.code(), decline.declineCode(), decline.message(), null);
        e.error().put("charge", chargeId);
        e.error().put("payment_intent", pi.toJson());
        e.error().put("payment_method", new PaymentMethod(pmId, card, now).toJson());
        throw e;
    }

    private void store(PaymentIntent pi) {
        paymentIntents.put(pi.id(), pi);
        for (Map.Entry<String, String> m : pi.metadata().entrySet()) {
            byMetadata.computeIfAbsent(indexKey(m.getKey(), m.getValue()), k -> new ArrayList<>()).add(pi);
        }
    }

    private static String indexKey(String k, String v) {
        return k + '\u0000' + v;
    }

    private static Map<String, Object> declineError(TestCards.Decline d, String chargeId, Map<String, Object> pm) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("charge", chargeId);
        e.put("code", d.code());
        if (d.declineCode() != null) {
            e.put("decline_code", d.declineCode());
        }
        e.put("doc_url", "https://stripe.com/docs/error-codes/" + d.code().replace('_', '-'));
        e.put("message", d.message());
        e.put("payment_method", pm);
        e.put("type", "card_error");
        return e;
    }

    // ---------------------------------------------------------------- POST /v1/setup_intents

    Outcome createSetupIntent(FormParams p) {
        rejectUnknown(p, SI_PARAMS);
        requireConfirm(p);
        String usage = p.nonBlank("usage");
        if (usage == null) {
            usage = "off_session";
        } else if (!usage.equals("off_session") && !usage.equals("on_session")) {
            throw ApiException.invalid("usage", "Invalid usage: must be one of off_session or on_session.");
        }
        if (p.has("payment_method")) {
            throw ApiException.invalid("payment_method",
                    "The simulator only supports setup intents with raw card data in payment_method_data.");
        }
        if (!hasPrefix(p, CardCheck.PMD)) {
            throw ApiException.missing("payment_method_data");
        }
        Map<String, String> metadata = metadata(p);
        String description = description(p);

        Instant now = now();
        CardCheck.SafeCard card = cardCheck.check(p, YearMonth.now(clock.withZone(ZoneOffset.UTC)));
        TestCards.Decline decline = card.behaviour().onSetup();
        String setiId = Ids.next("seti");
        String secret = setiId + "_secret_" + Ids.next("s").substring(2);
        String pmId = Ids.next("pm");
        if (decline == null) {
            PaymentMethod pm = new PaymentMethod(pmId, card, now);
            SetupIntent si = new SetupIntent(setiId, "succeeded", pmId, usage, metadata, description, now, null, secret);
            synchronized (lock) {
                savedMethods.put(pmId, pm);
                setupIntents.put(setiId, si);
                tokens.add(new SimulatedToken(pmId, card.brand(), card.last4(), card.expMonth(), card.expYear(), now));
            }
            return new Outcome(si.toJson(), setiId + " succeeded, saved " + pmId + " " + card);
        }
        Map<String, Object> pmJson = new PaymentMethod(pmId, card, now).toJson();
        Map<String, Object> lastError = declineError(decline, null, pmJson);
        lastError.remove("charge");
        SetupIntent si = new SetupIntent(setiId, "requires_payment_method", null, usage, metadata, description, now,
                lastError, secret);
        synchronized (lock) {
            setupIntents.put(setiId, si);
        }
        ApiException e = CardCheck.cardError(decline.code(), decline.declineCode(), decline.message(), null);
        e.error().put("payment_method", pmJson);
        e.error().put("setup_intent", si.toJson());
        throw e;
    }

    // ---------------------------------------------------------------- GETs

    Outcome retrievePaymentIntent(String id) {
        PaymentIntent pi;
        synchronized (lock) {
            pi = paymentIntents.get(id);
        }
        if (pi == null) {
            throw ApiException.resourceMissing(404, "intent", "No such payment_intent: '" + id + "'");
        }
        return new Outcome(pi.toJson(), pi.id() + " " + pi.status());
    }

    Outcome retrieveSetupIntent(String id) {
        SetupIntent si;
        synchronized (lock) {
            si = setupIntents.get(id);
        }
        if (si == null) {
            throw ApiException.resourceMissing(404, "intent", "No such setupintent: '" + id + "'");
        }
        return new Outcome(si.toJson(), si.id() + " " + si.status());
    }

    Outcome retrievePaymentMethod(String id) {
        PaymentMethod pm = savedMethods.get(id);
        if (pm == null) {
            throw ApiException.resourceMissing(404, "payment_method", "No such PaymentMethod: '" + id + "'");
        }
        return new Outcome(pm.toJson(), pm.id() + " " + pm.card());
    }

    /** GET /v1/payment_intents/search: newest first, {@code limit} 1..100 (default 10), {@code page} from next_page. */
    Outcome searchPaymentIntents(FormParams q) {
        SearchQuery query = SearchQuery.parse(q.get("query"));
        int limit = 10;
        if (q.nonBlank("limit") != null) {
            try {
                limit = Integer.parseInt(q.nonBlank("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                throw ApiException.invalidRequest(400, "parameter_invalid_integer", "limit",
                        "This value must be between 1 and 100.");
            }
        }
        int offset = 0;
        String page = q.nonBlank("page");
        if (page != null) {
            try {
                offset = Integer.parseInt(page.startsWith("page_") ? page.substring(5) : "x");
            } catch (NumberFormatException e) {
                offset = -1;
            }
            if (offset < 0) {
                throw ApiException.invalid("page", "Invalid page token.");
            }
        }
        List<PaymentIntent> candidates;
        synchronized (lock) {
            SearchQuery.Clause indexed = query.clauses().stream().filter(c -> c.metadataKey() != null).findFirst()
                    .orElse(null);
            candidates = indexed != null
                    ? new ArrayList<>(byMetadata.getOrDefault(indexKey(indexed.metadataKey(), indexed.value()), List.of()))
                    : new ArrayList<>(paymentIntents.values());
        }
        List<Map<String, Object>> matched = new ArrayList<>();
        for (int i = candidates.size() - 1; i >= 0; i--) { // newest first
            PaymentIntent pi = candidates.get(i);
            if (query.matches(pi.metadata(), f -> f.equals("status") ? pi.status() : pi.currency())) {
                matched.add(pi.toJson());
            }
        }
        int from = Math.min(offset, matched.size());
        int to = Math.min(from + limit, matched.size());
        boolean hasMore = to < matched.size();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "search_result");
        body.put("data", new ArrayList<>(matched.subList(from, to)));
        body.put("has_more", hasMore);
        body.put("next_page", hasMore ? "page_" + to : null);
        body.put("url", "/v1/payment_intents/search");
        return new Outcome(body, (to - from) + " result(s)");
    }

    // ---------------------------------------------------------------- records

    List<SimulatedCharge> charges() {
        synchronized (lock) {
            return List.copyOf(charges);
        }
    }

    List<SimulatedToken> tokens() {
        synchronized (lock) {
            return List.copyOf(tokens);
        }
    }

    void clear() {
        synchronized (lock) {
            paymentIntents.clear();
            byMetadata.clear();
            setupIntents.clear();
            charges.clear();
            tokens.clear();
            savedMethods.clear();
        }
    }

    /** For tests: everything the ledger stores, as objects a JSON writer can render. */
    Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        synchronized (lock) {
            m.put("payment_intents", paymentIntents.values().stream().map(PaymentIntent::toJson).toList());
            m.put("setup_intents", setupIntents.values().stream().map(SetupIntent::toJson).toList());
            m.put("payment_methods", savedMethods.values().stream().map(PaymentMethod::toJson).toList());
            m.put("charges", charges.stream().map(Object::toString).toList());
            m.put("tokens", tokens.stream().map(Object::toString).toList());
        }
        return m;
    }

    // ---------------------------------------------------------------- parameter helpers

    private Instant now() {
        return Instant.ofEpochSecond(clock.instant().getEpochSecond());
    }

    private static void rejectUnknown(FormParams p, Set<String> allowed) {
        for (String key : p.keys()) {
            String top = FormParams.topLevel(key);
            if (!allowed.contains(top)) {
                throw ApiException.invalidRequest(400, "parameter_unknown", top, "Received unknown parameter: " + top);
            }
        }
    }

    private static boolean hasPrefix(FormParams p, String prefix) {
        for (String key : p.keys()) {
            if (key.startsWith(prefix + "[")) {
                return true;
            }
        }
        return false;
    }

    private static long amount(FormParams p) {
        String raw = p.nonBlank("amount");
        if (raw == null) {
            throw ApiException.missing("amount");
        }
        long amount;
        try {
            amount = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.invalidRequest(400, "parameter_invalid_integer", "amount",
                    "Invalid integer: amount must be a whole number of minor currency units.");
        }
        if (amount < 1) {
            throw ApiException.invalidRequest(400, "parameter_invalid_integer", "amount",
                    "This value must be greater than or equal to 1.");
        }
        if (amount > MAX_AMOUNT) {
            throw ApiException.invalidRequest(400, "amount_too_large", "amount", "Amount must be no more than 999,999.99");
        }
        return amount;
    }

    private static String currency(FormParams p) {
        String raw = p.nonBlank("currency");
        if (raw == null) {
            throw ApiException.missing("currency");
        }
        if (!raw.matches("[A-Za-z]{3}")) {
            throw ApiException.invalid("currency", "Invalid currency: must be a three-letter ISO currency code.");
        }
        return raw.toLowerCase(Locale.ROOT);
    }

    private static void requireConfirm(FormParams p) {
        Boolean confirm = booleanParam(p, "confirm");
        if (confirm == null) {
            throw ApiException.missing("confirm");
        }
        if (!confirm) {
            throw ApiException.invalid("confirm",
                    "The simulator only supports creating and confirming in one call: send confirm=true.");
        }
    }

    private static Boolean booleanParam(FormParams p, String name) {
        String raw = p.nonBlank(name);
        if (raw == null) {
            return null;
        }
        if (raw.equals("true")) {
            return true;
        }
        if (raw.equals("false")) {
            return false;
        }
        throw ApiException.invalidRequest(400, "parameter_invalid_boolean", name, "Invalid boolean: must be true or false.");
    }

    private static Map<String, String> metadata(FormParams p) {
        Map<String, String> m = p.subMap("metadata");
        if (m.size() > 50) {
            throw ApiException.invalid("metadata", "You can specify up to 50 metadata keys.");
        }
        for (Map.Entry<String, String> e : m.entrySet()) {
            if (e.getKey().length() > 40) {
                throw ApiException.invalid("metadata", "Metadata keys can be at most 40 characters long.");
            }
            if (e.getValue().length() > 500) {
                throw ApiException.invalid("metadata", "Metadata values can be at most 500 characters long.");
            }
        }
        return m;
    }

    private static String description(FormParams p) {
        String d = p.get("description");
        if (d != null && d.length() > 1000) {
            throw ApiException.invalid("description", "Description can be at most 1000 characters long.");
        }
        return d == null || d.isEmpty() ? null : d;
    }
}
