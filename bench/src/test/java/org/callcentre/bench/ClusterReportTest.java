package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.callcentre.bench.ClusterMeasures.Phase;
import org.callcentre.bench.ClusterMeasures.Run;
import org.callcentre.bench.Measures.Paced;
import org.callcentre.emulator.twilio.WebhookExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterReportTest {

    @Test
    void oneColumnPerNumberOfNodesWithEachNodesCpuAndShare() {
        ClusterMeasures one = measured(1, List.of(40.0), 0, List.of(600L));
        ClusterMeasures two = measured(2, List.of(22.0, 20.0), 3.0, List.of(300L, 200L));

        String report = ClusterReport.of(BenchOptions.parse("--scenario=cluster"), List.of(one, two));

        assertThat(report).contains("| measure | 1 node | 2 nodes behind HAProxy |");
        assertThat(report).contains("| saturation, 10 concurrent: webhooks served by each node (%), all rounds | 100.0 |"
                + " 60.0 / 40.0 |");
        assertThat(report).contains("| saturation, 10 / 50 concurrent: CPU ms per conversation, node 2 | n/a |"
                + " 20.0 / 20.0 |");
        assertThat(report).contains("| saturation, 10 / 50 concurrent: CPU ms per conversation, HAProxy |"
                + " none (reached directly) | 3.0 / 3.0 |");
        assertThat(report).as("nodes 40 or 42, HAProxy 0 or 3, PostgreSQL 30, load generator 10")
                .contains("| saturation, 10 / 50 concurrent: CPU ms per conversation, all of the above | 80.0 / 80.0 |"
                        + " 85.0 / 85.0 |");
        assertThat(report).contains("| saturation, 10 / 50 concurrent: conversations/s per core of CPU (1000 ÷ the"
                + " whole machine's CPU ms) | 10.0 / 10.0 | 10.0 / 10.0 |");
        assertThat(report).contains("per 1,000 conversations, mean of the rounds | 0.0 / 0.0 | 5.0 / 5.0 |");
        assertThat(report).contains("jobs another node locked first (share of those tried) | 900; 1000; 0 (0.0%) |"
                + " 900; 1000; 250 (20.0%) |");
        assertThat(report).contains("| paced: webhooks served by each node (%) | 100.0 | 60.0 / 40.0 |");
    }

    @Test
    void onlyTheLinesAPhaseWroteToANodesLogAreCounted(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("node.log");
        Files.writeString(log, "WARN ENGINE-14006 Exception while executing job 1: OptimisticLockingException.\n");
        long offset = Files.size(log);
        Files.writeString(log, "WARN ENGINE-14006 Exception while executing job 2: OptimisticLockingException.\n"
                + "WARN something else\n", java.nio.file.StandardOpenOption.APPEND);

        assertThat(ClusterHarness.countLines(log, 0, "OptimisticLockingException")).isEqualTo(2);
        assertThat(ClusterHarness.countLines(log, offset, "OptimisticLockingException")).isEqualTo(1);
    }

    private static ClusterMeasures measured(int nodes, List<Double> nodeCpu, double balancerCpu, List<Long> served) {
        ClusterMeasures m = new ClusterMeasures(nodes);
        m.warmedUp = 3000;
        List<Integer> failures = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            failures.add(nodes == 1 ? 0 : 1);
        }
        Phase phase = new Phase(served, 0.95, new PostgresActivity.Means(100, 1.5, 0.1, 0.4), failures, failures);
        m.pacedPhase = phase;
        m.paced = new Paced(20, 20, List.of(new WebhookExchange("CA1", "http://127.0.0.1/twilio", "POST", Map.of(),
                200, 5_000_000, Instant.EPOCH, WebhookExchange.KIND_TWIML)), List.of());
        for (int concurrency : Harness.SATURATION_CONCURRENCY) {
            m.saturation.put(concurrency, List.of(new Run(400, 12, Stats.ofNanos(List.of(10_000_000L)), 0, nodeCpu,
                    1, balancerCpu, 30, 10, 100, phase)));
        }
        m.jobMetrics = Map.of("job-acquisition-attempt", 900L, "job-acquired-success", 1000L,
                "job-acquired-failure", nodes == 1 ? 0L : 250L, "job-successful", 1000L);
        m.statistics = "autovacuum";
        return m;
    }
}
