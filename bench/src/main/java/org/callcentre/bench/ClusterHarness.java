package org.callcentre.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.callcentre.bench.ClusterMeasures.Phase;
import org.callcentre.bench.ClusterMeasures.Run;
import org.callcentre.bench.Scenario.Conversation;
import org.callcentre.bench.Scenario.Step;
import org.callcentre.bench.cardcapture.CardCaptureScenario;
import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.twilio.CallOutcome;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.callcentre.emulator.twilio.WebhookExchange;

import com.sun.management.OperatingSystemMXBean;

/**
 * Card capture on PostgreSQL with one app node, then with two behind HAProxy, in one run. Each half starts from an
 * emptied database, with the same settings (the app as {@link Harness} runs it, and one card vault key that every
 * node has), and runs the same phases: a warm-up until the nodes' JIT is quiet, the paced phase, and round after
 * round saturation at 10 and 50 concurrent. One node is reached directly, as the card-capture scenario reaches it;
 * two are reached through HAProxy (round-robin, no stickiness), which Twilio's webhooks reach too (the nodes'
 * {@code app.public-base-url}), so any node may serve any step of a capture. Measured besides card capture's
 * figures: CPU per conversation of each node, HAProxy, PostgreSQL's backends, the load generator and the whole
 * machine; the webhooks each node served; what PostgreSQL's backends were doing; and the jobs the nodes' job
 * executors contended for.
 */
final class ClusterHarness {

    static final String NAME = "cluster";
    /** The halves: one node, then two. */
    static final List<Integer> NODES = List.of(1, 2);
    private static final int WARMUP_CONCURRENCY = 50;
    private static final double JIT_QUIET = 0.05;
    /** A job executor's job that lost a race for its rows, as Camunda logs it at WARN (ENGINE-14006). */
    private static final String LOCKING_FAILURE = "OptimisticLockingException";
    /** A line Spring Boot's console format logs at ERROR (the app's failures: a webhook's, a job's). */
    private static final String ERROR = " ERROR ";
    private static final String VAULT_KEY_ID = "bench";

    private final BenchOptions options;
    private final Path appJar;
    /** The card vault's master key of this run, the same on every node (32 random bytes, Base64). */
    private final String vaultKey;

    ClusterHarness(BenchOptions options, Path appJar) {
        this.options = options;
        this.appJar = appJar;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.vaultKey = Base64.getEncoder().encodeToString(key);
    }

    /** The app's nodes as one phase sees them, with HAProxy in front of them (null with one node). */
    private record Nodes(List<AppProcess> apps, List<Path> logs, Balancer balancer) {

        String apiUrl() {
            return balancer == null ? apps.get(0).baseUrl : balancer.apiUrl();
        }
    }

    /** Readings at a phase's start, to subtract from those at its end. */
    private record Reading(List<Duration> nodeCpu, List<Duration> nodeJit, Duration balancerCpu, Duration postgresCpu,
            long ownCpuNanos, long[] machine, List<Long> served, List<Long> logOffsets) {
    }

    ClusterMeasures run(int nodeCount) throws Exception {
        String url = Harness.freshPostgres(options.postgres());
        ClusterMeasures measures = new ClusterMeasures(nodeCount);
        try (AutovacuumStandIn autovacuum = AutovacuumStandIn.start(url);
                TwilioEmulator twilio = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                        .withPort(Harness.freePort()).withGatherTimeoutScale(0)
                        .withOutboundOutcome(CallOutcome.ANSWER));
                GatewaySimulator gateway = GatewaySimulator.start("127.0.0.1", 0,
                        GatewaySimulator.DEFAULT_SECRET_KEY)) {
            List<AppProcess> apps = new ArrayList<>();
            Balancer balancer = null;
            try {
                List<Integer> ports = new ArrayList<>();
                List<Path> logs = new ArrayList<>();
                int webhookPort = Harness.freePort();
                for (int i = 1; i <= nodeCount; i++) {
                    int port = Harness.freePort();
                    // One node is reached directly, as the card-capture scenario reaches it; two through HAProxy.
                    String publicBaseUrl = "http://127.0.0.1:" + (nodeCount == 1 ? port : webhookPort);
                    Path log = Path.of("target/bench/app-cluster-" + nodeCount + "-node" + i + ".log");
                    System.out.println("== " + label(nodeCount) + ": starting node " + i);
                    // One after another: the first creates the schema on the empty database.
                    apps.add(AppProcess.start(appJar, port, properties(url, port, publicBaseUrl, twilio, gateway),
                            log));
                    ports.add(port);
                    logs.add(log);
                }
                if (nodeCount > 1) {
                    System.out.println("== " + label(nodeCount) + ": starting HAProxy");
                    balancer = Balancer.start(webhookPort, ports, Path.of("target/bench"));
                }
                Nodes nodes = new Nodes(apps, logs, balancer);
                // Before the status callback is recorded, starting a capture answers 500 (DonorCalls reads the call's
                // status as null); the agent waits for the console to show the call answered, on one node and two.
                Scenario scenario = new CardCaptureScenario(true);
                scenario.setUp(new RunningApp(nodes.apiUrl(), Harness.PASSWORD, twilio, gateway));
                try (PostgresActivity activity = PostgresActivity.start(url)) {
                    measure(measures, scenario, nodes, twilio, activity);
                }
            } finally {
                if (balancer != null) {
                    balancer.close();
                }
                // Stopped, each engine writes its metrics to the database.
                apps.forEach(AppProcess::close);
            }
            measures.jobMetrics = jobMetrics(url);
            measures.statistics = autovacuum.describe();
            System.out.println("   job executor, all nodes, the whole half: " + measures.jobMetrics);
        }
        return measures;
    }

    /** The app as {@link Harness} runs it, with the run's card vault key and the given public base URL. */
    private Map<String, String> properties(String url, int port, String publicBaseUrl, TwilioEmulator twilio,
            GatewaySimulator gateway) {
        Map<String, String> properties = Harness.appProperties(Database.POSTGRES, url, port, twilio, gateway);
        properties.put("app.public-base-url", publicBaseUrl);
        properties.put("app.card-vault.key", vaultKey);
        properties.put("app.card-vault.key-id", VAULT_KEY_ID);
        return properties;
    }

    private void measure(ClusterMeasures measures, Scenario scenario, Nodes nodes, TwilioEmulator twilio,
            PostgresActivity activity) throws Exception {
        String label = label(nodes.apps().size());
        System.out.println("== " + label + ": warm-up, " + options.warmupMin() + " to " + options.warmupMax()
                + " conversations");
        measures.warmedUp = WarmUp.untilJitQuiet("nodes", options.warmupMin(), options.warmupMax(), JIT_QUIET,
                conversations -> {
                    Run run = saturate(scenario, nodes, twilio, activity, conversations, WARMUP_CONCURRENCY);
                    return new WarmUp.Cost(run.nodesCpuMillis(), run.jitCpuMillis());
                });

        if (options.pacedCalls() > 0) {
            System.out.println("== " + label + ": paced, " + options.pacedCalls() + " concurrent conversations");
            Harness.settle();
            twilio.clearWebhooks();
            Reading before = read(nodes, activity);
            measures.paced = new Harness(scenario, options, appJar).paced(twilio, options.pacedCalls(),
                    options.pacedWindow(), options.think());
            Harness.printWebhooks(measures.paced.webhooks());
            measures.pacedPhase = phase(nodes, activity, before, twilio.webhooks().size());
            print(measures.pacedPhase);
        }

        Harness.SATURATION_CONCURRENCY.forEach(concurrency -> measures.saturation.put(concurrency,
                new ArrayList<>()));
        for (int round = 1; round <= options.rounds(); round++) {
            for (int concurrency : Harness.SATURATION_CONCURRENCY) {
                System.out.println("== " + label + ": round " + round + ", saturation, " + concurrency
                        + " concurrent");
                Harness.settle();
                measures.saturation.get(concurrency).add(saturate(scenario, nodes, twilio, activity,
                        options.saturationCalls(), concurrency));
            }
        }
    }

    /**
     * {@code count} conversations, {@code concurrency} at a time, nobody pausing; their data made before the clock
     * starts. Measured until every webhook the emulator sent has its answer (the hang-ups' status callbacks arrive
     * after the people have gone).
     */
    private Run saturate(Scenario scenario, Nodes nodes, TwilioEmulator twilio, PostgresActivity activity, int count,
            int concurrency) throws Exception {
        List<Conversation> conversations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            conversations.add(scenario.prepare());
        }
        twilio.clearWebhooks();
        ConcurrentLinkedQueue<Step> steps = new ConcurrentLinkedQueue<>();
        Reading before = read(nodes, activity);
        long start = System.nanoTime();
        Parallel.forEach(count, concurrency, index -> {
            try {
                steps.addAll(conversations.get(index).run(Think.NONE));
            } catch (Exception | Error e) {
                // The pool reports the first thread's failure, which may follow another's.
                System.out.println("   conversation " + index + " failed at " + Instant.now() + ": " + e);
                throw e;
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        twilio.awaitWebhooksDelivered(Duration.ofMinutes(1));
        List<WebhookExchange> webhooks = twilio.webhooks();
        Reading after = read(nodes, null);
        Phase phase = phase(nodes, activity, before, webhooks.size());
        List<Double> nodeCpu = new ArrayList<>();
        double jit = 0;
        for (int i = 0; i < nodes.apps().size(); i++) {
            nodeCpu.add(perConversation(after.nodeCpu().get(i).minus(before.nodeCpu().get(i)), count));
            jit += perConversation(after.nodeJit().get(i).minus(before.nodeJit().get(i)), count);
        }
        // /proc/stat's jiffies are hundredths of a second, all cores together.
        long[] machine = after.machine();
        double machineMillis = machine == null || before.machine() == null ? Double.NaN
                : ((machine[0] - machine[1]) - (before.machine()[0] - before.machine()[1])) * 10.0 / count;
        Run run = new Run(count, count / seconds,
                Stats.ofNanos(webhooks.stream().map(WebhookExchange::latencyNanos).toList()),
                webhooks.stream().filter(w -> !w.succeeded()).count(), nodeCpu, jit,
                perConversation(after.balancerCpu().minus(before.balancerCpu()), count),
                perConversation(after.postgresCpu().minus(before.postgresCpu()), count),
                (after.ownCpuNanos() - before.ownCpuNanos()) / 1e6 / count, machineMillis, phase);
        Harness.printSteps(steps);
        System.out.printf("   %d conversations at %d concurrent: %.1f/s; webhooks p50 %.1f p99 %.1f ms, %d without a"
                + " 2xx; CPU ms a conversation: nodes %s (JIT %.1f), HAProxy %.1f, PostgreSQL %.1f, load generator"
                + " %.1f, the machine %.1f%n", count, concurrency, run.rate(), run.webhooks().p50(),
                run.webhooks().p99(), run.failedWebhooks(), nodeCpu.stream().map(Stats::f).toList(), jit,
                run.balancerCpuMillis(), run.postgresCpuMillis(), run.generatorCpuMillis(), machineMillis);
        print(phase);
        return run;
    }

    private Reading read(Nodes nodes, PostgresActivity activity) {
        if (activity != null) {
            // The sampler's means start afresh with the phase.
            activity.take();
        }
        List<Duration> cpu = new ArrayList<>();
        List<Duration> jit = new ArrayList<>();
        for (AppProcess app : nodes.apps()) {
            cpu.add(app.cpuTime());
            jit.add(app.compilerCpuTime());
        }
        List<Long> offsets = new ArrayList<>();
        nodes.logs().forEach(log -> offsets.add(log.toFile().length()));
        return new Reading(cpu, jit, nodes.balancer() == null ? Duration.ZERO : nodes.balancer().cpuTime(),
                postgresCpuTime(), ownCpuNanos(), ProcCpu.machine(), served(nodes), offsets);
    }

    /** The phase since {@code before}; with one node, every webhook the emulator sent was that node's. */
    private Phase phase(Nodes nodes, PostgresActivity activity, Reading before, int webhooks) throws IOException {
        List<Long> served = served(nodes);
        List<Long> byNode = new ArrayList<>();
        for (int i = 0; i < nodes.apps().size(); i++) {
            byNode.add(nodes.balancer() == null ? webhooks : served.get(i) - before.served().get(i));
        }
        List<Integer> failures = new ArrayList<>();
        List<Integer> errors = new ArrayList<>();
        for (int i = 0; i < nodes.logs().size(); i++) {
            failures.add(countLines(nodes.logs().get(i), before.logOffsets().get(i), LOCKING_FAILURE));
            errors.add(countLines(nodes.logs().get(i), before.logOffsets().get(i), ERROR));
        }
        return new Phase(byNode, ProcCpu.busySince(before.machine()), activity.take(), failures, errors);
    }

    /** The webhooks each node has answered through HAProxy so far; empty with one node. */
    private static List<Long> served(Nodes nodes) {
        if (nodes.balancer() == null) {
            return List.of();
        }
        Map<String, Long> served = nodes.balancer().served(Balancer.WEBHOOKS);
        return nodes.balancer().nodes().stream().map(node -> served.getOrDefault(node, 0L)).toList();
    }

    private static void print(Phase phase) {
        System.out.printf("   webhooks by node %s; cores %.0f%% busy; PostgreSQL backends active %.2f, waiting for a"
                + " lock %.2f, idle in transaction %.2f (mean of %d samples); jobs failed on a lock conflict %s; lines logged"
                + " at ERROR %s%n",
                phase.webhooksByNode(), 100 * phase.machineBusy(), phase.postgres().active(),
                phase.postgres().waitingForLock(), phase.postgres().idleInTransaction(), phase.postgres().samples(),
                phase.jobLockingFailures(), phase.errorLines());
    }

    /** Lines containing {@code text} written to {@code log} past {@code offset}. */
    static int countLines(Path log, long offset, String text) throws IOException {
        int count = 0;
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(offset, Files.size(log)));
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.contains(text)) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Camunda's job executor metrics in the database, summed over its reports (each node writes its own when it
     * stops): acquisition attempts, jobs acquired, jobs another node locked first ({@code job-acquired-failure}),
     * jobs run and failed.
     */
    private static Map<String, Long> jobMetrics(String url) throws Exception {
        Map<String, Long> metrics = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("select name_, sum(value_) from act_ru_meter_log"
                        + " where name_ like 'job-%' group by name_")) {
            while (rows.next()) {
                metrics.put(rows.getString(1), rows.getLong(2));
            }
        }
        return metrics;
    }

    /** The CPU time of the PostgreSQL backends serving the benchmark's database (the nodes' pooled connections). */
    private Duration postgresCpuTime() {
        String postgres = options.postgres();
        return ProcCpu.processesCpuTime("postgres", " " + postgres.substring(postgres.indexOf('/') + 1) + " ");
    }

    private static long ownCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double perConversation(Duration cpu, int conversations) {
        return cpu.toNanos() / 1e6 / conversations;
    }

    static String label(int nodes) {
        return nodes == 1 ? "1 node" : nodes + " nodes behind HAProxy";
    }
}
