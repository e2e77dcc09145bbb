package org.callcentre.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line: {@code --name=value} each, every one optional; the defaults are the full run that
 * docs/benchmarks.md's table comes from. An unknown name is refused rather than ignored.
 */
record BenchOptions(Map<String, String> values) {

    static final Set<String> PHASES = Set.of("floor", "paced", "saturation", "engine");

    private static final Map<String, String> DEFAULTS = defaults();
    /** The options the dialler's scenario reads; the others not named below are card capture's. */
    private static final Set<String> DIALLER = Set.of("scenario", "db", "pg", "warmup", "warmup-max", "paced-seconds",
            "out", "leads", "agents", "claims-per-second", "saturation-seconds", "import-rows-per-request");
    private static final Set<String> DIALLER_ONLY = Set.of("leads", "agents", "claims-per-second",
            "saturation-seconds", "import-rows-per-request");
    /** The options the callbacks' scenario reads. */
    private static final Set<String> CALLBACK = Set.of("scenario", "db", "pg", "out", "burst", "steady-per-second",
            "steady-seconds", "schedule-lead-seconds", "poll-ms", "jfr");
    private static final Set<String> CALLBACK_ONLY = Set.of("burst", "steady-per-second", "steady-seconds",
            "schedule-lead-seconds", "poll-ms", "jfr");
    /** The options the inbound calls' scenario reads. */
    private static final Set<String> INBOUND = Set.of("scenario", "db", "pg", "out", "callers", "inbound-agents",
            "arrivals-per-second", "talk-min-ms", "talk-max-ms", "hold-play-seconds", "warmup-callers", "warmup-callers-max", "jfr");
    private static final Set<String> INBOUND_ONLY = Set.of("callers", "inbound-agents", "arrivals-per-second",
            "talk-min-ms", "talk-max-ms", "hold-play-seconds", "warmup-callers", "warmup-callers-max");

    /** The options the tickets' scenario reads. */
    private static final Set<String> TICKETS = Set.of("scenario", "db", "pg", "out", "contacts", "contact-clients",
            "repeat-every", "ticket-warmup", "jfr");
    private static final Set<String> TICKETS_ONLY = Set.of("contacts", "contact-clients", "repeat-every",
            "ticket-warmup");

    /** The options the cluster scenario reads (card capture with one node, then two). */
    private static final Set<String> CLUSTER = Set.of("scenario", "pg", "out", "rounds", "warmup", "warmup-max",
            "paced-calls", "paced-seconds", "think-min-ms", "think-max-ms", "saturation-calls");

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("scenario", "card-capture");
        defaults.put("db", "h2,postgres");
        defaults.put("pg", "127.0.0.1:5432/callcentre_bench");
        defaults.put("phases", "floor,paced,saturation,engine");
        defaults.put("rounds", "3");
        defaults.put("warmup", "3000");
        defaults.put("warmup-max", "15000");
        defaults.put("paced-calls", "200");
        defaults.put("paced-seconds", "60");
        defaults.put("think-min-ms", "3000");
        defaults.put("think-max-ms", "7000");
        defaults.put("saturation-calls", "1000");
        defaults.put("engine-calls", "1000");
        defaults.put("out", "target/bench-results.md");
        // The dialler's scenario only.
        defaults.put("leads", "1000000");
        defaults.put("agents", "50");
        defaults.put("claims-per-second", "100");
        defaults.put("saturation-seconds", "30");
        defaults.put("import-rows-per-request", "0");
        // The callbacks' scenario only.
        defaults.put("burst", "10000");
        defaults.put("steady-per-second", "10");
        defaults.put("steady-seconds", "180");
        defaults.put("schedule-lead-seconds", "0");
        defaults.put("poll-ms", "100");
        defaults.put("jfr", "false");
        // The inbound calls' scenario only.
        defaults.put("callers", "200");
        defaults.put("inbound-agents", "20");
        defaults.put("arrivals-per-second", "20");
        defaults.put("talk-min-ms", "2000");
        defaults.put("talk-max-ms", "5000");
        defaults.put("hold-play-seconds", "4");
        defaults.put("warmup-callers", "400");
        defaults.put("warmup-callers-max", "2000");
        // The tickets' scenario only.
        defaults.put("contacts", "10000");
        defaults.put("contact-clients", "8");
        defaults.put("repeat-every", "5");
        defaults.put("ticket-warmup", "2000");
        return defaults;
    }

    static BenchOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("not an option: " + arg + " (options are --name=value)");
            }
            String name = arg.substring(2, arg.indexOf('='));
            if (!DEFAULTS.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; the options are --"
                        + String.join(", --", DEFAULTS.keySet()));
            }
            values.put(name, arg.substring(arg.indexOf('=') + 1));
        }
        BenchOptions options = new BenchOptions(values);
        options.phases();
        options.databases();
        options.postgres();
        options.think();
        for (String count : List.of("rounds", "warmup", "warmup-max", "paced-calls", "paced-seconds",
                "saturation-calls", "engine-calls", "leads", "claims-per-second", "saturation-seconds",
                "import-rows-per-request", "burst", "steady-per-second", "steady-seconds", "schedule-lead-seconds",
                "poll-ms", "callers", "inbound-agents", "arrivals-per-second", "talk-min-ms", "talk-max-ms",
                "hold-play-seconds", "warmup-callers", "warmup-callers-max", "contacts", "contact-clients",
                "ticket-warmup")) {
            options.count(count);
        }
        options.jfr();
        options.talk();
        options.repeatEvery();
        if (options.callers() < 1 || options.inboundAgents() < 1 || options.arrivalsPerSecond() < 1) {
            throw new IllegalArgumentException("--callers, --inbound-agents and --arrivals-per-second: at least 1");
        }
        if (options.agents() < 2) {
            throw new IllegalArgumentException("--agents: the dialler's two teams need at least 2 agents");
        }
        if (options.leads() < 1 || options.claimsPerSecond() < 1) {
            throw new IllegalArgumentException("--leads and --claims-per-second: at least 1");
        }
        if (options.burst() < 1 || options.steadyPerSecond() < 1 || options.steadySeconds().isZero()
                || options.pollInterval().isZero()) {
            throw new IllegalArgumentException("--burst, --steady-per-second, --steady-seconds and --poll-ms: at"
                    + " least 1");
        }
        return options;
    }

    String scenario() {
        return values.get("scenario");
    }

    List<Database> databases() {
        List<Database> databases = new ArrayList<>();
        for (String name : values.get("db").split(",")) {
            databases.add(Database.of(name));
        }
        return databases;
    }

    /** The PostgreSQL database, {@code host:port/database}; the benchmark empties it (user postgres, no password). */
    String postgres() {
        String pg = values.get("pg");
        if (!pg.matches("[^/]+/[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("--pg: " + pg + " is not host:port/database");
        }
        return pg;
    }

    boolean runs(String phase) {
        return phases().contains(phase);
    }

    private List<String> phases() {
        List<String> phases = List.of(values.get("phases").split(","));
        for (String phase : phases) {
            if (!PHASES.contains(phase)) {
                throw new IllegalArgumentException("--phases: " + phase + " is none of " + PHASES);
            }
        }
        return phases;
    }

    int rounds() {
        return count("rounds");
    }

    /** The least warm-up, in conversations. */
    int warmupMin() {
        return count("warmup");
    }

    /** The most warm-up, in conversations: at least the least. */
    int warmupMax() {
        return Math.max(warmupMin(), count("warmup-max"));
    }

    int pacedCalls() {
        return count("paced-calls");
    }

    Duration pacedWindow() {
        return Duration.ofSeconds(count("paced-seconds"));
    }

    Think think() {
        return new Think(Duration.ofMillis(count("think-min-ms")), Duration.ofMillis(count("think-max-ms")));
    }

    int saturationCalls() {
        return count("saturation-calls");
    }

    int engineCalls() {
        return count("engine-calls");
    }

    String out() {
        return values.get("out");
    }

    /** The dialler's leads, over four call lists. */
    int leads() {
        return count("leads");
    }

    /** The dialler's concurrent agents, half in each of two teams. */
    int agents() {
        return count("agents");
    }

    /** The dialler's paced claims per second, all agents together. */
    int claimsPerSecond() {
        return count("claims-per-second");
    }

    Duration saturationWindow() {
        return Duration.ofSeconds(count("saturation-seconds"));
    }

    /** Rows in one import request; 0: a call list's whole file in one. */
    int importRowsPerRequest() {
        return count("import-rows-per-request");
    }

    /** The callbacks due at one instant. */
    int burst() {
        return count("burst");
    }

    /** The callbacks due each second in the steady phase, evenly apart. */
    int steadyPerSecond() {
        return count("steady-per-second");
    }

    Duration steadySeconds() {
        return Duration.ofSeconds(count("steady-seconds"));
    }

    /**
     * From the start of the scheduling to the first steady callback's due time, which the scheduling must fit in; 0:
     * from the scheduling warm-up's rate.
     */
    Duration scheduleLead() {
        return Duration.ofSeconds(count("schedule-lead-seconds"));
    }

    /** How often the baseline's poller looks for due rows. */
    Duration pollInterval() {
        return Duration.ofMillis(count("poll-ms"));
    }

    /** Whether the app's JVM records a JFR profile of the run (into target/bench/). */
    boolean jfr() {
        String jfr = values.get("jfr");
        if (!jfr.equals("true") && !jfr.equals("false")) {
            throw new IllegalArgumentException("--jfr: " + jfr + " is neither true nor false");
        }
        return jfr.equals("true");
    }

    /** The inbound callers queued before any agent is available. */
    int callers() {
        return count("callers");
    }

    /** The inbound team's agents, all available once the callers are queued. */
    int inboundAgents() {
        return count("inbound-agents");
    }

    /** How many inbound callers ring a second while the queue fills. */
    int arrivalsPerSecond() {
        return count("arrivals-per-second");
    }

    /** How long an agent and an inbound caller talk before the caller hangs up. */
    Think talk() {
        return new Think(Duration.ofMillis(count("talk-min-ms")), Duration.ofMillis(count("talk-max-ms")));
    }

    /**
     * How long the hold music ({@code <Play>}) of one wait document lasts in the emulator: with the document's 1 s
     * callback offer, a waiting caller asks for the wait document again about this plus 1 s later.
     */
    int holdPlaySeconds() {
        return count("hold-play-seconds");
    }

    /** The tickets' contacts: half web forms, half mails. */
    int contacts() {
        return count("contacts");
    }

    /** The web form's clients sending at once. */
    int contactClients() {
        return count("contact-clients");
    }

    /** Every this-many-th contact comes from the previous contact's end-user (0: none). */
    int repeatEvery() {
        int every = Integer.parseInt(values.get("repeat-every"));
        if (every < 0 || every == 1) {
            throw new IllegalArgumentException("--repeat-every: 0 (none) or at least 2");
        }
        return every;
    }

    /** The contacts of the tickets' warm-up, before the measured ones. */
    int ticketWarmup() {
        return count("ticket-warmup");
    }

    /** The least inbound callers of the warm-up rounds, before the measured one. */
    int warmupCallers() {
        return count("warmup-callers");
    }

    /** The most inbound callers of the warm-up rounds: at least the least. */
    int warmupCallersMax() {
        return Math.max(warmupCallers(), count("warmup-callers-max"));
    }

    private int count(String name) {
        int value;
        try {
            value = Integer.parseInt(values.get(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": " + values.get(name) + " is not a number");
        }
        if (value < 0) {
            throw new IllegalArgumentException("--" + name + ": " + value + " is below zero");
        }
        return value;
    }

    /** The settings the scenario reads. */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(values);
        if (DiallerHarness.NAME.equals(scenario())) {
            shown.keySet().retainAll(DIALLER);
        } else if (CallbackHarness.NAME.equals(scenario())) {
            shown.keySet().retainAll(CALLBACK);
        } else if (InboundHarness.NAME.equals(scenario())) {
            shown.keySet().retainAll(INBOUND);
        } else if (TicketHarness.NAME.equals(scenario())) {
            shown.keySet().retainAll(TICKETS);
        } else if (ClusterHarness.NAME.equals(scenario())) {
            shown.keySet().retainAll(CLUSTER);
        } else {
            shown.keySet().removeAll(DIALLER_ONLY);
            shown.keySet().removeAll(CALLBACK_ONLY);
            shown.keySet().removeAll(INBOUND_ONLY);
            shown.keySet().removeAll(TICKETS_ONLY);
        }
        return shown.toString();
    }
}
