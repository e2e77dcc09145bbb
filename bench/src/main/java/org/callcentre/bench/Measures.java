package org.callcentre.bench;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.callcentre.bench.Scenario.Step;
import org.callcentre.emulator.twilio.WebhookExchange;

/** What one database's run measured, phase by phase; {@code null} or empty for a phase not run. */
record Measures(Database database, Floor floor, Paced paced, Map<Integer, Saturation> saturation,
        EngineCeiling engine, int warmedUp) {

    /** The HTTP floor: requests per second, their latency, and CPU per request of the app and sender together. */
    record Floor(double rate, Stats latency, double cpuMillis) {
    }

    /**
     * The paced phase's measured window: {@code lines} conversations under way at all times, the webhooks sent in
     * the window and the scenario's steps begun in it.
     */
    record Paced(int lines, double seconds, List<WebhookExchange> webhooks, List<Step> steps) {

        Stats webhookLatency() {
            return Stats.ofNanos(webhooks.stream().map(WebhookExchange::latencyNanos).toList());
        }

        double webhooksPerSecond() {
            return seconds == 0 ? Double.NaN : webhooks.size() / seconds;
        }

        long failedWebhooks() {
            return webhooks.stream().filter(w -> !w.succeeded()).count();
        }

        Stats step(String name) {
            return Stats.ofNanos(steps.stream().filter(s -> s.name().equals(name)).map(Step::nanos).toList());
        }
    }

    /** A run of unpaced conversations: conversations per second, CPU ms per conversation, the cores' load. */
    record Run(double rate, double appCpuMillis, double compilerCpuMillis, double h2CpuMillis,
            double generatorCpuMillis, double machineBusy) {
    }

    /** The saturation phase at one concurrency, round after round: each round's run and every webhook's latency. */
    static final class Saturation {
        final List<Run> runs = new ArrayList<>();
        private final List<Long> webhookNanos = new ArrayList<>();

        void add(Run run, Collection<WebhookExchange> webhooks) {
            runs.add(run);
            webhooks.forEach(w -> webhookNanos.add(w.latencyNanos()));
        }

        List<Double> rates() {
            return runs.stream().map(Run::rate).toList();
        }

        Stats webhooks() {
            return Stats.ofNanos(webhookNanos);
        }
    }

    /**
     * The engine-only ceiling, round after round: conversations per second at each thread count, the round's best
     * (its ceiling), and CPU ms per conversation over all its thread counts (of which its JIT compiler and H2's
     * background threads).
     */
    static final class EngineCeiling {
        final Map<Integer, List<Double>> rates = new TreeMap<>();
        final List<Double> ceiling = new ArrayList<>();
        final List<Double> cpuMillis = new ArrayList<>();
        final List<Double> compilerMillis = new ArrayList<>();
        final List<Double> h2Millis = new ArrayList<>();
        int warmedUp;
    }

    /** A step's durations by name, sorted by name. */
    static Map<String, List<Long>> byName(Collection<Step> steps) {
        Map<String, List<Long>> byName = new TreeMap<>();
        steps.forEach(step -> byName.computeIfAbsent(step.name(), n -> new ArrayList<>()).add(step.nanos()));
        return byName;
    }

    /**
     * Webhook latency per endpoint: ids in the path (numbers, UUIDs) as {@code {id}}, the prompt of a gather answer
     * kept, hold polls apart.
     */
    static Map<String, List<Long>> byEndpoint(Collection<WebhookExchange> exchanges) {
        Map<String, List<Long>> byEndpoint = new TreeMap<>();
        for (WebhookExchange exchange : exchanges) {
            URI url = URI.create(exchange.url());
            String endpoint = url.getPath().replaceAll("/(\\d+|[0-9a-fA-F-]{32,36})(?=/|$)", "/{id}");
            String query = url.getQuery();
            if (query != null && query.contains("prompt=")) {
                endpoint += " " + query.substring(query.indexOf("prompt="));
            } else if (query != null && query.contains("hold=")) {
                endpoint += " (hold poll)";
            }
            byEndpoint.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(exchange.latencyNanos());
        }
        return byEndpoint;
    }

    /** Webhook latencies in windows of {@code window} by the time each was sent, keyed by the window's start (s). */
    static Map<Long, List<Long>> overTime(Collection<WebhookExchange> exchanges, Duration window) {
        Map<Long, List<Long>> byWindow = new TreeMap<>();
        Instant first = exchanges.stream().map(WebhookExchange::sentAt).min(Instant::compareTo).orElse(null);
        for (WebhookExchange exchange : exchanges) {
            long index = Duration.between(first, exchange.sentAt()).toMillis() / window.toMillis();
            byWindow.computeIfAbsent(index * window.toSeconds(), i -> new ArrayList<>()).add(exchange.latencyNanos());
        }
        return byWindow;
    }
}
