package org.callcentre.bench.callback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * When each row was due and when it was found due, read from the database after the run: the moment is the row's
 * own (written in the transaction that made it due), not when a client noticed. Times are UTC, as the app and the
 * poller write them.
 */
public final class DueLags {

    /** One row: due at {@code due}, found due at {@code at}. */
    public record Lag(Instant due, Instant at) {
        public Duration lag() {
            return Duration.between(due, at);
        }
    }

    private DueLags() {
    }

    /**
     * The callbacks made due by their timer: {@code updated_at} is written by the timer's job when it sets
     * {@code DUE}, and nothing else touches them in the benchmark (no agent asks for a lead).
     */
    public static List<Lag> ofCallbacks(Connection connection) throws SQLException {
        return read(connection, "select due_at, updated_at from callback where status = 'DUE'");
    }

    /** The callbacks due at or before {@code until} that are still scheduled: their timer has not fired. */
    public static long callbacksNotDue(Connection connection, Instant until) throws SQLException {
        try (PreparedStatement sql = connection.prepareStatement(
                "select count(*) from callback where status = 'SCHEDULED' and due_at <= ?")) {
            sql.setObject(1, utc(until));
            try (ResultSet rows = sql.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** {@code select due, at from ...}: the two columns as timestamps in UTC. */
    static List<Lag> read(Connection connection, String select) throws SQLException {
        List<Lag> lags = new ArrayList<>();
        try (Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery(select)) {
            while (rows.next()) {
                lags.add(new Lag(utc(rows.getObject(1, LocalDateTime.class)),
                        utc(rows.getObject(2, LocalDateTime.class))));
            }
        }
        return lags;
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant utc(LocalDateTime local) {
        return local == null ? null : local.toInstant(ZoneOffset.UTC);
    }
}
