package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.callcentre.bench.CallbackMeasures.Phase;
import org.callcentre.bench.CallbackMeasures.Scheduling;
import org.callcentre.bench.Targets.Verdict;
import org.junit.jupiter.api.Test;

class CallbackReportTest {

    private static final String BURST = "every burst callback DUE within 60 s of its due time";
    private static final String STEADY = "steady lag p99 ≤ 2 s";

    @Test
    void theTargetsHoldOnBothDatabasesAtTheirLimits() {
        var targets = CallbackReport.targets(List.of(measured(Database.H2, 10_000, 60_000, 2_000),
                measured(Database.POSTGRES, 10_000, 12_000, 300)));

        assertThat(targets.get(BURST).get(Database.H2).verdict()).isEqualTo(Verdict.PASS);
        assertThat(targets.get(BURST).get(Database.POSTGRES).toString())
                .isEqualTo("PASS: 10000 of 10000 DUE, the last after 12.0 s");
        assertThat(targets.get(STEADY).get(Database.H2).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aLateCallbackOrOneNeverDueIsAMiss() {
        var targets = CallbackReport.targets(List.of(measured(Database.H2, 10_000, 60_100, 2_100),
                measured(Database.POSTGRES, 9_999, 12_000, 300)));

        assertThat(targets.get(BURST).get(Database.H2).verdict()).isEqualTo(Verdict.MISS);
        assertThat(targets.get(STEADY).get(Database.H2).verdict()).isEqualTo(Verdict.MISS);
        assertThat(targets.get(BURST).get(Database.POSTGRES).toString()).startsWith("**MISS**: 9999 of 10000 DUE");
    }

    @Test
    void theTableSetsTheEngineBesideThePollerOnEachDatabase() {
        String report = CallbackReport.of(BenchOptions.parse("--scenario=callback"), Map.of("max-wait", 2000),
                List.of(measured(Database.H2, 10_000, 40_000, 500), measured(Database.POSTGRES, 10_000, 50_000, 600)));

        assertThat(report).contains("| measure | H2 (file) | PostgreSQL |")
                .contains("| burst, engine: lag p50 / p99 / max (ms) | 40000.0 / 40000.0 / 40000.0 |"
                        + " 50000.0 / 50000.0 / 50000.0 |")
                .contains("| burst, poller: DUE / due | 10000 / 10000 | 10000 / 10000 |")
                .contains("| steady, engine: app CPU ms per callback (of which JIT) / PostgreSQL's / cores busy (%) |"
                        + " 4.00 (0.50) / n/a / 90 | 4.00 (0.50) / 5.00 / 90 |")
                .contains("The app's job executor: {max-wait=2000}")
                .contains("burst=10000").doesNotContain("leads=").doesNotContain("think-min-ms");
    }

    /** A run whose burst's {@code fired} callbacks all lagged {@code burstMs} and whose steady ones {@code steadyMs}. */
    private static CallbackMeasures measured(Database database, int fired, double burstMs, double steadyMs) {
        CallbackMeasures m = new CallbackMeasures(database);
        m.scheduling = new Scheduling(11_800, 100, 6.0);
        m.dueDateIndex = "CALLCENTRE_IDX_JOB_DUEDATE";
        double postgres = database == Database.POSTGRES ? 5.0 : Double.NaN;
        m.engineSteady = phase(1800, 1800, steadyMs, postgres);
        m.engineBurst = phase(10_000, fired, burstMs, postgres);
        m.baselineSteady = phase(1800, 1800, 50, postgres);
        m.baselineBurst = phase(10_000, 10_000, 50, postgres);
        return m;
    }

    private static Phase phase(int due, int fired, double ms, double postgres) {
        return new Phase(due, fired, Stats.ofNanos(Collections.nCopies(fired, (long) (ms * 1e6))), ms / 1000, 4.0,
                0.5, postgres, 0.9);
    }
}
