package org.callcentre.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.concurrent.atomic.AtomicInteger;

import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.callcentre.emulator.twilio.TwilioSignature;
import org.callcentre.emulator.twilio.WebhookExchange;

/**
 * The card-capture benchmark: the app jar in its own JVM on H2 and on PostgreSQL, donors played through the
 * Twilio emulator over HTTP, and in the same run the baselines it is judged against (the engine alone through
 * its Java API, and a static TwiML endpoint). Prints a Markdown table.
 *
 * <pre>
 * ./mvnw -q -DskipTests package && java -jar bench/target/bench.jar [--db=h2,postgres] [--paced-calls=200]
 * </pre>
 */
public final class CardCaptureBenchmark {

    static final String PASSWORD = "demo";
    static final String PG_HOST = System.getenv().getOrDefault("CALLCENTRE_BENCH_PG", "127.0.0.1:5432");

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals(EngineOnlyProcess.CHILD)) {
            EngineOnly.serve(args[1], args[2], args[3]);
            System.exit(0);
        }
        Map<String, String> options = new LinkedHashMap<>(Map.of("db", "h2,postgres", "paced-calls", "200",
                "saturation-calls", "1000", "engine-calls", "1000", "think-min-ms", "3000", "think-max-ms", "7000",
                "out", "target/bench-results.md",
                "phases", "floor,saturation,paced,engine", "rounds", "3", "warmup", "3000"));
        options.put("paced-seconds", "60");
        options.put("warmup-max", "15000");
        options.put("jit-quiet", "0.05");
        options.put("engine-threads", DEFAULT_ENGINE_THREADS);
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        Path jar = AppProcess.findAppJar();
        List<Result> results = new ArrayList<>();
        for (String db : options.get("db").split(",")) {
            results.add(new CardCaptureBenchmark().run(db.trim(), jar, options));
        }
        String table = table(results, options);
        System.out.println(table);
        Path out = Path.of(options.get("out"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, table);
        System.out.println("written to " + out.toAbsolutePath());
        System.exit(0);
    }

    /** Signed POSTs of the static TwiML floor. */
    private static final int FLOOR_REQUESTS = 5000;

    record Result(String db, Stats pacedWebhooks, double pacedRate, Stats pacedLag, int pacedCalls, double pacedSeconds,
            SaturationRounds sat10, SaturationRounds sat50, Map<Integer, List<Double>> engineRates,
            List<Double> engineCeiling, double floorRate, Stats floor, double floorCpuMillis, List<Double> engineCpu,
            List<Double> engineJit, List<Double> engineH2, int warmedUp, int engineWarmedUp) {
    }

    /** The saturation phase at one concurrency, round after round: each round's run and every webhook's latency. */
    static final class SaturationRounds {
        private final List<Run> runs = new ArrayList<>();
        private final List<Long> webhookNanos = new ArrayList<>();

        void add(Run run, List<WebhookExchange> webhooks) {
            runs.add(run);
            webhooks.forEach(w -> webhookNanos.add(w.latencyNanos()));
        }

        List<Double> rates() {
            return runs.stream().map(Run::rate).toList();
        }

        List<Double> appCpuMillis() {
            return runs.stream().map(Run::appCpuMillis).toList();
        }

        List<Double> h2CpuMillis() {
            return runs.stream().map(Run::h2CpuMillis).toList();
        }

        List<Double> generatorCpuMillis() {
            return runs.stream().map(Run::generatorCpuMillis).toList();
        }

        List<Double> compilerCpuMillis() {
            return runs.stream().map(Run::compilerCpuMillis).toList();
        }

        List<Double> machineBusy() {
            return runs.stream().map(Run::machineBusy).toList();
        }

        Stats webhooks() {
            return Stats.ofNanos(webhookNanos);
        }
    }

    /** Median, with the range over the rounds: "24.5 (19.1–25.8)". */
    static String spread(List<Double> values) {
        if (values.isEmpty()) {
            return "n/a";
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return Stats.f(median(values)) + " (" + Stats.f(sorted[0]) + "–" + Stats.f(sorted[sorted.length - 1]) + ")";
    }

    static double median(List<Double> values) {
        return values.isEmpty() ? Double.NaN : Stats.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Median of the per-round ratios a[i] / b[i]. */
    static String ratio(List<Double> a, List<Double> b) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            ratios.add(a.get(i) / b.get(i));
        }
        if (ratios.isEmpty()) {
            return "n/a";
        }
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("%.2f (%.2f–%.2f)", median(ratios), sorted[0], sorted[sorted.length - 1]);
    }

    private Result run(String db, Path jar, Map<String, String> options) throws Exception {
        boolean postgres = db.equals("postgres");
        // On H2 both databases, the app's and the engine-only's, have the app's own URL settings, then --h2's.
        H2Settings h2 = postgres ? null
                : H2Settings.ofAppJar(jar).with(H2Settings.parse(options.getOrDefault("h2", "")));
        String appUrl = postgres ? freshPostgres("callcentre_bench")
                : (options.containsKey("query-stats") ? QueryStats.appSettings(h2) : h2)
                        .url(Path.of("target/bench/app-" + System.nanoTime()));
        int twilioPort = freePort();
        int appPort = freePort();
        TwilioEmulator twilio = startTwilio(twilioPort, 1.0);
        GatewaySimulator gateway = GatewaySimulator.start("127.0.0.1", 0, GatewaySimulator.DEFAULT_SECRET_KEY);
        Map<String, String> properties = new LinkedHashMap<>();
        // The demo profile for its users; on PostgreSQL also the postgres profile, as the README runs it.
        properties.put("spring.profiles.active", postgres ? "postgres,demo" : "demo");
        properties.put("app.emulators.enabled", "false");
        properties.put("app.public-base-url", "http://127.0.0.1:" + appPort);
        properties.put("app.demo.password", PASSWORD);
        properties.put("twilio.api-base-url", twilio.baseUrl());
        properties.put("twilio.account-sid", twilio.accountSid());
        properties.put("twilio.auth-token", twilio.authToken());
        properties.put("payment.gateway.base-url", gateway.baseUrl());
        properties.put("payment.gateway.secret-key", GatewaySimulator.DEFAULT_SECRET_KEY);
        properties.put("spring.datasource.url", appUrl);
        properties.put("spring.datasource.username", postgres ? "postgres" : "sa");
        properties.put("logging.level.root", "WARN");
        // Extra app settings to try: --app=key=value;key=value
        for (String setting : options.getOrDefault("app", "").split(";")) {
            if (setting.contains("=")) {
                properties.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
            }
        }
        System.out.println("== " + db + ": starting the app");
        try (AppProcess app = AppProcess.start(jar, appPort, properties, Path.of("target/bench/app-" + db + ".log"))) {
            AgentClient admin = new AgentClient(app.baseUrl, "admin", PASSWORD);
            AgentClient agent = new AgentClient(app.baseUrl, "agent", PASSWORD);
            long campaign = admin.createCampaign("Benchmark " + Instant.now(), true, true, true);
            AtomicInteger pledgeNumbers = new AtomicInteger();

            String phases = options.get("phases");
            double[] floorRate = {Double.NaN};
            double floorCpu = Double.NaN;
            List<Long> floorNanos = List.of();
            // Warm-up, until the JIT has compiled the hot paths, or its compiler threads are charged to the
            // measured phases (WarmUp). The engine-only run warms up alike.
            int warmupMin = Integer.parseInt(options.get("warmup"));
            int warmupMax = Math.max(warmupMin, Integer.parseInt(options.get("warmup-max")));
            double jitQuiet = Double.parseDouble(options.get("jit-quiet"));
            System.out.println("== " + db + ": warm-up, " + warmupMin + " to " + warmupMax + " conversations");
            int warmedUp = WarmUp.untilJitQuiet("app", warmupMin, warmupMax, jitQuiet, conversations -> {
                Run run = conversations(app, twilio, agent, campaign, pledgeNumbers, conversations, 50);
                return new WarmUp.Cost(run.appCpuMillis(), run.compilerCpuMillis());
            });

            // The HTTP floor, on the warmed-up web stack.
            if (phases.contains("floor")) {
                System.out.println("== " + db + ": static TwiML floor");
                settle();
                Cpu cpu = Cpu.start(app);
                floorNanos = floor(app.baseUrl + "/twilio/health", twilio.authToken(), FLOOR_REQUESTS, 10, floorRate);
                // Both ends of the exchange: the app serving it and this JVM sending it.
                floorCpu = cpu.jvmMillis(FLOOR_REQUESTS) + cpu.ownMillis(FLOOR_REQUESTS);
            }

            // Paced first, on the warmed-up app: 200 donors on the line at all times,
            // each thinking a few seconds before each entry.
            int pacedCalls = phases.contains("paced") ? Integer.parseInt(options.get("paced-calls")) : 0;
            Paced paced = new Paced(List.of(), 0, List.of());
            if (pacedCalls > 0) {
                System.out.println("== " + db + ": paced, " + pacedCalls + " concurrent calls");
                settle();
                twilio.clearWebhooks();
                paced = paced(twilio, agent, campaign, pledgeNumbers, pacedCalls,
                        Duration.ofSeconds(Long.parseLong(options.get("paced-seconds"))),
                        Duration.ofMillis(Long.parseLong(options.get("think-min-ms"))),
                        Duration.ofMillis(Long.parseLong(options.get("think-max-ms"))));
            }
            List<WebhookExchange> pacedExchanges = paced.webhooks();
            Stats pacedWebhooks = Stats.ofNanos(pacedExchanges.stream().map(WebhookExchange::latencyNanos).toList());
            long failed = pacedExchanges.stream().filter(w -> !w.succeeded()).count();
            if (failed > 0) {
                System.out.println("!! " + failed + " paced webhooks did not get a 2xx answer");
            }
            double pacedRate = paced.seconds() == 0 ? Double.NaN : pacedExchanges.size() / paced.seconds();
            printByEndpoint(pacedExchanges);
            printOverTime(pacedExchanges, Duration.ofSeconds(5));

            // Saturation and the engine-only ceiling alternate, round after round, so that each ratio compares
            // two measurements taken under the same machine noise; the table reports medians over the rounds.
            int saturationCalls = Integer.parseInt(options.get("saturation-calls"));
            int engineCalls = Integer.parseInt(options.get("engine-calls"));
            int rounds = Integer.parseInt(options.get("rounds"));
            String engineUrl = postgres ? freshPostgres("callcentre_bench_engine")
                    : (options.containsKey("query-stats") ? QueryStats.engineSettings(h2) : h2)
                            .url(Path.of("target/bench/engine-" + System.nanoTime()));
            SaturationRounds sat10 = new SaturationRounds();
            SaturationRounds sat50 = new SaturationRounds();
            // Conversations/s of the engine-only run at each thread count, round by round; the ceiling of a round is
            // the best of them, so the app is compared with the engine at whatever concurrency suits the engine best.
            List<Integer> engineThreads = engineThreads(options);
            Map<Integer, List<Double>> engineRates = new LinkedHashMap<>();
            engineThreads.forEach(threads -> engineRates.put(threads, new ArrayList<>()));
            List<Double> engineCeiling = new ArrayList<>();
            List<Double> engineCpu = new ArrayList<>();
            List<Double> engineJit = new ArrayList<>();
            List<Double> engineH2 = new ArrayList<>();
            int engineWarmedUp = 0;
            // The engine-only ceiling runs in a JVM of its own. Each side is measured with the other's JVM
            // suspended, so that neither's background work (H2's compaction above all) is charged to the other.
            try (EngineOnlyProcess engine = phases.contains("engine") ? EngineOnlyProcess.start(engineUrl,
                    postgres ? "postgres" : "sa", postgres ? "org.postgresql.Driver" : "org.h2.Driver",
                    Path.of("target/bench/engine-" + db + ".log")) : null) {
                if (engine != null) {
                    System.out.println("== " + db + ": engine-only warm-up");
                    engineWarmedUp = alone(engine, app, twilio, () -> WarmUp.untilJitQuiet("engine-only", warmupMin,
                            warmupMax, jitQuiet, conversations -> {
                                Cpu cpu = Cpu.start(engine);
                                engine.run(conversations, 10);
                                return new WarmUp.Cost(cpu.jvmMillis(conversations),
                                        cpu.jvmCompilerMillis(conversations));
                            }));
                }
                for (int round = 1; round <= rounds && (engine != null || phases.contains("saturation")); round++) {
                    if (phases.contains("saturation")) {
                        System.out.println("== " + db + ": round " + round + ", saturation, 10 concurrent");
                        settle();
                        twilio.clearWebhooks();
                        sat10.add(conversations(app, twilio, agent, campaign, pledgeNumbers, saturationCalls, 10),
                                twilio.webhooks());
                        System.out.println("== " + db + ": round " + round + ", saturation, 50 concurrent");
                        settle();
                        twilio.clearWebhooks();
                        sat50.add(conversations(app, twilio, agent, campaign, pledgeNumbers, saturationCalls, 50),
                                twilio.webhooks());
                    }
                    if (engine != null) {
                        System.out.println("== " + db + ": round " + round + ", engine-only ceiling");
                        alone(engine, app, twilio, () -> {
                            settle();
                            Cpu cpu = Cpu.start(engine);
                            double best = 0;
                            for (int i = 0; i < engineThreads.size(); i++) {
                                if (i > 0) {
                                    settle();
                                }
                                double rate = engine.run(engineCalls, engineThreads.get(i));
                                engineRates.get(engineThreads.get(i)).add(rate);
                                best = Math.max(best, rate);
                            }
                            engineCeiling.add(best);
                            int conversations = engineThreads.size() * engineCalls;
                            engineCpu.add(cpu.jvmMillis(conversations));
                            engineJit.add(cpu.jvmCompilerMillis(conversations));
                            engineH2.add(cpu.jvmH2Millis(conversations));
                            System.out.printf("   engine-only: machine's cores %.0f%% busy (the pause between its"
                                    + " runs included)%n", 100 * cpu.machineBusy());
                            return null;
                        });
                    }
                    System.out.println("   saturation " + sat10.rates() + " " + sat50.rates()
                            + ", engine-only by threads " + engineRates);
                    System.out.println("   CPU ms per conversation: app " + sat10.appCpuMillis() + " "
                            + sat50.appCpuMillis() + " (its JIT compiler " + sat10.compilerCpuMillis() + " "
                            + sat50.compilerCpuMillis() + "; H2's background threads " + sat10.h2CpuMillis() + " "
                            + sat50.h2CpuMillis() + "), load generator " + sat10.generatorCpuMillis() + " "
                            + sat50.generatorCpuMillis() + ", engine-only " + engineCpu + " (its JIT compiler "
                            + engineJit + "; H2's background threads " + engineH2 + ")");
                }
                if (engine != null && options.containsKey("query-stats") && !postgres) {
                    System.out.println("== the engine-only database");
                    engine.resume();
                    engine.printQueryStats();
                }
            }
            if (options.containsKey("query-stats") && !postgres) {
                System.out.println("== the app's database");
                QueryStats.print(appUrl, 30, System.out);
            }

            return new Result(db, pacedWebhooks, pacedRate, Stats.ofNanos(paced.lags()), pacedCalls, paced.seconds(),
                    sat10, sat50, engineRates, engineCeiling, floorRate[0], Stats.ofNanos(floorNanos), floorCpu,
                    engineCpu, engineJit, engineH2, warmedUp, engineWarmedUp);
        } finally {
            twilio.close();
            gateway.close();
        }
    }

    /**
     * A run of unpaced conversations: conversations per second, and CPU milliseconds per conversation (the app's,
     * the part of it its JIT compiler used, the load generator's).
     */
    private record Run(double rate, double appCpuMillis, double compilerCpuMillis, double h2CpuMillis,
            double generatorCpuMillis, double machineBusy) {
    }

    /** The paced phase's measured window: its webhooks, its length and the outcome lags of the calls in it. */
    private record Paced(List<WebhookExchange> webhooks, double seconds, List<Long> lags) {
    }

    /**
     * The paced phase, in steady state: {@code lines} donors on the line at all times. Each line takes one call after
     * another: the agent records the pledge and talks for a think time, starts the capture, the donor thinks before
     * each entry, is back with the agent, and the call ends a think time later. The lines start evenly over one
     * call's mean length, so that once all have started calls begin and end at a level rate; only the webhooks sent,
     * and the last key presses made, in the {@code measured} window after that ramp count. New calls stop at the
     * window's end, and the phase waits for the calls under way to finish.
     */
    private static Paced paced(TwilioEmulator twilio, AgentClient agent, long campaign, AtomicInteger numbers,
            int lines, Duration measured, Duration minThink, Duration maxThink) throws Exception {
        // Five think times a call (talk, three entries, talk), and a second for the rest.
        Duration ramp = minThink.plus(maxThink).multipliedBy(5).dividedBy(2).plusSeconds(1);
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        long from = started + ramp.toNanos();
        long until = from + measured.toNanos();
        ConcurrentLinkedQueue<Long> lags = new ConcurrentLinkedQueue<>();
        Parallel.onThreads(lines, line -> {
            AppProcess.pause(ramp.multipliedBy(line).dividedBy(lines));
            while (System.nanoTime() < until) {
                long pledge = agent.createPledge(campaign, numbers.incrementAndGet());
                Donor.Result call = Donor.capture(twilio, agent, pledge, minThink, maxThink);
                if (call.lastKeyNanos() >= from && call.lastKeyNanos() < until) {
                    lags.add(call.outcomeLagNanos());
                }
            }
        });
        printPhases();
        Instant windowStart = startedAt.plus(ramp);
        Instant windowEnd = windowStart.plus(measured);
        List<WebhookExchange> inWindow = twilio.webhooks().stream()
                .filter(w -> !w.sentAt().isBefore(windowStart) && w.sentAt().isBefore(windowEnd)).toList();
        System.out.println("   paced: " + lines + " lines, ramp " + ramp.toSeconds() + " s, measured "
                + measured.toSeconds() + " s: " + inWindow.size() + " webhooks, " + lags.size() + " last key presses");
        return new Paced(inWindow, measured.toNanos() / 1e9, List.copyOf(lags));
    }

    /** Work done in the engine-only JVM. */
    private interface EngineWork<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work} with the engine-only JVM running and the app's suspended, once the app has answered every
     * webhook the emulator sent it (the hang-ups' status callbacks arrive after the donors have gone); the engine-only
     * JVM is suspended again afterwards and the app resumed.
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
    private static void settle() {
        Duration waited = Quiet.await(Duration.ofSeconds(15));
        System.out.println("   (machine settled after " + waited.toMillis() + " ms)");
    }

    /** Webhook latency per endpoint (the capture id and hold count left out, the prompt kept). */
    private static void printByEndpoint(List<WebhookExchange> exchanges) {
        Map<String, List<Long>> byEndpoint = new java.util.TreeMap<>();
        for (WebhookExchange exchange : exchanges) {
            URI url = URI.create(exchange.url());
            String endpoint = url.getPath().replaceAll("/card-capture/[^/]+/", "/card-capture/{id}/");
            String query = url.getQuery();
            if (query != null && query.contains("prompt=")) {
                endpoint += " " + query.substring(query.indexOf("prompt="));
            } else if (query != null && query.contains("hold=")) {
                endpoint += " (hold poll)";
            }
            byEndpoint.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(exchange.latencyNanos());
        }
        System.out.println("   webhooks by endpoint: count, p50 / p99 / max ms");
        byEndpoint.forEach((endpoint, nanos) -> {
            System.out.println("     " + endpoint + ": " + nanos.size() + ", " + Stats.ofNanos(nanos).percentiles());
        });
    }

    /**
     * Webhook latency window by window (by the time each webhook was sent), to show whether the tail belongs to a
     * moment (a burst, a collector pause) or to the whole phase.
     */
    private static void printOverTime(List<WebhookExchange> exchanges, Duration window) {
        if (exchanges.isEmpty()) {
            return;
        }
        Instant first = exchanges.stream().map(WebhookExchange::sentAt).min(Instant::compareTo).orElseThrow();
        Map<Long, List<Long>> byWindow = new java.util.TreeMap<>();
        for (WebhookExchange exchange : exchanges) {
            long index = Duration.between(first, exchange.sentAt()).toMillis() / window.toMillis();
            byWindow.computeIfAbsent(index, i -> new ArrayList<>()).add(exchange.latencyNanos());
        }
        System.out.println("   webhooks over time: window, webhooks per second, p50 / p99 / max ms");
        byWindow.forEach((index, nanos) -> {
            long from = index * window.toSeconds();
            System.out.println("     " + from + "–" + (from + window.toSeconds()) + " s: "
                    + Stats.f(nanos.size() / (double) window.toSeconds()) + ", " + Stats.ofNanos(nanos).percentiles());
        });
    }

    /**
     * CPU time used during a phase, per conversation: by the measured JVM (the app, or the engine-only ceiling's),
     * and by this JVM (the load generator: the Twilio emulator, the gateway simulator and the donors).
     */
    private record Cpu(ChildJvm jvm, Duration jvmStart, Duration compilerStart, Duration h2Start, long ownStartNanos,
            long[] machine) {

        static Cpu start(ChildJvm jvm) {
            return new Cpu(jvm, jvm.cpuTime(), jvm.compilerCpuTime(), jvm.h2BackgroundCpuTime(), ownCpuNanos(),
                    ProcCpu.machine());
        }

        /** The share of the machine's cores that was busy (both JVMs, the database server, anything else). */
        double machineBusy() {
            return ProcCpu.busySince(machine);
        }

        double jvmMillis(int conversations) {
            return jvm.cpuTime().minus(jvmStart).toNanos() / 1e6 / conversations;
        }

        /** The measured JVM's JIT compiler threads, per conversation. */
        double jvmCompilerMillis(int conversations) {
            return jvm.compilerCpuTime().minus(compilerStart).toNanos() / 1e6 / conversations;
        }

        /** The measured JVM's H2 background threads (page writing and compaction), per conversation. */
        double jvmH2Millis(int conversations) {
            return jvm.h2BackgroundCpuTime().minus(h2Start).toNanos() / 1e6 / conversations;
        }

        double ownMillis(int conversations) {
            return (ownCpuNanos() - ownStartNanos) / 1e6 / conversations;
        }

        private static long ownCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    /**
     * {@code count} conversations by {@code concurrency} donors who key without pausing (the warm-up and the
     * saturation phases). The IVR's TwiML runs in real time: its hold pause is cut short by the redirect that returns
     * the donor, as on Twilio.
     */
    private static Run conversations(AppProcess app, TwilioEmulator twilio, AgentClient agent, long campaign,
            AtomicInteger numbers, int count, int concurrency) throws Exception {
        List<Long> pledges = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pledges.add(agent.createPledge(campaign, numbers.incrementAndGet()));
        }
        Cpu cpu = Cpu.start(app);
        long start = System.nanoTime();
        Parallel.forEach(count, concurrency,
                index -> Donor.capture(twilio, agent, pledges.get(index), Duration.ZERO, Duration.ZERO));
        double seconds = (System.nanoTime() - start) / 1e9;
        double appCpu = cpu.jvmMillis(count);
        double compilerCpu = cpu.jvmCompilerMillis(count);
        double h2Cpu = cpu.jvmH2Millis(count);
        double generatorCpu = cpu.ownMillis(count);
        double machineBusy = cpu.machineBusy();
        printPhases();
        System.out.printf("   %d conversations at %d concurrent: %.1f/s, machine's cores %.0f%% busy%n", count,
                concurrency, count / seconds, 100 * machineBusy);
        return new Run(count / seconds, appCpu, compilerCpu, h2Cpu, generatorCpu, machineBusy);
    }

    /** Where the donors' time went since the last print, phase by phase. */
    private static void printPhases() {
        StringBuilder phases = new StringBuilder("   donor's phases, p50 / p99 ms:");
        new java.util.TreeMap<>(Donor.PHASES).forEach((phase, nanos) -> {
            Stats stats = Stats.ofNanos(List.copyOf(nanos));
            phases.append("\n     ").append(phase).append(": ").append(Stats.f(stats.p50())).append(" / ")
                    .append(Stats.f(stats.p99()));
        });
        Donor.PHASES.clear();
        System.out.println(phases);
    }

    /** The HTTP floor: a fixed TwiML answer behind the same signature check, at the given concurrency. */
    private static List<Long> floor(String url, String authToken, int requests, int concurrency, double[] rate)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> params = Map.of("CallSid", "CA" + "0".repeat(32), "AccountSid", "AC" + "0".repeat(32));
        String body = "AccountSid=" + URLEncoder.encode(params.get("AccountSid"), StandardCharsets.UTF_8) + "&CallSid="
                + params.get("CallSid");
        String signature = TwilioSignature.compute(authToken, url, params);
        ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        Parallel.forEach(requests, concurrency, request -> {
            long t = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header(TwilioSignature.HEADER, signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("static TwiML answered " + response.statusCode());
            }
            nanos.add(System.nanoTime() - t);
        });
        rate[0] = requests / ((System.nanoTime() - start) / 1e9);
        return List.copyOf(nanos);
    }

    private static TwilioEmulator startTwilio(int port, double pauseScale) {
        return TwilioEmulator.start(TwilioEmulator.Settings.defaults().withPort(port).withPauseScale(pauseScale)
                .withGatherTimeoutScale(0));
    }

    private static String freshPostgres(String database) throws Exception {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/test", "postgres", "");
                Statement sql = admin.createStatement()) {
            sql.execute("drop database if exists " + database + " with (force)");
            sql.execute("create database " + database);
        }
        return "jdbc:postgresql://" + PG_HOST + "/" + database;
    }

    /**
     * The engine-only run's thread counts unless {@code --engine-threads} names others: few (the engine's best on 2
     * cores varies between 2 and 10 from run to run) and those of the saturation phases.
     */
    static final String DEFAULT_ENGINE_THREADS = "2,4,6,10,50";

    /** The engine-only run's thread counts. */
    static List<Integer> engineThreads(Map<String, String> options) {
        List<Integer> threads = new ArrayList<>();
        for (String n : options.getOrDefault("engine-threads", DEFAULT_ENGINE_THREADS).split(",")) {
            int count = Integer.parseInt(n.trim());
            if (count < 1) {
                throw new IllegalArgumentException("--engine-threads: " + n + " is not a thread count");
            }
            threads.add(count);
        }
        return threads;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String table(List<Result> results, Map<String, String> options) {
        StringBuilder out = new StringBuilder();
        out.append("Run ").append(Instant.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append(". Settings: ")
                .append(options).append("\n\n");
        out.append("| measure |");
        results.forEach(r -> out.append(' ').append(r.db.equals("h2") ? "H2 (file)" : "PostgreSQL").append(" |"));
        out.append("\n|---|");
        results.forEach(r -> out.append("---|"));
        out.append('\n');
        row(out, results, "paced: concurrent calls / measured window (s)",
                r -> r.pacedCalls + " / " + Stats.f(r.pacedSeconds));
        row(out, results, "paced: webhooks per second", r -> Stats.f(r.pacedRate));
        row(out, results, "paced: webhook latency p50 / p99 / max (ms)",
                r -> r.pacedWebhooks.percentiles());
        row(out, results, "paced: last key press to outcome p50 / p99 / max (ms)",
                r -> r.pacedLag.percentiles());
        row(out, results, "saturation, 10 concurrent: conversations/s, median (range)", r -> spread(r.sat10.rates()));
        row(out, results, "saturation, 10 concurrent: webhook p50 / p99 (ms)",
                r -> Stats.f(r.sat10.webhooks().p50()) + " / " + Stats.f(r.sat10.webhooks().p99()));
        row(out, results, "saturation, 50 concurrent: conversations/s, median (range)", r -> spread(r.sat50.rates()));
        row(out, results, "saturation, 50 concurrent: webhook p50 / p99 (ms)",
                r -> Stats.f(r.sat50.webhooks().p50()) + " / " + Stats.f(r.sat50.webhooks().p99()));
        results.stream().flatMap(r -> r.engineRates.keySet().stream()).distinct().sorted().forEach(threads ->
                row(out, results, "engine-only, " + threads + " threads: conversations/s, median (range)",
                        r -> spread(r.engineRates.getOrDefault(threads, List.of()))));
        row(out, results, "engine-only ceiling (each round's best thread count): conversations/s, median (range)",
                r -> spread(r.engineCeiling));
        row(out, results, "saturation ÷ engine-only ceiling, 10: median ratio of the rounds (range)",
                r -> ratio(r.sat10.rates(), r.engineCeiling));
        row(out, results, "saturation ÷ engine-only ceiling, 50: median ratio of the rounds (range)",
                r -> ratio(r.sat50.rates(), r.engineCeiling));
        row(out, results, "saturation, 10 / 50 concurrent: app CPU ms per conversation, median",
                r -> Stats.f(median(r.sat10.appCpuMillis())) + " / " + Stats.f(median(r.sat50.appCpuMillis())));
        row(out, results, "saturation, 10 / 50 concurrent: of which the app's JIT compiler, median",
                r -> Stats.f(median(r.sat10.compilerCpuMillis())) + " / "
                        + Stats.f(median(r.sat50.compilerCpuMillis())));
        row(out, results, "saturation, 10 / 50 concurrent: of which H2's background threads, median",
                r -> Stats.f(median(r.sat10.h2CpuMillis())) + " / " + Stats.f(median(r.sat50.h2CpuMillis())));
        row(out, results, "saturation, 10 / 50 concurrent: load generator CPU ms per conversation, median",
                r -> Stats.f(median(r.sat10.generatorCpuMillis())) + " / "
                        + Stats.f(median(r.sat50.generatorCpuMillis())));
        row(out, results, "saturation, 10 / 50 concurrent: the machine's cores busy, median (%)",
                r -> String.format("%.0f / %.0f", 100 * median(r.sat10.machineBusy()),
                        100 * median(r.sat50.machineBusy())));
        row(out, results, "engine-only: CPU ms per conversation (of which its JIT compiler; H2's background threads),"
                + " median", r -> Stats.f(median(r.engineCpu)) + " (" + Stats.f(median(r.engineJit)) + "; "
                        + Stats.f(median(r.engineH2)) + ")");
        row(out, results, "warm-up conversations until the JIT was quiet: app / engine-only",
                r -> r.warmedUp + " / " + r.engineWarmedUp);
        row(out, results, "static TwiML floor: requests/s, p50 / p99 (ms)",
                r -> Stats.f(r.floorRate) + ", " + Stats.f(r.floor.p50()) + " / " + Stats.f(r.floor.p99()));
        row(out, results, "static TwiML floor: CPU ms per request, app and sender together",
                r -> String.format("%.2f", r.floorCpuMillis));
        return out.toString();
    }

    private static void row(StringBuilder out, List<Result> results, String name,
            java.util.function.Function<Result, String> value) {
        out.append("| ").append(name).append(" |");
        results.forEach(r -> out.append(' ').append(value.apply(r)).append(" |"));
        out.append('\n');
    }
}
