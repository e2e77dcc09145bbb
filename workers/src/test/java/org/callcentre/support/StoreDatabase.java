package org.callcentre.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A database with the application's real schema, migrated by Flyway from {@code classpath:db/migration} with the
 * app's settings: H2 in a file of its own under {@code target/} with the app's URL options, or a schema of its own in
 * the PostgreSQL database named by {@code CALLCENTRE_TEST_PG_DB} (at {@code CALLCENTRE_TEST_PG}, 127.0.0.1:5432 by
 * default). Tests get one through {@link OnEachDatabase}, which makes one of each per test class and drops it after.
 */
public final class StoreDatabase implements AutoCloseable {

    /** Which database: what a store's SQL must run unchanged on. */
    public enum Kind {
        H2, POSTGRESQL
    }

    private static final String PG_HOST = setting("CALLCENTRE_TEST_PG", "127.0.0.1:5432");
    private static final String PG_DATABASE = setting("CALLCENTRE_TEST_PG_DB", "callcentre_test");
    /** As spring.datasource.url in app/src/main/resources/application.yml, apart from the file. */
    private static final String H2_OPTIONS =
            ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=256;CACHE_SIZE=32768;AUTO_COMPACT_FILL_RATE=80";

    private final Kind kind;
    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final List<String> tables;
    private final Runnable drop;

    private StoreDatabase(Kind kind, HikariDataSource dataSource, String schema, Runnable drop) {
        this.kind = kind;
        this.dataSource = dataSource;
        this.drop = drop;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        migrate(dataSource, schema);
        this.tables = jdbc.queryForList("select table_name from information_schema.tables where lower(table_schema) = "
                + "lower(?) and table_type in ('BASE TABLE', 'TABLE') and lower(table_name) <> 'flyway_schema_history'",
                String.class, schema);
    }

    /** H2 in a new file under {@code target/store-db}, removed on {@link #close()}. */
    public static StoreDatabase h2(String name) {
        Path directory = Path.of("target", "store-db").toAbsolutePath();
        Path file = directory.resolve(name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        HikariDataSource dataSource = pool("jdbc:h2:file:" + file + H2_OPTIONS, "sa");
        return new StoreDatabase(Kind.H2, dataSource, "PUBLIC", () -> {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path each : files.filter(f -> f.getFileName().toString().startsWith(file.getFileName() + "."))
                        .toList()) {
                    Files.deleteIfExists(each);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A new schema in the PostgreSQL test database (created if missing), dropped on {@link #close()}. */
    public static StoreDatabase postgres(String name) {
        String schema = (name + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        String url = "jdbc:postgresql://" + PG_HOST + "/" + PG_DATABASE;
        createDatabaseIfMissing();
        execute(url, "create schema " + schema);
        HikariDataSource dataSource = pool(url + "?currentSchema=" + schema, "postgres");
        return new StoreDatabase(Kind.POSTGRESQL, dataSource, schema,
                () -> execute(url, "drop schema " + schema + " cascade"));
    }

    public Kind kind() {
        return kind;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /** Transactions as the app's services have them ({@code @Transactional}: required, the database's isolation). */
    public TransactionTemplate transaction() {
        return transaction;
    }

    /**
     * Runs {@code work} in a transaction of its own that waits at most {@code wait} for a row another transaction
     * locked, then fails with an exception {@link #gaveUpWaitingForALock} recognises (PostgreSQL would wait for ever;
     * H2 for its lock timeout, two seconds).
     */
    public <T> T inTransactionWaitingAtMost(Duration wait, Supplier<T> work) {
        TransactionTemplate own = new TransactionTemplate(transaction.getTransactionManager());
        own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return own.execute(status -> {
            if (kind == Kind.POSTGRESQL) {
                jdbc.execute("set local lock_timeout = " + wait.toMillis());
                return work.get();
            }
            // A setting of the H2 session, so put back before the connection returns to the pool.
            jdbc.execute("set lock_timeout " + wait.toMillis());
            try {
                return work.get();
            } finally {
                jdbc.execute("set lock_timeout " + org.h2.engine.Constants.INITIAL_LOCK_TIMEOUT);
            }
        });
    }

    /** Whether {@code failure} says a statement stopped waiting for a lock another transaction held. */
    public static boolean gaveUpWaitingForALock(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && ("55P03".equals(sql.getSQLState())
                    || sql.getErrorCode() == org.h2.api.ErrorCode.LOCK_TIMEOUT_1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code work} in a transaction on another thread and keeps that transaction open (its locks held, its
     * writes uncommitted) until the returned one is committed or rolled back.
     */
    public HeldTransaction hold(Runnable work) {
        return new HeldTransaction(transaction, work);
    }

    /** Deletes every row of the application's tables, so each test starts from the migrated, empty schema. */
    public void empty() {
        if (tables.isEmpty()) {
            return;
        }
        if (kind == Kind.POSTGRESQL) {
            jdbc.execute("truncate table " + String.join(", ", tables) + " restart identity cascade");
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("set referential_integrity false");
            try {
                for (String table : tables) {
                    sql.execute("truncate table " + table + " restart identity");
                }
            } finally {
                sql.execute("set referential_integrity true");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty the H2 test database", e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
        drop.run();
    }

    @Override
    public String toString() {
        return kind == Kind.H2 ? "H2" : "PostgreSQL";
    }

    /** As the app's spring.flyway settings, in the given schema. */
    private static void migrate(DataSource dataSource, String schema) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").baselineOnMigrate(true)
                .baselineVersion("0").schemas(schema).defaultSchema(schema).load().migrate();
    }

    /**
     * A small pool. Auto-commit stays on (the app turns it off because every write of its runs in a Spring
     * transaction): a test may call a store outside a transaction and see its write kept.
     */
    private static HikariDataSource pool(String url, String user) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }

    private static void createDatabaseIfMissing() {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/postgres", "postgres", "");
                Statement sql = admin.createStatement()) {
            var exists = sql.executeQuery("select 1 from pg_database where datname = '" + PG_DATABASE + "'");
            if (!exists.next()) {
                sql.execute("create database " + PG_DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_HOST + " is needed for the store tests "
                    + "(start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)", e);
        }
    }

    private static void execute(String url, String statement) {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + " failed on " + url, e);
        }
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
