package org.callcentre.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.callcentre.bench.CallbackMeasures.Phase;
import org.callcentre.bench.Targets.Check;
import org.callcentre.bench.Targets.Verdict;

/**
 * The callbacks benchmark's Markdown: the engine's timers beside the due-row poller, one column per database, then
 * the targets, which hold on both databases: every callback of the burst DUE within 60 s of its due time, and the
 * steady stream's lag p99 at most 2 s. The poller has no target; it is the floor the engine is read against.
 */
final class CallbackReport {

    static final double BURST_MAX_MS = 60_000;
    static final double STEADY_P99_MS = 2_000;

    private CallbackReport() {
    }

    static String of(BenchOptions options, Map<?, ?> jobExecution, List<CallbackMeasures> results) {
        StringBuilder out = new StringBuilder();
        out.append("Scenario ").append(CallbackHarness.NAME).append(", run ").append(Instant.now()).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". Settings: ").append(options)
                .append(". The app's job executor: ").append(jobExecution).append(".\n\n");
        header(out, results, "measure");
        row(out, results, "callbacks scheduled ahead (steady + burst): count, per second, app CPU ms each",
                m -> m.scheduling == null ? "n/a" : m.scheduling.callbacks() + ", "
                        + Stats.f(m.scheduling.perSecond()) + ", " + Stats.f(m.scheduling.appCpuMillis()));
        row(out, results, "index on ACT_RU_JOB (DUEDATE_)", m -> m.dueDateIndex == null ? "n/a" : m.dueDateIndex);
        row(out, results, "the database's statistics", m -> m.statistics == null ? "its own" : m.statistics);
        phase(out, results, "steady", "engine", m -> m.engineSteady, true);
        phase(out, results, "steady", "poller", m -> m.baselineSteady, false);
        phase(out, results, "burst", "engine", m -> m.engineBurst, true);
        phase(out, results, "burst", "poller", m -> m.baselineBurst, false);

        out.append('\n');
        header(out, results, "target");
        targets(results).forEach((target, checks) -> {
            out.append("| ").append(target).append(" |");
            results.forEach(m -> out.append(' ').append(checks.get(m.database)).append(" |"));
            out.append('\n');
        });
        return out.toString();
    }

    private static void phase(StringBuilder out, List<CallbackMeasures> results, String phase, String side,
            Function<CallbackMeasures, Phase> of, boolean app) {
        String name = phase + ", " + side;
        row(out, results, name + ": DUE / due", m -> of(m, of, p -> p.fired() + " / " + p.due()));
        row(out, results, name + ": lag p50 / p99 / max (ms)", m -> of(m, of, p -> p.lag().percentiles()));
        if (phase.equals("burst")) {
            row(out, results, name + ": due time to the last DUE (s)", m -> of(m, of, p -> Stats.f(p.lastSeconds())));
        }
        row(out, results, name + (app ? ": app CPU ms per callback (of which JIT)" : ": poller thread CPU ms per row")
                + " / PostgreSQL's / cores busy (%)", m -> of(m, of, p -> String.format("%.2f", p.cpuMillis())
                        + (app ? String.format(" (%.2f)", p.jitMillis()) : "") + " / "
                        + CallbackMeasures.figure("%.2f", p.postgresCpuMillis()) + " / "
                        + CallbackMeasures.figure("%.0f", 100 * p.machineBusy())));
    }

    private static String of(CallbackMeasures m, Function<CallbackMeasures, Phase> of, Function<Phase, String> text) {
        Phase phase = of.apply(m);
        return phase == null ? "n/a" : text.apply(phase);
    }

    /** Each target, in the table's order, with each database's check. */
    static Map<String, Map<Database, Check>> targets(List<CallbackMeasures> results) {
        Map<String, Map<Database, Check>> rows = new LinkedHashMap<>();
        for (CallbackMeasures m : results) {
            Phase burst = m.engineBurst;
            rows.computeIfAbsent(String.format("every burst callback DUE within %.0f s of its due time",
                    BURST_MAX_MS / 1000), t -> new LinkedHashMap<>()).put(m.database, burst == null
                            ? new Check(Verdict.NOT_MEASURED, "")
                            : new Check(burst.allFired() && burst.lag().max() <= BURST_MAX_MS ? Verdict.PASS
                                    : Verdict.MISS, burst.fired() + " of " + burst.due() + " DUE, the last after "
                                            + Stats.f(burst.lag().max() / 1000) + " s"));
            Phase steady = m.engineSteady;
            rows.computeIfAbsent(String.format("steady lag p99 ≤ %.0f s", STEADY_P99_MS / 1000),
                    t -> new LinkedHashMap<>()).put(m.database, steady == null
                            ? new Check(Verdict.NOT_MEASURED, "")
                            : new Check(steady.allFired() && steady.lag().p99() <= STEADY_P99_MS ? Verdict.PASS
                                    : Verdict.MISS, "p99 " + Stats.f(steady.lag().p99()) + " ms"
                                            + (steady.allFired() ? "" : ", " + (steady.due() - steady.fired())
                                                    + " never DUE")));
        }
        return rows;
    }

    private static void header(StringBuilder out, List<CallbackMeasures> results, String first) {
        ReportTable.header(out, results, first, m -> m.database.label);
    }

    private static void row(StringBuilder out, List<CallbackMeasures> results, String name,
            Function<CallbackMeasures, String> value) {
        ReportTable.row(out, results, name, value);
    }
}
