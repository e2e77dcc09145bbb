package org.callcentre.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.callcentre.bench.DiallerMeasures.Claims;
import org.callcentre.bench.DiallerMeasures.Import;
import org.callcentre.bench.Targets.Check;
import org.callcentre.bench.Targets.Verdict;

/**
 * The dialler benchmark's Markdown: the measures, one column per database, then the targets. The targets hold on
 * PostgreSQL (on H2 the same figures are printed without a verdict), except that no lead is ever held by two agents
 * at once, on either database.
 */
final class DiallerReport {

    static final double IMPORT_SECONDS = 120;
    static final double NEXT_LEAD_P99_MS = 20;
    static final double RAW_P99_FACTOR = 3;

    private DiallerReport() {
    }

    static String of(BenchOptions options, List<DiallerMeasures> results) {
        StringBuilder out = new StringBuilder();
        out.append("Scenario ").append(DiallerHarness.NAME).append(", run ").append(Instant.now()).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". Settings: ").append(options).append("\n\n");
        header(out, results, "measure");
        row(out, results, "leads / CSV rows", m -> imports(m, i -> i.leads + " / " + i.rows));
        row(out, results, "import: leads created / added to a second list / rejected", m -> imports(m,
                i -> i.imported + " / " + i.addedToList + " / " + i.rejected + (i.asExpected() ? ""
                        : " (expected " + i.expectedImported + " / " + i.expectedAddedToList + " / 0)")));
        row(out, results, "import: total s (rows/s)", m -> imports(m,
                i -> Stats.f(i.seconds) + " (" + String.format("%.0f", i.rowsPerSecond()) + ")"));
        row(out, results, "import: s per call list", m -> imports(m,
                i -> String.join(" / ", i.listSeconds.stream().map(Stats::f).toList())));
        row(out, results, "Next Lead warm-up claims until the JIT was quiet", m -> Integer.toString(m.warmedUp));
        phase(out, results, "paced", m -> m.pacedNextLead, m -> m.pacedRaw);
        phase(out, results, "saturated", m -> m.saturatedNextLead, m -> m.saturatedRaw);
        row(out, results, "leads locked by two agents at once: in the history (of locks) / seen by agents / seen by"
                + " raw SQL", m -> m.historyOverlaps + " (of " + m.historyLocks + ") / " + m.seenOverlapsNextLead
                        + " / " + m.seenOverlapsRaw);

        out.append('\n');
        header(out, results, "target");
        targets(results).forEach((target, checks) -> {
            out.append("| ").append(target).append(" |");
            results.forEach(m -> out.append(' ').append(checks.get(m.database)).append(" |"));
            out.append('\n');
        });
        return out.toString();
    }

    private static void phase(StringBuilder out, List<DiallerMeasures> results, String name,
            Function<DiallerMeasures, Claims> nextLead, Function<DiallerMeasures, Claims> raw) {
        row(out, results, name + ": Next Lead claims/s (asked for)", m -> claims(nextLead.apply(m), c ->
                Stats.f(c.perSecond()) + (c.rate() == 0 ? "" : " (" + c.rate() + ")")));
        row(out, results, name + ": Next Lead p50 / p99 / max (ms)",
                m -> claims(nextLead.apply(m), c -> c.latency().percentiles()));
        row(out, results, name + ": Next Lead answers with no lead",
                m -> claims(nextLead.apply(m), c -> Long.toString(c.empty())));
        row(out, results, name + ": app CPU ms per claim (with its call status) / load generator / cores busy (%)",
                m -> claims(nextLead.apply(m), c -> Stats.f(c.appCpuMillis()) + " / " + Stats.f(c.ownCpuMillis())
                        + " / " + String.format("%.0f", 100 * c.machineBusy())));
        row(out, results, name + ": raw SQL claims/s", m -> claims(raw.apply(m), c -> Stats.f(c.perSecond())));
        row(out, results, name + ": raw SQL p50 / p99 / max (ms)",
                m -> claims(raw.apply(m), c -> c.latency().percentiles()));
        row(out, results, name + ": raw SQL CPU ms per claim of its JVM (H2 inside it) / cores busy (%)",
                m -> claims(raw.apply(m), c -> Stats.f(c.ownCpuMillis()) + " / "
                        + String.format("%.0f", 100 * c.machineBusy())));
        row(out, results, name + ": Next Lead ÷ raw SQL, p50 / p99", m -> {
            Claims a = nextLead.apply(m);
            Claims b = raw.apply(m);
            return a == null || b == null ? "n/a" : ratio(a.latency().p50(), b.latency().p50()) + " / "
                    + ratio(a.latency().p99(), b.latency().p99());
        });
    }

    /** Each target, in the table's order, with each database's check. */
    static Map<String, Map<Database, Check>> targets(List<DiallerMeasures> results) {
        Map<String, Map<Database, Check>> rows = new LinkedHashMap<>();
        for (DiallerMeasures m : results) {
            boolean target = m.database == Database.POSTGRES;
            rows.computeIfAbsent(String.format("import of the leads < %.0f s", IMPORT_SECONDS),
                    t -> new LinkedHashMap<>()).put(m.database, m.imports == null ? notMeasured()
                            : check(target, m.imports.seconds < IMPORT_SECONDS, Stats.f(m.imports.seconds) + " s"));
            Claims paced = m.pacedNextLead;
            rows.computeIfAbsent(String.format("paced Next Lead p99 ≤ %.0f ms", NEXT_LEAD_P99_MS),
                    t -> new LinkedHashMap<>()).put(m.database, paced == null || paced.count() == 0 ? notMeasured()
                            : check(target, paced.latency().p99() <= NEXT_LEAD_P99_MS,
                                    "p99 " + Stats.f(paced.latency().p99()) + " ms at "
                                            + Stats.f(paced.perSecond()) + " claims/s"));
            Claims raw = m.pacedRaw;
            rows.computeIfAbsent(String.format("paced Next Lead p99 ≤ %.0f× the raw statement's",
                    RAW_P99_FACTOR), t -> new LinkedHashMap<>()).put(m.database,
                            paced == null || raw == null || paced.count() == 0 || raw.count() == 0 ? notMeasured()
                                    : check(target, paced.latency().p99()
                                            <= RAW_P99_FACTOR * raw.latency().p99(), ratio(paced.latency().p99(),
                                                    raw.latency().p99()) + "× (" + Stats.f(paced.latency().p99())
                                                    + " / " + Stats.f(raw.latency().p99()) + " ms)"));
            rows.computeIfAbsent("no lead held by two agents at once", t -> new LinkedHashMap<>())
                    .put(m.database, m.historyOverlaps < 0 || m.seenOverlapsNextLead < 0 ? notMeasured()
                            : check(true, m.historyOverlaps == 0 && m.seenOverlapsNextLead == 0
                                    && m.seenOverlapsRaw <= 0, m.historyOverlaps + " in the history, "
                                            + m.seenOverlapsNextLead + " seen"));
        }
        return rows;
    }

    private static Check check(boolean target, boolean met, String figure) {
        return new Check(!target ? Verdict.FIGURE : met ? Verdict.PASS : Verdict.MISS, figure);
    }

    private static Check notMeasured() {
        return new Check(Verdict.NOT_MEASURED, "");
    }

    private static String ratio(double a, double b) {
        return b > 0 ? String.format("%.2f", a / b) : "n/a";
    }

    private static String imports(DiallerMeasures m, Function<Import, String> value) {
        return m.imports == null ? "n/a" : value.apply(m.imports);
    }

    private static String claims(Claims claims, Function<Claims, String> value) {
        return claims == null ? "n/a" : value.apply(claims);
    }

    private static void header(StringBuilder out, List<DiallerMeasures> results, String first) {
        ReportTable.header(out, results, first, m -> m.database.label);
    }

    private static void row(StringBuilder out, List<DiallerMeasures> results, String name,
            Function<DiallerMeasures, String> value) {
        ReportTable.row(out, results, name, value);
    }
}
