package org.callcentre.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the PostgreSQL server's backends for one database are doing, sampled from {@code pg_stat_activity} every
 * {@link #EVERY} over a phase: on average how many run a statement, how many of those wait for a row or table lock
 * (another transaction's), and how many hold a transaction open while their client (a node) does something else.
 * Where the database is what limits the load the first is near the cores it has; lock waits show nodes contending
 * for the same rows.
 */
final class PostgresActivity implements AutoCloseable {

    static final Duration EVERY = Duration.ofMillis(200);

    /** The means over a phase's samples. */
    record Means(int samples, double active, double waitingForLock, double idleInTransaction) {

        static final Means NONE = new Means(0, Double.NaN, Double.NaN, Double.NaN);
    }

    private final Connection connection;
    private final ScheduledExecutorService timer;
    private int samples;
    private long active;
    private long waitingForLock;
    private long idleInTransaction;

    private PostgresActivity(Connection connection) {
        this.connection = connection;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "postgres-activity");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sampling the backends of the database at {@code url} (this sampler's own excepted). */
    static PostgresActivity start(String url) throws SQLException {
        PostgresActivity activity = new PostgresActivity(DriverManager.getConnection(url, "postgres", ""));
        activity.timer.scheduleAtFixedRate(activity::sample, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return activity;
    }

    private void sample() {
        try (Statement sql = connection.createStatement();
                ResultSet row = sql.executeQuery("select count(*) filter (where state = 'active'),"
                        + " count(*) filter (where state = 'active' and wait_event_type = 'Lock'),"
                        + " count(*) filter (where state like 'idle in transaction%')"
                        + " from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")) {
            row.next();
            synchronized (this) {
                samples++;
                active += row.getLong(1);
                waitingForLock += row.getLong(2);
                idleInTransaction += row.getLong(3);
            }
        } catch (SQLException e) {
            // A missed sample: the means are over the samples taken.
        }
    }

    /** The means since the sampling started, or since the last call. */
    synchronized Means take() {
        Means means = samples == 0 ? Means.NONE : new Means(samples, (double) active / samples,
                (double) waitingForLock / samples, (double) idleInTransaction / samples);
        samples = 0;
        active = 0;
        waitingForLock = 0;
        idleInTransaction = 0;
        return means;
    }

    @Override
    public void close() throws SQLException {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
