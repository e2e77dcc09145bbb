package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.bench.Measures.EngineCeiling;
import org.callcentre.bench.Measures.Paced;
import org.callcentre.bench.Measures.Run;
import org.callcentre.bench.Measures.Saturation;
import org.callcentre.bench.Scenario.Step;
import org.callcentre.bench.Scenario.StepTarget;
import org.callcentre.bench.Targets.Check;
import org.callcentre.bench.Targets.Verdict;
import org.callcentre.emulator.twilio.WebhookExchange;
import org.junit.jupiter.api.Test;

class TargetsTest {

    private static final List<StepTarget> OUTCOME = List.of(
            new StepTarget("outcome", "outcome ≤ 2 s", Duration.ofSeconds(2)));

    @Test
    void thePacedTargetsPassAtTheirLimitsAndMissAboveThem() {
        // 101 webhooks: the p99 is the second slowest, the max the slowest.
        Measures met = measures(Database.H2, webhooksMs(50, 2000), stepsMs(100, 2000), List.of(), List.of());
        Measures missed = measures(Database.POSTGRES, webhooksMs(60, 2001), stepsMs(100, 2500), List.of(),
                List.of());

        Map<String, Map<Database, Check>> rows = Targets.check(List.of(met, missed), OUTCOME);

        assertThat(verdicts(rows, Database.H2)).containsExactly(Verdict.PASS, Verdict.PASS, Verdict.PASS,
                Verdict.NOT_MEASURED);
        assertThat(verdicts(rows, Database.POSTGRES)).containsExactly(Verdict.MISS, Verdict.MISS, Verdict.MISS,
                Verdict.NOT_MEASURED);
    }

    @Test
    void theSaturationRatioIsATargetOnPostgresAndAFigureOnH2() {
        // Per round: saturation at 10 and 50 against that round's ceiling; the median ratio at 50 is 0.45.
        List<Double> ceiling = List.of(100.0, 100.0, 100.0);
        Measures h2 = measures(Database.H2, List.of(), List.of(), List.of(List.of(60.0, 55.0, 70.0),
                List.of(40.0, 45.0, 50.0)), ceiling);
        Measures missed = measures(Database.POSTGRES, List.of(), List.of(), List.of(List.of(60.0, 55.0, 70.0),
                List.of(40.0, 45.0, 50.0)), ceiling);
        Measures met = measures(Database.POSTGRES, List.of(), List.of(), List.of(List.of(60.0, 55.0, 70.0),
                List.of(50.0, 45.0, 60.0)), ceiling);

        String saturation = "saturation ≥ ½ the engine-only ceiling (on PostgreSQL)";
        assertThat(Targets.check(List.of(h2), OUTCOME).get(saturation).get(Database.H2))
                .isEqualTo(new Check(Verdict.FIGURE, "0.60 at 10, 0.45 at 50"));
        assertThat(Targets.check(List.of(missed), OUTCOME).get(saturation).get(Database.POSTGRES).verdict())
                .isEqualTo(Verdict.MISS);
        assertThat(Targets.check(List.of(met), OUTCOME).get(saturation).get(Database.POSTGRES))
                .isEqualTo(new Check(Verdict.PASS, "0.60 at 10, 0.50 at 50"));
    }

    @Test
    void theRatioIsTheMedianOfEachRoundsRatio() {
        assertThat(Report.ratios(List.of(40.0, 30.0, 45.0), List.of(80.0, 100.0, 90.0))).isEqualTo("0.50 (0.30–0.50)");
        assertThat(Targets.medianRatio(List.of(40.0, 30.0, 45.0), List.of(80.0, 100.0, 90.0))).isEqualTo(0.5);
    }

    @Test
    void theReportPrintsEveryTargetWithItsVerdict() {
        Measures m = measures(Database.POSTGRES, webhooksMs(60, 70), stepsMs(100), List.of(), List.of());

        String report = Report.of("card-capture", BenchOptions.parse(), List.of(m), OUTCOME);

        assertThat(report).contains("| paced webhook p99 ≤ 50 ms | **MISS**: p99 60.0 ms |")
                .contains("| outcome ≤ 2 s | PASS: p99 100.0 ms |")
                .contains("| saturation ≥ ½ the engine-only ceiling (on PostgreSQL) | not measured |");
    }

    private static List<Verdict> verdicts(Map<String, Map<Database, Check>> rows, Database database) {
        return rows.values().stream().map(checks -> checks.get(database).verdict()).toList();
    }

    /** 99 webhooks of 10 ms, then the second slowest and the slowest. */
    private static List<WebhookExchange> webhooksMs(double secondSlowest, double slowest) {
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            latencies.add(10.0);
        }
        latencies.add(secondSlowest);
        latencies.add(slowest);
        List<WebhookExchange> webhooks = new ArrayList<>();
        for (double ms : latencies) {
            webhooks.add(new WebhookExchange("CA1", "http://127.0.0.1/twilio/x", "POST", Map.of(), 200,
                    (long) (ms * 1e6), Instant.EPOCH, WebhookExchange.KIND_TWIML));
        }
        return webhooks;
    }

    private static List<Step> stepsMs(double... durations) {
        List<Step> steps = new ArrayList<>();
        for (double ms : durations) {
            steps.add(new Step("outcome", (long) (ms * 1e6), 0));
        }
        return steps;
    }

    /** Measures with the given paced webhooks and steps, and saturation rates at 10 and 50 against a ceiling. */
    private static Measures measures(Database database, List<WebhookExchange> webhooks, List<Step> steps,
            List<List<Double>> saturationRates, List<Double> ceilingRates) {
        Paced paced = webhooks.isEmpty() && steps.isEmpty() ? null : new Paced(1, 60, webhooks, steps);
        Map<Integer, Saturation> saturation = new LinkedHashMap<>();
        for (int i = 0; i < saturationRates.size(); i++) {
            Saturation at = new Saturation();
            saturationRates.get(i).forEach(rate -> at.add(new Run(rate, 0, 0, 0, 0, 0), List.of()));
            saturation.put(Harness.SATURATION_CONCURRENCY.get(i), at);
        }
        EngineCeiling engine = null;
        if (!ceilingRates.isEmpty()) {
            engine = new EngineCeiling();
            engine.ceiling.addAll(ceilingRates);
        }
        return new Measures(database, null, paced, saturation, engine, 0);
    }
}
