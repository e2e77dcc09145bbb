package org.callcentre.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.callcentre.bench.EngineOnly.EngineDatabase;
import org.callcentre.bench.Measures.EngineCeiling;
import org.callcentre.bench.Measures.Floor;
import org.callcentre.bench.Measures.Paced;
import org.callcentre.bench.Measures.Run;
import org.callcentre.bench.Measures.Saturation;
import org.callcentre.bench.Scenario.Conversation;
import org.callcentre.bench.Scenario.Step;
import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.twilio.CallOutcome;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.callcentre.emulator.twilio.WebhookExchange;

/**
 * Runs one scenario on one database: starts the app jar in its own JVM with the emulators in this one, warms it up
 * until its JIT is quiet, then measures the HTTP floor, the paced load in steady state, and round after round the
 * saturating load alternating with the engine-only ceiling, each JVM measured while the other is suspended.
 */
final class Harness {

    static final String PASSWORD = "demo";
    /** The saturation phase's concurrent conversations. */
    static final List<Integer> SATURATION_CONCURRENCY = List.of(10, 50);
    /**
     * The engine-only run's thread counts; a round's ceiling is the best of them, so the app is compared with the
     * engine at whatever concurrency suits the engine that round.
     */
    static final List<Integer> ENGINE_THREADS = List.of(2, 4, 6, 10, 50);
    private static final int WARMUP_CONCURRENCY = 50;
    private static final int ENGINE_WARMUP_THREADS = 10;
    /** The JIT's share of a JVM's CPU in a warm-up batch below which the warm-up ends. */
    private static final double JIT_QUIET = 0.05;
    private static final int FLOOR_REQUESTS = 5000;
    private static final int FLOOR_THREADS = 10;
    /** The PostgreSQL schema of the engine-only ceiling's tables, beside the app's in the same database. */
    private static final String ENGINE_SCHEMA = "engine_only";

    private final Scenario scenario;
    private final BenchOptions options;
    private final Path appJar;

    Harness(Scenario scenario, BenchOptions options, Path appJar) {
        this.scenario = scenario;
        this.options = options;
        this.appJar = appJar;
    }

    Measures run(Database database) throws Exception {
        String tag = database.option;
        String appUrl;
        EngineDatabase engineDatabase;
        if (database == Database.POSTGRES) {
            appUrl = freshPostgres(options.postgres());
            engineDatabase = new EngineDatabase(appUrl + "?currentSchema=" + ENGINE_SCHEMA, "postgres",
                    "org.postgresql.Driver", ENGINE_SCHEMA);
        } else {
            // Both H2 databases, the app's and the engine-only's, have the settings of the app's own H2 URL.
            H2Settings h2 = H2Settings.ofAppJar(appJar);
            appUrl = h2.url(Path.of("target/bench/app-" + System.nanoTime()));
            engineDatabase = new EngineDatabase(h2.url(Path.of("target/bench/engine-" + System.nanoTime())), "sa",
                    "org.h2.Driver", null);
        }
        int appPort = freePort();
        // Every call the app places is answered at once: agents' phones and donors pick up by themselves.
        try (TwilioEmulator twilio = TwilioEmulator.start(TwilioEmulator.Settings.defaults().withPort(freePort())
                .withGatherTimeoutScale(0).withOutboundOutcome(CallOutcome.ANSWER));
                GatewaySimulator gateway = GatewaySimulator.start("127.0.0.1", 0,
                        GatewaySimulator.DEFAULT_SECRET_KEY)) {
            System.out.println("== " + tag + ": starting the app");
            try (AppProcess app = AppProcess.start(appJar, appPort,
                    appProperties(database, appUrl, appPort, twilio, gateway),
                    Path.of("target/bench/app-" + tag + ".log"))) {
                scenario.setUp(new RunningApp(app.baseUrl, PASSWORD, twilio, gateway));
                return measure(database, app, twilio, engineDatabase);
            }
        }
    }

    /** The app as the README runs it (demo profile, and postgres on PostgreSQL), pointed at this run's peers. */
    static Map<String, String> appProperties(Database database, String url, int port, TwilioEmulator twilio,
            GatewaySimulator gateway) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.profiles.active", database == Database.POSTGRES ? "postgres,demo" : "demo");
        properties.put("app.emulators.enabled", "false");
        properties.put("app.public-base-url", "http://127.0.0.1:" + port);
        properties.put("app.demo.password", PASSWORD);
        properties.put("twilio.api-base-url", twilio.baseUrl());
        properties.put("twilio.account-sid", twilio.accountSid());
        properties.put("twilio.auth-token", twilio.authToken());
        properties.put("payment.gateway.base-url", gateway.baseUrl());
        properties.put("payment.gateway.secret-key", GatewaySimulator.DEFAULT_SECRET_KEY);
        properties.put("spring.datasource.url", url);
        properties.put("spring.datasource.username", database == Database.POSTGRES ? "postgres" : "sa");
        properties.put("logging.level.root", "WARN");
        // The demo's mail server is one of the emulators, which are off: the info mailbox is not read.
        properties.put("tickets.mail.imap.host", "");
        return properties;
    }

    private Measures measure(Database database, AppProcess app, TwilioEmulator twilio, EngineDatabase engineDatabase)
            throws Exception {
        String tag = database.option;
        System.out.println("== " + tag + ": warm-up, " + options.warmupMin() + " to " + options.warmupMax()
                + " conversations");
        int warmedUp = WarmUp.untilJitQuiet("app", options.warmupMin(), options.warmupMax(), JIT_QUIET,
                conversations -> {
                    Run run = saturate(app, conversations, WARMUP_CONCURRENCY);
                    return new WarmUp.Cost(run.appCpuMillis(), run.compilerCpuMillis());
                });

        Floor floor = null;
        if (options.runs("floor")) {
            System.out.println("== " + tag + ": HTTP floor, GET /health");
            settle();
            floor = floor(app);
        }

        Paced paced = null;
        if (options.runs("paced") && options.pacedCalls() > 0) {
            System.out.println("== " + tag + ": paced, " + options.pacedCalls() + " concurrent conversations");
            settle();
            twilio.clearWebhooks();
            paced = paced(twilio, options.pacedCalls(), options.pacedWindow(), options.think());
            printWebhooks(paced.webhooks());
        }

        Map<Integer, Saturation> saturation = new LinkedHashMap<>();
        EngineCeiling ceiling = null;
        boolean saturating = options.runs("saturation");
        boolean engineOnly = options.runs("engine") && scenario.engineOnly().isPresent();
        if (saturating) {
            SATURATION_CONCURRENCY.forEach(concurrency -> saturation.put(concurrency, new Saturation()));
        }
        if (saturating || engineOnly) {
            // Saturation and the ceiling alternate, round after round, so that each ratio compares two measurements
            // taken under the same machine noise.
            try (EngineOnlyProcess engine = engineOnly ? EngineOnlyProcess.start(scenario.name(), engineDatabase,
                    Path.of("target/bench/engine-" + tag + ".log")) : null) {
                if (engine != null) {
                    ceiling = new EngineCeiling();
                    System.out.println("== " + tag + ": engine-only warm-up");
                    ceiling.warmedUp = alone(engine, app, twilio, () -> WarmUp.untilJitQuiet("engine-only",
                            options.warmupMin(), options.warmupMax(), JIT_QUIET, conversations -> {
                                Cpu cpu = Cpu.start(engine);
                                engine.run(conversations, ENGINE_WARMUP_THREADS);
                                return new WarmUp.Cost(cpu.jvmMillis(conversations),
                                        cpu.jvmCompilerMillis(conversations));
                            }));
                }
                for (int round = 1; round <= options.rounds(); round++) {
                    for (Map.Entry<Integer, Saturation> at : saturation.entrySet()) {
                        System.out.println("== " + tag + ": round " + round + ", saturation, " + at.getKey()
                                + " concurrent");
                        settle();
                        twilio.clearWebhooks();
                        Run run = saturate(app, options.saturationCalls(), at.getKey());
                        twilio.awaitWebhooksDelivered(Duration.ofMinutes(1));
                        at.getValue().add(run, twilio.webhooks());
                    }
                    if (engine != null) {
                        System.out.println("== " + tag + ": round " + round + ", engine-only ceiling");
                        EngineCeiling into = ceiling;
                        alone(engine, app, twilio, () -> {
                            ceilingRound(engine, into);
                            return null;
                        });
                    }
                }
            }
        }
        return new Measures(database, floor, paced, saturation, ceiling, warmedUp);
    }

    /** One round of the engine-only ceiling: each thread count in turn; the round's ceiling is the best. */
    private void ceilingRound(EngineOnlyProcess engine, EngineCeiling ceiling) {
        settle();
        Cpu cpu = Cpu.start(engine);
        double best = 0;
        List<String> rates = new ArrayList<>();
        for (int i = 0; i < ENGINE_THREADS.size(); i++) {
            if (i > 0) {
                settle();
            }
            int threads = ENGINE_THREADS.get(i);
            double rate = engine.run(options.engineCalls(), threads);
            ceiling.rates.computeIfAbsent(threads, t -> new ArrayList<>()).add(rate);
            rates.add(threads + " threads " + Stats.f(rate));
            best = Math.max(best, rate);
        }
        ceiling.ceiling.add(best);
        int conversations = ENGINE_THREADS.size() * options.engineCalls();
        ceiling.cpuMillis.add(cpu.jvmMillis(conversations));
        ceiling.compilerMillis.add(cpu.jvmCompilerMillis(conversations));
        ceiling.h2Millis.add(cpu.jvmH2Millis(conversations));
        System.out.printf("   engine-only, conversations/s: %s; CPU %.1f ms a conversation, machine's cores %.0f%%"
                + " busy (the pauses between its runs included)%n", String.join(", ", rates),
                ceiling.cpuMillis.get(ceiling.cpuMillis.size() - 1), 100 * cpu.machineBusy());
    }

    /**
     * {@code count} conversations, {@code concurrency} at a time, with nobody pausing (the warm-up and the
     * saturation phase). Their data is made before the clock starts.
     */
    private Run saturate(AppProcess app, int count, int concurrency) throws Exception {
        List<Conversation> conversations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            conversations.add(scenario.prepare());
        }
        ConcurrentLinkedQueue<Step> steps = new ConcurrentLinkedQueue<>();
        Cpu cpu = Cpu.start(app);
        long start = System.nanoTime();
        Parallel.forEach(count, concurrency, index -> steps.addAll(conversations.get(index).run(Think.NONE)));
        double seconds = (System.nanoTime() - start) / 1e9;
        Run run = new Run(count / seconds, cpu.jvmMillis(count), cpu.jvmCompilerMillis(count), cpu.jvmH2Millis(count),
                cpu.ownMillis(count), cpu.machineBusy());
        printSteps(steps);
        System.out.printf("   %d conversations at %d concurrent: %.1f/s; CPU ms a conversation: app %.1f (its JIT"
                + " %.1f, H2's background threads %.1f), load generator %.1f; machine's cores %.0f%% busy%n", count,
                concurrency, run.rate(), run.appCpuMillis(), run.compilerCpuMillis(), run.h2CpuMillis(),
                run.generatorCpuMillis(), 100 * run.machineBusy());
        return run;
    }

    /**
     * The paced phase, in steady state: {@code lines} conversations under way at all times, one after another on
     * each line, with think times between a person's actions. The lines start evenly over one conversation's mean
     * length, so that once all have started conversations begin and end at a level rate; only the webhooks sent,
     * and the steps begun, in the {@code window} after that ramp count. New conversations stop at the window's end,
     * and the phase waits for those under way to finish.
     */
    Paced paced(TwilioEmulator twilio, int lines, Duration window, Think think) throws Exception {
        Duration ramp = think.mean().multipliedBy(scenario.thinkTimesPerConversation()).plusSeconds(1);
        Instant startedAt = Instant.now();
        long from = System.nanoTime() + ramp.toNanos();
        long until = from + window.toNanos();
        ConcurrentLinkedQueue<Step> steps = new ConcurrentLinkedQueue<>();
        Parallel.onThreads(lines, line -> {
            AppProcess.pause(ramp.multipliedBy(line).dividedBy(lines));
            while (System.nanoTime() < until) {
                for (Step step : scenario.prepare().run(think)) {
                    if (step.startNanos() >= from && step.startNanos() < until) {
                        steps.add(step);
                    }
                }
            }
        });
        twilio.awaitWebhooksDelivered(Duration.ofMinutes(1));
        printSteps(steps);
        Instant windowStart = startedAt.plus(ramp);
        Instant windowEnd = windowStart.plus(window);
        List<WebhookExchange> inWindow = twilio.webhooks().stream()
                .filter(w -> !w.sentAt().isBefore(windowStart) && w.sentAt().isBefore(windowEnd)).toList();
        System.out.println("   paced: " + lines + " lines, ramp " + ramp.toSeconds() + " s, measured "
                + window.toSeconds() + " s: " + inWindow.size() + " webhooks");
        return new Paced(lines, window.toNanos() / 1e9, inWindow, List.copyOf(steps));
    }

    /** The HTTP floor: GET /health (no login, no signature, no engine, no database) from several threads. */
    static Floor floor(AppProcess app) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl + "/health")).GET().build();
        ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        Cpu cpu = Cpu.start(app);
        long start = System.nanoTime();
        Parallel.forEach(FLOOR_REQUESTS, FLOOR_THREADS, i -> {
            long t = System.nanoTime();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /health answered " + response.statusCode());
            }
            nanos.add(System.nanoTime() - t);
        });
        double rate = FLOOR_REQUESTS / ((System.nanoTime() - start) / 1e9);
        // Both ends of the exchange: the app serving it and this JVM sending it.
        return new Floor(rate, Stats.ofNanos(nanos), cpu.jvmMillis(FLOOR_REQUESTS) + cpu.ownMillis(FLOOR_REQUESTS));
    }

    /** Work done in the engine-only JVM. */
    private interface EngineWork<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work} with the engine-only JVM running and the app's suspended, once the app has answered every
     * webhook the emulator sent it (the hang-ups' status callbacks arrive after the people have gone); the
     * engine-only JVM is suspended again afterwards and the app resumed.
     */
    private static <T> T alone(EngineOnlyProcess engine, AppProcess app, TwilioEmulator twilio, EngineWork<T> work)
            throws Exception {
        twilio.awaitWebhooksDelivered(Duration.ofMinutes(1));
        app.suspend();
        try {
            engine.resume();
            try {
                return work.run();
            } finally {
                engine.suspend();
            }
        } finally {
            app.resume();
        }
    }

    /** Before a measured phase: let the previous phase's after-work (JIT compilations, GC) finish first. */
    static void settle() {
        Duration waited = Quiet.await(Duration.ofSeconds(15));
        System.out.println("   (machine settled after " + waited.toMillis() + " ms)");
    }

    /** Where a conversation's time went, step by step. */
    static void printSteps(Iterable<Step> steps) {
        List<Step> all = new ArrayList<>();
        steps.forEach(all::add);
        StringBuilder out = new StringBuilder("   steps, p50 / p99 / max ms:");
        Measures.byName(all).forEach((name, nanos) ->
                out.append("\n     ").append(name).append(": ").append(Stats.ofNanos(nanos).percentiles()));
        System.out.println(out);
    }

    /** The paced webhooks by endpoint and in 5-second windows: a moment's tail (a burst, a pause) or the phase's. */
    static void printWebhooks(List<WebhookExchange> webhooks) {
        System.out.println("   webhooks by endpoint: count, p50 / p99 / max ms");
        Measures.byEndpoint(webhooks).forEach((endpoint, nanos) ->
                System.out.println("     " + endpoint + ": " + nanos.size() + ", "
                        + Stats.ofNanos(nanos).percentiles()));
        Duration window = Duration.ofSeconds(5);
        System.out.println("   webhooks over time: window, webhooks per second, p50 / p99 / max ms");
        Measures.overTime(webhooks, window).forEach((from, nanos) ->
                System.out.println("     " + from + "–" + (from + window.toSeconds()) + " s: "
                        + Stats.f(nanos.size() / (double) window.toSeconds()) + ", "
                        + Stats.ofNanos(nanos).percentiles()));
    }

    /**
     * Empties the PostgreSQL database {@code host:port/database} (its public schema, and the engine-only's schema)
     * and answers its JDBC URL.
     */
    static String freshPostgres(String hostPortDatabase) throws Exception {
        String url = "jdbc:postgresql://" + hostPortDatabase;
        createIfMissing(hostPortDatabase);
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement sql = connection.createStatement()) {
            sql.execute("drop schema if exists " + ENGINE_SCHEMA + " cascade");
            sql.execute("drop schema if exists public cascade");
            sql.execute("create schema public");
            sql.execute("create schema " + ENGINE_SCHEMA);
        }
        return url;
    }

    /** Creates the database, named after the last '/' of {@code hostPortDatabase}, if the server has none of that name. */
    private static void createIfMissing(String hostPortDatabase) throws Exception {
        int slash = hostPortDatabase.lastIndexOf('/');
        String name = hostPortDatabase.substring(slash + 1);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("--pg: a database name of letters, digits and '_', not " + name);
        }
        String server = "jdbc:postgresql://" + hostPortDatabase.substring(0, slash) + "/postgres";
        try (Connection connection = DriverManager.getConnection(server, "postgres", "");
                Statement sql = connection.createStatement();
                java.sql.ResultSet found = sql.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
            if (!found.next()) {
                sql.execute("create database " + name);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
