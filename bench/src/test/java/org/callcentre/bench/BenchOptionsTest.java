package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void withoutOptionsItIsTheFullRunOnBothDatabases() {
        BenchOptions options = BenchOptions.parse();

        assertThat(options.scenario()).isEqualTo("card-capture");
        assertThat(options.databases()).containsExactly(Database.H2, Database.POSTGRES);
        assertThat(options.postgres()).isEqualTo("127.0.0.1:5432/callcentre_bench");
        assertThat(BenchOptions.PHASES).allMatch(options::runs);
        assertThat(options.rounds()).isEqualTo(3);
        assertThat(options.pacedCalls()).isEqualTo(200);
        assertThat(options.pacedWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.think()).isEqualTo(new Think(Duration.ofSeconds(3), Duration.ofSeconds(7)));
    }

    @Test
    void optionsReplaceTheirDefaults() {
        BenchOptions options = BenchOptions.parse("--db=postgres", "--pg=db.example:5433/h_bench",
                "--phases=paced,saturation", "--warmup=100", "--warmup-max=50");

        assertThat(options.databases()).containsExactly(Database.POSTGRES);
        assertThat(options.postgres()).isEqualTo("db.example:5433/h_bench");
        assertThat(options.runs("paced")).isTrue();
        assertThat(options.runs("engine")).isFalse();
        assertThat(options.warmupMax()).as("the most warm-up is at least the least").isEqualTo(100);
    }

    @Test
    void anUnknownOptionOrValueIsRefused() {
        assertThatThrownBy(() -> BenchOptions.parse("--h2=;CACHE_SIZE=1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option --h2");
        assertThatThrownBy(() -> BenchOptions.parse("--db=mysql")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither h2 nor postgres");
        assertThatThrownBy(() -> BenchOptions.parse("--phases=paced,profile"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profile");
        assertThatThrownBy(() -> BenchOptions.parse("--rounds=three")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> BenchOptions.parse("--pg=h_bench")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host:port/database");
        assertThatThrownBy(() -> BenchOptions.parse("--think-min-ms=5000", "--think-max-ms=1000"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDiallersOptionsHaveTheIssuesFiguresAsDefaults() {
        BenchOptions options = BenchOptions.parse("--scenario=dialler");

        assertThat(options.leads()).isEqualTo(1_000_000);
        assertThat(options.agents()).isEqualTo(50);
        assertThat(options.claimsPerSecond()).isEqualTo(100);
        assertThat(options.saturationWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.importRowsPerRequest()).isZero();
        assertThat(options.toString()).as("only the settings the dialler reads").contains("leads=1000000")
                .doesNotContain("think-min-ms");
        assertThat(BenchOptions.parse().toString()).as("card capture's settings as before")
                .doesNotContain("leads=").contains("think-min-ms");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario=dialler", "--agents=1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two teams");
    }

    @Test
    void theCallbacksOptionsHaveTheIssuesFiguresAsDefaults() {
        BenchOptions options = BenchOptions.parse("--scenario=callback");

        assertThat(options.burst()).isEqualTo(10_000);
        assertThat(options.steadyPerSecond()).isEqualTo(10);
        assertThat(options.steadySeconds()).isEqualTo(Duration.ofMinutes(3));
        assertThat(options.scheduleLead()).as("from the scheduling warm-up's rate").isZero();
        assertThat(options.pollInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(options.jfr()).isFalse();
        assertThat(options.toString()).as("only the settings the callbacks' scenario reads").contains("burst=10000")
                .doesNotContain("leads=").doesNotContain("think-min-ms");
        assertThat(BenchOptions.parse("--scenario=dialler").toString()).doesNotContain("burst=");
        assertThat(BenchOptions.parse().toString()).doesNotContain("burst=").doesNotContain("poll-ms");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario=callback", "--poll-ms=0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--poll-ms");
        assertThatThrownBy(() -> BenchOptions.parse("--jfr=yes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--jfr");
    }

    @Test
    void theInboundOptionsHaveTheBriefsFiguresAsDefaults() {
        BenchOptions options = BenchOptions.parse("--scenario=inbound");

        assertThat(options.callers()).isEqualTo(200);
        assertThat(options.inboundAgents()).isEqualTo(20);
        assertThat(options.arrivalsPerSecond()).isEqualTo(20);
        assertThat(options.talk()).isEqualTo(new Think(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        assertThat(options.holdPlaySeconds()).isEqualTo(4);
        assertThat(options.warmupCallers()).isEqualTo(400);
        assertThat(options.warmupCallersMax()).isEqualTo(2000);
        assertThat(BenchOptions.parse("--warmup-callers=3000").warmupCallersMax()).isEqualTo(3000);
        assertThat(options.toString()).as("only the settings the inbound scenario reads").contains("callers=200")
                .doesNotContain("leads=").doesNotContain("think-min-ms").doesNotContain("burst=");
        assertThat(BenchOptions.parse().toString()).doesNotContain("callers=").doesNotContain("talk-min-ms");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario=inbound", "--inbound-agents=0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--inbound-agents");
        assertThatThrownBy(() -> BenchOptions.parse("--talk-min-ms=5000", "--talk-max-ms=1000"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theScenarioIsPickedByName() {
        assertThat(Bench.scenario("card-capture").name()).isEqualTo("card-capture");
        assertThatThrownBy(() -> Bench.scenario("next-lead")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("next-lead is none of");
    }

    @Test
    void theClusterScenarioShowsOnlyTheSettingsItReads() {
        BenchOptions options = BenchOptions.parse("--scenario=cluster", "--pg=127.0.0.1:5432/callcentre_cluster_bench",
                "--paced-calls=20");

        assertThat(options.pacedCalls()).isEqualTo(20);
        assertThat(options.toString()).contains("pg=127.0.0.1:5432/callcentre_cluster_bench", "paced-calls=20",
                "saturation-calls=1000").doesNotContain("db=", "engine-calls", "leads=");
    }
}
