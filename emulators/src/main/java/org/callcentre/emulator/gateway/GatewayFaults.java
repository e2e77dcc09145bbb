package org.callcentre.emulator.gateway;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults injected into the simulator's API ({@code /v1/…}) requests. Thread-safe. Control requests
 * ({@code /__simulator/…}) are never faulted.
 *
 * <p>Precedence when several are set: {@link #failAll(boolean)}, then {@link #failNext(int)}, then
 * {@link #slowNext(int, Duration)}. A request counts against a "next n" budget as soon as it arrives,
 * whatever its outcome (including 401s and idempotent replays).
 *
 * <p>Two settings change what the gateway decides rather than how it answers: {@link #processing(Settlement)}
 * (charges are accepted but not yet settled) and {@link #requireAuthentication(boolean)} (the issuer wants
 * 3-D Secure although the transaction is flagged MOTO).
 */
public final class GatewayFaults {

    /** How charges answered {@code processing} end when the test settles them. */
    public enum Settlement {
        /** The money moves: the payment intent becomes {@code succeeded}. */
        SUCCEEDS,
        /** The issuer declines: the payment intent becomes {@code requires_payment_method}, generic decline. */
        DECLINES
    }

    /** What to do to one request. */
    record Decision(boolean fail, Duration slowDelay) {
        static final Decision NONE = new Decision(false, Duration.ZERO);
        static final Decision FAIL = new Decision(true, Duration.ZERO);
    }

    /** Upper bound on any configured delay: the simulator never holds a response longer than this. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(10);

    private final AtomicInteger failRemaining = new AtomicInteger();
    private final AtomicInteger slowRemaining = new AtomicInteger();
    private volatile Duration slowDelay = Duration.ZERO;
    private final AtomicInteger slowMatchingRemaining = new AtomicInteger();
    private volatile Duration slowMatchingDelay = Duration.ZERO;
    private volatile String slowMatchingMethod = "";
    private volatile String slowMatchingPath = "";
    private volatile boolean failAll;
    private volatile Duration latency = Duration.ZERO;
    private volatile Settlement processing;
    private volatile boolean requireAuthentication;

    GatewayFaults() {
    }

    /**
     * The next {@code n} API requests are processed normally (a charge really happens and is stored for
     * idempotent replay) but their response is held back for {@code delay}. Replaces any earlier
     * slowNext setting.
     */
    public GatewayFaults slowNext(int n, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (n < 0 || delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("n must be >= 0 and delay within 0.." + MAX_DELAY);
        }
        slowDelay = delay;
        slowRemaining.set(n);
        return this;
    }

    /**
     * Like {@link #slowNext}, but only for the next {@code n} requests with this method whose path starts with
     * {@code pathPrefix}: for example the charges ({@code POST /v1/payment_intents}), whose answers are then lost
     * while payment methods and customers answer at once. Replaces any earlier such setting.
     */
    public GatewayFaults slowNext(int n, Duration delay, String method, String pathPrefix) {
        Objects.requireNonNull(delay, "delay");
        if (n < 0 || delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("n must be >= 0 and delay within 0.." + MAX_DELAY);
        }
        slowMatchingMethod = Objects.requireNonNull(method, "method");
        slowMatchingPath = Objects.requireNonNull(pathPrefix, "pathPrefix");
        slowMatchingDelay = delay;
        slowMatchingRemaining.set(n);
        return this;
    }

    /**
     * The next {@code n} API requests answer 500 {@code api_error} without being processed (nothing is
     * charged and nothing is stored for idempotency, so a retry with the same key is processed afresh).
     */
    public GatewayFaults failNext(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0");
        }
        failRemaining.set(n);
        return this;
    }

    /** While true, every API request answers 500 {@code api_error} without being processed. */
    public GatewayFaults failAll(boolean on) {
        failAll = on;
        return this;
    }

    /**
     * A fixed latency added to every API response (0 by default). Not a fault: {@link #clear()} keeps it;
     * {@link GatewaySimulator#reset()} sets it back to 0.
     */
    public GatewayFaults latency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative() || latency.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("latency must be within 0.." + MAX_DELAY);
        }
        this.latency = latency;
        return this;
    }

    /**
     * While set, every payment intent that would succeed answers {@code status: processing} instead; it ends as
     * {@code settleAs} says when the test calls {@link GatewaySimulator#settleProcessing()}. Null turns it off
     * (intents already processing stay so until settled).
     */
    public GatewayFaults processing(Settlement settleAs) {
        processing = settleAs;
        return this;
    }

    /**
     * While true, the issuer asks for 3-D Secure on every charge and setup, whatever the card and even when it
     * is flagged MOTO (Stripe: the issuer makes the final decision on the exemption). On session the intent
     * answers {@code requires_action}; off session, 402 {@code authentication_required}.
     */
    public GatewayFaults requireAuthentication(boolean on) {
        requireAuthentication = on;
        return this;
    }

    /** The settlement of processing charges, or null when charges settle at once. */
    public Settlement processing() {
        return processing;
    }

    public boolean requiringAuthentication() {
        return requireAuthentication;
    }

    /** Clears slowNext, failNext, failAll, processing and requireAuthentication. The fixed latency is kept. */
    public GatewayFaults clear() {
        processing = null;
        requireAuthentication = false;
        failAll = false;
        failRemaining.set(0);
        slowRemaining.set(0);
        slowDelay = Duration.ZERO;
        slowMatchingRemaining.set(0);
        slowMatchingDelay = Duration.ZERO;
        return this;
    }

    public Duration latency() {
        return latency;
    }

    public boolean failingAll() {
        return failAll;
    }

    public int failNextRemaining() {
        return failRemaining.get();
    }

    public int slowNextRemaining() {
        return slowRemaining.get();
    }

    public Duration slowDelay() {
        return slowDelay;
    }

    void resetAll() {
        clear();
        latency = Duration.ZERO;
    }

    /** Takes this request's share of the configured faults. */
    Decision next(String method, String path) {
        if (failAll) {
            return Decision.FAIL;
        }
        if (takeOne(failRemaining)) {
            return Decision.FAIL;
        }
        Duration delay = slowDelay;
        if (takeOne(slowRemaining)) {
            return new Decision(false, delay);
        }
        Duration matchingDelay = slowMatchingDelay;
        if (slowMatchingMethod.equals(method) && path.startsWith(slowMatchingPath)
                && takeOne(slowMatchingRemaining)) {
            return new Decision(false, matchingDelay);
        }
        return Decision.NONE;
    }

    private static boolean takeOne(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    @Override
    public String toString() {
        return "GatewayFaults[failAll=" + failAll + ", failNext=" + failRemaining.get() + ", slowNext="
                + slowRemaining.get() + "@" + slowDelay.toMillis() + "ms, latency=" + latency.toMillis() + "ms, processing="
                + processing + ", requireAuthentication=" + requireAuthentication + "]";
    }

    /**
     * How many of the requests {@link #slowNext(int, Duration, String, String)} asked for have not arrived yet: 0 once
     * every one of them is being held (or was answered).
     */
    public int slowMatchingRemaining() {
        return slowMatchingRemaining.get();
    }
}
