package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.callcentre.bench.DiallerMeasures.Claims;
import org.callcentre.bench.DiallerMeasures.Import;
import org.callcentre.bench.Targets.Verdict;
import org.junit.jupiter.api.Test;

class DiallerReportTest {

    @Test
    void theTargetsHoldOnPostgresqlAndOnH2TheFiguresArePrinted() {
        DiallerMeasures postgres = measured(Database.POSTGRES, 90, 12, 5, 0);
        DiallerMeasures h2 = measured(Database.H2, 150, 40, 5, 0);

        var targets = DiallerReport.targets(List.of(h2, postgres));

        assertThat(targets.get("import of the leads < 120 s").get(Database.POSTGRES).verdict()).isEqualTo(Verdict.PASS);
        assertThat(targets.get("import of the leads < 120 s").get(Database.H2).verdict()).isEqualTo(Verdict.FIGURE);
        assertThat(targets.get("paced Next Lead p99 ≤ 20 ms").get(Database.POSTGRES).verdict())
                .isEqualTo(Verdict.PASS);
        assertThat(targets.get("paced Next Lead p99 ≤ 3× the raw statement's").get(Database.POSTGRES).toString())
                .isEqualTo("PASS: 2.40× (12.0 / 5.0 ms)");
        assertThat(targets.get("no lead held by two agents at once").get(Database.H2).verdict())
                .isEqualTo(Verdict.PASS);
    }

    @Test
    void aSlowClaimASlowImportOrASharedLeadIsAMiss() {
        DiallerMeasures postgres = measured(Database.POSTGRES, 130, 21, 5, 0);
        DiallerMeasures h2 = measured(Database.H2, 100, 5, 5, 1);

        var targets = DiallerReport.targets(List.of(h2, postgres));

        assertThat(targets.get("import of the leads < 120 s").get(Database.POSTGRES).verdict()).isEqualTo(Verdict.MISS);
        assertThat(targets.get("paced Next Lead p99 ≤ 20 ms").get(Database.POSTGRES).verdict())
                .isEqualTo(Verdict.MISS);
        assertThat(targets.get("paced Next Lead p99 ≤ 3× the raw statement's").get(Database.POSTGRES).verdict())
                .isEqualTo(Verdict.MISS);
        assertThat(targets.get("no lead held by two agents at once").get(Database.H2).verdict())
                .as("on both databases").isEqualTo(Verdict.MISS);
    }

    @Test
    void theTableHasAColumnPerDatabaseAndRowsForEachPhase() {
        String report = DiallerReport.of(BenchOptions.parse("--scenario=dialler"),
                List.of(measured(Database.H2, 100, 5, 5, 0), measured(Database.POSTGRES, 90, 12, 5, 0)));

        assertThat(report).contains("| measure | H2 (file) | PostgreSQL |")
                .contains("| paced: Next Lead p50 / p99 / max (ms) |")
                .contains("| saturated: raw SQL claims/s |")
                .contains("| paced: Next Lead ÷ raw SQL, p50 / p99 | 1.00 / 1.00 | 2.40 / 2.40 |")
                .contains("| import: total s (rows/s) | 100.0 (10125) | 90.0 (11250) |")
                .doesNotContain("think-min-ms");
    }

    /** A run whose import took {@code importSeconds} and whose paced claims all took the given ms. */
    private static DiallerMeasures measured(Database database, double importSeconds, double nextLeadMs, double rawMs,
            long overlaps) {
        DiallerMeasures m = new DiallerMeasures(database);
        m.imports = new Import(1_000_000, 1_012_500);
        m.imports.seconds = importSeconds;
        m.imports.imported = 1_000_000;
        m.imports.expectedImported = 1_000_000;
        m.imports.addedToList = 12_500;
        m.imports.expectedAddedToList = 12_500;
        m.pacedNextLead = claims(100, nextLeadMs);
        m.saturatedNextLead = claims(0, nextLeadMs);
        m.pacedRaw = claims(100, rawMs);
        m.saturatedRaw = claims(0, rawMs);
        m.historyOverlaps = overlaps;
        m.historyLocks = 6000;
        m.seenOverlapsNextLead = 0;
        m.seenOverlapsRaw = 0;
        return m;
    }

    private static Claims claims(int rate, double ms) {
        List<Long> nanos = java.util.Collections.nCopies(6000, (long) (ms * 1e6));
        return new Claims(rate, 6000, 60, Stats.ofNanos(nanos), 0, 2.5, 1.0, 0.5);
    }
}
