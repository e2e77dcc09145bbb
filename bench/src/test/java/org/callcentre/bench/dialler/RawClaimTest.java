package org.callcentre.bench.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.callcentre.bench.dialler.LockOverlaps.Hold;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RawClaimTest {

    private static final Duration IDLE = Duration.ofMinutes(15);

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {false, true})
    void claimsTheNewestFreeLeadOfItsListThatNextLeadCouldOffer(boolean postgres) throws Exception {
        try (SchemaDatabase database = SchemaDatabase.of(postgres)) {
            long[] lists = database.callLists(2);
            database.leads(lists[0], 1, 10);
            database.leads(lists[1], 11, 5);
            database.execute("update lead set dialable = false where id = 10");
            database.execute("update lead set attempts = 10 where id = 9");
            database.execute("update lead set next_call_at = current_timestamp + interval '1' day where id = 8");
            database.execute("update lead set time_zone = 'Europe/London' where id = 7");
            database.execute("update lead set locked_by = 'someone', locked_at = current_timestamp,"
                    + " lock_touched_at = current_timestamp where id = 6");
            try (RawClaim a = claim(database, "a", lists[0]); RawClaim b = claim(database, "b", lists[0])) {
                assertThat(a.claim()).as("the newest lead Next Lead could offer").isEqualTo(5L);
                assertThat(b.claim()).as("not the lead another agent holds").isEqualTo(4L);
                assertThat(lockedBy(database, 5)).isEqualTo("a");

                assertThat(a.claim()).as("the lead released first is free again").isEqualTo(5L);
                assertThat(b.claim()).isEqualTo(4L);
            }
        }
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {false, true})
    void aLockIdleLongerThanTheLockLivesIsFree(boolean postgres) throws Exception {
        try (SchemaDatabase database = SchemaDatabase.of(postgres)) {
            long[] lists = database.callLists(1);
            database.leads(lists[0], 1, 3);
            database.execute("update lead set locked_by = 'gone', locked_at = timestamp '2020-01-01 00:00:00',"
                    + " lock_touched_at = timestamp '2020-01-01 00:00:00' where id = 3");
            try (RawClaim a = claim(database, "a", lists[0])) {
                assertThat(a.claim()).isEqualTo(3L);
            }
            assertThat(lockedBy(database, 3)).isEqualTo("a");
        }
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {false, true})
    void anEmptyListAnswersNone(boolean postgres) throws Exception {
        try (SchemaDatabase database = SchemaDatabase.of(postgres)) {
            long[] lists = database.callLists(1);
            try (RawClaim a = claim(database, "a", lists[0])) {
                assertThat(a.claim()).isNull();
            }
        }
    }

    /** Twenty agents claiming as fast as they can over a few hundred leads: none ever shares a lead. */
    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {false, true})
    void concurrentAgentsNeverHoldOneLead(boolean postgres) throws Exception {
        int agents = 20;
        try (SchemaDatabase database = SchemaDatabase.of(postgres)) {
            long[] lists = database.callLists(1);
            database.leads(lists[0], 1, 300);
            ConcurrentLinkedQueue<Hold> holds = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(agents);
            List<Future<Integer>> claimed = new ArrayList<>();
            try {
                for (int i = 0; i < agents; i++) {
                    String agent = "agent" + i;
                    claimed.add(pool.submit(() -> {
                        int claims = 0;
                        try (RawClaim claim = claim(database, agent, lists[0])) {
                            Long held = null;
                            long since = 0;
                            for (int n = 0; n < 100; n++) {
                                long sent = System.nanoTime();
                                Long lead = claim.claim();
                                if (held != null) {
                                    holds.add(new Hold(held, agent, since, sent));
                                }
                                held = lead;
                                since = System.nanoTime();
                                claims += lead == null ? 0 : 1;
                            }
                            if (held != null) {
                                holds.add(new Hold(held, agent, since, Long.MAX_VALUE));
                            }
                        }
                        return claims;
                    }));
                }
                for (Future<Integer> agent : claimed) {
                    assertThat(agent.get()).as("every claim found a lead").isEqualTo(100);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(holds).hasSize(agents * 100);
            assertThat(LockOverlaps.seen(holds)).isZero();
            try (Connection connection = database.connect(); Statement sql = connection.createStatement();
                    ResultSet row = sql.executeQuery("select count(*), count(distinct locked_by) from lead"
                            + " where locked_by is not null")) {
                row.next();
                assertThat(row.getInt(1)).as("one lead each at the end").isEqualTo(agents);
                assertThat(row.getInt(2)).isEqualTo(agents);
            }
        }
    }

    private static RawClaim claim(SchemaDatabase database, String agent, long list) throws SQLException {
        return new RawClaim(database.connect(), database.postgres, agent, list, 10, List.of("UTC"), IDLE);
    }

    private static String lockedBy(SchemaDatabase database, long lead) throws SQLException {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery("select locked_by from lead where id = " + lead)) {
            row.next();
            return row.getString(1);
        }
    }
}
