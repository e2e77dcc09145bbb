package org.callcentre.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.callcentre.bench.Measures.Run;
import org.callcentre.bench.Measures.Saturation;
import org.callcentre.bench.Scenario.StepTarget;

/** The benchmark's Markdown: the measures, one column per database, then the targets with PASS or MISS. */
final class Report {

    private Report() {
    }

    static String of(String scenario, BenchOptions options, List<Measures> results, List<StepTarget> stepTargets) {
        StringBuilder out = new StringBuilder();
        out.append("Scenario ").append(scenario).append(", run ").append(Instant.now()).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". Settings: ").append(options).append("\n\n");
        header(out, results, "measure");
        row(out, results, "paced: concurrent conversations / measured window (s)",
                m -> m.paced() == null ? "n/a" : m.paced().lines() + " / " + Stats.f(m.paced().seconds()));
        row(out, results, "paced: webhooks per second",
                m -> m.paced() == null ? "n/a" : Stats.f(m.paced().webhooksPerSecond()));
        row(out, results, "paced: webhook latency p50 / p99 / max (ms)",
                m -> m.paced() == null ? "n/a" : m.paced().webhookLatency().percentiles());
        row(out, results, "paced: webhooks without a 2xx answer",
                m -> m.paced() == null ? "n/a" : Long.toString(m.paced().failedWebhooks()));
        for (StepTarget target : stepTargets) {
            row(out, results, "paced: " + target.step() + ", p50 / p99 / max (ms)",
                    m -> m.paced() == null ? "n/a" : m.paced().step(target.step()).percentiles());
        }
        for (int concurrency : Harness.SATURATION_CONCURRENCY) {
            row(out, results, "saturation, " + concurrency + " concurrent: conversations/s, median (range)",
                    m -> at(m, concurrency) == null ? "n/a" : spread(at(m, concurrency).rates()));
            row(out, results, "saturation, " + concurrency + " concurrent: webhook p50 / p99 (ms)",
                    m -> at(m, concurrency) == null ? "n/a" : Stats.f(at(m, concurrency).webhooks().p50()) + " / "
                            + Stats.f(at(m, concurrency).webhooks().p99()));
        }
        for (int threads : Harness.ENGINE_THREADS) {
            row(out, results, "engine-only, " + threads + " threads: conversations/s, median (range)",
                    m -> m.engine() == null ? "n/a" : spread(m.engine().rates.getOrDefault(threads, List.of())));
        }
        row(out, results, "engine-only ceiling (each round's best thread count): conversations/s, median (range)",
                m -> m.engine() == null ? "n/a" : spread(m.engine().ceiling));
        for (int concurrency : Harness.SATURATION_CONCURRENCY) {
            row(out, results, "saturation ÷ engine-only ceiling, " + concurrency
                    + ": median ratio of the rounds (range)", m -> at(m, concurrency) == null || m.engine() == null
                            ? "n/a" : ratios(at(m, concurrency).rates(), m.engine().ceiling));
        }
        String concurrencies = String.join(" / ",
                Harness.SATURATION_CONCURRENCY.stream().map(String::valueOf).toList());
        row(out, results, "saturation, " + concurrencies + " concurrent: app CPU ms per conversation, median",
                m -> perConcurrency(m, Run::appCpuMillis, 1));
        row(out, results, "saturation, " + concurrencies + " concurrent: of which the app's JIT compiler, median",
                m -> perConcurrency(m, Run::compilerCpuMillis, 1));
        row(out, results, "saturation, " + concurrencies + " concurrent: of which H2's background threads, median",
                m -> perConcurrency(m, Run::h2CpuMillis, 1));
        row(out, results, "saturation, " + concurrencies
                + " concurrent: load generator CPU ms per conversation, median",
                m -> perConcurrency(m, Run::generatorCpuMillis, 1));
        row(out, results, "saturation, " + concurrencies + " concurrent: the machine's cores busy, median (%)",
                m -> perConcurrency(m, Run::machineBusy, 100));
        row(out, results, "engine-only: CPU ms per conversation (of which its JIT compiler; H2's background threads),"
                + " median", m -> m.engine() == null ? "n/a" : Stats.f(median(m.engine().cpuMillis)) + " ("
                        + Stats.f(median(m.engine().compilerMillis)) + "; " + Stats.f(median(m.engine().h2Millis))
                        + ")");
        row(out, results, "warm-up conversations until the JIT was quiet: app / engine-only",
                m -> m.warmedUp() + " / " + (m.engine() == null ? "n/a" : m.engine().warmedUp));
        row(out, results, "HTTP floor, GET /health: requests/s, p50 / p99 (ms)", m -> m.floor() == null ? "n/a"
                : Stats.f(m.floor().rate()) + ", " + Stats.f(m.floor().latency().p50()) + " / "
                        + Stats.f(m.floor().latency().p99()));
        row(out, results, "HTTP floor: CPU ms per request, app and sender together",
                m -> m.floor() == null ? "n/a" : String.format("%.2f", m.floor().cpuMillis()));

        out.append('\n');
        header(out, results, "target");
        Targets.check(results, stepTargets).forEach((target, checks) -> {
            out.append("| ").append(target).append(" |");
            results.forEach(m -> out.append(' ').append(checks.get(m.database())).append(" |"));
            out.append('\n');
        });
        return out.toString();
    }

    private static Saturation at(Measures m, int concurrency) {
        return m.saturation().get(concurrency);
    }

    /** A run's measure at each saturation concurrency, the median over the rounds: "28.1 / 25.8". */
    private static String perConcurrency(Measures m, Function<Run, Double> measure, double scale) {
        if (m.saturation().isEmpty()) {
            return "n/a";
        }
        List<String> values = new ArrayList<>();
        for (Saturation saturation : m.saturation().values()) {
            double median = median(saturation.runs.stream().map(measure).toList()) * scale;
            values.add(scale == 1 ? Stats.f(median) : String.format("%.0f", median));
        }
        return String.join(" / ", values);
    }

    /** Median, with the range over the rounds: "24.5 (19.1–25.8)". */
    static String spread(List<Double> values) {
        if (values.isEmpty()) {
            return "n/a";
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return Stats.f(median(values)) + " (" + Stats.f(sorted[0]) + "–" + Stats.f(sorted[sorted.length - 1]) + ")";
    }

    /** The median of the per-round ratios a[i] / b[i], with their range: "0.50 (0.30–0.50)". */
    static String ratios(List<Double> a, List<Double> b) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            ratios.add(a.get(i) / b.get(i));
        }
        if (ratios.isEmpty()) {
            return "n/a";
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("%.2f (%.2f–%.2f)", median(ratios), sorted[0], sorted[sorted.length - 1]);
    }

    static double median(List<Double> values) {
        return values.isEmpty() ? Double.NaN : Stats.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static void header(StringBuilder out, List<Measures> results, String first) {
        ReportTable.header(out, results, first, m -> m.database().label);
    }

    private static void row(StringBuilder out, List<Measures> results, String name, Function<Measures, String> value) {
        ReportTable.row(out, results, name, value);
    }
}
