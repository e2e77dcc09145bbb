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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.callcentre.emulator.NoDelayHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Twilio Programmable Voice emulator: a real HTTP peer that serves the 2010-04-01 Calls REST API
 * ({@link CallsApi}), rings the called party of a created call (who answers, is busy, does not answer or cannot be
 * reached: {@link CallOutcome}), fetches TwiML from the application with signed webhooks ({@link WebhookDelivery}),
 * runs it (Say, Play, Pause, Gather, Redirect, Dial, Hangup; {@link EmulatedCall}), and sends status callbacks. Calls
 * created with {@code Record=true} are recorded ({@link RecordingsApi}, {@link EmulatedRecording}). Inbound calls
 * reach the account's numbers ({@link #placeInboundCall}) and request each number's Voice URL; {@code <Enqueue>},
 * {@code <Leave>} and {@code <Dial><Queue>} use the account's call queues ({@link CallQueues}, {@link QueuesApi}).
 * {@code <Record>} takes a caller's message ({@link RecordInput}), with its recording and transcription. Messages
 * reach the account's numbers ({@link #sendMessage}), which post them to each number's messaging URL and serve their
 * media ({@link MessagesApi}). It also serves a small web page (GET /, {@link ControlPage}) from which a person can
 * play the caller. This class owns the server, the threads and the calls, and is what tests and the benchmark drive.
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
     * @param shuffledStatusCallbacks  when true a call's status callbacks are held until it ends, then delivered in
     *                                 a random order (the final one anywhere), as Twilio documents no order
     * @param outboundOutcome          what the called party does on a REST-created call to a number without its
     *                                 own {@link TwilioEmulator#setOutcome outcome}
     * @param ringTime                 how long a REST-created call rings before it is answered or refused as busy
     * @param ringScale                1.0: real ring times and create {@code Timeout}s; 0.001: a 60 s timeout is 60 ms
     *                                 (also the {@code <Dial timeout>} of a {@code <Dial><Queue>})
     * @param playSeconds              how long one {@code <Play>} lasts while a caller waits in a queue, before
     *                                 {@code pauseScale}; elsewhere a Play takes no time
     * @param incomingNumbers          the account's numbers that inbound calls can reach, by number
     * @param messagingUrls            the account's numbers that messages can reach, with each one's messaging URL
     *                                 (requested with POST)
     */
    public record Settings(String host, int port, String accountSid, String authToken, double pauseScale,
            double gatherTimeoutScale, boolean duplicateStatusCallbacks, boolean shuffledStatusCallbacks,
            CallOutcome outboundOutcome, Duration ringTime, double ringScale, double playSeconds,
            Map<String, IncomingNumber> incomingNumbers, Map<String, String> messagingUrls) {

        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final String DEFAULT_ACCOUNT_SID = "ACemulator0000000000000000000000000";
        public static final String DEFAULT_AUTH_TOKEN = "emulator-auth-token";

        public Settings {
            host = host == null || host.isBlank() ? DEFAULT_HOST : host;
            accountSid = accountSid == null || accountSid.isBlank() ? DEFAULT_ACCOUNT_SID : accountSid;
            authToken = authToken == null || authToken.isEmpty() ? DEFAULT_AUTH_TOKEN : authToken;
            outboundOutcome = outboundOutcome == null ? CallOutcome.RING : outboundOutcome;
            ringTime = ringTime == null ? Duration.ZERO : ringTime;
            incomingNumbers = incomingNumbers == null ? Map.of() : Map.copyOf(incomingNumbers);
            messagingUrls = messagingUrls == null ? Map.of() : Map.copyOf(messagingUrls);
            messagingUrls.forEach((number, url) -> requireMessagingUrl(url));
            if (!accountSid.matches("AC[0-9A-Za-z]{32,}")) {
                throw new IllegalArgumentException("accountSid must be AC followed by 32 letters or digits: " + accountSid);
            }
            if (accountSid.contains(":")) {
                throw new IllegalArgumentException("accountSid must not contain ':'");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (!(pauseScale >= 0) || !(gatherTimeoutScale >= 0) || !(ringScale >= 0)) {
                throw new IllegalArgumentException("scales must be >= 0");
            }
            if (!(playSeconds >= 0)) {
                throw new IllegalArgumentException("playSeconds must be >= 0");
            }
            if (ringTime.isNegative()) {
                throw new IllegalArgumentException("ringTime must not be negative");
            }
        }

        /**
         * 127.0.0.1, any free port, default account, real pause, gather and ring timings, no duplicates, in order;
         * REST-created calls ring until the test acts; a Play on hold lasts {@value #DEFAULT_PLAY_SECONDS} s; no
         * incoming numbers.
         */
        public static Settings defaults() {
            return new Settings(DEFAULT_HOST, 0, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, 1.0, 1.0, false, false,
                    CallOutcome.RING, Duration.ZERO, 1.0, DEFAULT_PLAY_SECONDS, Map.of(), Map.of());
        }

        public static final double DEFAULT_PLAY_SECONDS = 30;

        public Settings withHost(String v) {
            return new Settings(v, port, accountSid, authToken, pauseScale, gatherTimeoutScale,
                    duplicateStatusCallbacks, shuffledStatusCallbacks, outboundOutcome, ringTime, ringScale,
                    playSeconds, incomingNumbers, messagingUrls);
        }

        public Settings withPort(int v) {
            return new Settings(host, v, accountSid, authToken, pauseScale, gatherTimeoutScale,
                    duplicateStatusCallbacks, shuffledStatusCallbacks, outboundOutcome, ringTime, ringScale,
                    playSeconds, incomingNumbers, messagingUrls);
        }

        public Settings withAccountSid(String v) {
            return new Settings(host, port, v, authToken, pauseScale, gatherTimeoutScale, duplicateStatusCallbacks,
                    shuffledStatusCallbacks, outboundOutcome, ringTime, ringScale, playSeconds, incomingNumbers,
                    messagingUrls);
        }

        public Settings withAuthToken(String v) {
            return new Settings(host, port, accountSid, v, pauseScale, gatherTimeoutScale, duplicateStatusCallbacks,
                    shuffledStatusCallbacks, outboundOutcome, ringTime, ringScale, playSeconds, incomingNumbers,
                    messagingUrls);
        }

        public Settings withPauseScale(double v) {
            return new Settings(host, port, accountSid, authToken, v, gatherTimeoutScale, duplicateStatusCallbacks,
                    shuffledStatusCallbacks, outboundOutcome, ringTime, ringScale, playSeconds, incomingNumbers,
                    messagingUrls);
        }

        public Settings withGatherTimeoutScale(double v) {
            return new Settings(host, port, accountSid, authToken, pauseScale, v, duplicateStatusCallbacks,
                    shuffledStatusCallbacks, outboundOutcome, ringTime, ringScale, playSeconds, incomingNumbers,
                    messagingUrls);
        }

        public Settings withDuplicateStatusCallbacks(boolean v) {
            return new Settings(host, port, accountSid, authToken, pauseScale, gatherTimeoutScale, v,
                    shuffledStatusCallbacks, outboundOutcome, ringTime, ringScale, playSeconds, incomingNumbers,
                    messagingUrls);
        }

        public Settings withShuffledStatusCallbacks(boolean v) {
            return new Settings(host, port, accountSid, authToken, pauseScale, gatherTimeoutScale,
                    duplicateStatusCallbacks, v, outboundOutcome, ringTime, ringScale, playSeconds, incomingNumbers,
                    messagingUrls);
        }

        public Settings withOutboundOutcome(CallOutcome v) {
            return new Settings(host, port, accountSid, authToken, pauseScale, gatherTimeoutScale,
                    duplicateStatusCallbacks, shuffledStatusCallbacks, v, ringTime, ringScale, playSeconds,
                    incomingNumbers, messagingUrls);
        }

        public Settings withRingTime(Duration v) {
            return new Settings(host, port, accountSid, authToken, pauseScale, gatherTimeoutScale,
                    duplicateStatusCallbacks, shuffledStatusCallbacks, outboundOutcome, v, ringScale, playSeconds,
                    incomingNumbers, messagingUrls);
        }

        public Settings withRingScale(double v) {
            return new Settings(host, port, accountSid, authToken, pauseScale, gatherTimeoutScale,
                    duplicateStatusCallbacks, shuffledStatusCallbacks, outboundOutcome, ringTime, v, playSeconds,
                    incomingNumbers, messagingUrls);
        }

        public Settings withPlaySeconds(double v) {
            return new Settings(host, port, accountSid, authToken, pauseScale, gatherTimeoutScale,
                    duplicateStatusCallbacks, shuffledStatusCallbacks, outboundOutcome, ringTime, ringScale, v,
                    incomingNumbers, messagingUrls);
        }

        /** One of the account's numbers, with its Voice URL (requested with POST); no status callback. */
        public Settings withVoiceUrl(String number, String voiceUrl) {
            return withVoiceUrl(number, voiceUrl, null);
        }

        /** One of the account's numbers, with its Voice URL and status callback URL (both requested with POST). */
        public Settings withVoiceUrl(String number, String voiceUrl, String statusCallbackUrl) {
            Map<String, IncomingNumber> numbers = new TreeMap<>(incomingNumbers);
            numbers.put(number, new IncomingNumber(number, voiceUrl, statusCallbackUrl));
            return new Settings(host, port, accountSid, authToken, pauseScale, gatherTimeoutScale,
                    duplicateStatusCallbacks, shuffledStatusCallbacks, outboundOutcome, ringTime, ringScale,
                    playSeconds, numbers, messagingUrls);
        }

        /** One of the account's numbers, with its messaging URL (requested with POST) for the messages sent to it. */
        public Settings withMessagingUrl(String number, String messagingUrl) {
            Map<String, String> urls = new TreeMap<>(messagingUrls);
            urls.put(Objects.requireNonNull(number, "number"), requireMessagingUrl(messagingUrl));
            return new Settings(host, port, accountSid, authToken, pauseScale, gatherTimeoutScale,
                    duplicateStatusCallbacks, shuffledStatusCallbacks, outboundOutcome, ringTime, ringScale,
                    playSeconds, incomingNumbers, urls);
        }

        /** A length of ringing as the emulator waits it, in nanoseconds. */
        long ringNanos(Duration real) {
            return (long) (real.toNanos() * ringScale);
        }
    }

    /**
     * One of the account's phone numbers as its Voice configuration sets it: where Twilio requests TwiML when a call
     * comes in, and where it sends the call's status callback (Twilio sends the final one, {@code completed} or
     * another final status). Both are requested with POST.
     *
     * @param number            the number, E.164
     * @param voiceUrl          the Voice URL
     * @param statusCallbackUrl the status callback URL, or null
     */
    public record IncomingNumber(String number, String voiceUrl, String statusCallbackUrl) {
        public IncomingNumber {
            Objects.requireNonNull(number, "number");
            Objects.requireNonNull(voiceUrl, "voiceUrl");
            if (!CallsApi.isHttpUrl(voiceUrl)) {
                throw new IllegalArgumentException("the Voice URL is not an http(s) URL: " + voiceUrl);
            }
            if (statusCallbackUrl != null && statusCallbackUrl.isBlank()) {
                statusCallbackUrl = null;
            }
            if (statusCallbackUrl != null && !CallsApi.isHttpUrl(statusCallbackUrl)) {
                throw new IllegalArgumentException("the status callback URL is not an http(s) URL: " + statusCallbackUrl);
            }
        }
    }

    private static String requireMessagingUrl(String url) {
        Objects.requireNonNull(url, "messagingUrl");
        if (!CallsApi.isHttpUrl(url)) {
            throw new IllegalArgumentException("the messaging URL is not an http(s) URL: " + url);
        }
        return url;
    }

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService serverExecutor;
    private final ExecutorService workers;
    private final ExecutorService clientExecutor;
    private final ScheduledThreadPoolExecutor scheduler;
    private final WebhookDelivery webhooks;
    private final CallsApi callsApi = new CallsApi(this);
    private final CallQueues queues = new CallQueues();
    private final QueuesApi queuesApi = new QueuesApi(this, callsApi);
    private final ConcurrentHashMap<String, IncomingNumber> numbers = new ConcurrentHashMap<>();
    private final ControlPage controlPage = new ControlPage(this);
    private final String baseUrl;
    private final ConcurrentHashMap<String, EmulatedCall> calls = new ConcurrentHashMap<>();
    private final AtomicLong callSequence = new AtomicLong();
    private final ConcurrentHashMap<String, CallOutcome> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> refusedNumbers = new ConcurrentHashMap<>();
    /** The call of each recording, by recording sid. */
    private final ConcurrentHashMap<String, EmulatedCall> recordingCalls = new ConcurrentHashMap<>();
    /** Numbers whose recordings come out absent (Twilio: too short or silent). */
    private final Set<String> silentNumbers = ConcurrentHashMap.newKeySet();
    /** REST updates of recordings to this status ("paused", "in-progress", "stopped") that fail with 500, by count. */
    private final ConcurrentHashMap<String, AtomicInteger> recordingUpdateFaults = new ConcurrentHashMap<>();
    private final RecordingsApi recordingsApi = new RecordingsApi(this, callsApi);
    /** The call of each transcription of a {@code <Record>} message, by transcription sid. */
    private final ConcurrentHashMap<String, EmulatedCall> transcriptionCalls = new ConcurrentHashMap<>();
    /** The account's numbers that take messages, with their messaging URLs. */
    private final ConcurrentHashMap<String, String> messagingUrls = new ConcurrentHashMap<>();
    private final IncomingMessages incomingMessages = new IncomingMessages(this);
    private final MessagesApi messagesApi = new MessagesApi(this, callsApi, incomingMessages);
    /** Signalled whenever a call is created or changes, for the waits that look across calls. */
    private final ReentrantLock callsLock = new ReentrantLock();
    private final Condition callsChanged = callsLock.newCondition();
    private volatile boolean closed;

    private TwilioEmulator(Settings settings) throws IOException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.numbers.putAll(settings.incomingNumbers());
        this.messagingUrls.putAll(settings.messagingUrls());
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

    /**
     * Creates an outbound-api call that is answered at once, without ringing, and runs the given inline TwiML;
     * returns its sid. It sends no status callbacks. Calls the application creates over the REST API ring first.
     */
    public String createCall(String from, String to, String twiml) {
        Objects.requireNonNull(twiml, "twiml");
        EmulatedCall call = register(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"),
                null, null);
        execute(() -> call.answer(null, null, twiml));
        return call.sid();
    }

    /**
     * Sets one of the account's numbers' Voice configuration: calls to it request {@code voiceUrl}, and send their
     * final status callback to {@code statusCallbackUrl} (null for none); both with POST.
     */
    public void setVoiceUrl(String number, String voiceUrl, String statusCallbackUrl) {
        numbers.put(Objects.requireNonNull(number, "number"), new IncomingNumber(number, voiceUrl, statusCallbackUrl));
    }

    /** The account's numbers that inbound calls can reach, by number. */
    public Map<String, IncomingNumber> incomingNumbers() {
        return new TreeMap<>(numbers);
    }

    /**
     * A caller rings one of the account's numbers: the call (Direction {@code inbound}) requests the number's Voice
     * URL with CallStatus {@code ringing} and runs the TwiML that comes back. Throws IllegalArgumentException when
     * {@code to} is not one of the account's numbers ({@link #setVoiceUrl}).
     */
    public EmulatedCall placeInboundCall(String from, String to) {
        Objects.requireNonNull(from, "from");
        IncomingNumber number = numbers.get(Objects.requireNonNull(to, "to"));
        if (number == null) {
            throw new IllegalArgumentException("not one of the account's numbers: " + to + " (known: "
                    + new TreeMap<>(numbers).keySet() + ")");
        }
        String sid = newCallSid();
        EmulatedCall call = new EmulatedCall(this, sid, from, to, "inbound", callSequence.incrementAndGet(),
                number.statusCallbackUrl(), "POST", Set.of(), null, null);
        calls.put(sid, call);
        callsChanged();
        execute(() -> call.arrive(number.voiceUrl(), "POST"));
        return call;
    }

    /**
     * Sets one of the account's numbers' messaging URL: the messages sent to it ({@link #sendMessage}) are POSTed
     * there. Null takes the number's messaging away.
     */
    public void setMessagingUrl(String number, String messagingUrl) {
        Objects.requireNonNull(number, "number");
        if (messagingUrl == null) {
            messagingUrls.remove(number);
        } else {
            messagingUrls.put(number, requireMessagingUrl(messagingUrl));
        }
    }

    /** The account's numbers that messages can reach, with their messaging URLs, by number. */
    public Map<String, String> messagingUrls() {
        return new TreeMap<>(messagingUrls);
    }

    /**
     * A sender sends a message to one of the account's numbers: an SMS, or an MMS when {@code media} has items (at
     * most 10). Twilio's incoming-message webhook is POSTed, signed, to the number's messaging URL (MessageSid,
     * SmsSid, SmsMessageSid, AccountSid, From, To, Body, NumMedia, NumSegments, MediaContentType{N} and MediaUrl{N}
     * from 0, ApiVersion, SmsStatus {@code received}, FromCountry, ToCountry and the other empty geographic fields);
     * no MessagingServiceSid. Waits for the application's answer and returns it with the message, including the
     * {@code <Message>} replies of its TwiML. Throws IllegalArgumentException when {@code to} has no messaging URL
     * ({@link #setMessagingUrl}).
     */
    public EmulatedMessage sendMessage(String from, String to, String body, List<MessageMedia> media) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        String url = messagingUrls.get(to);
        if (url == null) {
            throw new IllegalArgumentException("no messaging URL for " + to + " (known: "
                    + new TreeMap<>(messagingUrls).keySet() + ")");
        }
        return incomingMessages.send(url, from, to, body == null ? "" : body, media == null ? List.of() : media);
    }

    /** Every message sent to the account's numbers, oldest first, as it is now (media deleted or not). */
    public List<EmulatedMessage> messages() {
        return incomingMessages.all();
    }

    /** The message with this sid as it is now; throws IllegalArgumentException if there is none. */
    public EmulatedMessage message(String messageSid) {
        EmulatedMessage message = incomingMessages.find(messageSid);
        if (message == null) {
            throw new IllegalArgumentException("no such message: " + messageSid);
        }
        return message;
    }

    /**
     * Whether fetching a message's media file needs the account's credentials (Twilio's "HTTP Basic authentication
     * for media access" setting); off by default, as on Twilio.
     */
    public void setMediaAuthRequired(boolean required) {
        messagesApi.setAuthRequired(required);
    }

    /** The sids of the calls waiting in the named queue, head first; empty when there is no such queue. */
    public List<String> queueMembers(String name) {
        CallQueues.CallQueue queue = queues.byName(Objects.requireNonNull(name, "name"));
        return queue == null ? List.of()
                : queues.view(queue).members().stream().map(m -> m.call().sid()).toList();
    }

    /** Every queue, by name, with the sids of the calls waiting in it, head first. */
    public Map<String, List<String>> queues() {
        Map<String, List<String>> byName = new TreeMap<>();
        for (CallQueues.View view : queues.views()) {
            byName.put(view.name(), view.members().stream().map(m -> m.call().sid()).toList());
        }
        return byName;
    }

    /**
     * Waits until exactly {@code size} calls wait in the named queue and returns their sids, head first. Throws
     * AssertionError on timeout.
     */
    public List<String> awaitQueueSize(String name, int size, Duration timeout) {
        return awaitCalls(timeout, () -> size + " calls in queue " + name + ", now " + queueMembers(name), () -> {
            List<String> sids = queueMembers(name);
            return sids.size() == size ? sids : null;
        });
    }

    /**
     * What the called party does on calls created over the REST API to this number (or {@code client:identity})
     * from now on, instead of the settings' {@link Settings#outboundOutcome() default}.
     */
    public void setOutcome(String to, CallOutcome outcome) {
        outcomes.put(Objects.requireNonNull(to, "to"), Objects.requireNonNull(outcome, "outcome"));
    }

    /** Back to the settings' default outcome for calls to this number. */
    public void clearOutcome(String to) {
        outcomes.remove(to);
    }

    /**
     * A REST create to this number is refused with this Twilio error (HTTP 400): 21211 (invalid 'To' number), 21214
     * ('To' number cannot be reached), 21215 (geographic permissions) or 21217 (number does not appear valid).
     */
    public void refuseNumber(String to, int twilioErrorCode) {
        if (CallsApi.refusalMessage(twilioErrorCode, to) == null) {
            throw new IllegalArgumentException("not an error the emulator refuses numbers with: " + twilioErrorCode);
        }
        refusedNumbers.put(Objects.requireNonNull(to, "to"), twilioErrorCode);
    }

    /** REST creates to this number are accepted again. */
    public void acceptNumber(String to) {
        refusedNumbers.remove(to);
    }

    /**
     * The next {@code times} REST updates of any recording to {@code status} ({@code paused}, {@code in-progress} or
     * {@code stopped}) fail with HTTP 500 and change nothing, as when Twilio has an outage.
     */
    public void failRecordingUpdates(String status, int times) {
        Objects.requireNonNull(status, "status");
        recordingUpdateFaults.put(status, new AtomicInteger(times));
    }

    /** Recording updates go through again. */
    public void clearRecordingFaults() {
        recordingUpdateFaults.clear();
    }

    /** Recordings of calls to this number come out {@code absent} (Twilio: too short or silent), or again not. */
    public void setRecordingAbsent(String to, boolean absent) {
        Objects.requireNonNull(to, "to");
        if (absent) {
            silentNumbers.add(to);
        } else {
            silentNumbers.remove(to);
        }
    }

    /** The recording with this sid as it is now; throws IllegalArgumentException if there is none. */
    public EmulatedRecording recording(String recordingSid) {
        EmulatedCall call = recordingCalls.get(recordingSid);
        EmulatedRecording recording = call == null ? null : call.recording(recordingSid);
        if (recording == null) {
            throw new IllegalArgumentException("no such recording: " + recordingSid);
        }
        return recording;
    }

    /** Every recording of every call, by call, oldest call first. */
    public List<EmulatedRecording> recordings() {
        return calls().stream().flatMap(call -> call.recordings().stream()).toList();
    }

    /**
     * Waits until a call to this number (or {@code client:identity}) exists and returns the newest one. Throws
     * AssertionError on timeout.
     */
    public EmulatedCall awaitCallTo(String to, Duration timeout) {
        Objects.requireNonNull(to, "to");
        return awaitCalls(timeout, () -> "a call to " + to, () -> {
            EmulatedCall newest = null;
            for (EmulatedCall c : calls.values()) {
                if (c.to().equals(to) && (newest == null || c.sequence() > newest.sequence())) {
                    newest = c;
                }
            }
            return newest;
        });
    }

    /** The sids of the calls in this conference now, in the order the calls were created. */
    public List<String> conferenceParticipants(String name) {
        Objects.requireNonNull(name, "name");
        return calls().stream().filter(c -> name.equals(c.conference())).map(EmulatedCall::sid).toList();
    }

    /** Every conference that has a call in it now, by name, with its participants' sids. */
    public Map<String, List<String>> conferences() {
        Map<String, List<String>> byName = new TreeMap<>();
        for (EmulatedCall c : calls()) {
            String conference = c.conference();
            if (conference != null) {
                byName.computeIfAbsent(conference, k -> new ArrayList<>()).add(c.sid());
            }
        }
        return byName;
    }

    /**
     * Waits until exactly {@code count} calls are in the conference and returns their sids. Throws AssertionError
     * on timeout.
     */
    public List<String> awaitConferenceParticipants(String name, int count, Duration timeout) {
        return awaitCalls(timeout, () -> count + " participants in conference " + name + ", now "
                + conferenceParticipants(name), () -> {
                    List<String> sids = conferenceParticipants(name);
                    return sids.size() == count ? sids : null;
                });
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

    /** The account's call queues. */
    CallQueues callQueues() {
        return queues;
    }

    EmulatedCall register(String from, String to, String statusCallback, String statusCallbackMethod) {
        return register(from, to, statusCallback, statusCallbackMethod, Set.of(), null, null);
    }

    /**
     * A call that rings its called party first (REST create), with the TwiML it runs once answered and, if asked,
     * a recording that starts when it is answered.
     */
    EmulatedCall register(String from, String to, String statusCallback, String statusCallbackMethod,
            Set<String> statusCallbackEvents, EmulatedCall.AnswerDocument answerDocument,
            CallRecording.Request recording) {
        String sid = newCallSid();
        EmulatedCall call = new EmulatedCall(this, sid, from, to, "outbound-api", callSequence.incrementAndGet(),
                statusCallback, statusCallbackMethod, statusCallbackEvents, answerDocument, recording);
        calls.put(sid, call);
        callsChanged();
        return call;
    }

    /** A call began a recording: the media endpoint finds it by its sid. */
    void recordingStarted(String recordingSid, EmulatedCall call) {
        recordingCalls.put(recordingSid, call);
    }

    /** The call that made this recording, or null. */
    EmulatedCall callOfRecording(String recordingSid) {
        return recordingCalls.get(recordingSid);
    }

    /** Where the recording's audio is served (Twilio's {@code RecordingUrl}: without an extension, WAV). */
    String recordingMediaUrl(String recordingSid) {
        return baseUrl + RecordingsApi.mediaPath(accountSid(), recordingSid);
    }

    /** Where a transcription's resource is (Twilio's {@code TranscriptionUrl}). */
    String transcriptionUrl(String transcriptionSid) {
        return baseUrl + RecordingsApi.transcriptionPath(accountSid(), transcriptionSid);
    }

    /** A message was transcribed: the Transcription resource finds it by its sid. */
    void transcriptionCreated(String transcriptionSid, EmulatedCall call) {
        transcriptionCalls.put(transcriptionSid, call);
    }

    /** The transcription with this sid, or null. */
    EmulatedTranscription findTranscription(String transcriptionSid) {
        EmulatedCall call = transcriptionCalls.get(transcriptionSid);
        if (call == null) {
            return null;
        }
        return call.recordings().stream().map(EmulatedRecording::transcription)
                .filter(t -> t != null && t.sid().equals(transcriptionSid)).findFirst().orElse(null);
    }

    boolean recordsNothingFrom(String to) {
        return silentNumbers.contains(to);
    }

    /** Whether this REST update of a recording is to fail (and counts it). */
    boolean recordingUpdateFails(String status) {
        AtomicInteger left = recordingUpdateFaults.get(status);
        return left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    /** What the called party at this number does on a REST-created call. */
    CallOutcome outcomeFor(String to) {
        return outcomes.getOrDefault(to, settings.outboundOutcome());
    }

    /** The Twilio error a REST create to this number is refused with, if the test asked for one. */
    Optional<Integer> refusalFor(String to) {
        return Optional.ofNullable(refusedNumbers.get(to));
    }

    /** Wakes the waits that look across calls; called after every change of a call. */
    void callsChanged() {
        callsLock.lock();
        try {
            callsChanged.signalAll();
        } finally {
            callsLock.unlock();
        }
    }

    private <T> T awaitCalls(Duration timeout, Supplier<String> what, Supplier<T> probe) {
        long nanos = timeout.toNanos();
        callsLock.lock();
        try {
            while (true) {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
                if (nanos <= 0) {
                    throw new AssertionError("Timed out after " + timeout + " waiting for " + what.get());
                }
                nanos = callsChanged.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + what.get(), e);
        } finally {
            callsLock.unlock();
        }
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

    CompletableFuture<Void> sendStatusCallback(String callSid, String url, String method, Map<String, String> params) {
        return webhooks.sendStatusCallback(callSid, url, method, params);
    }

    CompletableFuture<Void> sendRecordingCallback(String callSid, String url, String method,
            Map<String, String> params) {
        return webhooks.sendStatusCallback(callSid, url, method, params, WebhookExchange.KIND_RECORDING);
    }

    /** A {@code transcribeCallback}: always POST, as Twilio sends it. */
    CompletableFuture<Void> sendTranscriptionCallback(String callSid, String url, Map<String, String> params) {
        return webhooks.sendStatusCallback(callSid, url, "POST", params, WebhookExchange.KIND_TRANSCRIPTION);
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (messagesApi.handles(path)) {
                messagesApi.handle(ex, path); // before the REST API's authentication: media are public by default
            } else if (path.startsWith(CallsApi.PREFIX)) {
                callsApi.handle(ex, path, recordingsApi, queuesApi);
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
