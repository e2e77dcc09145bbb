package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Fifty agents pressing Next Lead for a few seconds over a few thousand leads, on H2 and on PostgreSQL: never two
 * agents on one lead, checked by queries of their own over the locks and over every lead's history.
 */
class NextLeadConcurrencyTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    private static final int AGENTS = 50;
    private static final int LEADS = 3000;
    private static final Duration RUN = Duration.ofSeconds(4);

    @OnEachDatabase
    void fiftyAgentsNeverHoldOneLead(StoreDatabase database) throws Exception {
        JdbcTemplate jdbc = database.jdbc();
        ((HikariDataSource) database.dataSource()).getHikariConfigMXBean().setMaximumPoolSize(20);
        MovableClock clock = new MovableClock(T0);
        LeadHistory history = new LeadHistory(jdbc, clock);
        LeadLocks locks = new LeadLocks(jdbc, clock, new DiallerProperties(15), history,
                database.transaction().getTransactionManager());
        NextLeadQuery nextLead = new NextLeadQuery(List.of(new TeamCallListTier(jdbc, locks, history)), locks,
                database.transaction().getTransactionManager());
        DiallerRows rows = new DiallerRows(jdbc);
        long campaign = rows.campaign();
        long heavy = rows.callList(campaign);
        long light = rows.callList(campaign);
        String[] agents = new String[AGENTS];
        for (int i = 0; i < AGENTS; i++) {
            agents[i] = "agent" + i;
        }
        long team = rows.team(agents);
        rows.works(team, heavy, 2);
        rows.works(team, light, 1);
        rows.lead("America/New_York", heavy);
        rows.lead("Europe/London", light);
        List<Object[]> leads = new ArrayList<>();
        List<Object[]> memberships = new ArrayList<>();
        for (long id = 3; id <= LEADS; id++) {
            leads.add(new Object[] {id, id % 3 == 0 ? "America/New_York" : "Europe/London", "+44770" + id,
                Timestamp.from(T0)});
            memberships.add(new Object[] {id % 2 == 0 ? heavy : light, id, Timestamp.from(T0)});
        }
        jdbc.batchUpdate("insert into lead (id, time_zone, first_phone, created_at) values (?, ?, ?, ?)", leads);
        jdbc.batchUpdate("insert into lead_call_list (call_list_id, lead_id, added_at) values (?, ?, ?)",
                memberships);

        AtomicInteger claims = new AtomicInteger();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + RUN.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(AGENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (String agent : agents) {
                running.add(pool.submit(() -> {
                    int pressed = 0;
                    while (System.nanoTime() < deadline) {
                        Optional<Long> lead = nextLead.claim(agent);
                        if (lead.isEmpty()) {
                            continue;
                        }
                        claims.incrementAndGet();
                        String holder = jdbc.queryForObject("select locked_by from lead where id = ?", String.class,
                                lead.get());
                        if (!agent.equals(holder)) {
                            wrong.add(agent + " was offered lead " + lead.get() + " held by " + holder);
                        }
                        if (++pressed % 3 == 0) {
                            // A call placed: not offered again for an hour.
                            jdbc.update("update lead set attempts = attempts + 1, next_call_at = ? where id = ?",
                                    Timestamp.from(T0.plus(Duration.ofHours(1))), lead.get());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : running) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }

        System.out.printf("%s: %d claims by %d agents in %s%n", database, claims.get(), AGENTS, RUN);
        assertThat(wrong).isEmpty();
        assertThat(claims.get()).as("claims made").isGreaterThan(AGENTS);
        assertThat(jdbc.queryForList("select locked_by from lead where locked_by is not null group by locked_by "
                + "having count(*) > 1", String.class)).as("agents holding two leads").isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from lead where locked_by is not null", Integer.class))
                .isLessThanOrEqualTo(AGENTS);
        assertThat(historyViolations(jdbc)).isEmpty();
    }

    /** Replays every lead's history: a lock is taken only from no one, and released only by its holder. */
    private static List<String> historyViolations(JdbcTemplate jdbc) {
        Map<Long, String> holders = new HashMap<>();
        List<String> violations = new ArrayList<>();
        jdbc.query("select lead_id, user_id, kind from lead_history order by lead_id, id", rs -> {
            long lead = rs.getLong("lead_id");
            String user = rs.getString("user_id");
            String holder = holders.get(lead);
            switch (LeadHistory.Kind.valueOf(rs.getString("kind"))) {
                case LOCKED -> {
                    if (holder != null) {
                        violations.add(user + " locked lead " + lead + " held by " + holder);
                    }
                    holders.put(lead, user);
                }
                case LOCK_RELEASED -> {
                    if (!user.equals(holder)) {
                        violations.add(user + " released lead " + lead + " held by " + holder);
                    }
                    holders.remove(lead);
                }
                default -> violations.add("unexpected " + rs.getString("kind") + " on lead " + lead);
            }
        });
        return violations;
    }
}
