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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * On a PostgreSQL server whose autovacuum is off (a test server's setting), does its work for the benchmark: a
 * {@code vacuum analyze} of the database every {@code autovacuum_naptime}, as autovacuum would run on the tables that
 * changed. Without it the statistics stay those of the empty schema, and the plans PostgreSQL caches for the
 * engine's statements on each pooled connection are never made again: a table that was nearly empty when a
 * statement was first planned (the open tasks, the authorizations, the jobs) is then read whole by it however large
 * it grows, which production, where autovacuum runs, never sees. Where autovacuum is on it does nothing.
 */
final class AutovacuumStandIn implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private final AtomicInteger runs = new AtomicInteger();
    private final Duration every;

    private AutovacuumStandIn(ScheduledExecutorService timer, Duration every) {
        this.timer = timer;
        this.every = every;
    }

    /** Starts standing in for autovacuum on the database at {@code url}, if the server's is off. */
    static AutovacuumStandIn start(String url) throws SQLException {
        Duration naptime;
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement sql = connection.createStatement()) {
            if (setting(sql, "autovacuum").equals("on")) {
                return new AutovacuumStandIn(null, null);
            }
            naptime = Duration.ofSeconds(Long.parseLong(setting(sql, "autovacuum_naptime").replace("s", "")));
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "autovacuum-stand-in");
            thread.setDaemon(true);
            return thread;
        });
        AutovacuumStandIn standIn = new AutovacuumStandIn(timer, naptime);
        timer.scheduleWithFixedDelay(() -> standIn.vacuum(url), naptime.toMillis(), naptime.toMillis(),
                TimeUnit.MILLISECONDS);
        return standIn;
    }

    private static String setting(Statement sql, String name) throws SQLException {
        try (ResultSet value = sql.executeQuery("select setting from pg_settings where name = '" + name + "'")) {
            value.next();
            return value.getString(1);
        }
    }

    private void vacuum(String url) {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement sql = connection.createStatement()) {
            sql.execute("vacuum analyze");
            runs.incrementAndGet();
        } catch (SQLException e) {
            System.out.println("   (autovacuum's stand-in failed: " + e.getMessage() + ")");
        }
    }

    /** What kept the statistics: "autovacuum", or this stand-in and how often it ran. */
    String describe() {
        return timer == null ? "autovacuum" : "vacuum analyze every " + every.toSeconds()
                + " s (autovacuum is off on this server), " + runs.get() + " times";
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
