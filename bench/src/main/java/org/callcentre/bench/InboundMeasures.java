package org.callcentre.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.callcentre.bench.Measures.Floor;
import org.callcentre.emulator.twilio.WebhookExchange;

/** What the inbound calls' benchmark measured on one database; {@code null} for what did not run. */
final class InboundMeasures {

    /** The inbound webhooks in the table's order, as {@link #endpoint} names them. */
    static final List<String> ENDPOINTS = List.of("voice", "menu", "wait", "callback-request", "queue-result",
            "bridge", "call status");

    /**
     * The measured round's CPU, per served call: the app's JVM (and of that its JIT compiler), the PostgreSQL backends
     * serving its database (zero on H2), this JVM (the emulator and the callers), and how busy the machine's cores were; from the first
     * caller's ring to the last caller's hang-up answered.
     */
    record Cpu(double appMillis, double jitMillis, double postgresMillis, double generatorMillis,
            double machineBusy, double appRunQueueMillis) {
    }

    /** What the database says after the run, over every call of it (the warm-up's too). */
    record Rows(int calls, int served, int agentOverlaps, int bridgedTwice, int endedServed) {
    }

    /** What the emulator saw in the measured round. */
    record Seen(int callers, int neverJoined, int joinedTwice, int overlapping, int bridgeRequestedTwice) {
    }

    final Database database;
    Floor floor;
    /** The warm-up's callers, in rounds until the app's JIT was quiet. */
    int warmupCallers;
    int callers;
    int agents;
    /** From the first caller's ring to the last one queued. */
    double queueSeconds;
    /** From the first agent's availability answered to the last caller's hang-up answered. */
    double drainSeconds;
    /** The mean time between one waiting caller's wait-document requests. */
    double waitEverySeconds;
    List<WebhookExchange> webhooks = List.of();
    /** Agent free → next caller in the agent's conference: every turn, the first of each agent, the others. */
    Stats nextCaller;
    Stats firstCaller;
    Stats afterHangUp;
    Cpu cpu;
    Rows rows;
    Seen seen;
    /** Where PostgreSQL's statistics came from: autovacuum, or the harness's stand-in. */
    String statistics;

    InboundMeasures(Database database) {
        this.database = database;
    }

    Stats webhookLatency() {
        return Stats.ofNanos(webhooks.stream().map(WebhookExchange::latencyNanos).toList());
    }

    long failedWebhooks() {
        return webhooks.stream().filter(w -> !w.succeeded()).count();
    }

    /** The measured round's webhooks' latencies by endpoint, in {@link #ENDPOINTS}' order, then any other. */
    Map<String, Stats> byEndpoint() {
        return byEndpoint(webhooks);
    }

    static Map<String, Stats> byEndpoint(Collection<WebhookExchange> webhooks) {
        Map<String, List<Long>> nanos = new TreeMap<>(
                Comparator.comparingInt(InboundMeasures::order).thenComparing(Comparator.naturalOrder()));
        for (WebhookExchange exchange : webhooks) {
            nanos.computeIfAbsent(endpoint(exchange.url()), e -> new ArrayList<>())
                    .add(exchange.latencyNanos());
        }
        Map<String, Stats> stats = new LinkedHashMap<>();
        nanos.forEach((endpoint, values) -> stats.put(endpoint, Stats.ofNanos(values)));
        return stats;
    }

    private static int order(String endpoint) {
        int index = ENDPOINTS.indexOf(endpoint);
        return index < 0 ? ENDPOINTS.size() : index;
    }

    /** The inbound endpoint a webhook URL is: the last part of its path, "call status" for status callbacks. */
    static String endpoint(String url) {
        String path = URI.create(url).getPath();
        if (path.endsWith("/twilio/calls/status")) {
            return "call status";
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
