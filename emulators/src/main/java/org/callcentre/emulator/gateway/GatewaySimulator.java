package org.callcentre.emulator.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callcentre.emulator.NoDelayHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A payment gateway simulator that behaves like Stripe's API in test mode, served over real HTTP by
 * the JDK's {@link HttpServer}.
 *
 * <h2>API ({@code /v1/…}, {@code Authorization: Bearer <secretKey>} or HTTP Basic with the key as user)</h2>
 * <ul>
 *   <li>{@code POST /v1/customers} — a customer to save payment methods to.</li>
 *   <li>{@code POST /v1/payment_methods} — a card payment method ({@code type=card}, {@code card[number]},
 *       {@code card[exp_month]}, {@code card[exp_year]}, optional {@code card[cvc]}). The security code is kept only
 *       until the payment method's first confirmation.</li>
 *   <li>{@code POST /v1/payment_intents} — create and confirm (charge) a {@code payment_method=pm_…} (or raw
 *       {@code payment_method_data[card][…]}); {@code payment_method_options[card][moto]}, {@code off_session},
 *       {@code setup_future_usage} and {@code customer} as in Stripe. Answers {@code succeeded},
 *       {@code processing} (see {@link GatewayFaults#processing}) or {@code requires_action} (3-D Secure), or
 *       402 for a decline.</li>
 *   <li>{@code POST /v1/setup_intents} — create and confirm; with a {@code customer}, saves the payment method.</li>
 *   <li>{@code GET /v1/payment_intents/{id}}, {@code GET /v1/setup_intents/{id}}, {@code GET /v1/payment_methods/{id}},
 *       {@code GET /v1/customers/{id}}.</li>
 * </ul>
 *
 * <p>A payment method not attached to a customer can be confirmed once; a second intent naming it is refused
 * with 400, as in Stripe. One attached to a customer (by a succeeded setup intent naming the customer, or a
 * succeeded payment intent naming the customer with {@code setup_future_usage}) is charged again by naming it and
 * its customer. 3-D Secure: {@code 4000002760003184} asks for it always, {@code 4000002500003155} on one-off
 * charges; a MOTO-flagged intent is out of its scope unless {@link GatewayFaults#requireAuthentication} says the
 * issuer refuses the exemption. On session it answers {@code requires_action}; off session, 402
 * {@code authentication_required}.
 *
 * <h2>Idempotency ({@code Idempotency-Key} header on POSTs)</h2>
 * The first request with a key is processed; its status and body are stored if the endpoint executed
 * (200 or 402 card error). Later requests with the same key and the same parameters (compared as a
 * SHA-256 digest of method, path and sorted parameters) get that status and body replayed with
 * {@code Idempotent-Replayed: true}, and nothing is processed. Different parameters → 400
 * {@code idempotency_error}. A request whose key is still being processed by another request gets
 * 409 {@code idempotency_error / idempotency_key_in_use} immediately (as Stripe does). Responses that
 * are not stored (400 validation errors, 401, 500 faults) leave the key free for a retry.
 *
 * <h2>Control ({@code /__simulator/…}, no auth, never faulted, not counted)</h2>
 * {@code POST /__simulator/faults} {@code {"mode":"slow"|"fail"|"failAll"|"none"|"latency","count":n,"delayMillis":ms}},
 * {@code {"mode":"processing","settle":"succeeded"|"declined"}} (or {@code "enabled":false}),
 * {@code {"mode":"requireAuthentication","enabled":true|false}};
 * {@code POST /__simulator/settle} (settles the processing charges);
 * {@code GET /__simulator/faults}, {@code GET /__simulator/charges}, {@code GET /__simulator/tokens},
 * {@code GET /__simulator/setups}, {@code GET /__simulator/stats}, {@code POST /__simulator/reset}.
 *
 * <p>Card data hygiene: card numbers and cvcs are never logged; the simulator keeps brand, last4, expiry and a
 * keyed HMAC fingerprint only, and a payment method's security code until its first confirmation.
 */
public final class GatewaySimulator implements AutoCloseable {

    /** The key {@link #start()} uses. */
    public static final String DEFAULT_SECRET_KEY = "sk_test_simulator";

    private static final Logger log = LoggerFactory.getLogger(GatewaySimulator.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    private static final Pattern PAYMENT_INTENT_PATH = Pattern.compile("/v1/payment_intents/([A-Za-z0-9_]+)");
    private static final Pattern SETUP_INTENT_PATH = Pattern.compile("/v1/setup_intents/([A-Za-z0-9_]+)");
    private static final Pattern PAYMENT_METHOD_PATH = Pattern.compile("/v1/payment_methods/([A-Za-z0-9_]+)");
    private static final Pattern CUSTOMER_PATH = Pattern.compile("/v1/customers/([A-Za-z0-9_]+)");

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final ScheduledThreadPoolExecutor scheduler;
    private final byte[] secretKey;
    private final String baseUrl;
    private final ObjectMapper json = new ObjectMapper();
    private final GatewayFaults faults = new GatewayFaults();
    private final Ledger ledger = new Ledger(Clock.systemUTC(), faults);
    private final IdempotencyStore idempotency = new IdempotencyStore();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger processedCount = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** One HTTP answer. */
    private record Response(int status, byte[] body, Map<String, String> headers, String summary) {
    }

    private GatewaySimulator(HttpServer server, ThreadPoolExecutor executor, String secretKey) {
        this.server = server;
        this.executor = executor;
        this.secretKey = secretKey.getBytes(StandardCharsets.UTF_8);
        this.scheduler = new ScheduledThreadPoolExecutor(2, daemonThreads("gateway-sim-delay-"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        InetSocketAddress bound = server.getAddress();
        InetAddress addr = bound.getAddress();
        String host;
        if (addr == null || addr.isAnyLocalAddress()) {
            host = "127.0.0.1";
        } else if (addr instanceof java.net.Inet6Address) {
            host = "[" + addr.getHostAddress() + "]";
        } else {
            host = addr.getHostAddress();
        }
        this.baseUrl = "http://" + host + ":" + bound.getPort();
    }

    /** Starts on 127.0.0.1, a free port, with {@link #DEFAULT_SECRET_KEY}. */
    public static GatewaySimulator start() {
        return start("127.0.0.1", 0, DEFAULT_SECRET_KEY);
    }

    /**
     * Starts the simulator.
     *
     * @param host      address to bind (e.g. "127.0.0.1"; "0.0.0.0" for all interfaces)
     * @param port      port, 0 for any free port
     * @param secretKey the API key clients must send, e.g. "sk_test_simulator"
     */
    public static GatewaySimulator start(String host, int port, String secretKey) {
        Objects.requireNonNull(secretKey, "secretKey");
        if (secretKey.isBlank()) {
            throw new IllegalArgumentException("secretKey must not be blank");
        }
        int threads = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("gateway-sim-http-"));
        executor.allowCoreThreadTimeOut(true);
        HttpServer server;
        try {
            InetAddress address = InetAddress.getByName(host == null || host.isBlank() ? "127.0.0.1" : host);
            server = NoDelayHttpServer.create(new InetSocketAddress(address, port), 128);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("Cannot bind gateway simulator to " + host + ":" + port, e);
        }
        GatewaySimulator sim = new GatewaySimulator(server, executor, secretKey);
        server.createContext("/", sim::handle);
        server.setExecutor(executor);
        server.start();
        log.info("Payment gateway simulator listening on {}", sim.baseUrl);
        return sim;
    }

    /** "http://127.0.0.1:PORT". */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The fault injector. */
    public GatewayFaults faults() {
        return faults;
    }

    /** Shorthand for {@code faults().latency(latency)}: fixed latency added to every API response. */
    public GatewaySimulator latency(Duration latency) {
        faults.latency(latency);
        return this;
    }

    /** Every succeeded payment intent, oldest first (a copy). */
    public List<SimulatedCharge> charges() {
        return ledger.charges();
    }

    /** Every saved payment method, oldest first (a copy). */
    public List<SimulatedToken> tokens() {
        return ledger.tokens();
    }

    /** Every setup intent, whatever its outcome, oldest first (a copy). */
    public List<SimulatedSetup> setups() {
        return ledger.setups();
    }

    /**
     * Settles every charge that answered {@code processing} (see {@link GatewayFaults#processing}), as that
     * setting said when the charge was made. Answers the settled payment intents' ids; a GET of each then
     * answers its settled state (an idempotent replay of the request that made it still answers
     * {@code processing}, as Stripe replays the first answer).
     */
    public List<String> settleProcessing() {
        return ledger.settleProcessing();
    }

    /** For tests in this package: whether a payment method still holds its security code. */
    boolean holdsSecurityCode(String paymentMethodId) {
        return ledger.holdsSecurityCode(paymentMethodId);
    }

    /** API requests received ({@code /v1/…} and unknown paths), including replays, 401s and faulted ones. */
    public int requestCount() {
        return requestCount.get();
    }

    /**
     * API requests that were actually processed: they got past faults, authentication and the
     * idempotency store (not a replay, not a 409, not a key mismatch) and reached the endpoint logic,
     * whatever its outcome.
     */
    public int processedCount() {
        return processedCount.get();
    }

    /** Clears all records, the idempotency store, counters, faults and latency. */
    public void reset() {
        ledger.clear();
        idempotency.clear();
        faults.resetAll();
        requestCount.set(0);
        processedCount.set(0);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            scheduler.shutdownNow();
            executor.shutdownNow();
            log.info("Payment gateway simulator on {} stopped", baseUrl);
        }
    }

    /** For tests in this package: all state the simulator keeps, rendered as text. */
    String stateSnapshot() {
        Map<String, Object> m = new LinkedHashMap<>(ledger.snapshot());
        m.put("idempotent_responses", idempotency.storedBodies());
        try {
            return json.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a simulator until the JVM is stopped. Arguments (all optional): port (default 12111),
     * host (default 127.0.0.1), secret key (default {@value #DEFAULT_SECRET_KEY}).
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 12111;
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        String key = args.length > 2 ? args[2] : DEFAULT_SECRET_KEY;
        GatewaySimulator sim = start(host, port, key);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            done.countDown();
        }));
        done.await();
    }

    // ================================================================= HTTP handling

    private void handle(HttpExchange ex) {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        try {
            if (path.equals("/__simulator") || path.startsWith("/__simulator/")) {
                send(ex, control(ex, method, path), Duration.ZERO, method, path, false);
            } else {
                api(ex, method, path);
            }
        } catch (Throwable t) {
            // Our own exceptions never carry card data; the request body is never part of a message.
            log.error("Unexpected error handling {} {}: {}", method, path, t.toString());
            try {
                send(ex, error(ApiException.apiError()), Duration.ZERO, method, path, false);
            } catch (RuntimeException ignored) {
                ex.close();
            }
        }
    }

    private void api(HttpExchange ex, String method, String path) throws IOException {
        requestCount.incrementAndGet();
        byte[] raw = readBody(ex);
        GatewayFaults.Decision decision = faults.next(method, path);
        Duration delay = faults.latency().plus(decision.slowDelay());
        Response response;
        if (raw == null) {
            response = error(ApiException.invalidRequest(413, null, null, "Request body too large."));
        } else if (decision.fail()) {
            response = error(ApiException.apiError());
            response = withSummary(response, "injected fault");
        } else if (!authenticated(ex)) {
            response = unauthorized(ex);
        } else {
            response = route(ex, method, path, raw);
        }
        boolean replayed = response.headers().containsKey("Idempotent-Replayed");
        if (decision.slowDelay().compareTo(Duration.ZERO) > 0) {
            response = withSummary(response, response.summary() + " (held " + decision.slowDelay().toMillis() + "ms)");
        }
        send(ex, response, delay, method, path, replayed);
    }

    private Response route(HttpExchange ex, String method, String path, byte[] raw) {
        if (method.equals("POST") && path.equals("/v1/payment_intents")) {
            String key = idempotencyKey(ex);
            return idempotent(key, method, path, raw, p -> ledger.createPaymentIntent(p, key));
        }
        if (method.equals("POST") && path.equals("/v1/setup_intents")) {
            String key = idempotencyKey(ex);
            return idempotent(key, method, path, raw, p -> ledger.createSetupIntent(p, key));
        }
        if (method.equals("POST") && path.equals("/v1/payment_methods")) {
            return idempotent(idempotencyKey(ex), method, path, raw, ledger::createPaymentMethod);
        }
        if (method.equals("POST") && path.equals("/v1/customers")) {
            return idempotent(idempotencyKey(ex), method, path, raw, ledger::createCustomer);
        }
        if (method.equals("GET")) {
            processedCount.incrementAndGet();
            try {
                Matcher m = PAYMENT_INTENT_PATH.matcher(path);
                if (m.matches()) {
                    return ok(ledger.retrievePaymentIntent(m.group(1)));
                }
                m = SETUP_INTENT_PATH.matcher(path);
                if (m.matches()) {
                    return ok(ledger.retrieveSetupIntent(m.group(1)));
                }
                m = PAYMENT_METHOD_PATH.matcher(path);
                if (m.matches()) {
                    return ok(ledger.retrievePaymentMethod(m.group(1)));
                }
                m = CUSTOMER_PATH.matcher(path);
                if (m.matches()) {
                    return ok(ledger.retrieveCustomer(m.group(1)));
                }
            } catch (ApiException e) {
                return error(e);
            }
        } else {
            processedCount.incrementAndGet();
        }
        return error(ApiException.invalidRequest(404, null, null,
                "Unrecognized request URL (" + method + ": " + path + "). The simulator supports POST /v1/{customers,"
                        + "payment_methods,payment_intents,setup_intents} and GET /v1/{customers,payment_methods,payment_intents,setup_intents}/{id}."));
    }

    private interface Endpoint {
        Ledger.Outcome run(FormParams params);
    }

    private Response idempotent(String key, String method, String path, byte[] raw, Endpoint endpoint) {
        FormParams params;
        try {
            if (key != null && key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
                throw ApiException.invalidRequest(400, null, null,
                        "Idempotency-Key must be at most " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters long.");
            }
            params = FormParams.parse(new String(raw, StandardCharsets.UTF_8));
        } catch (ApiException e) {
            return error(e);
        }
        if (key == null) {
            return process(params, endpoint);
        }
        IdempotencyStore.Claim claim = idempotency.claim(key, params.digest(method, path), path);
        if (claim instanceof IdempotencyStore.Replay replay) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Idempotent-Replayed", "true");
            headers.put("Idempotency-Key", key);
            return new Response(replay.stored().status(), replay.stored().body(), headers, "replayed");
        }
        if (claim instanceof IdempotencyStore.Mismatch mismatch) {
            String message = mismatch.firstPath().equals(path)
                    ? "Keys for idempotent requests can only be used with the same parameters they were first used with. "
                    + "Try using a key other than '" + key + "' if you meant to execute a different request."
                    : "Keys for idempotent requests can only be used for the same endpoint they were first used for ('"
                    + mismatch.firstPath() + "' vs '" + path + "'). Try using a key other than '" + key
                    + "' if you meant to execute a different request.";
            return error(ApiException.idempotency(400, null, message));
        }
        if (claim instanceof IdempotencyStore.InUse) {
            return error(ApiException.idempotency(409, "idempotency_key_in_use",
                    "There is currently another in-progress request using this idempotent key (that probably means you "
                            + "submitted twice, and the other request is still going through): " + key
                            + ". Please try again later."));
        }
        IdempotencyStore.Entry entry = ((IdempotencyStore.Proceed) claim).entry();
        boolean stored = false;
        try {
            Response response = process(params, endpoint);
            if (response.status() == 200 || response.status() == 402) {
                idempotency.complete(entry, response.status(), response.body());
                stored = true;
            }
            Map<String, String> headers = new LinkedHashMap<>(response.headers());
            headers.put("Idempotency-Key", key);
            return new Response(response.status(), response.body(), headers, response.summary());
        } finally {
            if (!stored) {
                idempotency.release(key, entry);
            }
        }
    }

    private Response process(FormParams params, Endpoint endpoint) {
        processedCount.incrementAndGet();
        try {
            return ok(endpoint.run(params));
        } catch (ApiException e) {
            return error(e);
        }
    }

    private static String idempotencyKey(HttpExchange ex) {
        String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
        return key == null || key.isBlank() ? null : key.trim();
    }

    // ----------------------------------------------------------------- auth

    private boolean authenticated(HttpExchange ex) {
        String provided = providedKey(ex.getRequestHeaders());
        return provided != null && MessageDigest.isEqual(provided.getBytes(StandardCharsets.UTF_8), secretKey);
    }

    private static String providedKey(Headers headers) {
        String auth = headers.getFirst("Authorization");
        if (auth == null || auth.isBlank()) {
            return null;
        }
        auth = auth.trim();
        if (auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return "";
    }

    private Response unauthorized(HttpExchange ex) {
        String provided = providedKey(ex.getRequestHeaders());
        String message = provided == null
                ? "You did not provide an API key. You need to provide your API key in the Authorization header, "
                + "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
                : "Invalid API Key provided: " + mask(provided);
        Response r = error(ApiException.invalidRequest(401, null, null, message));
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        headers.put("WWW-Authenticate", "Bearer realm=\"Stripe\"");
        return new Response(r.status(), r.body(), headers, "unauthorized");
    }

    /** Stripe-style redaction: keeps a recognisable prefix and, for long keys, the last four characters. */
    static String mask(String key) {
        Matcher m = Pattern.compile("^((?:sk|rk|pk)_(?:test|live)_)(.*)$").matcher(key);
        String prefix = m.matches() ? m.group(1) : "";
        String rest = key.substring(prefix.length());
        if (rest.length() > 8) {
            return prefix + "*".repeat(rest.length() - 4) + rest.substring(rest.length() - 4);
        }
        return prefix + "*".repeat(Math.max(rest.length(), 1));
    }

    // ----------------------------------------------------------------- control endpoints

    private Response control(HttpExchange ex, String method, String path) throws IOException {
        byte[] raw = readBody(ex);
        switch (method + " " + path) {
            case "POST /__simulator/faults": {
                try {
                    applyFaults(raw == null ? null : json.readTree(raw));
                } catch (IllegalArgumentException | IOException e) {
                    return controlError(400, "Invalid fault request: " + e.getMessage());
                }
                return json(200, faultState(), "faults " + faults);
            }
            case "GET /__simulator/faults":
                return json(200, faultState(), "faults " + faults);
            case "GET /__simulator/charges":
                return json(200, ledger.charges().stream().map(GatewaySimulator::chargeJson).toList(), "charges");
            case "GET /__simulator/tokens":
                return json(200, ledger.tokens().stream().map(GatewaySimulator::tokenJson).toList(), "tokens");
            case "GET /__simulator/setups":
                return json(200, ledger.setups().stream().map(GatewaySimulator::setupJson).toList(), "setups");
            case "POST /__simulator/settle": {
                List<String> settled = settleProcessing();
                return json(200, Map.of("settled", settled), "settled " + settled);
            }
            case "GET /__simulator/stats": {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("requestCount", requestCount.get());
                m.put("processedCount", processedCount.get());
                m.put("charges", ledger.charges().size());
                m.put("tokens", ledger.tokens().size());
                return json(200, m, "stats");
            }
            case "POST /__simulator/reset":
                reset();
                return json(200, Map.of("reset", true), "reset");
            default:
                return controlError(404, "Unknown simulator control endpoint " + method + " " + path);
        }
    }

    private void applyFaults(JsonNode node) {
        if (node == null || !node.isObject() || !node.hasNonNull("mode")) {
            throw new IllegalArgumentException("expected a JSON object with \"mode\"");
        }
        String mode = node.get("mode").asText();
        int count = node.hasNonNull("count") ? node.get("count").asInt() : 1;
        long delayMillis = node.hasNonNull("delayMillis") ? node.get("delayMillis").asLong() : -1;
        switch (mode) {
            case "slow" -> {
                if (delayMillis <= 0) {
                    throw new IllegalArgumentException("mode slow needs delayMillis > 0");
                }
                faults.slowNext(count, Duration.ofMillis(delayMillis));
            }
            case "fail" -> faults.failNext(count);
            case "failAll" -> faults.failAll(!node.hasNonNull("enabled") || node.get("enabled").asBoolean());
            case "none" -> faults.clear();
            case "latency" -> faults.latency(Duration.ofMillis(Math.max(delayMillis, 0)));
            case "processing" -> {
                boolean enabled = !node.hasNonNull("enabled") || node.get("enabled").asBoolean();
                String settle = node.hasNonNull("settle") ? node.get("settle").asText() : "succeeded";
                GatewayFaults.Settlement settlement = switch (settle) {
                    case "succeeded" -> GatewayFaults.Settlement.SUCCEEDS;
                    case "declined" -> GatewayFaults.Settlement.DECLINES;
                    default -> throw new IllegalArgumentException("settle must be succeeded or declined");
                };
                faults.processing(enabled ? settlement : null);
            }
            case "requireAuthentication" ->
                    faults.requireAuthentication(!node.hasNonNull("enabled") || node.get("enabled").asBoolean());
            default -> throw new IllegalArgumentException("unknown mode '" + mode
                    + "' (slow, fail, failAll, none, latency, processing, requireAuthentication)");
        }
    }

    private Map<String, Object> faultState() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("failAll", faults.failingAll());
        m.put("failNext", faults.failNextRemaining());
        m.put("slowNext", faults.slowNextRemaining());
        m.put("slowDelayMillis", faults.slowDelay().toMillis());
        m.put("latencyMillis", faults.latency().toMillis());
        m.put("processing", faults.processing() == null ? null
                : faults.processing() == GatewayFaults.Settlement.SUCCEEDS ? "succeeded" : "declined");
        m.put("requireAuthentication", faults.requiringAuthentication());
        return m;
    }

    private static Map<String, Object> chargeJson(SimulatedCharge c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("amount", c.amount());
        m.put("currency", c.currency());
        m.put("brand", c.brand());
        m.put("last4", c.last4());
        m.put("paymentMethodId", c.paymentMethodId());
        m.put("idempotencyKey", c.idempotencyKey());
        m.put("metadata", c.metadata());
        m.put("created", c.created().toString());
        m.put("moto", c.moto());
        m.put("offSession", c.offSession());
        m.put("customer", c.customer());
        return m;
    }

    private static Map<String, Object> setupJson(SimulatedSetup s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("status", s.status());
        m.put("paymentMethodId", s.paymentMethodId());
        m.put("customer", s.customer());
        m.put("moto", s.moto());
        m.put("idempotencyKey", s.idempotencyKey());
        m.put("created", s.created().toString());
        return m;
    }

    private static Map<String, Object> tokenJson(SimulatedToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("brand", t.brand());
        m.put("last4", t.last4());
        m.put("expMonth", t.expMonth());
        m.put("expYear", t.expYear());
        m.put("created", t.created().toString());
        m.put("customer", t.customer());
        return m;
    }

    private Response controlError(int status, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "invalid_request_error");
        e.put("message", message);
        return json(status, Map.of("error", e), message);
    }

    // ----------------------------------------------------------------- responses

    private Response ok(Ledger.Outcome outcome) {
        return json(200, outcome.body(), outcome.summary());
    }

    private Response error(ApiException e) {
        Object code = e.error().getOrDefault("decline_code", e.error().get("code"));
        return json(e.status(), e.body(), e.error().get("type") + (code == null ? "" : "/" + code));
    }

    private Response json(int status, Object body, String summary) {
        try {
            return new Response(status, json.writeValueAsBytes(body), Map.of(), summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot render response", e);
        }
    }

    private static Response withSummary(Response r, String summary) {
        return new Response(r.status(), r.body(), r.headers(), summary);
    }

    /** Reads the whole body; null when it exceeds the limit. */
    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                in.transferTo(OutputStream.nullOutputStream());
                return null;
            }
            return body;
        }
    }

    private void send(HttpExchange ex, Response r, Duration delay, String method, String path, boolean replayed) {
        if (delay.isZero() || delay.isNegative()) {
            write(ex, r, method, path, replayed);
            return;
        }
        try {
            scheduler.schedule(() -> write(ex, r, method, path, replayed), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) { // closing
            ex.close();
        }
    }

    private void write(HttpExchange ex, Response r, String method, String path, boolean replayed) {
        // Logged before the response goes out, so a client holding its answer can rely on the line being written.
        // Only method, path, status and a card-safe summary (ids, brand, last4, error codes) are logged.
        if (path.startsWith("/__simulator")) {
            log.debug("{} {} -> {} {}", method, path, r.status(), r.summary());
        } else {
            log.info("{} {} -> {}{} {}", method, path, r.status(), replayed ? " (idempotent replay)" : "", r.summary());
        }
        try {
            Headers h = ex.getResponseHeaders();
            h.set("Content-Type", "application/json");
            h.set("Request-Id", Ids.next("req"));
            h.set("Stripe-Version", "2024-06-20");
            r.headers().forEach(h::set);
            ex.sendResponseHeaders(r.status(), r.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(r.body());
            }
        } catch (IOException e) {
            log.info("{} {} -> {} not delivered: the client went away", method, path, r.status());
        } finally {
            ex.close();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
