package org.callcentre.app.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.AppProcess;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.DiallerSetup.NewLead;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two nodes of the packaged app on one PostgreSQL database, both running the job executor: 2,000 Call Back Queue
 * callbacks fall due at the same second, and one node is killed ({@code SIGKILL}) when about half of them are due.
 * The jobs the dead node had locked stay locked until their lock expires ({@code lock-time-in-millis}, short here);
 * then the surviving node runs them. Every callback falls due exactly once and none is lost; then the team's agents
 * press Next Lead on the surviving node until it offers nothing, and every callback was offered exactly once.
 * <p>
 * The campaign's calling hours are closed now, so Next Lead offers only the callbacks (scheduled with the hours
 * overridden), never their leads from the call list. A team manager cancels each callback as soon as it is offered:
 * an offered callback whose lead the agent lets go is due again by design, and the agent's next press lets it go.
 * Skipped when PostgreSQL is unreachable. Each node writes its log to {@code target/reliability-node-*.log}.
 */
class CallbackFailoverIT {

    static final int CALLBACKS = 2_000;
    static final int AGENTS = 20;
    /** How long a node's lock on a job holds; the engine's default is five minutes. */
    static final Duration LOCK_TIME = Duration.ofSeconds(15);
    /** From the first schedule to the due time: enough to schedule all of them on a busy two-core machine. */
    static final Duration DUE_IN = Duration.ofSeconds(75);
    static final String DATABASE = "callcentre_reliability";
    static final String PG_HOST = setting("CALLCENTRE_TEST_PG", "127.0.0.1:5432");
    static final String OPERATOR = "ops";
    static final String OPERATOR_PASSWORD = "a-long-operator-passphrase";
    static final String SURVIVOR = "node-a";
    static final String VICTIM = "node-b";
    /** A JVM that {@code SIGKILL} (9) ended. */
    static final int KILLED = 128 + 9;

    static AppProcess survivor;
    static AppProcess victim;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void twoNodesOnOneDatabase() throws Exception {
        Connection admin;
        try {
            admin = DriverManager.getConnection(url("postgres"), "postgres", "");
        } catch (SQLException unreachable) {
            abort("PostgreSQL at " + PG_HOST + " is unreachable: " + unreachable.getMessage());
            return;
        }
        try (admin; Statement sql = admin.createStatement()) {
            sql.execute("drop database if exists " + DATABASE + " with (force)");
            sql.execute("create database " + DATABASE);
        }
        jdbc = new JdbcTemplate(new DriverManagerDataSource(url(DATABASE), "postgres", ""));
        Path jar = AppProcess.packagedJar();
        // One after the other: the first creates the engine's schema and the roles, the second finds them.
        survivor = AppProcess.startJar("reliability-" + SURVIVOR, jar, settings(SURVIVOR));
        victim = AppProcess.startJar("reliability-" + VICTIM, jar, settings(VICTIM));
    }

    /** As an operator would run a node, plus the short lock time and the node's name in the engine's job log. */
    private static List<String> settings(String node) {
        return List.of(
                "--spring.datasource.url=" + url(DATABASE),
                "--spring.datasource.username=postgres",
                "--camunda.bpm.admin-user.id=" + OPERATOR,
                "--camunda.bpm.admin-user.password=" + OPERATOR_PASSWORD,
                "--twilio.account-sid=AC" + "1".repeat(32),
                "--twilio.auth-token=no-call-is-placed-here",
                "--camunda.bpm.job-execution.lock-time-in-millis=" + LOCK_TIME.toMillis(),
                // The gateway's timeout must stay within a quarter of the lock time (WorkersConfiguration).
                "--payment.gateway.timeout=3s",
                "--camunda.bpm.generic-properties.properties.hostname=" + node);
    }

    @AfterAll
    static void stop() throws Exception {
        if (victim != null) {
            victim.close();
        }
        if (survivor != null) {
            survivor.close();
        }
        if (jdbc != null) {
            try (Connection admin = DriverManager.getConnection(url("postgres"), "postgres", "");
                    Statement sql = admin.createStatement()) {
                sql.execute("drop database if exists " + DATABASE + " with (force)");
            }
        }
    }

    @Test
    void aNodeKilledHalfWayLosesNoCallbackAndNoneIsOfferedTwice() throws Exception {
        long started = System.nanoTime();
        AgentApi operator = new AgentApi(survivor.base(), OPERATOR, OPERATOR_PASSWORD);
        List<AgentApi> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            agents.add(CallCentreStaff.create(operator, "backer", "AGENT", false));
        }
        List<Long> leads = seed(operator, agents);
        long seeded = System.nanoTime();

        Instant due = Instant.now().plus(DUE_IN).truncatedTo(ChronoUnit.SECONDS);
        List<Long> callbacks = schedule(leads, due);
        long scheduled = System.nanoTime();
        assertThat(Instant.now()).as("every callback scheduled before its due time").isBefore(due);

        await().atMost(DUE_IN.plusMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> count("callback where status = 'DUE'") >= CALLBACKS / 2);
        ProcessHandle jvm = victim.handle();
        assertThat(jvm.parent()).as("the node is this JVM's own child").contains(ProcessHandle.current());
        assertThat(jvm.info().command()).as("the node's process is the JVM itself, no shell between")
                .hasValueSatisfying(command -> assertThat(command).endsWith("/bin/java"));
        Instant killedAt = Instant.now();
        assertThat(victim.kill()).as("the node's exit status").isEqualTo(KILLED);
        int dueAtKill = count("callback where status = 'DUE'");
        long killed = System.nanoTime();
        // After the kill nothing of the dead node commits: these are the jobs either node held at that moment.
        Map<String, Timestamp> lockedAtKill = new HashMap<>();
        jdbc.query("select id_, lock_exp_time_ from act_ru_job where process_def_key_ = 'callback' "
                + "and lock_owner_ is not null", row -> {
            lockedAtKill.put(row.getString("id_"), row.getTimestamp("lock_exp_time_"));
        });

        await().atMost(LOCK_TIME.plusMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("callback where status = 'DUE'") == CALLBACKS);
        long allDue = System.nanoTime();

        assertThat(jdbc.queryForList("select c.id from callback c where (select count(*) from lead_history h "
                + "where h.lead_id = c.lead_id and h.kind = 'CALLBACK_DUE' "
                + "and h.detail like concat('callback ', c.id, ' is due%')) <> 1", Long.class))
                .as("callbacks without exactly one CALLBACK_DUE in their lead's history").isEmpty();
        assertThat(count("lead_history where kind = 'CALLBACK_DUE'")).isEqualTo(CALLBACKS);
        assertThat(count("act_ru_job where process_def_key_ = 'callback'")).as("callback jobs left").isZero();
        assertThat(count("act_ru_incident")).as("incidents").isZero();
        Map<String, Integer> ranByNode = new HashMap<>();
        jdbc.query("select hostname_, count(*) ran from act_hi_job_log where act_id_ = 'Timer_Due' "
                + "and job_state_ = 2 group by hostname_", row -> {
                    ranByNode.put(row.getString("hostname_"), row.getInt("ran"));
                });
        assertThat(ranByNode).as("due timers run, by node").containsOnlyKeys(SURVIVOR, VICTIM);
        assertThat(ranByNode.values()).as("due timers run, by node").allSatisfy(ran -> assertThat(ran).isPositive());
        assertThat(ranByNode.get(SURVIVOR) + ranByNode.get(VICTIM)).as("due timers run").isEqualTo(CALLBACKS);
        int takenOver = takenOverFromTheDeadNode(lockedAtKill);
        assertThat(takenOver).as("jobs the dead node held, run by the survivor once their lock expired").isPositive();
        int failures = count("act_hi_job_log where act_id_ = 'Timer_Due' and job_state_ = 1");

        Offers offers = offerAll(operator, agents);
        long offered = System.nanoTime();

        assertThat(offers.unexpected()).as("answers no agent should get").isEmpty();
        assertThat(offers.twice()).as("callbacks offered twice").isEmpty();
        assertThat(offers.byCallback().keySet()).as("callbacks offered").containsExactlyInAnyOrderElementsOf(callbacks);
        assertThat(jdbc.queryForList("select c.id from callback c where (select count(*) from lead_history h "
                + "where h.lead_id = c.lead_id and h.kind = 'CALLBACK_OFFERED' "
                + "and h.detail like concat('callback ', c.id, ' offered%')) <> 1", Long.class))
                .as("callbacks without exactly one CALLBACK_OFFERED in their lead's history").isEmpty();
        assertThat(count("lead_history where kind = 'CALLBACK_OFFERED'")).isEqualTo(CALLBACKS);
        assertThat(count("callback where offers <> 1")).as("callbacks not offered exactly once").isZero();
        assertThat(count("callback where status = 'DUE'")).as("callbacks still due").isZero();
        assertThat(count("callback where status = 'CANCELLED'")).isEqualTo(CALLBACKS);

        System.out.printf("CallbackFailoverIT: %d callbacks, %d agents; seeded in %.1f s, scheduled in %.1f s "
                + "(due %s), half due and %s killed after %.1f s more (%d due then, %d jobs locked by either node), "
                + "all due %.1f s after the kill (%d jobs taken over from the dead node; timers run: %s; "
                + "%d job failures), all offered in %.1f s; %.1f s in all%n", CALLBACKS, AGENTS,
                seconds(started, seeded), seconds(seeded, scheduled), due, VICTIM, seconds(scheduled, killed),
                dueAtKill, lockedAtKill.size(), seconds(killed, allDue), takenOver, ranByNode, failures,
                seconds(allDue, offered), seconds(started, offered));
    }

    /**
     * A campaign whose calling hours are closed now (an hour half a day away, in UTC), its call list with the leads,
     * and the team of {@code agents} working it. Answers the leads' ids.
     */
    private static List<Long> seed(AgentApi operator, List<AgentApi> agents) {
        int hour = (LocalDateTime.now(ZoneOffset.UTC).getHour() + 12) % 24;
        hour = Math.min(hour, 22);
        long campaign = DiallerSetup.campaign(operator, DiallerSetup.rules(0, 10, 10,
                String.format("%02d:00", hour), String.format("%02d:00", hour + 1), "UTC"),
                List.of("+447911124101"));
        long callList = DiallerSetup.callList(operator, campaign);
        List<NewLead> leads = new ArrayList<>();
        for (int i = 0; i < CALLBACKS; i++) {
            leads.add(NewLead.withPhone(DiallerSetup.mobile()));
        }
        DiallerSetup.importLeads(operator, callList, leads);
        DiallerSetup.team(operator, agents.stream().map(AgentApi::user).toList(), List.of(callList));
        return jdbc.queryForList("select lead_id from lead_call_list where call_list_id = ? order by lead_id",
                Long.class, callList);
    }

    /** A Call Back Queue callback on every lead, due at {@code due}, each through one node or the other in turn. */
    private static List<Long> schedule(List<Long> leads, Instant due) throws Exception {
        List<AgentApi> nodes = List.of(new AgentApi(survivor.base(), OPERATOR, OPERATOR_PASSWORD),
                new AgentApi(victim.base(), OPERATOR, OPERATOR_PASSWORD));
        String dueAt = LocalDateTime.ofInstant(due, ZoneOffset.UTC).toString();
        List<Long> ids = Collections.synchronizedList(new ArrayList<>());
        List<String> refused = Collections.synchronizedList(new ArrayList<>());
        ExecutorService schedulers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < leads.size(); i++) {
                AgentApi node = nodes.get(i % 2);
                long lead = leads.get(i);
                all.add(schedulers.submit(() -> {
                    Reply scheduled = node.post("/api/callbacks", Map.of("leadId", lead, "dueAt", dueAt,
                            "timeZone", "UTC", "reason", "Asked to be called back", "mode", "QUEUE",
                            "overrideCallingHours", true));
                    if (scheduled.status() == 201) {
                        ids.add(scheduled.json().get("id").asLong());
                    } else {
                        refused.add("lead " + lead + ": " + scheduled);
                    }
                }));
            }
            for (Future<?> one : all) {
                one.get(DUE_IN.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            schedulers.shutdownNow();
        }
        assertThat(refused).as("schedules refused").isEmpty();
        assertThat(ids).hasSize(CALLBACKS);
        return List.copyOf(ids);
    }

    /**
     * Of the jobs locked when the node died, those the survivor ran only once their lock had expired: the dead node's
     * (the survivor's own ran at once, well within their lock).
     */
    private static int takenOverFromTheDeadNode(Map<String, Timestamp> lockedAtKill) {
        int takenOver = 0;
        for (Map.Entry<String, Timestamp> job : lockedAtKill.entrySet()) {
            List<Map<String, Object>> ran = jdbc.queryForList("select hostname_, timestamp_ from act_hi_job_log "
                    + "where job_id_ = ? and job_state_ = 2", job.getKey());
            assertThat(ran).as("successful runs of job %s, locked when the node died", job.getKey()).hasSize(1);
            if (!((Timestamp) ran.get(0).get("timestamp_")).before(job.getValue())) {
                assertThat(ran.get(0).get("hostname_")).isEqualTo(SURVIVOR);
                takenOver++;
            }
        }
        return takenOver;
    }

    /** What the agents were offered: each callback and its agent, and what went wrong. */
    private record Offers(ConcurrentMap<Long, String> byCallback, List<String> twice, List<String> unexpected) {
    }

    /**
     * Every agent presses Next Lead on the surviving node until it offers nothing; a team manager cancels each
     * callback as soon as it is offered.
     */
    private static Offers offerAll(AgentApi operator, List<AgentApi> agents) throws Exception {
        Offers offers = new Offers(new ConcurrentHashMap<>(), Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()));
        String reason = URLEncoder.encode("called back in the reliability test", StandardCharsets.UTF_8);
        ExecutorService team = Executors.newFixedThreadPool(AGENTS);
        try {
            List<Future<?>> shifts = new ArrayList<>();
            for (AgentApi agent : agents) {
                shifts.add(team.submit(() -> {
                    // A bound, so that a callback offered again and again cannot keep the agent pressing for ever.
                    for (int press = 0; press <= CALLBACKS; press++) {
                        Reply next = agent.post("/api/agents/me/next-lead", null);
                        if (next.status() != 200) {
                            offers.unexpected().add(agent.user() + " pressed Next Lead: " + next);
                            return;
                        }
                        JsonNode lead = next.json().get("lead");
                        if (lead == null || lead.isNull()) {
                            return;
                        }
                        JsonNode callback = next.json().get("callback");
                        if (callback == null) {
                            offers.unexpected().add(agent.user() + " was offered a lead without a callback: " + next);
                            return;
                        }
                        long id = callback.get("id").asLong();
                        String before = offers.byCallback().putIfAbsent(id, agent.user());
                        if (before != null) {
                            offers.twice().add("callback " + id + " to " + before + ", then to " + agent.user());
                        }
                        Reply cancelled = operator.delete("/api/callbacks/" + id + "?reason=" + reason);
                        if (cancelled.status() != 200) {
                            offers.unexpected().add("cancelling callback " + id + ": " + cancelled);
                            return;
                        }
                    }
                    offers.unexpected().add(agent.user() + " was still offered callbacks after " + CALLBACKS
                            + " presses");
                }));
            }
            for (Future<?> shift : shifts) {
                shift.get(3, TimeUnit.MINUTES);
            }
        } finally {
            team.shutdownNow();
        }
        return offers;
    }

    private static int count(String fromWhere) {
        return jdbc.queryForObject("select count(*) from " + fromWhere, Integer.class);
    }

    private static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }

    private static String url(String database) {
        return "jdbc:postgresql://" + PG_HOST + "/" + database;
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
