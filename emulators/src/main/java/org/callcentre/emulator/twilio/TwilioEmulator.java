package org.callcentre.emulator.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.callcentre.emulator.NoDelayHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Twilio Programmable Voice emulator: a real HTTP peer that serves the 2010-04-01 Calls REST API,
 * fetches TwiML from the application with signed webhooks, runs it (Say, Play, Pause, Gather,
 * Redirect, Dial, Hangup), and sends status callbacks. It also serves a small web page (GET /)
 * from which a person can play the caller.
 */
public final class TwilioEmulator implements AutoCloseable {

    public static final String API_VERSION = "2010-04-01";

    private static final Logger log = LoggerFactory.getLogger(TwilioEmulator.class);
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_RECORDED_WEBHOOKS = 200_000;
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String JSON = "application/json; charset=utf-8";
    private static final Pattern CALLS = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Calls(?:\\.json)?$");
    private static final Pattern CALL = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Calls/([^/]+?)(?:\\.json)?$");
    private static final Pattern CONTROL_CALL = Pattern.compile("^/emulator/calls/([^/]+)(/[a-z-]+)?$");
    private static final Pattern UI_FILE = Pattern.compile("^/emulator/ui/([a-z0-9-]+\\.(?:html|js|css))$");

    /**
     * How the emulator runs.
     *
     * @param host                     the interface to listen on
     * @param port                     the port, 0 for any free port
     * @param accountSid               the only account the REST API knows
     * @param authToken                its auth token: HTTP Basic password and webhook signing key
     * @param pauseScale               1.0: a {@code <Pause>} lasts its real length; 0.0: no waiting
     * @param gatherTimeoutScale       1.0: real Gather timeouts; 0: gathers only time out via expireGather()
     * @param duplicateStatusCallbacks when true every status callback is POSTed twice (like a Twilio retry)
     */
    public record Settings(String host, int port, String accountSid, String authToken, double pauseScale,
            double gatherTimeoutScale, boolean duplicateStatusCallbacks) {

        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final String DEFAULT_ACCOUNT_SID = "ACemulator0000000000000000000000000";
        public static final String DEFAULT_AUTH_TOKEN = "emulator-auth-token";

        public Settings {
            host = host == null || host.isBlank() ? DEFAULT_HOST : host;
            accountSid = accountSid == null || accountSid.isBlank() ? DEFAULT_ACCOUNT_SID : accountSid;
            authToken = authToken == null || authToken.isEmpty() ? DEFAULT_AUTH_TOKEN : authToken;
            if (!accountSid.matches("AC[0-9A-Za-z]{32,}")) {
                throw new IllegalArgumentException("accountSid must be AC followed by 32 letters or digits: " + accountSid);
            }
            if (accountSid.contains(":")) {
                throw new IllegalArgumentException("accountSid must not contain ':'");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (!(pauseScale >= 0) || !(gatherTimeoutScale >= 0)) {
                throw new IllegalArgumentException("scales must be >= 0");
            }
        }

        /** 127.0.0.1, any free port, default account, real pause and gather timings, no duplicates. */
        public static Settings defaults() {
            return new Settings(DEFAULT_HOST, 0, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, 1.0, 1.0, false);
        }

        public Settings withHost(String v) {
            return new Settings(v, port, accountSid, authToken, pauseScale, gatherTimeoutScale, duplicateStatusCallbacks);
        }

        public Settings withPort(int v) {
            return new Settings(host, v, accountSid, authToken, pauseScale, gatherTimeoutScale, duplicateStatusCallbacks);
        }

        public Settings withAccountSid(String v) {
            return new Settings(host, port, v, authToken, pauseScale, gatherTimeoutScale, duplicateStatusCallbacks);
        }

        public Settings withAuthToken(String v) {
            return new Settings(host, port, accountSid, v, pauseScale, gatherTimeoutScale, duplicateStatusCallbacks);
        }

        public Settings withPauseScale(double v) {
            return new Settings(host, port, accountSid, authToken, v, gatherTimeoutScale, duplicateStatusCallbacks);
        }

        public Settings withGatherTimeoutScale(double v) {
            return new Settings(host, port, accountSid, authToken, pauseScale, v, duplicateStatusCallbacks);
        }

        public Settings withDuplicateStatusCallbacks(boolean v) {
            return new Settings(host, port, accountSid, authToken, pauseScale, gatherTimeoutScale, v);
        }
    }

    /** The outcome of one webhook request. */
    record WebhookResult(int status, String body, Throwable error) {
        boolean ok() {
            return error == null && status >= 200 && status < 300;
        }

        String describe() {
            return error != null ? "no answer (" + error + ")" : "HTTP " + status;
        }
    }

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService serverExecutor;
    private final ExecutorService workers;
    private final ExecutorService clientExecutor;
    private final ScheduledThreadPoolExecutor scheduler;
    private final HttpClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final String baseUrl;
    private final ConcurrentHashMap<String, EmulatedCall> calls = new ConcurrentHashMap<>();
    private final AtomicLong callSequence = new AtomicLong();
    private final ConcurrentLinkedQueue<WebhookExchange> webhooks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger webhookCount = new AtomicInteger();
    /** Webhooks sent and not yet recorded: each is counted up when sent and down when its outcome is recorded. */
    private final AtomicInteger webhooksInFlight = new AtomicInteger();
    private final ReentrantLock webhookLock = new ReentrantLock();
    private final Condition webhookRecorded = webhookLock.newCondition();
    private volatile boolean closed;

    private TwilioEmulator(Settings settings) throws IOException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.serverExecutor = new ThreadPoolExecutor(16, 16, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("twilio-emulator-http"));
        this.workers = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
                daemonThreads("twilio-emulator-worker"));
        this.clientExecutor = Executors.newCachedThreadPool(daemonThreads("twilio-emulator-client"));
        this.scheduler = new ScheduledThreadPoolExecutor(2, daemonThreads("twilio-emulator-timer"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(clientExecutor)
                .build();
        this.server = NoDelayHttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 1024);
        this.server.setExecutor(serverExecutor);
        this.server.createContext("/", this::handle);
        this.server.start();
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        this.baseUrl = "http://" + host + ":" + server.getAddress().getPort();
    }

    /** Starts an emulator; close it when done. */
    public static TwilioEmulator start(Settings settings) {
        try {
            TwilioEmulator emulator = new TwilioEmulator(settings);
            log.info("Twilio emulator listening on {} (account {})", emulator.baseUrl, settings.accountSid());
            return emulator;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Twilio emulator on " + settings.host() + ":" + settings.port(), e);
        }
    }

    /** Starts an emulator with {@link Settings#defaults()}. */
    public static TwilioEmulator start() {
        return start(Settings.defaults());
    }

    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String accountSid() {
        return settings.accountSid();
    }

    public String authToken() {
        return settings.authToken();
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        scheduler.shutdownNow();
        workers.shutdownNow();
        serverExecutor.shutdownNow();
        clientExecutor.shutdownNow();
    }

    // ------------------------------------------------------------------ control API

    /** Creates an outbound-api call that runs the given inline TwiML (like REST create with Twiml); returns its sid. */
    public String createCall(String from, String to, String twiml) {
        Objects.requireNonNull(twiml, "twiml");
        EmulatedCall call = register(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"),
                null, null);
        execute(() -> call.answer(null, null, twiml));
        return call.sid();
    }

    /** The call with this sid; throws IllegalArgumentException if there is none. */
    public EmulatedCall call(String callSid) {
        EmulatedCall c = calls.get(callSid);
        if (c == null) {
            throw new IllegalArgumentException("no such call: " + callSid + " (known: " + calls.keySet() + ")");
        }
        return c;
    }

    /** All calls, oldest first. */
    public List<EmulatedCall> calls() {
        List<EmulatedCall> list = new ArrayList<>(calls.values());
        list.sort(Comparator.comparingLong(EmulatedCall::sequence));
        return list;
    }

    /** Every webhook exchange recorded so far (the newest {@value #MAX_RECORDED_WEBHOOKS} at most), oldest first. */
    public List<WebhookExchange> webhooks() {
        return List.copyOf(webhooks);
    }

    public void clearWebhooks() {
        webhooks.clear();
        webhookCount.set(0);
    }

    /**
     * Waits until at least {@code count} recorded exchanges match, and returns the matching ones.
     * Throws AssertionError on timeout.
     */
    public List<WebhookExchange> awaitWebhooks(Predicate<WebhookExchange> filter, int count, Duration timeout) {
        return awaitRecorded(timeout, () -> {
            List<WebhookExchange> matching = webhooks.stream().filter(filter).toList();
            return matching.size() >= count ? matching : null;
        }, () -> "waiting for " + count + " matching webhook exchanges; matching so far: "
                + webhooks.stream().filter(filter).toList());
    }

    /**
     * Waits until every webhook sent so far has its outcome (an answer, a failure or a timeout), such as the status
     * callbacks that calls send when they end, after the caller has moved on. Throws AssertionError on timeout.
     */
    public void awaitWebhooksDelivered(Duration timeout) {
        awaitRecorded(timeout, () -> webhooksInFlight.get() == 0 ? Boolean.TRUE : null,
                () -> "with " + webhooksInFlight.get() + " webhooks still in flight");
    }

    /**
     * Waits, as webhooks are recorded, until {@code probe} answers something other than null, and returns it; on
     * timeout throws AssertionError saying what was still missing.
     */
    private <T> T awaitRecorded(Duration timeout, Supplier<T> probe, Supplier<String> missing) {
        long nanos = timeout.toNanos();
        webhookLock.lock();
        try {
            while (true) {
                T result = probe.get();
                if (result != null) {
                    return result;
                }
                if (nanos <= 0) {
                    throw new AssertionError("Timed out after " + timeout + " " + missing.get());
                }
                nanos = webhookRecorded.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for webhooks", e);
        } finally {
            webhookLock.unlock();
        }
    }

    // ------------------------------------------------------------------ engine support

    private EmulatedCall register(String from, String to, String statusCallback, String statusCallbackMethod) {
        String sid = newCallSid();
        EmulatedCall call = new EmulatedCall(this, sid, from, to, "outbound-api", callSequence.incrementAndGet(),
                statusCallback, statusCallbackMethod);
        calls.put(sid, call);
        return call;
    }

    private static String newCallSid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("CA%016x%016x", r.nextLong(), r.nextLong());
    }

    void execute(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("emulator closed; task dropped");
        }
    }

    ScheduledFuture<?> schedule(Runnable task, long nanos) {
        try {
            return scheduler.schedule(task, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** Sends a signed webhook; the future always completes normally (failures are in the result). */
    CompletableFuture<WebhookResult> sendWebhook(String callSid, String url, String method, Map<String, String> params,
            String kind) {
        webhooksInFlight.incrementAndGet();
        boolean get = "GET".equals(method);
        String target = url;
        if (get) {
            int hash = target.indexOf('#');
            if (hash >= 0) {
                target = target.substring(0, hash);
            }
            target = target + (target.contains("?") ? "&" : "?") + Forms.encode(params);
        }
        String signature = TwilioSignature.compute(settings.authToken(), target, get ? Map.of() : params);
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(new URI(target))
                    .timeout(WEBHOOK_TIMEOUT)
                    .header(TwilioSignature.HEADER, signature)
                    .header("User-Agent", "TwilioProxy/1.1")
                    .header("Accept", "*/*");
            if (get) {
                b.GET();
            } else {
                b.header("Content-Type", FORM + "; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(params), StandardCharsets.UTF_8));
            }
            request = b.build();
        } catch (URISyntaxException | RuntimeException e) {
            record(new WebhookExchange(callSid, url, method, params, 0, 0, Instant.now(), kind));
            log.warn("Call {}: cannot request {} {}: {}", callSid, method, url, e.toString());
            return CompletableFuture.completedFuture(new WebhookResult(0, null, e));
        }
        return attempt(callSid, url, method, params, kind, request, true);
    }

    /**
     * One try at a webhook. A request that failed at the connection level (typically a pooled
     * keep-alive connection the application had just closed) is tried once more; latency is that of
     * the try that produced the recorded outcome.
     */
    private CompletableFuture<WebhookResult> attempt(String callSid, String url, String method,
            Map<String, String> params, String kind, HttpRequest request, boolean mayRetry) {
        Instant sentAt = Instant.now();
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<String>> future;
        try {
            future = client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        return future.handle((response, error) -> {
            long latency = System.nanoTime() - t0;
            Throwable cause = unwrap(error);
            if (cause != null && mayRetry && !closed && cause instanceof IOException
                    && !(cause instanceof HttpTimeoutException) && !(cause instanceof ConnectException)) {
                log.debug("Call {}: {} {} failed ({}); trying once more", callSid, method, url, cause.toString());
                return attempt(callSid, url, method, params, kind, request, false);
            }
            int status = response == null ? 0 : response.statusCode();
            record(new WebhookExchange(callSid, url, method, params, status, latency, sentAt, kind));
            if (cause != null) {
                log.warn("Call {}: {} {} failed: {}", callSid, method, url, cause.toString());
                return CompletableFuture.completedFuture(new WebhookResult(0, null, cause));
            }
            if (status < 200 || status >= 300) {
                log.warn("Call {}: {} {} answered HTTP {}", callSid, method, url, status);
            }
            return CompletableFuture.completedFuture(new WebhookResult(status, response.body(), null));
        }).thenCompose(f -> f);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    void sendStatusCallback(String callSid, String url, String method, Map<String, String> params) {
        CompletableFuture<WebhookResult> first = sendWebhook(callSid, url, method, params, WebhookExchange.KIND_STATUS);
        if (settings.duplicateStatusCallbacks()) {
            first.thenRun(() -> {
                if (!closed) {
                    sendWebhook(callSid, url, method, params, WebhookExchange.KIND_STATUS);
                }
            });
        }
    }

    private void record(WebhookExchange exchange) {
        webhooks.add(exchange);
        if (webhookCount.incrementAndGet() > MAX_RECORDED_WEBHOOKS && webhooks.poll() != null) {
            webhookCount.decrementAndGet();
        }
        webhooksInFlight.decrementAndGet();
        webhookLock.lock();
        try {
            webhookRecorded.signalAll();
        } finally {
            webhookLock.unlock();
        }
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/2010-04-01/")) {
                handleRest(ex, path);
            } else if (path.startsWith("/emulator/")) {
                handleControl(ex, path);
            } else if (path.equals("/") || path.equals("/index.html")) {
                requireMethod(ex, "GET");
                serveResource(ex, "index.html");
            } else {
                sendJson(ex, 404, error(404, 20404, "The requested resource " + path + " was not found"));
            }
        } catch (HttpError e) {
            sendQuietly(ex, e.status, e.body);
        } catch (RuntimeException | IOException e) {
            log.warn("Twilio emulator failed to handle {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
            sendQuietly(ex, 500, error(500, 20500, "Internal Server Error"));
        } finally {
            ex.close();
        }
    }

    /** An HTTP error answer raised from inside a handler. */
    private static final class HttpError extends RuntimeException {
        final int status;
        final ObjectNode body;

        HttpError(int status, ObjectNode body) {
            super(null, null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    private HttpError twilioError(int status, int code, String message) {
        return new HttpError(status, error(status, code, message));
    }

    private ObjectNode error(int status, int code, String message) {
        ObjectNode n = json.createObjectNode();
        n.put("code", code);
        n.put("message", message);
        n.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        n.put("status", status);
        return n;
    }

    // --- REST API

    private void handleRest(HttpExchange ex, String path) throws IOException {
        if (!authorised(ex)) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"Twilio API\"");
            throw twilioError(401, 20003, "Authenticate");
        }
        Matcher m;
        if ((m = CALLS.matcher(path)).matches()) {
            checkAccount(m.group(1), path);
            switch (ex.getRequestMethod()) {
                case "POST" -> createCallRest(ex, Forms.first(Forms.parse(readBody(ex))));
                case "GET" -> listCallsRest(ex);
                default -> throw methodNotAllowed(ex);
            }
        } else if ((m = CALL.matcher(path)).matches()) {
            checkAccount(m.group(1), path);
            EmulatedCall call = calls.get(m.group(2));
            if (call == null) {
                throw twilioError(404, 20404, "The requested resource " + path + " was not found");
            }
            switch (ex.getRequestMethod()) {
                case "GET" -> sendJson(ex, 200, callResource(call.snapshot()));
                case "POST" -> updateCallRest(ex, call, Forms.first(Forms.parse(readBody(ex))));
                default -> throw methodNotAllowed(ex);
            }
        } else {
            throw twilioError(404, 20404, "The requested resource " + path + " was not found");
        }
    }

    private HttpError methodNotAllowed(HttpExchange ex) {
        return twilioError(405, 20004, "Method not allowed: " + ex.getRequestMethod());
    }

    private boolean authorised(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon > 0
                && decoded.substring(0, colon).equals(settings.accountSid())
                && java.security.MessageDigest.isEqual(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8),
                        settings.authToken().getBytes(StandardCharsets.UTF_8));
    }

    private void checkAccount(String account, String path) {
        if (!settings.accountSid().equals(account)) {
            throw twilioError(404, 20404, "The requested resource " + path + " was not found");
        }
    }

    private void createCallRest(HttpExchange ex, Map<String, String> p) throws IOException {
        String to = blankToNull(p.get("To"));
        String from = blankToNull(p.get("From"));
        if (to == null) {
            throw twilioError(400, 21201, "No 'To' number is specified");
        }
        if (from == null) {
            throw twilioError(400, 21213, "No 'From' number is specified");
        }
        String twiml = blankToNull(p.get("Twiml"));
        String url = blankToNull(p.get("Url"));
        if (twiml == null && url == null) {
            throw twilioError(400, 21205, "Url parameter is required.");
        }
        if (twiml == null) {
            requireHttpUrl(url, 21205, "Url is not a valid URL: " + url);
        }
        String statusCallback = blankToNull(p.get("StatusCallback"));
        if (statusCallback != null) {
            requireHttpUrl(statusCallback, 21609, "The StatusCallback URL " + statusCallback + " is not a valid URL.");
        }
        String method = EmulatedCall.normaliseMethod(p.get("Method"));
        EmulatedCall call = register(from, to, statusCallback, p.get("StatusCallbackMethod"));
        sendJson(ex, 201, callResource(call.snapshot()));
        execute(() -> call.answer(url, method, twiml));
    }

    private void updateCallRest(HttpExchange ex, EmulatedCall call, Map<String, String> p) throws IOException {
        String twiml = blankToNull(p.get("Twiml"));
        String url = blankToNull(p.get("Url"));
        if (twiml == null && url != null) {
            requireHttpUrl(url, 21205, "Url is not a valid URL: " + url);
        }
        String status = blankToNull(p.get("Status"));
        if (status != null) {
            status = status.toLowerCase(Locale.ROOT);
            if (!status.equals("completed") && !status.equals("canceled")) {
                throw twilioError(400, 21218, "Invalid Status: " + status + " (must be 'completed' or 'canceled')");
            }
        }
        String statusCallback = p.containsKey("StatusCallback") ? p.get("StatusCallback").strip() : null;
        if (statusCallback != null && !statusCallback.isEmpty()) {
            requireHttpUrl(statusCallback, 21609, "The StatusCallback URL " + statusCallback + " is not a valid URL.");
        }
        EmulatedCall.UpdateOutcome outcome = call.update(url, EmulatedCall.normaliseMethod(p.get("Method")), twiml,
                status, statusCallback, p.get("StatusCallbackMethod"));
        if (outcome == EmulatedCall.UpdateOutcome.NOT_IN_PROGRESS) {
            throw twilioError(400, 21220, "Call is not in-progress. Cannot redirect.");
        }
        sendJson(ex, 200, callResource(call.snapshot()));
    }

    private void listCallsRest(HttpExchange ex) throws IOException {
        Map<String, String> q = Forms.first(Forms.parse(ex.getRequestURI().getRawQuery()));
        String status = q.get("Status");
        String to = q.get("To");
        String from = q.get("From");
        int pageSize = 50;
        try {
            pageSize = Math.max(1, Math.min(1000, Integer.parseInt(q.getOrDefault("PageSize", "50"))));
        } catch (NumberFormatException ignored) {
            // keep the default
        }
        List<EmulatedCall> all = calls();
        java.util.Collections.reverse(all);
        ArrayNode items = json.createArrayNode();
        for (EmulatedCall c : all) {
            EmulatedCall.Snapshot s = c.snapshot();
            if ((status == null || status.equals(s.status())) && (to == null || to.equals(s.to()))
                    && (from == null || from.equals(s.from()))) {
                items.add(callResource(s));
                if (items.size() >= pageSize) {
                    break;
                }
            }
        }
        String uri = "/2010-04-01/Accounts/" + accountSid() + "/Calls.json";
        ObjectNode page = json.createObjectNode();
        page.set("calls", items);
        page.put("end", Math.max(0, items.size() - 1));
        page.put("first_page_uri", uri + "?PageSize=" + pageSize + "&Page=0");
        page.putNull("next_page_uri");
        page.put("page", 0);
        page.put("page_size", pageSize);
        page.putNull("previous_page_uri");
        page.put("start", 0);
        page.put("uri", uri + "?PageSize=" + pageSize + "&Page=0");
        sendJson(ex, 200, page);
    }

    private ObjectNode callResource(EmulatedCall.Snapshot s) {
        String uri = "/2010-04-01/Accounts/" + accountSid() + "/Calls/" + s.sid() + ".json";
        ObjectNode n = json.createObjectNode();
        n.put("account_sid", accountSid());
        n.putNull("annotation");
        n.putNull("answered_by");
        n.put("api_version", API_VERSION);
        n.putNull("caller_name");
        n.put("date_created", EmulatedCall.RFC_2822.format(s.dateCreated()));
        n.put("date_updated", EmulatedCall.RFC_2822.format(s.dateUpdated()));
        n.put("direction", s.direction());
        if (s.startTime() != null && s.endTime() != null) {
            n.put("duration", Long.toString(Duration.between(s.startTime(), s.endTime()).toSeconds()));
        } else {
            n.putNull("duration");
        }
        if (s.endTime() != null) {
            n.put("end_time", EmulatedCall.RFC_2822.format(s.endTime()));
        } else {
            n.putNull("end_time");
        }
        n.putNull("forwarded_from");
        n.put("from", s.from());
        n.put("from_formatted", s.from());
        n.putNull("group_sid");
        n.putNull("parent_call_sid");
        n.putNull("phone_number_sid");
        n.putNull("price");
        n.put("price_unit", "USD");
        n.put("queue_time", "0");
        n.put("sid", s.sid());
        if (s.startTime() != null) {
            n.put("start_time", EmulatedCall.RFC_2822.format(s.startTime()));
        } else {
            n.putNull("start_time");
        }
        n.put("status", s.status());
        ObjectNode subs = n.putObject("subresource_uris");
        String base = uri.substring(0, uri.length() - ".json".length());
        for (String sub : List.of("feedback", "notifications", "recordings", "streams", "payments", "events",
                "siprec", "user_defined_message_subscriptions", "user_defined_messages")) {
            subs.put(sub, base + "/" + toCamel(sub) + ".json");
        }
        n.put("to", s.to());
        n.put("to_formatted", s.to());
        n.putNull("trunk_sid");
        n.put("uri", uri);
        return n;
    }

    private static String toCamel(String snake) {
        StringBuilder b = new StringBuilder();
        for (String part : snake.split("_")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    private void requireHttpUrl(String url, int code, String message) {
        try {
            URI u = new URI(url);
            if (u.getScheme() != null && (u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
                    && u.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // fall through
        }
        throw twilioError(400, code, message);
    }

    // --- control API for the web page (no auth: a local development tool)

    private void handleControl(HttpExchange ex, String path) throws IOException {
        Matcher m;
        if (path.equals("/emulator/calls")) {
            if ("GET".equals(ex.getRequestMethod())) {
                List<EmulatedCall> all = calls();
                java.util.Collections.reverse(all);
                ArrayNode arr = json.createArrayNode();
                for (EmulatedCall c : all) {
                    arr.add(controlJson(c.snapshot()));
                }
                sendJson(ex, 200, arr);
            } else if ("POST".equals(ex.getRequestMethod())) {
                Map<String, String> p = Forms.first(Forms.parse(readBody(ex)));
                String from = Objects.requireNonNullElse(blankToNull(p.get("from")), "+447700900123");
                String to = Objects.requireNonNullElse(blankToNull(p.get("to")), "+441632960000");
                String conference = Objects.requireNonNullElse(blankToNull(p.get("conference")), "agent-conf-1");
                String sid = createCall(from, to,
                        "<Response><Dial><Conference>" + Twiml.escape(conference) + "</Conference></Dial></Response>");
                ObjectNode n = json.createObjectNode();
                n.put("sid", sid);
                sendJson(ex, 201, n);
            } else {
                throw controlError(405, "method not allowed");
            }
        } else if ((m = CONTROL_CALL.matcher(path)).matches()) {
            EmulatedCall call = calls.get(m.group(1));
            if (call == null) {
                throw controlError(404, "no such call: " + m.group(1));
            }
            String action = m.group(2) == null ? "" : m.group(2);
            switch (action) {
                case "" -> requireMethod(ex, "GET");
                case "/digits" -> {
                    requireMethod(ex, "POST");
                    String digits = Forms.first(Forms.parse(readBody(ex))).getOrDefault("digits", "");
                    try {
                        call.press(digits);
                    } catch (IllegalArgumentException e) {
                        throw controlError(400, e.getMessage());
                    }
                }
                case "/hangup" -> {
                    requireMethod(ex, "POST");
                    call.hangUp();
                }
                case "/expire-gather" -> {
                    requireMethod(ex, "POST");
                    try {
                        call.expireGather();
                    } catch (IllegalStateException e) {
                        throw controlError(409, "no gather is open");
                    }
                }
                default -> throw controlError(404, "unknown action " + action);
            }
            sendJson(ex, 200, controlJson(call.snapshot()));
        } else if ((m = UI_FILE.matcher(path)).matches()) {
            requireMethod(ex, "GET");
            serveResource(ex, m.group(1));
        } else {
            throw controlError(404, "not found: " + path);
        }
    }

    private ObjectNode controlJson(EmulatedCall.Snapshot s) {
        ObjectNode n = json.createObjectNode();
        n.put("sid", s.sid());
        n.put("from", s.from());
        n.put("to", s.to());
        n.put("status", s.status());
        n.put("conference", s.conference());
        n.put("dialed", s.dialed());
        ArrayNode heard = n.putArray("heard");
        s.heard().forEach(heard::add);
        n.put("gatherOpen", s.gatherOpen());
        n.put("prompt", s.prompt());
        n.put("droppedKeys", s.droppedKeys());
        n.put("activity", s.activity());
        n.put("dateCreated", s.dateCreated().toString());
        return n;
    }

    private HttpError controlError(int status, String message) {
        ObjectNode n = json.createObjectNode();
        n.put("error", message);
        n.put("status", status);
        return new HttpError(status, n);
    }

    private void requireMethod(HttpExchange ex, String method) {
        if (!method.equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().add("Allow", method);
            throw controlError(405, "use " + method);
        }
    }

    private void serveResource(HttpExchange ex, String name) throws IOException {
        byte[] bytes;
        try (InputStream in = TwilioEmulator.class.getResourceAsStream("/twilio-emulator/" + name)) {
            if (in == null) {
                throw controlError(404, "no such file: " + name);
            }
            bytes = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    // --- plumbing

    private static String readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void sendJson(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", JSON);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private void sendQuietly(HttpExchange ex, int status, Object body) {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes(); // drain what the handler did not read
        } catch (IOException e) {
            // already read and closed
        }
        try {
            sendJson(ex, status, body);
        } catch (IOException | RuntimeException e) {
            log.debug("could not send error answer", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
