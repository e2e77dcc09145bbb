package org.callcentre.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.bench.Measures.Saturation;
import org.callcentre.bench.Scenario.StepTarget;

/**
 * The targets the benchmark checks, each database's verdict: the paced webhook p99 at most 50 ms and no paced
 * webhook over 2 s on both databases; each of the scenario's step targets; and saturation throughput at least half
 * the engine-only ceiling on PostgreSQL. On H2 the saturation ratio is a figure, not a target: on two cores the load
 * generator shares the CPU with the app, and H2 runs inside the app's JVM.
 */
final class Targets {

    static final double WEBHOOK_P99_MS = 50;
    static final double WEBHOOK_MAX_MS = 2000;
    static final double SATURATION_SHARE = 0.5;

    enum Verdict { PASS, MISS, FIGURE, NOT_MEASURED }

    record Check(Verdict verdict, String figure) {
        @Override
        public String toString() {
            return switch (verdict) {
                case PASS -> "PASS: " + figure;
                case MISS -> "**MISS**: " + figure;
                case FIGURE -> figure + " (no target)";
                case NOT_MEASURED -> "not measured";
            };
        }
    }

    private Targets() {
    }

    /** Each target, in the table's order, with each database's check. */
    static Map<String, Map<Database, Check>> check(List<Measures> results, List<StepTarget> stepTargets) {
        Map<String, Map<Database, Check>> rows = new LinkedHashMap<>();
        for (Measures m : results) {
            rows.computeIfAbsent(String.format("paced webhook p99 ≤ %.0f ms", WEBHOOK_P99_MS),
                    t -> new LinkedHashMap<>())
                    .put(m.database(), m.paced() == null || m.paced().webhooks().isEmpty() ? notMeasured()
                            : atMost(m.paced().webhookLatency().p99(), WEBHOOK_P99_MS, "p99 "));
            rows.computeIfAbsent("no paced webhook over 2 s", t -> new LinkedHashMap<>())
                    .put(m.database(), m.paced() == null || m.paced().webhooks().isEmpty() ? notMeasured()
                            : atMost(m.paced().webhookLatency().max(), WEBHOOK_MAX_MS, "max "));
            for (StepTarget target : stepTargets) {
                Stats step = m.paced() == null ? null : m.paced().step(target.step());
                rows.computeIfAbsent(target.description(), t -> new LinkedHashMap<>())
                        .put(m.database(), step == null || step.count() == 0 ? notMeasured()
                                : atMost(step.p99(), target.p99().toMillis(), "p99 "));
            }
            rows.computeIfAbsent("saturation ≥ ½ the engine-only ceiling (on PostgreSQL)", t -> new LinkedHashMap<>())
                    .put(m.database(), saturation(m));
        }
        return rows;
    }

    /** Met if at every concurrency the median of the rounds' ratios is at least half. */
    private static Check saturation(Measures m) {
        if (m.engine() == null || m.engine().ceiling.isEmpty() || m.saturation().isEmpty()) {
            return notMeasured();
        }
        List<String> figures = new ArrayList<>();
        boolean met = true;
        for (Map.Entry<Integer, Saturation> at : m.saturation().entrySet()) {
            double ratio = medianRatio(at.getValue().rates(), m.engine().ceiling);
            met &= ratio >= SATURATION_SHARE;
            figures.add(String.format("%.2f at %d", ratio, at.getKey()));
        }
        String figure = String.join(", ", figures);
        if (m.database() != Database.POSTGRES) {
            return new Check(Verdict.FIGURE, figure);
        }
        return new Check(met ? Verdict.PASS : Verdict.MISS, figure);
    }

    /** The median of the per-round ratios {@code a[i] / b[i]}; NaN if there are none. */
    static double medianRatio(List<Double> a, List<Double> b) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            ratios.add(a.get(i) / b.get(i));
        }
        return Report.median(ratios);
    }

    private static Check atMost(double valueMs, double limitMs, String what) {
        return new Check(valueMs <= limitMs ? Verdict.PASS : Verdict.MISS, what + Stats.f(valueMs) + " ms");
    }

    private static Check notMeasured() {
        return new Check(Verdict.NOT_MEASURED, "");
    }
}
