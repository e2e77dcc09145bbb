package org.callcentre.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.callcentre.bench.Targets.Check;
import org.callcentre.bench.Targets.Verdict;

/**
 * The inbound calls benchmark's Markdown: the measured round on each database, one column each, then the targets,
 * which hold on both databases: every inbound webhook's p99 at most 50 ms, an agent's next caller in their conference
 * within 1 s (p99) of the agent being free, and the checks that every caller was served exactly once, no agent had two
 * callers at once and no caller was put through twice, each from the database and from the emulator.
 */
final class InboundReport {

    static final double WEBHOOK_P99_MS = 50;
    static final double NEXT_CALLER_P99_MS = 1000;

    private InboundReport() {
    }

    static String of(BenchOptions options, String dispatchSweep, List<InboundMeasures> results) {
        StringBuilder out = new StringBuilder();
        out.append("Scenario ").append(InboundHarness.NAME).append(", run ").append(Instant.now()).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". Settings: ").append(options)
                .append(". The app's dispatch sweep (inbound.dispatch-sweep): ").append(dispatchSweep).append(".\n\n");
        header(out, results, "measure");
        row(out, results, "callers / agents (warm-up before it, until the JIT was quiet: callers)",
                m -> m.callers + " / " + m.agents + " (" + m.warmupCallers + ")");
        row(out, results, "queue: all callers queued after (s)", m -> Stats.f(m.queueSeconds));
        row(out, results, "queue: a waiting caller asks for the wait document again every (s, mean)",
                m -> Stats.f(m.waitEverySeconds));
        row(out, results, "drain: first agent available to last hang-up answered (s), calls served per second",
                m -> Stats.f(m.drainSeconds) + ", " + Stats.f(m.callers / m.drainSeconds));
        row(out, results, "webhooks: count, p50 / p99 / max (ms)",
                m -> m.webhooks.size() + ", " + m.webhookLatency().percentiles());
        row(out, results, "webhooks without a 2xx answer", m -> Long.toString(m.failedWebhooks()));
        Set<String> endpoints = new LinkedHashSet<>(InboundMeasures.ENDPOINTS);
        results.forEach(m -> endpoints.addAll(m.byEndpoint().keySet()));
        for (String endpoint : endpoints) {
            row(out, results, "webhook " + endpoint + ": count, p50 / p99 / max (ms)", m -> {
                Stats stats = m.byEndpoint().get(endpoint);
                return stats == null ? "0" : stats.count() + ", " + stats.percentiles();
            });
        }
        row(out, results, "agent free → next caller in the agent's conference: p50 / p99 / max (ms)",
                m -> stats(m.nextCaller));
        row(out, results, "of which an agent's first caller, after the availability was answered",
                m -> stats(m.firstCaller));
        row(out, results, "of which the next caller, after the previous caller's hang-up was answered",
                m -> stats(m.afterHangUp));
        row(out, results, "app CPU ms per served call (of which JIT) / PostgreSQL's backends for the database / load generator's",
                m -> m.cpu == null ? "n/a" : String.format("%.1f (%.1f) / %s / %.1f", m.cpu.appMillis(),
                        m.cpu.jitMillis(), m.database == Database.POSTGRES
                                ? CallbackMeasures.figure("%.1f", m.cpu.postgresMillis()) : "n/a",
                        m.cpu.generatorMillis()));
        row(out, results, "the app's threads' wait for a core while ready to run, ms per served call",
                m -> m.cpu == null ? "n/a" : String.format("%.1f", m.cpu.appRunQueueMillis()));
        row(out, results, "the machine's cores busy over the round (%)",
                m -> m.cpu == null ? "n/a" : CallbackMeasures.figure("%.0f", 100 * m.cpu.machineBusy()));
        row(out, results, "HTTP floor, GET /health, same run: requests/s, p50 / p99 (ms), CPU ms per request",
                m -> m.floor == null ? "n/a" : Stats.f(m.floor.rate()) + ", " + Stats.f(m.floor.latency().p50())
                        + " / " + Stats.f(m.floor.latency().p99()) + ", " + String.format("%.2f", m.floor.cpuMillis()));
        row(out, results, "database: calls SERVED / calls (warm-up included); ended at EndEvent_Served",
                m -> m.rows == null ? "n/a" : m.rows.served() + " / " + m.rows.calls() + "; " + m.rows.endedServed());
        row(out, results, "database: pairs of one agent's calls overlapping (assigned to ended)",
                m -> m.rows == null ? "n/a" : Integer.toString(m.rows.agentOverlaps()));
        row(out, results, "database: instances that passed Catch_CallerBridged more than once",
                m -> m.rows == null ? "n/a" : Integer.toString(m.rows.bridgedTwice()));
        row(out, results, "emulator: callers in no conference / in two or more / bridge asked twice",
                m -> m.seen == null ? "n/a" : m.seen.neverJoined() + " / " + m.seen.joinedTwice() + " / "
                        + m.seen.bridgeRequestedTwice());
        row(out, results, "emulator: callers who joined an agent's conference before the previous caller left",
                m -> m.seen == null ? "n/a" : Integer.toString(m.seen.overlapping()));
        row(out, results, "the database's statistics", m -> m.statistics == null ? "its own" : m.statistics);

        out.append('\n');
        header(out, results, "target");
        targets(results).forEach((target, checks) -> {
            out.append("| ").append(target).append(" |");
            results.forEach(m -> out.append(' ').append(checks.get(m.database)).append(" |"));
            out.append('\n');
        });
        return out.toString();
    }

    /** Each target, in the table's order, with each database's check. */
    static Map<String, Map<Database, Check>> targets(List<InboundMeasures> results) {
        Map<String, Map<Database, Check>> rows = new LinkedHashMap<>();
        for (InboundMeasures m : results) {
            rows.computeIfAbsent(String.format("every inbound webhook p99 ≤ %.0f ms", WEBHOOK_P99_MS),
                    t -> new LinkedHashMap<>()).put(m.database, m.webhooks.isEmpty() ? notMeasured()
                            : atMost(m.webhookLatency().p99(), WEBHOOK_P99_MS, m.failedWebhooks()));
            rows.computeIfAbsent(String.format("agent free → next caller bridged, p99 ≤ %.0f s",
                    NEXT_CALLER_P99_MS / 1000), t -> new LinkedHashMap<>()).put(m.database,
                            m.nextCaller == null || m.nextCaller.count() == 0 ? notMeasured()
                                    : atMost(m.nextCaller.p99(), NEXT_CALLER_P99_MS, 0));
            boolean checked = m.rows != null && m.seen != null;
            rows.computeIfAbsent("every caller served exactly once", t -> new LinkedHashMap<>()).put(m.database,
                    !checked ? notMeasured() : verdict(m.rows.served() == m.rows.calls()
                            && m.rows.endedServed() == m.rows.calls() && m.seen.neverJoined() == 0
                            && m.seen.joinedTwice() == 0, m.rows.served() + " of " + m.rows.calls()
                                    + " SERVED; in no conference " + m.seen.neverJoined()));
            rows.computeIfAbsent("no agent with two callers at once", t -> new LinkedHashMap<>()).put(m.database,
                    !checked ? notMeasured() : verdict(m.rows.agentOverlaps() == 0 && m.seen.overlapping() == 0,
                            m.rows.agentOverlaps() + " in the database, " + m.seen.overlapping() + " seen"));
            rows.computeIfAbsent("no caller bridged twice", t -> new LinkedHashMap<>()).put(m.database,
                    !checked ? notMeasured() : verdict(m.rows.bridgedTwice() == 0 && m.seen.joinedTwice() == 0
                            && m.seen.bridgeRequestedTwice() == 0, m.rows.bridgedTwice() + " in the history, "
                                    + m.seen.joinedTwice() + " seen"));
        }
        return rows;
    }

    private static Check atMost(double value, double limit, long failed) {
        return new Check(value <= limit && failed == 0 ? Verdict.PASS : Verdict.MISS, "p99 " + Stats.f(value) + " ms"
                + (failed == 0 ? "" : ", " + failed + " without a 2xx answer"));
    }

    private static Check verdict(boolean pass, String figure) {
        return new Check(pass ? Verdict.PASS : Verdict.MISS, figure);
    }

    private static Check notMeasured() {
        return new Check(Verdict.NOT_MEASURED, "");
    }

    private static String stats(Stats stats) {
        return stats == null ? "n/a" : stats.count() == 0 ? "none" : stats.count() + ": " + stats.percentiles();
    }

    private static void header(StringBuilder out, List<InboundMeasures> results, String first) {
        ReportTable.header(out, results, first, m -> m.database.label);
    }

    private static void row(StringBuilder out, List<InboundMeasures> results, String name,
            Function<InboundMeasures, String> value) {
        ReportTable.row(out, results, name, value);
    }
}
