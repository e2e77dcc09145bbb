package org.callcentre.emulator.twilio;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the emulator's webhooks to the application, signed as Twilio signs them, and keeps the record of every
 * exchange that tests read and wait on. A request that failed at the connection level is tried once more.
 */
final class WebhookDelivery {

    /** The outcome of one webhook request. */
    record Result(int status, String body, Throwable error) {
        boolean ok() {
            return error == null && status >= 200 && status < 300;
        }

        String describe() {
            return error != null ? "no answer (" + error + ")" : "HTTP " + status;
        }
    }

    static final int MAX_RECORDED_WEBHOOKS = 200_000;
    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(15);
    private static final String FORM = "application/x-www-form-urlencoded";

    private final TwilioEmulator.Settings settings;
    private final HttpClient client;
    private final ConcurrentLinkedQueue<WebhookExchange> webhooks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger webhookCount = new AtomicInteger();
    /** Webhooks sent and not yet recorded: each is counted up when sent and down when its outcome is recorded. */
    private final AtomicInteger webhooksInFlight = new AtomicInteger();
    private final ReentrantLock webhookLock = new ReentrantLock();
    private final Condition webhookRecorded = webhookLock.newCondition();
    private volatile boolean closed;

    WebhookDelivery(TwilioEmulator.Settings settings, ExecutorService clientExecutor) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(clientExecutor)
                .build();
    }

    void close() {
        closed = true;
    }

    /** Sends a signed webhook; the future always completes normally (failures are in the result). */
    CompletableFuture<Result> send(String callSid, String url, String method, Map<String, String> params, String kind) {
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
            log.warn("{}: cannot request {} {}: {}", callSid, method, url, e.toString());
            return CompletableFuture.completedFuture(new Result(0, null, e));
        }
        return attempt(callSid, url, method, params, kind, request, true);
    }

    /**
     * A status callback; sent twice, as a Twilio retry would, when the settings ask for duplicates. The future
     * completes when every copy has its outcome.
     */
    CompletableFuture<Void> sendStatusCallback(String callSid, String url, String method, Map<String, String> params) {
        return sendStatusCallback(callSid, url, method, params, WebhookExchange.KIND_STATUS);
    }

    /** A callback of this kind (a call's status, a recording's status), sent twice when the settings ask. */
    CompletableFuture<Void> sendStatusCallback(String callSid, String url, String method, Map<String, String> params,
            String kind) {
        CompletableFuture<Result> first = send(callSid, url, method, params, kind);
        if (!settings.duplicateStatusCallbacks()) {
            return first.thenApply(r -> null);
        }
        return first.thenCompose(r -> closed ? CompletableFuture.completedFuture(r)
                : send(callSid, url, method, params, kind)).thenApply(r -> null);
    }

    /**
     * One try at a webhook. A request that failed at the connection level (typically a pooled
     * keep-alive connection the application had just closed) is tried once more; latency is that of
     * the try that produced the recorded outcome.
     */
    private CompletableFuture<Result> attempt(String callSid, String url, String method,
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
                log.debug("{}: {} {} failed ({}); trying once more", callSid, method, url, cause.toString());
                return attempt(callSid, url, method, params, kind, request, false);
            }
            int status = response == null ? 0 : response.statusCode();
            record(new WebhookExchange(callSid, url, method, params, status, latency, sentAt, kind));
            if (cause != null) {
                log.warn("{}: {} {} failed: {}", callSid, method, url, cause.toString());
                return CompletableFuture.completedFuture(new Result(0, null, cause));
            }
            if (status < 200 || status >= 300) {
                log.warn("{}: {} {} answered HTTP {}", callSid, method, url, status);
            }
            return CompletableFuture.completedFuture(new Result(status, response.body(), null));
        }).thenCompose(f -> f);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
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

    List<WebhookExchange> recorded() {
        return List.copyOf(webhooks);
    }

    void clear() {
        webhooks.clear();
        webhookCount.set(0);
    }

    List<WebhookExchange> await(Predicate<WebhookExchange> filter, int count, Duration timeout) {
        return awaitRecorded(timeout, () -> {
            List<WebhookExchange> matching = webhooks.stream().filter(filter).toList();
            return matching.size() >= count ? matching : null;
        }, () -> "waiting for " + count + " matching webhook exchanges; matching so far: "
                + webhooks.stream().filter(filter).toList());
    }

    void awaitDelivered(Duration timeout) {
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
}
