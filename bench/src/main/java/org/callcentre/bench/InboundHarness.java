package org.callcentre.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.callcentre.bench.InboundMeasures.Rows;
import org.callcentre.bench.InboundMeasures.Seen;
import org.callcentre.bench.dialler.DiallerClient;
import org.callcentre.bench.dialler.DiallerClient.TeamList;
import org.callcentre.bench.inbound.AgentTurns;
import org.callcentre.bench.inbound.InboundClient;
import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.twilio.CallOutcome;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.callcentre.emulator.twilio.WebhookExchange;
import org.callcentre.processes.inbound.InboundCallProcess;

/**
 * The inbound calls' benchmark on one database: a queue of callers drained by a team's agents. It starts the app jar
 * as {@link Harness} does (demo profile, a fresh database), with the Twilio emulator in this JVM at real timings (a
 * {@code <Pause>}, a Gather's timeout and the hold music's {@code --hold-play-seconds} last their length, so a waiting
 * caller asks for the wait document again every few seconds, as on Twilio). Over the API as admin: a campaign, a
 * team of {@code --inbound-agents} agents, an inbound number whose menu's key 1 leads to the team's queue (a callback
 * offered in the queue); the number's Voice URL in the emulator is the app's. The agents connect their phones. After
 * the HTTP floor and a warm-up round, the measured round: {@code --callers} callers ring, {@code
 * --arrivals-per-second}, and press 1; once all wait in the queue every agent makes themselves available at once;
 * each caller put through talks for a {@code --talk-min-ms} to {@code --talk-max-ms} time and hangs up, and the
 * agent gets the next caller, until the queue is empty. Measured from the emulator: every webhook's round trip, and
 * for each agent the time from being free (the previous caller's hang-up answered, or the availability answered) to
 * the next caller in their conference. Then the app stops and the database is checked.
 */
final class InboundHarness {

    static final String NAME = "inbound";
    private static final String AGENT_PASSWORD = "bench-Agent-password-1";
    /** The team's inbound number (a UK mobile number, which the app's number check takes). */
    private static final String NUMBER = "+447911000001";
    /** Callers' numbers: UK mobiles, the warm-up's apart from the measured round's. */
    private static final String MEASURED_CALLERS = "+447400";
    private static final String WARMUP_CALLERS = "+44741";
    /** The warm-up's rounds: callers each, and the JIT's share of the app's CPU in one below which it ends. */
    private static final int WARMUP_BATCH = 200;
    private static final double JIT_QUIET = 0.05;
    /** Threads ringing the callers on schedule: each holds a caller until they wait in the queue. */
    private static final int RINGING_THREADS = 32;
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The warm-up round's callers talk briefly: it is there for the JIT, the pools and the caches. */
    private static final Think WARMUP_TALK = new Think(Duration.ofMillis(100), Duration.ofMillis(300));
    /** How often the callers are looked at for one who has just been put through (to start their talk time). */
    private static final Duration LOOK_EVERY = Duration.ofMillis(10);
    private static final String FAR_FUTURE = "timestamp '9999-12-31 00:00:00'";

    private final BenchOptions options;
    private final Path appJar;

    InboundHarness(BenchOptions options, Path appJar) {
        this.options = options;
        this.appJar = appJar;
    }

    /** The team behind the inbound number, and its agents' clients. */
    private record Team(long id, List<InboundClient> agents) {

        String queue() {
            return "team-" + id;
        }
    }

    /** One round's callers, when each agent's availability was answered, and the round's times. */
    private record Round(List<EmulatedCall> callers, Map<String, Instant> availableAt, double queueSeconds,
            InboundMeasures.Cpu cpu) {
    }

    InboundMeasures run(Database database) throws Exception {
        boolean postgres = database == Database.POSTGRES;
        String url = postgres ? Harness.freshPostgres(options.postgres())
                : H2Settings.ofAppJar(appJar).url(Path.of("target/bench/inbound-" + System.nanoTime()));
        InboundMeasures measures = new InboundMeasures(database);
        // Null (nothing to close) on H2.
        try (AutovacuumStandIn autovacuum = postgres ? AutovacuumStandIn.start(url) : null) {
            app(database, url, measures);
            // The app has stopped: H2's file is free.
            try (Connection connection = DriverManager.getConnection(url, postgres ? "postgres" : "sa", "")) {
                measures.rows = rows(connection);
            }
            System.out.println("   database: " + measures.rows);
            if (autovacuum != null) {
                measures.statistics = autovacuum.describe();
            }
        }
        return measures;
    }

    private void app(Database database, String url, InboundMeasures measures) throws Exception {
        String tag = database.option;
        List<String> jvmOptions = options.jfr() ? List.of("-XX:StartFlightRecording=dumponexit=true,"
                + "settings=profile,filename=" + Path.of("target/bench/app-inbound-" + tag + ".jfr").toAbsolutePath())
                : List.of();
        // Agents' phones pick up at once; everything else at real timings.
        try (TwilioEmulator twilio = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withPort(Harness.freePort()).withOutboundOutcome(CallOutcome.ANSWER)
                .withPlaySeconds(options.holdPlaySeconds()));
                GatewaySimulator gateway = GatewaySimulator.start("127.0.0.1", 0,
                        GatewaySimulator.DEFAULT_SECRET_KEY)) {
            System.out.println("== inbound, " + tag + ": starting the app");
            int port = Harness.freePort();
            try (AppProcess app = AppProcess.start(appJar, port,
                    Harness.appProperties(database, url, port, twilio, gateway),
                    Path.of("target/bench/app-inbound-" + tag + ".log"), jvmOptions)) {
                System.out.println("== inbound, " + tag + ": setting up");
                Team team = setUp(app, twilio);

                System.out.println("== inbound, " + tag + ": HTTP floor, GET /health");
                Harness.settle();
                measures.floor = Harness.floor(app);

                System.out.println("== inbound, " + tag + ": warm-up, " + options.warmupCallers() + " to "
                        + options.warmupCallersMax() + " callers");
                int[] batches = {0};
                measures.warmupCallers = WarmUp.untilJitQuiet("app", options.warmupCallers(),
                        options.warmupCallersMax(), WARMUP_BATCH, JIT_QUIET, callers -> {
                            // Each batch's callers have numbers of their own.
                            Round round = round(app, twilio, team, callers, WARMUP_TALK,
                                    WARMUP_CALLERS + (batches[0]++ % 10));
                            Parallel.forEach(team.agents().size(), 4, i -> team.agents().get(i)
                                    .setAvailable(false));
                            return new WarmUp.Cost(round.cpu().appMillis(), round.cpu().jitMillis());
                        });

                System.out.println("== inbound, " + tag + ": " + options.callers() + " callers queue, then "
                        + team.agents().size() + " agents take them");
                Harness.settle();
                twilio.clearWebhooks();
                Round round = round(app, twilio, team, options.callers(), options.talk(), MEASURED_CALLERS);
                measure(measures, round, twilio.webhooks(), team.agents().size());
                awaitAgentsFree(team);
            }
        }
    }

    /** The campaign, the team and its agents with their phones connected, the inbound number routed to the app. */
    private Team setUp(AppProcess app, TwilioEmulator twilio) throws Exception {
        DiallerClient admin = new DiallerClient(app.baseUrl, "admin", Harness.PASSWORD);
        long campaign = admin.createCampaign("Inbound benchmark " + Instant.now());
        admin.openDialling(campaign);
        long list = admin.createCallList("Inbound benchmark list", campaign);
        List<String> ids = IntStream.rangeClosed(1, options.inboundAgents())
                .mapToObj(i -> String.format("inbench%03d", i)).toList();
        ids.forEach(id -> admin.createAgent(id, AGENT_PASSWORD));
        long teamId = admin.createTeam("Inbound benchmark team", ids, List.of(new TeamList(list, 1)));
        new InboundClient(app.baseUrl, "admin", Harness.PASSWORD).createInboundNumber(NUMBER, teamId, campaign);
        twilio.setVoiceUrl(NUMBER, app.baseUrl + "/twilio/inbound/voice", app.baseUrl + "/twilio/calls/status");

        List<InboundClient> agents = ids.stream().map(id -> new InboundClient(app.baseUrl, id, AGENT_PASSWORD))
                .toList();
        Parallel.forEach(agents.size(), 4, i -> agents.get(i).connectPhone());
        Instant until = Instant.now().plus(WAIT);
        for (InboundClient agent : agents) {
            while (!agent.phoneConnected()) {
                if (Instant.now().isAfter(until)) {
                    throw new IllegalStateException(agent.user() + "'s phone did not connect within " + WAIT);
                }
                AppProcess.pause(Duration.ofMillis(100));
            }
        }
        return new Team(teamId, agents);
    }

    /**
     * One round: {@code count} callers ring on schedule and press 1; once all wait in the queue, every agent is made
     * available; each caller put through talks for a {@code talk} time and hangs up; over once every caller's call
     * has ended and every webhook has its answer.
     */
    private Round round(AppProcess app, TwilioEmulator twilio, Team team, int count, Think talk, String callerPrefix)
            throws Exception {
        Cpu cpu = Cpu.start(app);
        Duration postgresBefore = postgresCpuTime();
        Duration waitedBefore = app.runQueueWait();
        EmulatedCall[] callers = new EmulatedCall[count];
        long start = System.nanoTime();
        long apart = 1_000_000_000L / options.arrivalsPerSecond();
        Parallel.forEach(count, RINGING_THREADS, i -> {
            long due = start + i * apart;
            while (System.nanoTime() < due) {
                AppProcess.pause(Duration.ofNanos(Math.max(1_000_000, due - System.nanoTime())));
            }
            EmulatedCall caller = twilio.placeInboundCall(callerPrefix + String.format("%06d", i), NUMBER);
            caller.awaitGather(WAIT);
            caller.press(InboundClient.TEAM_KEY);
            caller.awaitQueued(WAIT);
            callers[i] = caller;
        });
        double queueSeconds = (System.nanoTime() - start) / 1e9;
        twilio.awaitQueueSize(team.queue(), count, WAIT);
        System.out.printf("   %d callers queued in %.1f s%n", count, queueSeconds);

        Map<String, Instant> availableAt = new ConcurrentHashMap<>();
        Parallel.onThreads(team.agents().size(), i -> {
            InboundClient agent = team.agents().get(i);
            if (!agent.setAvailable(true)) {
                throw new IllegalStateException(agent.user() + " is not available");
            }
            availableAt.put("agent-" + agent.user(), Instant.now());
        });
        talkAndHangUp(List.of(callers), talk, count, team.agents().size());
        twilio.awaitWebhooksDelivered(Duration.ofMinutes(1));
        InboundMeasures.Cpu used = new InboundMeasures.Cpu(cpu.jvmMillis(count), cpu.jvmCompilerMillis(count),
                postgresCpuTime().minus(postgresBefore).toNanos() / 1e6 / count,
                cpu.ownMillis(count), cpu.machineBusy(),
                app.runQueueWait().minus(waitedBefore).toNanos() / 1e6 / count);
        System.out.printf("   served %d callers; CPU ms a call: app %.1f (JIT %.1f), PostgreSQL %.1f, load generator"
                + " %.1f; machine's cores %.0f%% busy; the app's threads waited %.1f ms a call for a core%n", count,
                used.appMillis(), used.jitMillis(), used.postgresMillis(), used.generatorMillis(),
                100 * used.machineBusy(), used.appRunQueueMillis());
        return new Round(List.of(callers), availableAt, queueSeconds, used);
    }

    /**
     * Looks at the callers every {@link #LOOK_EVERY}: one who has joined a conference hangs up a talk time later.
     * Returns once every caller's call has ended.
     */
    private static void talkAndHangUp(List<EmulatedCall> callers, Think talk, int count, int agents) {
        Duration limit = talk.max().plusSeconds(5).multipliedBy(count / agents + 1).plus(WAIT);
        long deadline = System.nanoTime() + limit.toNanos();
        boolean[] talking = new boolean[callers.size()];
        ScheduledExecutorService hangUps = Executors.newScheduledThreadPool(2);
        try {
            while (true) {
                int ended = 0;
                for (int i = 0; i < callers.size(); i++) {
                    EmulatedCall caller = callers.get(i);
                    if (caller.ended()) {
                        ended++;
                    } else if (!talking[i] && caller.inConference()) {
                        talking[i] = true;
                        hangUps.schedule(caller::hangUp, talk.draw().toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
                if (ended == callers.size()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException((callers.size() - ended) + " callers still on the line "
                            + limit.toSeconds() + " s after the agents became available");
                }
                AppProcess.pause(LOOK_EVERY);
            }
        } finally {
            hangUps.shutdownNow();
        }
    }

    /** The measured round's figures from the emulator: webhooks, the agents' turns, and what it saw. */
    private static void measure(InboundMeasures measures, Round round, List<WebhookExchange> webhooks, int agents) {
        measures.callers = round.callers().size();
        measures.agents = agents;
        measures.queueSeconds = round.queueSeconds();
        measures.cpu = round.cpu();
        measures.webhooks = webhooks;

        Map<String, List<WebhookExchange>> byCall = new HashMap<>();
        webhooks.forEach(w -> byCall.computeIfAbsent(w.callSid(), sid -> new ArrayList<>()).add(w));
        List<AgentTurns.Caller> callers = new ArrayList<>();
        int bridgedTwice = 0;
        double waitGaps = 0;
        int waitGapCount = 0;
        for (EmulatedCall call : round.callers()) {
            List<WebhookExchange> own = byCall.getOrDefault(call.sid(), List.of());
            WebhookExchange hangUp = own.stream().filter(w -> WebhookExchange.KIND_STATUS.equals(w.kind())
                    && "completed".equals(w.params().get("CallStatus"))).findFirst().orElse(null);
            callers.add(new AgentTurns.Caller(call.sid(), call.conferenceJoins(),
                    hangUp == null ? null : hangUp.sentAt().plusNanos(hangUp.latencyNanos()),
                    hangUp == null ? null : hangUp.sentAt()));
            if (own.stream().filter(w -> "bridge".equals(InboundMeasures.endpoint(w.url()))).count() > 1) {
                bridgedTwice++;
            }
            List<Instant> waits = own.stream().filter(w -> WebhookExchange.KIND_WAIT.equals(w.kind()))
                    .map(WebhookExchange::sentAt).sorted().toList();
            for (int i = 1; i < waits.size(); i++) {
                waitGaps += Duration.between(waits.get(i - 1), waits.get(i)).toNanos() / 1e9;
                waitGapCount++;
            }
        }
        measures.waitEverySeconds = waitGapCount == 0 ? Double.NaN : waitGaps / waitGapCount;
        AgentTurns.Result turns = AgentTurns.of(callers, round.availableAt());
        measures.nextCaller = Stats.ofNanos(turns.allLagNanos());
        measures.firstCaller = Stats.ofNanos(turns.lagNanos(true));
        measures.afterHangUp = Stats.ofNanos(turns.lagNanos(false));
        measures.seen = new Seen(callers.size(), turns.neverJoined().size(), turns.joinedTwice().size(),
                turns.overlapping().size(), bridgedTwice);
        Instant firstAvailable = round.availableAt().values().stream().min(Comparator.naturalOrder()).orElseThrow();
        Instant lastHangUp = callers.stream().map(AgentTurns.Caller::hangUpAnswered).filter(t -> t != null)
                .max(Comparator.naturalOrder()).orElse(firstAvailable);
        measures.drainSeconds = Duration.between(firstAvailable, lastHangUp).toNanos() / 1e9;

        System.out.println("   webhooks: " + webhooks.size() + ", " + measures.webhookLatency());
        measures.byEndpoint().forEach((endpoint, stats) -> System.out.println("     " + endpoint + ": " + stats));
        System.out.println("   agent free → next caller in conference: " + measures.nextCaller + " (first "
                + measures.firstCaller + "; after a hang-up " + measures.afterHangUp + ")");
        System.out.println("   drained in " + Stats.f(measures.drainSeconds) + " s; a waiting caller asked for the"
                + " wait document every " + Stats.f(measures.waitEverySeconds) + " s; emulator: " + measures.seen);
    }

    /** Before the app stops: every agent's last call is over in the app too (its row ended, the agent released). */
    private static void awaitAgentsFree(Team team) {
        Instant until = Instant.now().plus(WAIT);
        for (InboundClient agent : team.agents()) {
            while (agent.onCall()) {
                if (Instant.now().isAfter(until)) {
                    System.out.println("   " + agent.user() + " is still on an inbound call in the app");
                    return;
                }
                AppProcess.pause(Duration.ofMillis(100));
            }
        }
    }

    /** The database's view of every call of the run (the warm-up's too). */
    private static Rows rows(Connection connection) throws SQLException {
        return new Rows(count(connection, "select count(*) from inbound_call"),
                count(connection, "select count(*) from inbound_call where result = 'SERVED'"),
                count(connection, "select count(*) from inbound_call a join inbound_call b on a.assigned_to ="
                        + " b.assigned_to and a.id < b.id where a.assigned_at < coalesce(b.ended_at, " + FAR_FUTURE
                        + ") and b.assigned_at < coalesce(a.ended_at, " + FAR_FUTURE + ")"),
                count(connection, "select count(*) from (select proc_inst_id_ from act_hi_actinst where act_id_ = '"
                        + InboundCallProcess.Elements.CALLER_BRIDGED + "' group by proc_inst_id_ having count(*) > 1)"
                        + " twice"),
                count(connection, "select count(*) from act_hi_actinst where proc_def_key_ = '"
                        + InboundCallProcess.PROCESS_KEY + "' and act_id_ = '" + InboundCallProcess.Elements.END_SERVED
                        + "'"));
    }

    private static int count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    /**
     * The CPU time of the PostgreSQL backends serving the benchmark's database (the app's pooled connections): other
     * databases' on a shared server are not counted. Zero on H2 or where there is no /proc.
     */
    private Duration postgresCpuTime() {
        String postgres = options.postgres();
        return ProcCpu.processesCpuTime("postgres", " " + postgres.substring(postgres.indexOf('/') + 1) + " ");
    }

    /** The app's {@code inbound.dispatch-sweep}: its application.yml's, or the default. */
    static String dispatchSweep(Path jar) throws Exception {
        Object sweep = CallbackHarness.appSetting(jar, "inbound", "dispatch-sweep");
        return sweep == null ? "PT2S (the default)" : sweep.toString();
    }
}
