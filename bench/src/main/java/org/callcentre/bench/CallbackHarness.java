package org.callcentre.bench;

import java.io.InputStream;
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
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.ZipFile;

import org.callcentre.bench.CallbackMeasures.Phase;
import org.callcentre.bench.CallbackMeasures.Scheduling;
import org.callcentre.bench.callback.CallbackClient;
import org.callcentre.bench.callback.DueLags;
import org.callcentre.bench.callback.DueLags.Lag;
import org.callcentre.bench.callback.DuePlan;
import org.callcentre.bench.callback.DuePoller;
import org.callcentre.bench.dialler.DiallerClient;
import org.callcentre.bench.dialler.DiallerClient.TeamList;
import org.callcentre.bench.dialler.LeadFile;
import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.yaml.snakeyaml.Yaml;

/**
 * The callbacks' benchmark on one database: how late the engine's due timers make callbacks due, beside a plain
 * due-row poller on the same database. It starts the app jar as {@link Harness} does (demo profile, a fresh
 * database), sets up a campaign, a call list and a team over the API as admin, imports one lead per callback, and
 * schedules every callback of the run ahead over {@code POST /api/callbacks} (Call Back Queue, calling hours
 * overridden), after a warm-up that times the scheduling: a steady stream due {@code --steady-per-second} a second
 * for {@code --steady-seconds} ({@link DuePlan}), then a burst of {@code --burst} all due at one instant. Nothing else
 * runs while they fall due. On a PostgreSQL server whose autovacuum is off, {@link AutovacuumStandIn} does its work
 * throughout. Then the app stops, each callback's
 * lag (due time to the moment its row became DUE, both from the row) is read from the database, and the baseline
 * runs on the same database from this JVM (H2's file opens in one JVM at a time): the same due times, moved to
 * start a few seconds ahead, in table {@code bench_due}, polled by one thread every {@code --poll-ms}.
 */
final class CallbackHarness {

    static final String NAME = "callback";
    private static final String AGENT_PASSWORD = "bench-Agent-password-1";
    /** Concurrent schedule requests: Tomcat's threads. */
    private static final int SCHEDULERS = 8;
    /**
     * Callbacks scheduled first, due a day later (they never fall due in the run): they warm the scheduling up and
     * time it, and the measured callbacks' first due time is set from that rate.
     */
    static final int SCHEDULING_WARMUP = 1000;
    /** The measured scheduling is given this many times what the warm-up's rate predicts, plus {@link #LEAD_SPARE}. */
    private static final double LEAD_MARGIN = 1.5;
    private static final Duration LEAD_SPARE = Duration.ofSeconds(15);
    /** After the steady stream's last due time, its CPU window stays open this long: the lag target. */
    private static final Duration STEADY_TAIL = Duration.ofSeconds(2);
    /** The longest the burst is waited for, after its due time. */
    private static final Duration BURST_LIMIT = Duration.ofMinutes(5);
    /** While the burst falls due: how often the app is asked whether any callback is still scheduled. */
    private static final Duration BURST_POLL = Duration.ofSeconds(2);
    /** The baseline's first due time is this far ahead of its start. */
    private static final Duration BASELINE_LEAD = Duration.ofSeconds(10);

    private final BenchOptions options;
    private final Path appJar;

    CallbackHarness(BenchOptions options, Path appJar) {
        this.options = options;
        this.appJar = appJar;
    }

    CallbackMeasures run(Database database) throws Exception {
        boolean postgres = database == Database.POSTGRES;
        String url = postgres ? Harness.freshPostgres(options.postgres())
                : H2Settings.ofAppJar(appJar).url(Path.of("target/bench/callback-" + System.nanoTime()));
        CallbackMeasures measures = new CallbackMeasures(database);
        // Null (nothing to close) on H2.
        try (AutovacuumStandIn autovacuum = postgres ? AutovacuumStandIn.start(url) : null) {
            EngineRun engine = engine(database, url, measures);
            // The app has stopped: H2's file is free, and nothing but the baseline runs on the database.
            try (Connection connection = DriverManager.getConnection(url, postgres ? "postgres" : "sa", "")) {
                connection.setAutoCommit(false);
                measures.dueDateIndex = dueDateIndex(connection, postgres);
                phases(measures, engine.plan(), DueLags.ofCallbacks(connection), engine.windows(), true);
                System.out.println("   callbacks not DUE: " + DueLags.callbacksNotDue(connection,
                        engine.plan().burstAt()) + "; index on ACT_RU_JOB (DUEDATE_): " + measures.dueDateIndex);
                measures.engineSteady.print("engine, steady");
                measures.engineBurst.print("engine, burst");
                baseline(database, connection, engine.plan(), measures);
            }
            if (autovacuum != null) {
                measures.statistics = autovacuum.describe();
                System.out.println("   PostgreSQL's statistics: " + measures.statistics);
            }
        }
        return measures;
    }

    /** The plan the engine's callbacks followed, and the CPU readings over it. */
    private record EngineRun(DuePlan plan, Windows windows) {
    }

    /**
     * The app's part: starts it, sets up, imports the leads, schedules the callbacks and follows them falling due;
     * stops the app.
     */
    private EngineRun engine(Database database, String url, CallbackMeasures measures) throws Exception {
        String tag = database.option;
        int port = Harness.freePort();
        List<String> jvmOptions = options.jfr() ? List.of("-XX:StartFlightRecording=dumponexit=true,"
                + "settings=profile,filename=" + Path.of("target/bench/app-callback-" + tag + ".jfr").toAbsolutePath())
                : List.of();
        try (TwilioEmulator twilio = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withPort(Harness.freePort()));
                GatewaySimulator gateway = GatewaySimulator.start("127.0.0.1", 0,
                        GatewaySimulator.DEFAULT_SECRET_KEY)) {
            System.out.println("== callback, " + tag + ": starting the app");
            try (AppProcess app = AppProcess.start(appJar, port,
                    Harness.appProperties(database, url, port, twilio, gateway),
                    Path.of("target/bench/app-callback-" + tag + ".log"), jvmOptions)) {
                System.out.println("== callback, " + tag + ": setting up");
                DiallerClient admin = new DiallerClient(app.baseUrl, "admin", Harness.PASSWORD);
                CallbackClient callbacks = new CallbackClient(app.baseUrl, "admin", Harness.PASSWORD);
                // The due times' shape; the first is set once the scheduling's rate is known.
                DuePlan plan = DuePlan.of(Instant.now(), options.steadyPerSecond(), options.steadySeconds(),
                        options.burst());
                long campaign = admin.createCampaign("Callback benchmark " + Instant.now());
                admin.openDialling(campaign);
                long list = admin.createCallList("Callback benchmark list", campaign);
                admin.createAgent("cbbench01", AGENT_PASSWORD);
                long team = admin.createTeam("Callback benchmark team", List.of("cbbench01"),
                        List.of(new TeamList(list, 1)));
                LeadFile file = new LeadFile(plan.size() + SCHEDULING_WARMUP, 1);
                admin.importLeads(list, () -> file.csv(0, 0, file.rows(0)));
                List<Long> leads = callbacks.leadIds(list);
                if (leads.size() < file.leads()) {
                    throw new IllegalStateException("the import made " + leads.size() + " leads, not "
                            + file.leads());
                }

                Duration lead = options.scheduleLead();
                double rate = warmUpScheduling(callbacks, leads.subList(plan.size(), leads.size()));
                if (lead.isZero()) {
                    lead = Duration.ofMillis((long) (1000 * LEAD_MARGIN * plan.size() / rate)).plus(LEAD_SPARE);
                }
                System.out.printf("   scheduling warm-up: %d callbacks at %.0f/s; the measured ones get %d s%n",
                        SCHEDULING_WARMUP, rate, lead.toSeconds());
                plan = plan.startingAt(Instant.now().plus(lead));
                System.out.println("== callback, " + tag + ": scheduling " + plan.steadyCount() + " steady and "
                        + plan.burstCount() + " burst callbacks; the first is due at " + plan.steadyFrom()
                        + ", the burst at " + plan.burstAt());
                measures.scheduling = schedule(app, callbacks, plan, leads);
                measures.scheduling.print();

                System.out.println("== callback, " + tag + ": the callbacks fall due");
                Instant burstAt = plan.burstAt();
                Windows windows = follow(plan, app::cpuTime, app::compilerCpuTime, limit -> {
                    Instant until = Instant.now().plus(limit);
                    while (callbacks.anyScheduled(team, burstAt)) {
                        if (Instant.now().isAfter(until)) {
                            return false;
                        }
                        AppProcess.pause(BURST_POLL);
                    }
                    return true;
                });
                return new EngineRun(plan, windows);
            }
        }
    }

    /** The due-row poller on the same database, with the engine's due times moved to start a few seconds ahead. */
    private void baseline(Database database, Connection connection, DuePlan engine, CallbackMeasures measures)
            throws Exception {
        DuePlan baseline = engine.startingAt(Instant.now().plus(BASELINE_LEAD));
        System.out.println("== callback, " + database.option + ": baseline, a due-row poller every "
                + options.pollInterval().toMillis() + " ms; the first row is due at " + baseline.steadyFrom());
        boolean postgres = database == Database.POSTGRES;
        DuePoller.create(connection, postgres);
        DuePoller.fill(connection, baseline.all(), postgres);
        Windows polled;
        try (DuePoller poller = DuePoller.start(connection, options.pollInterval(), baseline.size())) {
            polled = follow(baseline, poller::cpuTime, () -> Duration.ZERO, poller::awaitAllFired);
        }
        phases(measures, baseline, DuePoller.lags(connection), polled, false);
        measures.baselineSteady.print("baseline, steady");
        measures.baselineBurst.print("baseline, burst");
    }

    /**
     * Schedules a callback for each lead, due a day later, as the measured ones are; answers the second half's
     * callbacks a second (the first half is the JIT's).
     */
    private static double warmUpScheduling(CallbackClient callbacks, List<Long> leads) throws Exception {
        Instant due = Instant.now().plus(Duration.ofDays(1));
        int half = leads.size() / 2;
        Parallel.forEach(half, SCHEDULERS, i -> callbacks.schedule(leads.get(i), due));
        long start = System.nanoTime();
        Parallel.forEach(leads.size() - half, SCHEDULERS, i -> callbacks.schedule(leads.get(half + i), due));
        return (leads.size() - half) / ((System.nanoTime() - start) / 1e9);
    }

    /** Every callback of the plan, in order of due time, from {@link #SCHEDULERS} threads; timed. */
    private Scheduling schedule(AppProcess app, CallbackClient callbacks, DuePlan plan, List<Long> leads)
            throws Exception {
        List<Instant> due = plan.all();
        Duration cpuBefore = app.cpuTime();
        long start = System.nanoTime();
        try {
            Parallel.forEach(due.size(), SCHEDULERS, i -> callbacks.schedule(leads.get(i), due.get(i)));
        } catch (Exception e) {
            throw new IllegalStateException("scheduling failed; if a due time had passed, give the scheduling more "
                    + "time with --schedule-lead-seconds (now " + options.scheduleLead().toSeconds() + ")", e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (Instant.now().isAfter(plan.steadyFrom())) {
            throw new IllegalStateException("the scheduling ended after the first due time: raise "
                    + "--schedule-lead-seconds (now " + options.scheduleLead().toSeconds() + ")");
        }
        return new Scheduling(due.size(), seconds, app.cpuTime().minus(cpuBefore).toNanos() / 1e6 / due.size());
    }

    /** Waits up to a limit for every row of the burst to be found due; answers whether they were. */
    private interface AllDue {
        boolean await(Duration limit) throws Exception;
    }

    /** The CPU and machine readings at the ends of the steady stream's window and of the burst's. */
    private record Windows(Reading steadyFrom, Reading steadyTo, Reading burstFrom, Reading burstTo) {
    }

    /**
     * Follows the plan in real time: reads the measured side's CPU (and of that its JIT compiler's) when the steady
     * stream starts, {@link #STEADY_TAIL} after its last slot, at the burst's due time, and once {@code allDue} says
     * the burst is all due (or {@link #BURST_LIMIT} passed).
     */
    private static Windows follow(DuePlan plan, Supplier<Duration> cpu, Supplier<Duration> jit, AllDue allDue)
            throws Exception {
        waitUntil(plan.steadyFrom());
        Reading steadyFrom = Reading.of(cpu, jit);
        waitUntil(plan.steadyUntil().plus(STEADY_TAIL));
        Reading steadyTo = Reading.of(cpu, jit);
        waitUntil(plan.burstAt());
        Reading burstFrom = Reading.of(cpu, jit);
        if (!allDue.await(BURST_LIMIT)) {
            System.out.println("   the burst was not all due " + BURST_LIMIT.toMinutes() + " minutes after its due"
                    + " time");
        }
        return new Windows(steadyFrom, steadyTo, burstFrom, Reading.of(cpu, jit));
    }

    private static void phases(CallbackMeasures measures, DuePlan plan, List<Lag> lags, Windows windows,
            boolean engine) {
        List<Lag> steady = new ArrayList<>();
        List<Lag> burst = new ArrayList<>();
        lags.forEach(lag -> (plan.inBurst(lag.due()) ? burst : steady).add(lag));
        Phase steadyPhase = phase(steady, plan.steadyCount(), plan.steadyFrom(), windows.steadyFrom(),
                windows.steadyTo(), measures.database);
        Phase burstPhase = phase(burst, plan.burstCount(), plan.burstAt(), windows.burstFrom(), windows.burstTo(),
                measures.database);
        if (engine) {
            measures.engineSteady = steadyPhase;
            measures.engineBurst = burstPhase;
        } else {
            measures.baselineSteady = steadyPhase;
            measures.baselineBurst = burstPhase;
        }
    }

    private static Phase phase(List<Lag> lags, int due, Instant firstDue, Reading from, Reading to,
            Database database) {
        return Phase.of(lags, due, firstDue, to.cpuMillis(from, due), to.jitMillis(from, due),
                database == Database.POSTGRES ? to.postgresMillis(from, due) : Double.NaN, to.busy(from));
    }

    /** The engine's index on its jobs' due date, by name, or "none". */
    private static String dueDateIndex(Connection connection, boolean postgres) throws SQLException {
        String query = postgres
                ? "select indexname from pg_indexes where lower(tablename) = 'act_ru_job'"
                        + " and lower(indexdef) like '%(duedate_%'"
                : "select index_name from information_schema.index_columns where table_name = 'ACT_RU_JOB'"
                        + " and column_name = 'DUEDATE_' and ordinal_position = 1";
        List<String> names = new ArrayList<>();
        try (Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** The app jar's job-executor settings ({@code camunda.bpm.job-execution} in its application.yml). */
    static Map<?, ?> jobExecution(Path jar) throws Exception {
        return appSetting(jar, "camunda", "bpm", "job-execution") instanceof Map<?, ?> settings ? settings : Map.of();
    }

    /** A setting of the app jar's application.yml by its path of keys, or null where it has none. */
    static Object appSetting(Path jar, String... keys) throws Exception {
        try (ZipFile zip = new ZipFile(jar.toFile());
                InputStream yml = zip.getInputStream(zip.getEntry("BOOT-INF/classes/application.yml"))) {
            Object node = new Yaml().load(yml);
            for (String key : keys) {
                node = node instanceof Map<?, ?> map ? map.get(key) : null;
            }
            return node;
        }
    }

    private static void waitUntil(Instant moment) {
        long millis;
        while ((millis = Duration.between(Instant.now(), moment).toMillis()) > 0) {
            AppProcess.pause(Duration.ofMillis(Math.min(millis, 1000)));
        }
    }

    /**
     * The measured side's CPU time and its JIT compiler's, PostgreSQL's (all its processes) and the machine's counters
     * at one moment.
     */
    private record Reading(Duration cpu, Duration jit, Duration postgres, long[] machine, long nanoTime) {

        static Reading of(Supplier<Duration> cpu, Supplier<Duration> jit) {
            return new Reading(cpu.get(), jit.get(), ProcCpu.processesCpuTime("postgres"), ProcCpu.machine(),
                    System.nanoTime());
        }

        double cpuMillis(Reading before, int rows) {
            return cpu.minus(before.cpu).toNanos() / 1e6 / rows;
        }

        double jitMillis(Reading before, int rows) {
            return jit.minus(before.jit).toNanos() / 1e6 / rows;
        }

        double postgresMillis(Reading before, int rows) {
            return postgres.minus(before.postgres).toNanos() / 1e6 / rows;
        }

        /** NaN for less than a second: the counters tick every 10 ms and other work is then all they show. */
        double busy(Reading before) {
            return nanoTime - before.nanoTime < 1_000_000_000L ? Double.NaN
                    : ProcCpu.busyBetween(before.machine, machine);
        }
    }
}
