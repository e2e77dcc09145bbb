package org.callcentre.app.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database the app tests run on: H2 in a fresh file under {@code target/} by default, or a freshly created
 * PostgreSQL database when {@code CALLCENTRE_TEST_DB=postgres} (CI runs both). Fresh per test JVM, so a
 * dump after the suite holds exactly what the suite wrote.
 */
public final class TestDatabase {

    public static final boolean POSTGRES = "postgres".equalsIgnoreCase(setting("CALLCENTRE_TEST_DB", "h2"));
    private static final String PG_HOST = setting("CALLCENTRE_TEST_PG", "127.0.0.1:5432");
    private static final String PG_DATABASE = setting("CALLCENTRE_TEST_PG_DB", "callcentre_test");

    private static String url;

    private TestDatabase() {
    }

    public static synchronized String url() {
        if (url == null) {
            url = POSTGRES ? freshPostgres() : freshH2();
        }
        return url;
    }

    public static String user() {
        return POSTGRES ? "postgres" : "sa";
    }

    public static String name() {
        return POSTGRES ? "PostgreSQL" : "H2";
    }

    private static String freshH2() {
        Path file = Path.of("target", "test-db", "callcentre-" + ProcessHandle.current().pid() + "-" + System.nanoTime())
                .toAbsolutePath();
        return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=256";
    }

    private static String freshPostgres() {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/test", "postgres", "");
                Statement sql = admin.createStatement()) {
            sql.execute("drop database if exists " + PG_DATABASE + " with (force)");
            sql.execute("create database " + PG_DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_HOST + " is needed for CALLCENTRE_TEST_DB=postgres "
                    + "(start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)", e);
        }
        return "jdbc:postgresql://" + PG_HOST + "/" + PG_DATABASE;
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
