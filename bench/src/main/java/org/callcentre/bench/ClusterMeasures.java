package org.callcentre.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.callcentre.bench.Measures.Paced;

/** What the cluster scenario measured with one number of nodes; {@code null} or empty for what was not measured. */
final class ClusterMeasures {

    final int nodes;
    int warmedUp;
    Paced paced;
    /** Over the paced phase (its ramp and drain included). */
    Phase pacedPhase;
    /** Each saturation concurrency's runs, round after round. */
    final Map<Integer, List<Run>> saturation = new LinkedHashMap<>();
    /** Camunda's job executor metrics over the whole half, warm-up included, all nodes together, by name. */
    Map<String, Long> jobMetrics = Map.of();
    /** What kept PostgreSQL's statistics ({@link AutovacuumStandIn#describe()}). */
    String statistics;

    ClusterMeasures(int nodes) {
        this.nodes = nodes;
    }

    /**
     * What a phase cost, from readings at its start and end: the webhooks each node answered, the cores' load, what
     * PostgreSQL's backends were doing, the jobs that lost a race for their rows ({@code
     * OptimisticLockingException}, as the nodes logged them), and the lines each node logged at ERROR.
     */
    record Phase(List<Long> webhooksByNode, double machineBusy, PostgresActivity.Means postgres,
            List<Integer> jobLockingFailures, List<Integer> errorLines) {

        /** Each node's share of the webhooks, from 0 to 1. */
        List<Double> webhookShares() {
            long total = webhooksByNode.stream().mapToLong(Long::longValue).sum();
            return webhooksByNode.stream().map(n -> total == 0 ? Double.NaN : (double) n / total).toList();
        }

        int jobLockingFailuresTotal() {
            return jobLockingFailures.stream().mapToInt(Integer::intValue).sum();
        }

        int errorLinesTotal() {
            return errorLines.stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * One saturation run: {@code conversations} unpaced at one concurrency; conversations per second; its webhooks'
     * latency and failures; CPU ms per conversation of each node (and of their JIT compilers together), of HAProxy
     * (zero with one node, which is reached directly), of PostgreSQL's backends for the database, of the load
     * generator and of the whole machine (every process, from /proc/stat); and the phase's readings.
     */
    record Run(int conversations, double rate, Stats webhooks, long failedWebhooks, List<Double> nodeCpuMillis,
            double jitCpuMillis, double balancerCpuMillis, double postgresCpuMillis, double generatorCpuMillis,
            double machineCpuMillis, Phase phase) {

        double nodesCpuMillis() {
            return nodeCpuMillis.stream().mapToDouble(Double::doubleValue).sum();
        }

        /** The measured processes together: the nodes, HAProxy, PostgreSQL's backends, the load generator. */
        double measuredCpuMillis() {
            return nodesCpuMillis() + balancerCpuMillis + postgresCpuMillis + generatorCpuMillis;
        }
    }

    /** A measure of each run at one concurrency, in round order. */
    List<Double> at(int concurrency, Function<Run, Double> measure) {
        List<Double> values = new ArrayList<>();
        saturation.getOrDefault(concurrency, List.of()).forEach(run -> values.add(measure.apply(run)));
        return values;
    }
}
