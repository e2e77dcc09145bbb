package org.callcentre.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.sun.management.OperatingSystemMXBean;
import org.callcentre.bench.DiallerMeasures.Claims;
import org.callcentre.bench.DiallerMeasures.Import;
import org.callcentre.bench.dialler.DiallerClient;
import org.callcentre.bench.dialler.DiallerClient.Imported;
import org.callcentre.bench.dialler.DiallerClient.NextLead;
import org.callcentre.bench.dialler.DiallerClient.TeamList;
import org.callcentre.bench.dialler.LeadFile;
import org.callcentre.bench.dialler.LockOverlaps;
import org.callcentre.bench.dialler.LockOverlaps.Hold;
import org.callcentre.bench.dialler.RawClaim;
import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.twilio.TwilioEmulator;

/**
 * The dialler's benchmark on one database: Next Lead under 50 agents over 1,000,000 leads, beside the same claim as
 * one SQL statement. It starts the app jar as {@link Harness} does (demo profile, a fresh database), sets up a
 * campaign, four call lists, the agents and two teams over the API as admin, imports the leads as CSV streamed
 * while it is made, warms Next Lead up until the app's JIT is quiet, then measures Next Lead paced and saturated.
 * Each agent presses Next Lead (timed) and records COMPLETE on the lead (not timed); no call is placed. Like a placed
 * call, which keeps its lead out of Next Lead for the gap between calls, the status takes the lead out of the pool,
 * so every claim passes over the leads claimed before it, as a working day does. Then the app stops, an
 * independent query over the leads' history counts leads locked by two agents at once, and the raw statement runs
 * on the same database from this JVM (H2's file opens only in one JVM at a time), paced and saturated alike.
 */
final class DiallerHarness {

    static final String NAME = "dialler";
    static final int LISTS = 4;
    static final String STATUS = "COMPLETE";
    /** The app's {@code dialler.lock-idle-minutes}, by default. */
    static final Duration LOCK_IDLE = Duration.ofMinutes(15);
    /** The campaign's maximum attempts per record ({@link DiallerClient#openDialling}). */
    static final int MAX_ATTEMPTS = 10;
    private static final String AGENT_PASSWORD = "bench-Agent-password-1";
    private static final double JIT_QUIET = 0.05;
    /** Before a saturated window: the agents' first presses, not counted. */
    private static final Duration SATURATION_LEAD_IN = Duration.ofSeconds(2);

    private final BenchOptions options;
    private final Path appJar;

    DiallerHarness(BenchOptions options, Path appJar) {
        this.options = options;
        this.appJar = appJar;
    }

    /** An agent of the benchmark and its team's most weighted call list (by index), the one it is offered from. */
    record Agent(String id, int topList) {
    }

    /** What the setting up made: the call lists' ids and the agents. */
    record Setup(List<Long> callLists, List<Agent> agents) {
    }

    DiallerMeasures run(Database database) throws Exception {
        String tag = database.option;
        String url;
        String user;
        if (database == Database.POSTGRES) {
            url = Harness.freshPostgres(options.postgres());
            user = "postgres";
        } else {
            url = H2Settings.ofAppJar(appJar).url(Path.of("target/bench/dialler-" + System.nanoTime()));
            user = "sa";
        }
        DiallerMeasures measures = new DiallerMeasures(database);
        Setup setup;
        Queue<Hold> appHolds = new ConcurrentLinkedQueue<>();
        int port = Harness.freePort();
        try (TwilioEmulator twilio = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withPort(Harness.freePort()));
                GatewaySimulator gateway = GatewaySimulator.start("127.0.0.1", 0,
                        GatewaySimulator.DEFAULT_SECRET_KEY)) {
            System.out.println("== dialler, " + tag + ": starting the app");
            try (AppProcess app = AppProcess.start(appJar, port,
                    Harness.appProperties(database, url, port, twilio, gateway),
                    Path.of("target/bench/app-dialler-" + tag + ".log"))) {
                System.out.println("== dialler, " + tag + ": setting up");
                setup = setUp(app.baseUrl);
                measures.imports = importLeads(app.baseUrl, setup.callLists());
                measures.imports.print(tag);

                List<Presser> agents = new ArrayList<>();
                for (Agent agent : setup.agents()) {
                    agents.add(new AppAgent(agent.id(), appHolds,
                            new DiallerClient(app.baseUrl, agent.id(), AGENT_PASSWORD)));
                }
                System.out.println("== dialler, " + tag + ": Next Lead warm-up, " + options.warmupMin() + " to "
                        + options.warmupMax() + " claims");
                measures.warmedUp = WarmUp.untilJitQuiet("Next Lead", options.warmupMin(), options.warmupMax(),
                        JIT_QUIET, claims -> {
                            Reading before = Reading.of(app);
                            batch(agents, claims);
                            Reading after = Reading.of(app);
                            return new WarmUp.Cost(after.jvmMillis(before, claims),
                                    after.compilerMillis(before, claims));
                        });
                settle();
                System.out.println("== dialler, " + tag + ": Next Lead paced, " + options.claimsPerSecond()
                        + " claims/s");
                measures.pacedNextLead = load(agents, app, options.claimsPerSecond(), options.pacedWindow());
                measures.pacedNextLead.print("Next Lead paced");
                settle();
                System.out.println("== dialler, " + tag + ": Next Lead saturated");
                measures.saturatedNextLead = load(agents, app, 0, options.saturationWindow());
                measures.saturatedNextLead.print("Next Lead saturated");
                agents.forEach(Presser::finish);
            }
        }
        // The app has stopped: H2's file is free, and nothing but the baseline runs on the database.
        measures.seenOverlapsNextLead = LockOverlaps.seen(appHolds);
        List<String> zones;
        try (Connection connection = DriverManager.getConnection(url, user, "")) {
            measures.historyOverlaps = LockOverlaps.inHistory(connection);
            measures.historyLocks = LockOverlaps.locksInHistory(connection);
            zones = zones(connection);
            if (database == Database.POSTGRES) {
                // The raw statement gets the planner's best chance: statistics of the tables as the run left them.
                try (Statement analyse = connection.createStatement()) {
                    analyse.execute("analyze lead, lead_call_list, lead_phone");
                }
            }
        }
        System.out.println("   leads locked by two agents at once: " + measures.historyOverlaps + " in the history ("
                + measures.historyLocks + " locks), " + measures.seenOverlapsNextLead + " seen by the agents");

        Queue<Hold> rawHolds = new ConcurrentLinkedQueue<>();
        List<Presser> raw = new ArrayList<>();
        try {
            for (Agent agent : setup.agents()) {
                raw.add(new RawAgent("raw-" + agent.id(), rawHolds, new RawClaim(
                        DriverManager.getConnection(url, user, ""), database == Database.POSTGRES,
                        "raw-" + agent.id(), setup.callLists().get(agent.topList()), MAX_ATTEMPTS, zones,
                        LOCK_IDLE)));
            }
            System.out.println("== dialler, " + tag + ": raw SQL warm-up, " + options.warmupMin() + " claims");
            batch(raw, options.warmupMin());
            settle();
            System.out.println("== dialler, " + tag + ": raw SQL paced, " + options.claimsPerSecond() + " claims/s");
            measures.pacedRaw = load(raw, null, options.claimsPerSecond(), options.pacedWindow());
            measures.pacedRaw.print("raw SQL paced");
            settle();
            System.out.println("== dialler, " + tag + ": raw SQL saturated");
            measures.saturatedRaw = load(raw, null, 0, options.saturationWindow());
            measures.saturatedRaw.print("raw SQL saturated");
            raw.forEach(Presser::finish);
            measures.seenOverlapsRaw = LockOverlaps.seen(rawHolds);
        } finally {
            for (Presser agent : raw) {
                ((RawAgent) agent).claim.close();
            }
        }
        return measures;
    }

    /**
     * A campaign with its dialling rules wide open, the call lists, the agents (half in each team) and two teams:
     * A with list 1 at weighting 3 and list 2 at 1; B with list 3 at 2, list 4 at 1 and list 2 at 1.
     */
    private Setup setUp(String baseUrl) {
        DiallerClient admin = new DiallerClient(baseUrl, "admin", Harness.PASSWORD);
        long campaign = admin.createCampaign("Dialler benchmark " + Instant.now());
        admin.openDialling(campaign);
        List<Long> lists = new ArrayList<>();
        for (int i = 1; i <= LISTS; i++) {
            lists.add(admin.createCallList("Benchmark list " + i, campaign));
        }
        List<Agent> agents = new ArrayList<>();
        List<String> teamA = new ArrayList<>();
        List<String> teamB = new ArrayList<>();
        int count = options.agents();
        for (int i = 1; i <= count; i++) {
            String id = String.format("bench%02d", i);
            admin.createAgent(id, AGENT_PASSWORD);
            boolean inA = i <= count / 2;
            (inA ? teamA : teamB).add(id);
            agents.add(new Agent(id, inA ? 0 : 2));
        }
        admin.createTeam("Benchmark team A", teamA, List.of(new TeamList(lists.get(0), 3),
                new TeamList(lists.get(1), 1)));
        admin.createTeam("Benchmark team B", teamB, List.of(new TeamList(lists.get(2), 2),
                new TeamList(lists.get(3), 1), new TeamList(lists.get(1), 1)));
        return new Setup(lists, agents);
    }

    /** Each list's file in turn (in pieces of {@code --import-rows-per-request} if given), timed. */
    private Import importLeads(String baseUrl, List<Long> callLists) {
        DiallerClient admin = new DiallerClient(baseUrl, "admin", Harness.PASSWORD);
        LeadFile file = new LeadFile(options.leads(), callLists.size());
        Import result = new Import(file.leads(), file.totalRows());
        for (int list = 0; list < callLists.size(); list++) {
            long rows = file.rows(list);
            long piece = options.importRowsPerRequest() == 0 ? rows : options.importRowsPerRequest();
            long start = System.nanoTime();
            for (long from = 0; from < rows; from += piece) {
                long to = Math.min(rows, from + piece);
                int current = list;
                long first = from;
                Imported imported = admin.importLeads(callLists.get(list), () -> file.csv(current, first, to));
                result.imported += imported.imported();
                result.addedToList += imported.addedToList();
                result.rejected += imported.rejected();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            result.listSeconds.add(seconds);
            result.seconds += seconds;
            System.out.printf("   list %d: %d rows in %.1f s (%.0f rows/s)%n", list + 1, rows, seconds,
                    rows / seconds);
        }
        result.expectedImported = file.leads();
        long expectedAdded = 0;
        for (int list = 0; list < callLists.size(); list++) {
            expectedAdded += file.repeatedLeads(list);
        }
        result.expectedAddedToList = expectedAdded;
        return result;
    }

    /** The lead time zones: all inside the campaign's calling hours, which span the day. */
    private static List<String> zones(Connection connection) throws SQLException {
        List<String> zones = new ArrayList<>();
        try (Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("select time_zone from lead_time_zone")) {
            while (rows.next()) {
                zones.add(rows.getString(1));
            }
        }
        if (zones.isEmpty()) {
            throw new IllegalStateException("lead_time_zone is empty after the import");
        }
        return zones;
    }

    /** {@code claims} presses, unpaced, shared among the agents (the warm-ups). */
    private static void batch(List<Presser> agents, int claims) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Parallel.onThreads(agents.size(), index -> {
            while (next.getAndIncrement() < claims) {
                agents.get(index).press();
            }
        });
    }

    /**
     * Every agent pressing at once for a lead-in and the {@code window}, each at {@code rate / agents} presses a
     * second on a fixed schedule (their starts spread over one agent's interval), or with no pause when
     * {@code rate} is 0. Only presses sent inside the window count, and the CPU is read at its ends.
     */
    private static Claims load(List<Presser> agents, ChildJvm app, int rate, Duration window) throws Exception {
        int n = agents.size();
        long interval = rate == 0 ? 0 : Duration.ofSeconds(1).toNanos() * n / rate;
        long leadIn = rate == 0 ? SATURATION_LEAD_IN.toNanos() : interval + Duration.ofMillis(500).toNanos();
        long start = System.nanoTime() + Duration.ofMillis(100).toNanos();
        long from = start + leadIn;
        long until = from + window.toNanos();
        ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        AtomicLong empty = new AtomicLong();
        Reading[] readings = new Reading[2];
        Parallel.onThreads(n + 1, index -> {
            if (index == n) {
                waitUntil(from);
                readings[0] = Reading.of(app);
                waitUntil(until);
                readings[1] = Reading.of(app);
                return;
            }
            Presser agent = agents.get(index);
            long next = start + interval * index / n;
            while (true) {
                if (rate > 0) {
                    waitUntil(next);
                    next += interval;
                }
                long sent = System.nanoTime();
                if (sent >= until) {
                    return;
                }
                Press press = agent.press();
                if (sent >= from) {
                    nanos.add(press.nanos());
                    if (press.leadId() == null) {
                        empty.incrementAndGet();
                    }
                }
            }
        });
        int claims = nanos.size();
        return new Claims(rate, claims, window.toNanos() / 1e9, Stats.ofNanos(nanos), empty.get(),
                app == null ? Double.NaN : readings[1].jvmMillis(readings[0], claims),
                readings[1].ownMillis(readings[0], claims), readings[1].machineBusy(readings[0]));
    }

    private static void waitUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Before a measured phase: let the previous phase's after-work finish first. */
    private static void settle() {
        Duration waited = Quiet.await(Duration.ofSeconds(15));
        System.out.println("   (machine settled after " + waited.toMillis() + " ms)");
    }

    /** One press: the lead claimed (null for none) and how long the claim took. */
    record Press(Long leadId, long nanos) {
    }

    /** An agent pressing Next Lead, or its raw equivalent; remembers what it held and for how long. */
    abstract static class Presser {
        private final String name;
        private final Queue<Hold> holds;
        private Long held;
        private long since;

        Presser(String name, Queue<Hold> holds) {
            this.name = name;
            this.holds = holds;
        }

        /** The claim; releases what the agent held. */
        abstract Long claim() throws Exception;

        /** What the agent does with its lead before it presses again (not timed). */
        abstract void handle(long leadId) throws Exception;

        final Press press() throws Exception {
            long sent = System.nanoTime();
            Long lead = claim();
            long answered = System.nanoTime();
            if (held != null) {
                holds.add(new Hold(held, name, since, sent));
            }
            held = lead;
            since = answered;
            if (lead != null) {
                handle(lead);
            }
            return new Press(lead, answered - sent);
        }

        /** The lead still held at the end is held for good. */
        final void finish() {
            if (held != null) {
                holds.add(new Hold(held, name, since, Long.MAX_VALUE));
                held = null;
            }
        }
    }

    private static final class AppAgent extends Presser {
        private final DiallerClient api;

        AppAgent(String name, Queue<Hold> holds, DiallerClient api) {
            super(name, holds);
            this.api = api;
        }

        @Override
        Long claim() {
            NextLead next = api.nextLead();
            return next.leadId();
        }

        @Override
        void handle(long leadId) {
            api.recordStatus(leadId, STATUS);
        }
    }

    private static final class RawAgent extends Presser {
        private final RawClaim claim;

        RawAgent(String name, Queue<Hold> holds, RawClaim claim) {
            super(name, holds);
            this.claim = claim;
        }

        @Override
        Long claim() throws SQLException {
            return claim.claim();
        }

        @Override
        void handle(long leadId) {
            // The raw statement is the claim alone.
        }
    }

    /** CPU counters at one moment: the app's JVM (if any), its JIT, this JVM, the machine. */
    private record Reading(Duration jvm, Duration compiler, long ownNanos, long[] machine) {

        static Reading of(ChildJvm app) {
            return new Reading(app == null ? Duration.ZERO : app.cpuTime(),
                    app == null ? Duration.ZERO : app.compilerCpuTime(),
                    ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime(),
                    ProcCpu.machine());
        }

        double jvmMillis(Reading before, int claims) {
            return jvm.minus(before.jvm).toNanos() / 1e6 / claims;
        }

        double compilerMillis(Reading before, int claims) {
            return compiler.minus(before.compiler).toNanos() / 1e6 / claims;
        }

        double ownMillis(Reading before, int claims) {
            return (ownNanos - before.ownNanos) / 1e6 / claims;
        }

        double machineBusy(Reading before) {
            return ProcCpu.busyBetween(before.machine, machine);
        }
    }
}
