package org.callcentre.emulator.gateway;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The simulator's state and endpoint logic: customers, payment methods, payment intents, setup intents and the
 * records tests assert on. Holds no card number anywhere: cards are reduced to {@link CardCheck.SafeCard} before
 * anything is stored. A payment method holds its security code only until its first confirmation.
 *
 * <p>As in Stripe, a payment method that is not attached to a customer can be confirmed once; it is attached by a
 * succeeded setup intent that names a customer, or by a succeeded payment intent that names a customer and sets
 * {@code setup_future_usage}. An attached one is charged again (typically {@code off_session}) by naming both it
 * and its customer.
 */
final class Ledger {

    /** The answer of an endpoint: a JSON object and a short, card-safe summary for the log. */
    record Outcome(Map<String, Object> body, String summary) {
    }

    private record Customer(String id, Map<String, String> metadata, String description, Instant created) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("object", "customer");
            m.put("created", created.getEpochSecond());
            m.put("description", description);
            m.put("livemode", false);
            m.put("metadata", new TreeMap<>(metadata));
            return m;
        }
    }

    /** A payment method. Its mutable fields are guarded by the ledger's lock. */
    private static final class PaymentMethod {
        final String id;
        final CardCheck.SafeCard card;
        final Instant created;
        final Map<String, String> metadata;
        /** The customer it is attached to, or null. */
        String customer;
        /** The security code, kept only until the first confirmation. */
        String securityCode;
        /** {@code unchecked} until the first confirmation, then {@code pass} or {@code unavailable}. */
        String cvcCheck = "unchecked";
        /** Confirmed once while not attached to a customer: it may not be used again. */
        boolean used;

        PaymentMethod(String id, CardCheck.SafeCard card, String securityCode, Map<String, String> metadata,
                      Instant created) {
            this.id = id;
            this.card = card;
            this.securityCode = securityCode;
            this.metadata = metadata;
            this.created = created;
        }

        Map<String, Object> toJson() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("brand", card.brand());
            Map<String, Object> checks = new LinkedHashMap<>();
            checks.put("address_line1_check", null);
            checks.put("address_postal_code_check", null);
            checks.put("cvc_check", cvcCheck);
            c.put("checks", checks);
            c.put("country", "US");
            c.put("exp_month", card.expMonth());
            c.put("exp_year", card.expYear());
            c.put("fingerprint", card.fingerprint());
            c.put("funding", card.funding());
            c.put("last4", card.last4());
            c.put("three_d_secure_usage", Map.of("supported", true));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("object", "payment_method");
            m.put("card", c);
            m.put("created", created.getEpochSecond());
            m.put("customer", customer);
            m.put("livemode", false);
            m.put("metadata", new TreeMap<>(metadata));
            m.put("type", "card");
            return m;
        }
    }

    private record PaymentIntent(String id, long amount, String currency, String status, String latestCharge,
                                 String paymentMethodId, String customer, String setupFutureUsage, boolean offSession,
                                 boolean moto, Map<String, String> metadata, String description, Instant created,
                                 Map<String, Object> lastPaymentError, Map<String, Object> nextAction,
                                 String clientSecret, String idempotencyKey, GatewayFaults.Settlement settlement) {
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
            m.put("customer", customer);
            m.put("description", description);
            m.put("last_payment_error", lastPaymentError);
            m.put("latest_charge", latestCharge);
            m.put("livemode", false);
            m.put("metadata", new TreeMap<>(metadata));
            m.put("next_action", nextAction);
            m.put("payment_method", paymentMethodId);
            m.put("payment_method_options", cardOptions(moto));
            m.put("payment_method_types", List.of("card"));
            m.put("setup_future_usage", setupFutureUsage);
            m.put("status", status);
            return m;
        }
    }

    private record SetupIntent(String id, String status, String paymentMethodId, String customer, String usage,
                               boolean moto, Map<String, String> metadata, String description, Instant created,
                               Map<String, Object> lastSetupError, Map<String, Object> nextAction,
                               String clientSecret) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("object", "setup_intent");
            m.put("client_secret", clientSecret);
            m.put("created", created.getEpochSecond());
            m.put("customer", customer);
            m.put("description", description);
            m.put("last_setup_error", lastSetupError);
            m.put("livemode", false);
            m.put("metadata", new TreeMap<>(metadata));
            m.put("next_action", nextAction);
            m.put("payment_method", paymentMethodId);
            m.put("payment_method_options", cardOptions(moto));
            m.put("payment_method_types", List.of("card"));
            m.put("status", status);
            m.put("usage", usage);
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

    /** Top-level parameters Stripe accepts on POST /v1/payment_methods; others → 400 parameter_unknown. */
    private static final Set<String> PM_PARAMS = Set.of("type", "card", "metadata", "billing_details", "expand",
            "allow_redisplay");

    /** Top-level parameters the simulator accepts on POST /v1/customers; others → 400 parameter_unknown. */
    private static final Set<String> CUSTOMER_PARAMS = Set.of("metadata", "description", "email", "name", "phone",
            "expand");

    private static final String MOTO = "payment_method_options[card][moto]";
    private static final long MAX_AMOUNT = 99_999_999L;
    private static final TestCards.Decline AUTHENTICATION_REQUIRED = new TestCards.Decline("authentication_required",
            "authentication_required", "Your card was declined. This transaction requires authentication.");

    private final Clock clock;
    private final GatewayFaults faults;
    private final CardCheck cardCheck = new CardCheck();

    private final Object lock = new Object();
    // guarded by lock
    private final LinkedHashMap<String, PaymentIntent> paymentIntents = new LinkedHashMap<>();
    private final LinkedHashMap<String, SetupIntent> setupIntents = new LinkedHashMap<>();
    private final LinkedHashMap<String, PaymentMethod> paymentMethods = new LinkedHashMap<>();
    private final LinkedHashMap<String, Customer> customers = new LinkedHashMap<>();
    private final List<SimulatedCharge> charges = new ArrayList<>();
    private final List<SimulatedToken> tokens = new ArrayList<>();
    private final List<SimulatedSetup> setups = new ArrayList<>();

    Ledger(Clock clock, GatewayFaults faults) {
        this.clock = clock;
        this.faults = faults;
    }

    // ---------------------------------------------------------------- POST /v1/customers, /v1/payment_methods

    Outcome createCustomer(FormParams p) {
        rejectUnknown(p, CUSTOMER_PARAMS);
        Customer customer = new Customer(Ids.next("cus"), metadata(p), description(p), now());
        synchronized (lock) {
            customers.put(customer.id(), customer);
        }
        return new Outcome(customer.toJson(), customer.id() + " created");
    }

    /** A card payment method, holding its security code (if sent) until its first confirmation. */
    Outcome createPaymentMethod(FormParams p) {
        rejectUnknown(p, PM_PARAMS);
        CardCheck.SafeCard card = cardCheck.check(p, "", false, thisMonth());
        PaymentMethod pm = new PaymentMethod(Ids.next("pm"), card, CardCheck.securityCode(p, ""), metadata(p), now());
        synchronized (lock) {
            paymentMethods.put(pm.id, pm);
            return new Outcome(pm.toJson(), pm.id + " created " + card);
        }
    }

    // ---------------------------------------------------------------- POST /v1/payment_intents

    Outcome createPaymentIntent(FormParams p, String idempotencyKey) {
        rejectUnknown(p, PI_PARAMS);
        long amount = amount(p);
        String currency = currency(p);
        requireConfirm(p);
        boolean offSession = Boolean.TRUE.equals(booleanParam(p, "off_session"));
        boolean moto = Boolean.TRUE.equals(booleanParam(p, MOTO));
        String captureMethod = p.nonBlank("capture_method");
        if (captureMethod != null && !captureMethod.equals("automatic") && !captureMethod.equals("automatic_async")) {
            throw ApiException.invalid("capture_method",
                    "The simulator only supports automatic capture (capture_method=automatic).");
        }
        String setupFutureUsage = p.nonBlank("setup_future_usage");
        if (setupFutureUsage != null && !setupFutureUsage.equals("off_session")
                && !setupFutureUsage.equals("on_session")) {
            throw ApiException.invalid("setup_future_usage",
                    "Invalid setup_future_usage: must be one of off_session or on_session.");
        }
        Map<String, String> metadata = metadata(p);
        String description = description(p);
        String customerId = p.nonBlank("customer");
        String pmId = p.nonBlank("payment_method");
        CardCheck.SafeCard inline = inlineCard(p, pmId);

        Instant now = now();
        String piId = Ids.next("pi");
        String chargeId = Ids.next("ch");
        String secret = piId + "_secret_" + Ids.next("s").substring(2);
        synchronized (lock) {
            requireCustomer(customerId);
            PaymentMethod pm = inline != null ? newPaymentMethod(inline, CardCheck.securityCode(p, CardCheck.PMD), now)
                    : usablePaymentMethod(pmId, customerId);
            CardCheck.SafeCard card = pm.card;
            boolean needsAuthentication = faults.requiringAuthentication() || (!moto && switch (card.behaviour()
                    .authentication()) {
                case NONE -> false;
                case ALWAYS -> true;
                case UNLESS_SET_UP -> !(offSession && pm.customer != null);
            });
            TestCards.Decline decline = card.behaviour().onCharge();
            if (YearMonth.of(card.expYear(), card.expMonth()).isBefore(thisMonth())) {
                decline = TestCards.EXPIRED_CARD_DECLINE;
            } else if (needsAuthentication && offSession) {
                decline = AUTHENTICATION_REQUIRED; // no one to authenticate: Stripe answers 402
            }
            confirmed(pm);

            if (decline == null && needsAuthentication) {
                PaymentIntent pi = new PaymentIntent(piId, amount, currency, "requires_action", null, pm.id, customerId,
                        setupFutureUsage, false, moto, metadata, description, now, null, threeDSecure(), secret,
                        idempotencyKey, null);
                store(pi);
                return new Outcome(pi.toJson(), piId + " requires_action (3-D Secure) " + card + motoNote(moto));
            }
            if (decline == null) {
                GatewayFaults.Settlement settlement = faults.processing();
                String status = settlement == null ? "succeeded" : "processing";
                PaymentIntent pi = new PaymentIntent(piId, amount, currency, status, chargeId, pm.id, customerId,
                        setupFutureUsage, offSession, moto, metadata, description, now, null, null, secret,
                        idempotencyKey, settlement);
                store(pi);
                if (settlement == null) {
                    succeeded(pi, pm);
                }
                return new Outcome(pi.toJson(), piId + " " + status + " " + amount + " " + currency + " " + card
                        + motoNote(moto) + (offSession ? " off_session" : "")
                        + (pm.customer != null ? " (" + pm.id + " saved to " + pm.customer + ")" : ""));
            }

            Map<String, Object> lastError = declineError(decline, chargeId, pm.toJson());
            PaymentIntent pi = new PaymentIntent(piId, amount, currency, "requires_payment_method", chargeId, null,
                    customerId, setupFutureUsage, offSession, moto, metadata, description, now, lastError, null,
                    secret, idempotencyKey, null);
            store(pi);
            ApiException e = CardCheck.cardError(decline.code(), decline.declineCode(), decline.message(), null);
            e.error().put("charge", chargeId);
            e.error().put("payment_intent", pi.toJson());
            e.error().put("payment_method", pm.toJson());
            throw e;
        }
    }

    /** Records a succeeded payment intent, and saves its payment method when asked to and a customer is named. */
    private void succeeded(PaymentIntent pi, PaymentMethod pm) {
        charges.add(new SimulatedCharge(pi.id(), pi.amount(), pi.currency(), pm.card.brand(), pm.card.last4(), pm.id,
                pi.idempotencyKey(), pi.metadata(), pi.created(), pi.moto(), pi.offSession(), pi.customer()));
        if (pi.setupFutureUsage() != null && pi.customer() != null && pm.customer == null) {
            attach(pm, pi.customer());
        }
    }

    private void store(PaymentIntent pi) {
        paymentIntents.put(pi.id(), pi);
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

    private static Map<String, Object> threeDSecure() {
        Map<String, Object> sdk = new LinkedHashMap<>();
        sdk.put("type", "three_d_secure_redirect");
        sdk.put("stripe_js", "https://hooks.stripe.com/3d_secure_2/hosted");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "use_stripe_sdk");
        m.put("use_stripe_sdk", sdk);
        return m;
    }

    private static Map<String, Object> cardOptions(boolean moto) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("request_three_d_secure", "automatic");
        if (moto) {
            card.put("moto", true);
        }
        return Map.of("card", card);
    }

    private static String motoNote(boolean moto) {
        return moto ? " moto" : "";
    }

    // ---------------------------------------------------------------- POST /v1/setup_intents

    Outcome createSetupIntent(FormParams p, String idempotencyKey) {
        rejectUnknown(p, SI_PARAMS);
        requireConfirm(p);
        String usage = p.nonBlank("usage");
        if (usage == null) {
            usage = "off_session";
        } else if (!usage.equals("off_session") && !usage.equals("on_session")) {
            throw ApiException.invalid("usage", "Invalid usage: must be one of off_session or on_session.");
        }
        boolean moto = Boolean.TRUE.equals(booleanParam(p, MOTO));
        Map<String, String> metadata = metadata(p);
        String description = description(p);
        String customerId = p.nonBlank("customer");
        String pmId = p.nonBlank("payment_method");
        CardCheck.SafeCard inline = inlineCard(p, pmId);

        Instant now = now();
        String setiId = Ids.next("seti");
        String secret = setiId + "_secret_" + Ids.next("s").substring(2);
        synchronized (lock) {
            requireCustomer(customerId);
            PaymentMethod pm = inline != null ? newPaymentMethod(inline, CardCheck.securityCode(p, CardCheck.PMD), now)
                    : usablePaymentMethod(pmId, customerId);
            CardCheck.SafeCard card = pm.card;
            boolean needsAuthentication = faults.requiringAuthentication()
                    || (!moto && card.behaviour().authentication() == TestCards.Authentication.ALWAYS);
            TestCards.Decline decline = card.behaviour().onSetup();
            confirmed(pm);

            if (decline == null && needsAuthentication) {
                SetupIntent si = new SetupIntent(setiId, "requires_action", pm.id, customerId, usage, moto, metadata,
                        description, now, null, threeDSecure(), secret);
                record(si, idempotencyKey);
                return new Outcome(si.toJson(), setiId + " requires_action (3-D Secure) " + card + motoNote(moto));
            }
            if (decline == null) {
                SetupIntent si = new SetupIntent(setiId, "succeeded", pm.id, customerId, usage, moto, metadata,
                        description, now, null, null, secret);
                record(si, idempotencyKey);
                if (customerId != null && pm.customer == null) {
                    attach(pm, customerId);
                }
                return new Outcome(si.toJson(), setiId + " succeeded " + pm.id + " " + card + motoNote(moto)
                        + (customerId != null ? " saved to " + customerId : " (no customer: not saved)"));
            }
            Map<String, Object> pmJson = pm.toJson();
            Map<String, Object> lastError = declineError(decline, null, pmJson);
            lastError.remove("charge");
            SetupIntent si = new SetupIntent(setiId, "requires_payment_method", null, customerId, usage, moto,
                    metadata, description, now, lastError, null, secret);
            record(si, idempotencyKey);
            ApiException e = CardCheck.cardError(decline.code(), decline.declineCode(), decline.message(), null);
            e.error().put("payment_method", pmJson);
            e.error().put("setup_intent", si.toJson());
            throw e;
        }
    }

    private void record(SetupIntent si, String idempotencyKey) {
        setupIntents.put(si.id(), si);
        setups.add(new SimulatedSetup(si.id(), si.status(), si.paymentMethodId(), si.customer(), si.moto(),
                idempotencyKey, si.created()));
    }

    // ---------------------------------------------------------------- payment methods in intents

    /** The card sent inline as payment_method_data, or null when the intent names a payment method instead. */
    private CardCheck.SafeCard inlineCard(FormParams p, String pmId) {
        boolean hasPmd = hasPrefix(p, CardCheck.PMD);
        if (pmId != null && hasPmd) {
            throw ApiException.invalid("payment_method_data",
                    "You cannot provide both payment_method and payment_method_data.");
        }
        if (pmId == null && !hasPmd) {
            throw ApiException.missing("payment_method");
        }
        return hasPmd ? cardCheck.check(p, thisMonth()) : null;
    }

    private PaymentMethod newPaymentMethod(CardCheck.SafeCard card, String securityCode, Instant now) {
        PaymentMethod pm = new PaymentMethod(Ids.next("pm"), card, securityCode, Map.of(), now);
        paymentMethods.put(pm.id, pm);
        return pm;
    }

    /** A payment method this intent may confirm: it exists, and it is either unused or attached to its customer. */
    private PaymentMethod usablePaymentMethod(String id, String customerId) {
        PaymentMethod pm = paymentMethods.get(id);
        if (pm == null) {
            throw ApiException.resourceMissing(400, "payment_method", "No such PaymentMethod: '" + id + "'");
        }
        if (pm.customer != null && customerId == null) {
            throw ApiException.invalid("customer", "The provided PaymentMethod is attached to a Customer: "
                    + "send that Customer's id as the customer parameter to use it.");
        }
        if (pm.customer != null && !pm.customer.equals(customerId)) {
            throw ApiException.invalid("payment_method",
                    "The provided PaymentMethod belongs to another Customer than the one on this request.");
        }
        if (pm.customer == null && pm.used) {
            throw ApiException.invalid("payment_method", "This PaymentMethod was previously used without being "
                    + "attached to a Customer or was detached from a Customer, and may not be used again.");
        }
        return pm;
    }

    /** A payment method's first confirmation checks its security code and discards it; an unattached one is spent. */
    private static void confirmed(PaymentMethod pm) {
        if ("unchecked".equals(pm.cvcCheck)) {
            pm.cvcCheck = pm.securityCode != null ? "pass" : "unavailable";
        }
        pm.securityCode = null;
        if (pm.customer == null) {
            pm.used = true;
        }
    }

    private void attach(PaymentMethod pm, String customerId) {
        pm.customer = customerId;
        tokens.add(new SimulatedToken(pm.id, pm.card.brand(), pm.card.last4(), pm.card.expMonth(),
                pm.card.expYear(), now(), customerId));
    }

    private void requireCustomer(String customerId) {
        if (customerId != null && !customers.containsKey(customerId)) {
            throw ApiException.resourceMissing(400, "customer", "No such customer: '" + customerId + "'");
        }
    }

    // ---------------------------------------------------------------- settling processing charges

    /**
     * Settles every payment intent that answered {@code processing}, as the processing setting said when it was
     * made: {@code succeeded} (recorded as a charge; its payment method saved if asked) or
     * {@code requires_payment_method} with a generic decline. Answers the settled intents' ids.
     */
    List<String> settleProcessing() {
        synchronized (lock) {
            List<PaymentIntent> processing = paymentIntents.values().stream()
                    .filter(pi -> "processing".equals(pi.status())).toList();
            List<String> settled = new ArrayList<>();
            for (PaymentIntent pi : processing) {
                PaymentMethod pm = paymentMethods.get(pi.paymentMethodId());
                if (pi.settlement() == GatewayFaults.Settlement.SUCCEEDS) {
                    PaymentIntent done = new PaymentIntent(pi.id(), pi.amount(), pi.currency(), "succeeded",
                            pi.latestCharge(), pi.paymentMethodId(), pi.customer(), pi.setupFutureUsage(),
                            pi.offSession(), pi.moto(), pi.metadata(), pi.description(), pi.created(), null, null,
                            pi.clientSecret(), pi.idempotencyKey(), null);
                    store(done);
                    succeeded(done, pm);
                } else {
                    Map<String, Object> lastError = declineError(TestCards.GENERIC_DECLINE, pi.latestCharge(),
                            pm.toJson());
                    store(new PaymentIntent(pi.id(), pi.amount(), pi.currency(), "requires_payment_method",
                            pi.latestCharge(), null, pi.customer(), pi.setupFutureUsage(), pi.offSession(), pi.moto(),
                            pi.metadata(), pi.description(), pi.created(), lastError, null, pi.clientSecret(),
                            pi.idempotencyKey(), null));
                }
                settled.add(pi.id());
            }
            return settled;
        }
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
        synchronized (lock) {
            PaymentMethod pm = paymentMethods.get(id);
            if (pm == null) {
                throw ApiException.resourceMissing(404, "payment_method", "No such PaymentMethod: '" + id + "'");
            }
            return new Outcome(pm.toJson(), pm.id + " " + pm.card + (pm.customer != null ? " saved" : ""));
        }
    }

    Outcome retrieveCustomer(String id) {
        Customer customer;
        synchronized (lock) {
            customer = customers.get(id);
        }
        if (customer == null) {
            throw ApiException.resourceMissing(404, "id", "No such customer: '" + id + "'");
        }
        return new Outcome(customer.toJson(), customer.id());
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

    List<SimulatedSetup> setups() {
        synchronized (lock) {
            return List.copyOf(setups);
        }
    }

    /** Whether the payment method still holds a security code (it does only until its first confirmation). */
    boolean holdsSecurityCode(String paymentMethodId) {
        synchronized (lock) {
            PaymentMethod pm = paymentMethods.get(paymentMethodId);
            return pm != null && pm.securityCode != null;
        }
    }

    void clear() {
        synchronized (lock) {
            paymentIntents.clear();
            setupIntents.clear();
            paymentMethods.clear();
            customers.clear();
            charges.clear();
            tokens.clear();
            setups.clear();
        }
    }

    /** For tests: everything the ledger stores, as objects a JSON writer can render. */
    Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        synchronized (lock) {
            m.put("payment_intents", paymentIntents.values().stream().map(PaymentIntent::toJson).toList());
            m.put("setup_intents", setupIntents.values().stream().map(SetupIntent::toJson).toList());
            m.put("payment_methods", paymentMethods.values().stream().map(PaymentMethod::toJson).toList());
            // Held until each payment method's first confirmation, then gone: the test proves both.
            Map<String, String> held = new TreeMap<>();
            paymentMethods.values().stream().filter(pm -> pm.securityCode != null)
                    .forEach(pm -> held.put(pm.id, pm.securityCode));
            m.put("held_security_codes", held);
            m.put("customers", customers.values().stream().map(Customer::toJson).toList());
            m.put("charges", charges.stream().map(Object::toString).toList());
            m.put("tokens", tokens.stream().map(Object::toString).toList());
            m.put("setups", setups.stream().map(Object::toString).toList());
        }
        return m;
    }

    // ---------------------------------------------------------------- parameter helpers

    private YearMonth thisMonth() {
        return YearMonth.now(clock.withZone(ZoneOffset.UTC));
    }

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
