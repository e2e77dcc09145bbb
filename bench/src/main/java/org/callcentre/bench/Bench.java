package org.callcentre.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.callcentre.bench.cardcapture.CardCaptureScenario;

/**
 * The benchmark: one scenario, on each database asked for, against the app jar in {@code app/target}. Prints a
 * Markdown table of the measures and the targets, and writes it to {@code --out}.
 *
 * <pre>
 * java -jar bench/target/bench.jar [--scenario=card-capture] [--db=h2,postgres] [--pg=127.0.0.1:5432/callcentre_bench]
 * java -jar bench/target/bench.jar --scenario=dialler [--leads=1000000] [--agents=50] [--claims-per-second=100]
 * java -jar bench/target/bench.jar --scenario=callback [--burst=10000] [--steady-per-second=10] [--poll-ms=100]
 * java -jar bench/target/bench.jar --scenario=inbound [--callers=200] [--inbound-agents=20] [--talk-min-ms=2000]
 * java -jar bench/target/bench.jar --scenario=tickets [--contacts=10000] [--contact-clients=8] [--repeat-every=5]
 * java -jar bench/target/bench.jar --scenario=cluster [--pg=127.0.0.1:5432/callcentre_cluster_bench]
 * </pre>
 *
 * The options and their defaults are in {@link BenchOptions}.
 */
public final class Bench {

    /** The scenarios by name; a capability's benchmark is one more entry. */
    static final Map<String, Supplier<Scenario>> SCENARIOS = Map.of(CardCaptureScenario.NAME, CardCaptureScenario::new);

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(EngineOnlyProcess.CHILD)) {
            EngineOnly.serve(scenario(args[1]).engineOnly().orElseThrow(), EngineOnlyProcess.database(args));
            System.exit(0);
        }
        BenchOptions options;
        Scenario scenario;
        try {
            options = BenchOptions.parse(args);
            scenario = DiallerHarness.NAME.equals(options.scenario()) || CallbackHarness.NAME.equals(options.scenario())
                    || InboundHarness.NAME.equals(options.scenario()) || TicketHarness.NAME.equals(options.scenario())
                    || ClusterHarness.NAME.equals(options.scenario())
                    ? null : scenario(options.scenario());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path jar = AppProcess.findAppJar();
        String report;
        if (CallbackHarness.NAME.equals(options.scenario())) {
            report = callback(options, jar);
        } else if (InboundHarness.NAME.equals(options.scenario())) {
            report = inbound(options, jar);
        } else if (TicketHarness.NAME.equals(options.scenario())) {
            report = tickets(options, jar);
        } else if (ClusterHarness.NAME.equals(options.scenario())) {
            report = cluster(options, jar);
        } else if (scenario == null) {
            report = dialler(options, jar);
        } else {
            List<Measures> results = new ArrayList<>();
            for (Database database : options.databases()) {
                results.add(new Harness(scenario, options, jar).run(database));
            }
            report = Report.of(scenario.name(), options, results, scenario.stepTargets());
        }
        System.out.println(report);
        Path out = Path.of(options.out());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println("written to " + out.toAbsolutePath());
        // The emulators' and HTTP clients' threads would keep the JVM alive.
        System.exit(0);
    }

    /**
     * The dialler's Next Lead beside its raw SQL claim: its own run ({@link DiallerHarness}), as its load is agents
     * pressing a button, not the conversations of a {@link Scenario}.
     */
    private static String dialler(BenchOptions options, Path jar) throws Exception {
        List<DiallerMeasures> results = new ArrayList<>();
        for (Database database : options.databases()) {
            results.add(new DiallerHarness(options, jar).run(database));
        }
        return DiallerReport.of(options, results);
    }

    /**
     * The callbacks' due timers beside a due-row poller: its own run ({@link CallbackHarness}), as its load is time
     * passing, not conversations.
     */
    private static String callback(BenchOptions options, Path jar) throws Exception {
        List<CallbackMeasures> results = new ArrayList<>();
        for (Database database : options.databases()) {
            results.add(new CallbackHarness(options, jar).run(database));
        }
        return CallbackReport.of(options, CallbackHarness.jobExecution(jar), results);
    }

    /**
     * Inbound callers queued for a team's agents, the queue drained: its own run ({@link InboundHarness}), as its
     * load is a queue and the agents taking from it, not conversations side by side.
     */
    private static String inbound(BenchOptions options, Path jar) throws Exception {
        List<InboundMeasures> results = new ArrayList<>();
        for (Database database : options.databases()) {
            results.add(new InboundHarness(options, jar).run(database));
        }
        return InboundReport.of(options, InboundHarness.dispatchSweep(jar), results);
    }

    /**
     * Web forms and mails turned into tickets: its own run ({@link TicketHarness}), as its load is contacts arriving,
     * not conversations.
     */
    private static String tickets(BenchOptions options, Path jar) throws Exception {
        List<TicketMeasures> results = new ArrayList<>();
        for (Database database : options.databases()) {
            results.add(new TicketHarness(options, jar).run(database));
        }
        return TicketReport.of(options, results);
    }

    static Scenario scenario(String name) {
        Supplier<Scenario> scenario = SCENARIOS.get(name);
        if (scenario == null) {
            throw new IllegalArgumentException("--scenario: " + name + " is none of " + SCENARIOS.keySet());
        }
        return scenario.get();
    }

    /**
     * Card capture with one node, then two behind HAProxy, on PostgreSQL: its own run ({@link ClusterHarness}), as
     * it starts the nodes and the balancer itself.
     */
    private static String cluster(BenchOptions options, Path jar) throws Exception {
        List<ClusterMeasures> results = new ArrayList<>();
        for (int nodes : ClusterHarness.NODES) {
            results.add(new ClusterHarness(options, jar).run(nodes));
        }
        return ClusterReport.of(options, results);
    }
}
