package org.callcentre.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.callcentre.bench.ClusterMeasures.Phase;
import org.callcentre.bench.ClusterMeasures.Run;
import org.callcentre.bench.cardcapture.CardCaptureScenario;

/**
 * The cluster scenario's Markdown: one column per number of nodes, card capture's paced and saturation figures, the
 * CPU per conversation of every process that served it, the webhooks each node served, and what PostgreSQL and the
 * job executors did. Values "a / b" are at 10 and at 50 concurrent, medians over the rounds.
 */
final class ClusterReport {

    private ClusterReport() {
    }

    static String of(BenchOptions options, List<ClusterMeasures> results) {
        StringBuilder out = new StringBuilder();
        out.append("Scenario ").append(ClusterHarness.NAME).append(" (card capture), run ").append(Instant.now())
                .append(" on ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". Settings: ").append(options).append("\n\n");
        ReportTable.header(out, results, "measure", m -> ClusterHarness.label(m.nodes));
        row(out, results, "warm-up conversations until the nodes' JIT was quiet", m -> Integer.toString(m.warmedUp));
        row(out, results, "paced: concurrent conversations / measured window (s)",
                m -> m.paced == null ? "n/a" : m.paced.lines() + " / " + Stats.f(m.paced.seconds()));
        row(out, results, "paced: webhooks per second",
                m -> m.paced == null ? "n/a" : Stats.f(m.paced.webhooksPerSecond()));
        row(out, results, "paced: webhook latency p50 / p99 / max (ms)",
                m -> m.paced == null ? "n/a" : m.paced.webhookLatency().percentiles());
        row(out, results, "paced: webhooks without a 2xx answer",
                m -> m.paced == null ? "n/a" : Long.toString(m.paced.failedWebhooks()));
        row(out, results, "paced: security code to back with the agent, p50 / p99 / max (ms)",
                m -> m.paced == null ? "n/a" : m.paced.step(outcomeStep()).percentiles());
        row(out, results, "paced: webhooks served by each node (%)",
                m -> m.pacedPhase == null ? "n/a" : shares(m.pacedPhase));
        row(out, results, "paced: the machine's cores busy (%)",
                m -> m.pacedPhase == null ? "n/a" : String.format("%.0f", 100 * m.pacedPhase.machineBusy()));
        for (int concurrency : Harness.SATURATION_CONCURRENCY) {
            String at = "saturation, " + concurrency + " concurrent: ";
            row(out, results, at + "conversations/s, median (range)",
                    m -> Report.spread(m.at(concurrency, Run::rate)));
            row(out, results, at + "webhook p50 / p99 (ms), median; webhooks without a 2xx",
                    m -> m.saturation.getOrDefault(concurrency, List.of()).isEmpty() ? "n/a"
                            : Stats.f(median(m.at(concurrency, r -> r.webhooks().p50()))) + " / "
                                    + Stats.f(median(m.at(concurrency, r -> r.webhooks().p99()))) + "; "
                                    + Math.round(sum(m.at(concurrency, r -> (double) r.failedWebhooks()))));
            row(out, results, at + "webhooks served by each node (%), all rounds", m -> shares(m, concurrency));
        }
        String both = "saturation, " + concurrencies() + " concurrent: ";
        int most = results.stream().mapToInt(m -> m.nodes).max().orElse(1);
        for (int node = 0; node < most; node++) {
            int index = node;
            row(out, results, both + "CPU ms per conversation, node " + (node + 1), m -> index >= m.nodes ? "n/a"
                    : perConcurrency(m, r -> r.nodeCpuMillis().get(index)));
        }
        row(out, results, both + "CPU ms per conversation, the nodes together (of which their JIT)",
                m -> perConcurrency(m, Run::nodesCpuMillis) + " (" + perConcurrency(m, Run::jitCpuMillis) + ")");
        row(out, results, both + "CPU ms per conversation, HAProxy",
                m -> m.nodes == 1 ? "none (reached directly)" : perConcurrency(m, Run::balancerCpuMillis));
        row(out, results, both + "CPU ms per conversation, PostgreSQL's backends for the database",
                m -> perConcurrency(m, Run::postgresCpuMillis));
        row(out, results, both + "CPU ms per conversation, the load generator (people and emulators)",
                m -> perConcurrency(m, Run::generatorCpuMillis));
        row(out, results, both + "CPU ms per conversation, all of the above",
                m -> perConcurrency(m, Run::measuredCpuMillis));
        row(out, results, both + "CPU ms per conversation, the whole machine (/proc/stat)",
                m -> perConcurrency(m, Run::machineCpuMillis));
        row(out, results, both + "the machine's cores busy (%)",
                m -> perConcurrency(m, r -> 100 * r.phase().machineBusy(), "%.0f"));
        row(out, results, both + "conversations/s per core of CPU (1000 ÷ the whole machine's CPU ms)",
                m -> perConcurrency(m, r -> 1000 / r.machineCpuMillis()));
        row(out, results, both + "PostgreSQL's share of the measured CPU (%)",
                m -> perConcurrency(m, r -> 100 * r.postgresCpuMillis() / r.measuredCpuMillis(), "%.0f"));
        for (int concurrency : Harness.SATURATION_CONCURRENCY) {
            row(out, results, "saturation, " + concurrency + " concurrent: PostgreSQL backends active / waiting for a"
                    + " lock / idle in transaction, mean of samples every " + PostgresActivity.EVERY.toMillis()
                    + " ms", m -> activity(m, concurrency));
        }
        row(out, results, both + "jobs failed on a lock conflict (OptimisticLockingException), per 1,000"
                + " conversations, mean of the rounds",
                m -> perConcurrency(m, r -> 1000.0 * r.phase().jobLockingFailuresTotal() / r.conversations(),
                        "%.1f", true));
        row(out, results, both + "lines the nodes logged at ERROR, per 1,000 conversations, mean of the rounds",
                m -> perConcurrency(m, r -> 1000.0 * r.phase().errorLinesTotal() / r.conversations(), "%.1f",
                        true));
        row(out, results, "paced: lines the nodes logged at ERROR",
                m -> m.pacedPhase == null ? "n/a" : Integer.toString(m.pacedPhase.errorLinesTotal()));
        row(out, results, "job executors, the whole half (warm-up included): acquisition attempts; jobs acquired;"
                + " jobs another node locked first (share of those tried)", ClusterReport::acquisition);
        row(out, results, "job executors, the whole half: jobs run; failed (retried); rejected (queue full)",
                m -> metric(m, "job-successful") + "; " + metric(m, "job-failed") + "; "
                        + metric(m, "job-execution-rejected"));
        row(out, results, "PostgreSQL's statistics", m -> m.statistics == null ? "n/a" : m.statistics);
        return out.toString();
    }

    private static String outcomeStep() {
        return new CardCaptureScenario().stepTargets().get(0).step();
    }

    private static String concurrencies() {
        return String.join(" / ", Harness.SATURATION_CONCURRENCY.stream().map(String::valueOf).toList());
    }

    /** "50 / 50": each node's share of a phase's webhooks. */
    static String shares(Phase phase) {
        return shares(phase.webhookShares());
    }

    /** Each node's share of all the webhooks of the runs at one concurrency. */
    private static String shares(ClusterMeasures m, int concurrency) {
        List<Run> runs = m.saturation.getOrDefault(concurrency, List.of());
        if (runs.isEmpty()) {
            return "n/a";
        }
        long[] byNode = new long[m.nodes];
        runs.forEach(run -> {
            for (int i = 0; i < m.nodes; i++) {
                byNode[i] += run.phase().webhooksByNode().get(i);
            }
        });
        long total = 0;
        for (long n : byNode) {
            total += n;
        }
        List<Double> shares = new ArrayList<>();
        for (long n : byNode) {
            shares.add(total == 0 ? Double.NaN : (double) n / total);
        }
        return shares(shares);
    }

    private static String shares(List<Double> shares) {
        return String.join(" / ", shares.stream().map(s -> String.format("%.1f", 100 * s)).toList());
    }

    private static String activity(ClusterMeasures m, int concurrency) {
        List<Run> runs = m.saturation.getOrDefault(concurrency, List.of());
        if (runs.isEmpty()) {
            return "n/a";
        }
        return String.format("%.2f / %.2f / %.2f", median(m.at(concurrency, r -> r.phase().postgres().active())),
                median(m.at(concurrency, r -> r.phase().postgres().waitingForLock())),
                median(m.at(concurrency, r -> r.phase().postgres().idleInTransaction())));
    }

    private static String acquisition(ClusterMeasures m) {
        if (m.jobMetrics.isEmpty()) {
            return "n/a";
        }
        long acquired = m.jobMetrics.getOrDefault("job-acquired-success", 0L);
        long lost = m.jobMetrics.getOrDefault("job-acquired-failure", 0L);
        return metric(m, "job-acquisition-attempt") + "; " + acquired + "; " + lost + " ("
                + (acquired + lost == 0 ? "n/a" : String.format("%.1f%%", 100.0 * lost / (acquired + lost))) + ")";
    }

    private static String metric(ClusterMeasures m, String name) {
        return m.jobMetrics.isEmpty() ? "n/a" : Long.toString(m.jobMetrics.getOrDefault(name, 0L));
    }

    private static String perConcurrency(ClusterMeasures m, Function<Run, Double> measure) {
        return perConcurrency(m, measure, "%.1f");
    }

    private static String perConcurrency(ClusterMeasures m, Function<Run, Double> measure, String format) {
        return perConcurrency(m, measure, format, false);
    }

    /** A run's measure at each concurrency: the median over the rounds, or (pooled) their mean. */
    private static String perConcurrency(ClusterMeasures m, Function<Run, Double> measure, String format,
            boolean pooled) {
        if (m.saturation.values().stream().allMatch(List::isEmpty)) {
            return "n/a";
        }
        List<String> values = new ArrayList<>();
        for (int concurrency : m.saturation.keySet()) {
            List<Double> rounds = m.at(concurrency, measure);
            double value = pooled ? sum(rounds) / Math.max(1, rounds.size()) : median(rounds);
            values.add(Double.isNaN(value) ? "n/a" : String.format(format, value));
        }
        return String.join(" / ", values);
    }

    private static double median(List<Double> values) {
        return Report.median(values);
    }

    private static double sum(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }

    private static void row(StringBuilder out, List<ClusterMeasures> results, String name,
            Function<ClusterMeasures, String> value) {
        ReportTable.row(out, results, name, value);
    }
}
