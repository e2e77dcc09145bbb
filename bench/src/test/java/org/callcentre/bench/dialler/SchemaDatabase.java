package org.callcentre.bench.dialler;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.UUID;

import org.flywaydb.core.Flyway;

/**
 * A database with the app's schema, migrated by Flyway from the workers module's migrations: H2 in a file of its own
 * under {@code target/} with the app's URL options, or a schema of its own in the PostgreSQL database named by
 * {@code CALLCENTRE_TEST_PG_DB} (at 127.0.0.1:5432), dropped on {@link #close()}.
 */
final class SchemaDatabase implements AutoCloseable {

    private static final String MIGRATIONS = "filesystem:../workers/src/main/resources/db/migration";
    private static final String H2_OPTIONS =
            ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=256;CACHE_SIZE=32768;AUTO_COMPACT_FILL_RATE=80";
    private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/"
            + System.getenv().getOrDefault("CALLCENTRE_TEST_PG_DB", "callcentre_test");

    final boolean postgres;
    final String url;
    final String user;
    private final String schema;
    /** Keeps H2's database open between the test's connections, as the app's pool does. */
    private final Connection open;

    private SchemaDatabase(boolean postgres, String url, String user, String schema) throws SQLException {
        this.postgres = postgres;
        this.url = url;
        this.user = user;
        this.schema = schema;
        this.open = postgres ? null : DriverManager.getConnection(url, user, "");
        Flyway.configure().dataSource(url, user, "").locations(MIGRATIONS).load().migrate();
    }

    static SchemaDatabase of(boolean postgres) throws SQLException {
        if (!postgres) {
            Path file = Path.of("target", "dialler-test", "raw-" + System.nanoTime()).toAbsolutePath();
            return new SchemaDatabase(false, "jdbc:h2:file:" + file + H2_OPTIONS, "sa", null);
        }
        String schema = ("bench_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(PG_URL, "postgres", "");
                Statement sql = connection.createStatement()) {
            sql.execute("create schema " + schema);
        }
        return new SchemaDatabase(true, PG_URL + "?currentSchema=" + schema, "postgres", schema);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    /** A campaign and {@code lists} call lists of it; answers the lists' ids. */
    long[] callLists(int lists) throws SQLException {
        long[] ids = new long[lists];
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("insert into campaign (name, currency, locale, instant_payment, tokens_enabled, payment_first,"
                    + " created_at) values ('Bench', 'GBP', 'en-GB', true, true, true, current_timestamp)");
            for (int i = 0; i < lists; i++) {
                sql.execute("insert into call_list (name, campaign_id, created_at) select 'List " + i
                        + "', max(id), current_timestamp from campaign");
                try (var row = sql.executeQuery("select max(id) from call_list")) {
                    row.next();
                    ids[i] = row.getLong(1);
                }
            }
        }
        return ids;
    }

    /** {@code count} dialable leads in UTC, in {@code callList}, with ids from {@code firstId}. */
    void leads(long callList, long firstId, int count) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement lead = connection.prepareStatement("insert into lead (id, external_ref, time_zone,"
                        + " first_phone, created_at) values (?, ?, 'UTC', ?, ?)");
                PreparedStatement inList = connection.prepareStatement("insert into lead_call_list (call_list_id,"
                        + " lead_id, added_at) values (?, ?, ?)")) {
            connection.setAutoCommit(false);
            LocalDateTime now = LocalDateTime.now();
            for (long id = firstId; id < firstId + count; id++) {
                lead.setLong(1, id);
                lead.setString(2, LeadFile.externalRef(id));
                lead.setString(3, LeadFile.phone(id));
                lead.setObject(4, now);
                lead.addBatch();
                inList.setLong(1, callList);
                inList.setLong(2, id);
                inList.setObject(3, now);
                inList.addBatch();
            }
            lead.executeBatch();
            inList.executeBatch();
            connection.commit();
        }
    }

    void execute(String statement) throws SQLException {
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    @Override
    public void close() throws SQLException {
        if (postgres) {
            try (Connection connection = DriverManager.getConnection(PG_URL, "postgres", "");
                    Statement sql = connection.createStatement()) {
                sql.execute("drop schema " + schema + " cascade");
            }
        } else {
            execute("shutdown");
            open.close();
        }
    }
}
