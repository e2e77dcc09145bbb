package org.callcentre.bench.callback;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.callcentre.bench.callback.DueLags.Lag;

/**
 * The baseline beside the engine's timers: the same due times as rows of a plain table, {@code bench_due}, found by
 * one thread that every interval marks the rows now due with one indexed update and commits. The row's
 * {@code fired_at} is the moment the update ran. It does nothing else a callback does (no history, no task, no lead),
 * so its lag is the floor of "find what fell due": about half the interval, plus the update.
 */
public final class DuePoller implements AutoCloseable {

    private final Connection connection;
    private final Duration interval;
    private final int rows;
    private final CountDownLatch allFired = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopped;
    private volatile int fired;
    private volatile Exception failure;
    /** The thread's CPU time when it ended: a thread that has ended reports none. */
    private volatile long endCpuNanos = -1;

    private DuePoller(Connection connection, Duration interval, int rows) {
        this.connection = connection;
        this.interval = interval;
        this.rows = rows;
        this.thread = new Thread(this::poll, "due-poller");
    }

    /**
     * The table and its index for the poll: on PostgreSQL a partial index of the rows not yet fired, so the update
     * reads only those; on H2, which has no partial index, one on {@code (fired_at, due_at)}.
     */
    public static void create(Connection connection, boolean postgres) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("drop table if exists bench_due");
            sql.execute("create table bench_due (id bigint primary key, due_at timestamp not null,"
                    + " fired_at timestamp)");
            sql.execute(postgres ? "create index bench_due_pending on bench_due (due_at) where fired_at is null"
                    : "create index bench_due_pending on bench_due (fired_at, due_at)");
        }
        connection.commit();
    }

    /** One row per due time, in UTC. */
    public static void fill(Connection connection, List<Instant> due, boolean postgres) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into bench_due (id, due_at) values (?, ?)")) {
            for (int i = 0; i < due.size(); i++) {
                insert.setLong(1, i + 1L);
                insert.setObject(2, DueLags.utc(due.get(i)));
                insert.addBatch();
                if (i % 1000 == 999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        if (postgres) {
            try (Statement sql = connection.createStatement()) {
                sql.execute("analyze bench_due");
            }
        }
        connection.commit();
    }

    /** Starts polling, on a thread of its own, every {@code interval} until all {@code rows} have fired. */
    public static DuePoller start(Connection connection, Duration interval, int rows) {
        DuePoller poller = new DuePoller(connection, interval, rows);
        poller.thread.start();
        return poller;
    }

    private void poll() {
        try (PreparedStatement update = connection.prepareStatement(
                "update bench_due set fired_at = ? where fired_at is null and due_at <= ?")) {
            long next = System.nanoTime();
            while (!stopped && fired < rows) {
                var now = DueLags.utc(Instant.now().truncatedTo(ChronoUnit.MICROS));
                update.setObject(1, now);
                update.setObject(2, now);
                fired += update.executeUpdate();
                connection.commit();
                // Fixed rate; a poll that overran its interval is followed at once, not by a catch-up burst.
                next = Math.max(next + interval.toNanos(), System.nanoTime());
                long wait;
                while (!stopped && (wait = next - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
        } finally {
            endCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            allFired.countDown();
        }
    }

    /** CPU time the polling thread has used so far (with H2, the database's work in it too). */
    public Duration cpuTime() {
        long nanos = allFired.getCount() == 0 ? endCpuNanos
                : ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
        return Duration.ofNanos(Math.max(0, nanos));
    }

    /** Waits up to {@code limit} for every row to have fired; answers whether they did. */
    public boolean awaitAllFired(Duration limit) throws Exception {
        boolean done = allFired.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (failure != null) {
            throw new IllegalStateException("the due-row poller failed", failure);
        }
        return done && fired >= rows;
    }

    /** The rows fired so far. */
    public int fired() {
        return fired;
    }

    /** Every fired row's due time and the moment its poll fired it. */
    public static List<Lag> lags(Connection connection) throws SQLException {
        return DueLags.read(connection, "select due_at, fired_at from bench_due where fired_at is not null");
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
