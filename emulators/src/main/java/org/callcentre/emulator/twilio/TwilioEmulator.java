package org.callcentre.emulator.twilio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
import java.util.function.Predicate;
import org.callcentre.emulator.NoDelayHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Twilio Programmable Voice emulator: a real HTTP peer that serves the 2010-04-01 Calls REST API
 * ({@link CallsApi}), fetches TwiML from the application with signed webhooks ({@link WebhookDelivery}), runs it
 * (Say, Play, Pause, Gather, Redirect, Dial, Hangup; {@link EmulatedCall}), and sends status callbacks. It also
 * serves a small web page (GET /, {@link ControlPage}) from which a person can play the caller. This class owns the
 * server, the threads and the calls, and is what tests and the benchmark drive.
 */
public final class TwilioEmulator implements AutoCloseable {

    public static final String API_VERSION = "2010-04-01";

    private static final Logger log = LoggerFactory.getLogger(TwilioEmulator.class);

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

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService serverExecutor;
    private final ExecutorService workers;
    private final ExecutorService clientExecutor;
    private final ScheduledThreadPoolExecutor scheduler;
    private final WebhookDelivery webhooks;
    private final CallsApi callsApi = new CallsApi(this);
    private final ControlPage controlPage = new ControlPage(this);
    private final String baseUrl;
    private final ConcurrentHashMap<String, EmulatedCall> calls = new ConcurrentHashMap<>();
    private final AtomicLong callSequence = new AtomicLong();
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
        this.webhooks = new WebhookDelivery(settings, clientExecutor);
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
        webhooks.close();
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

    /**
     * Every webhook exchange recorded so far (the newest {@value WebhookDelivery#MAX_RECORDED_WEBHOOKS} at most),
     * oldest first.
     */
    public List<WebhookExchange> webhooks() {
        return webhooks.recorded();
    }

    public void clearWebhooks() {
        webhooks.clear();
    }

    /**
     * Waits until at least {@code count} recorded exchanges match, and returns the matching ones.
     * Throws AssertionError on timeout.
     */
    public List<WebhookExchange> awaitWebhooks(Predicate<WebhookExchange> filter, int count, Duration timeout) {
        return webhooks.await(filter, count, timeout);
    }

    /**
     * Waits until every webhook sent so far has its outcome (an answer, a failure or a timeout), such as the status
     * callbacks that calls send when they end, after the caller has moved on. Throws AssertionError on timeout.
     */
    public void awaitWebhooksDelivered(Duration timeout) {
        webhooks.awaitDelivered(timeout);
    }

    // ------------------------------------------------------------------ for the calls and the HTTP endpoints

    /** The call with this sid, or null. */
    EmulatedCall findCall(String callSid) {
        return calls.get(callSid);
    }

    EmulatedCall register(String from, String to, String statusCallback, String statusCallbackMethod) {
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

    CompletableFuture<WebhookDelivery.Result> sendWebhook(String callSid, String url, String method,
            Map<String, String> params, String kind) {
        return webhooks.send(callSid, url, method, params, kind);
    }

    void sendStatusCallback(String callSid, String url, String method, Map<String, String> params) {
        webhooks.sendStatusCallback(callSid, url, method, params);
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith(CallsApi.PREFIX)) {
                callsApi.handle(ex, path);
            } else if (path.startsWith(ControlPage.PREFIX)) {
                controlPage.handle(ex, path);
            } else if (path.equals("/") || path.equals("/index.html")) {
                controlPage.servePage(ex);
            } else {
                JsonExchange.sendJson(ex, 404, HttpError.twilioBody(404, 20404,
                        "The requested resource " + path + " was not found"));
            }
        } catch (HttpError e) {
            JsonExchange.sendQuietly(ex, e.status, e.body);
        } catch (RuntimeException | IOException e) {
            log.warn("Twilio emulator failed to handle {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
            JsonExchange.sendQuietly(ex, 500, HttpError.twilioBody(500, 20500, "Internal Server Error"));
        } finally {
            ex.close();
        }
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
