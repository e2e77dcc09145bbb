package org.callcentre.bench;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code --query-stats}: the app's H2 database keeps per-statement statistics and lets the benchmark connect to
 * it while the app runs (H2's automatic mixed mode, which cannot be combined with {@code DB_CLOSE_ON_EXIT=FALSE}),
 * so the statements that cost the most time can be listed.
 */
final class QueryStats {

    /**
     * The statistics. H2 keeps 100 statements by default, fewer than the engine's schema script alone, and then
     * evicts: an engine-only list taken with the default lacked its {@code COMMIT}s for that reason.
     */
    private static final H2Settings STATISTICS =
            H2Settings.parse(";QUERY_STATISTICS=TRUE;QUERY_STATISTICS_MAX_ENTRIES=1000");

    /** The engine-only database, which the engine-only JVM opens and prints: {@code settings} with statistics. */
    static H2Settings engineSettings(H2Settings settings) {
        return settings.with(STATISTICS);
    }

    /**
     * The app's database: {@code settings} with statistics, and H2's mixed mode so that the benchmark can read them
     * while the app runs (which rules out {@code DB_CLOSE_ON_EXIT}).
     */
    static H2Settings appSettings(H2Settings settings) {
        return settings.without("DB_CLOSE_ON_EXIT").with(STATISTICS).with(H2Settings.parse(";AUTO_SERVER=TRUE"));
    }

    private QueryStats() {
    }

    static void print(String jdbcUrl, int top, PrintStream out) throws SQLException {
        print(jdbcUrl, top, "cumulative_execution_time", out);
        print(jdbcUrl, top, "execution_count", out);
    }

    private static void print(String jdbcUrl, int top, String order, PrintStream out) throws SQLException {
        out.println("H2's statements, by " + order + ":");
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "sa", "");
                Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("select execution_count, cumulative_execution_time, "
                        + "average_execution_time, average_row_count, sql_statement "
                        + "from information_schema.query_statistics order by " + order + " desc "
                        + "limit " + top)) {
            out.println("| executions | total ms | mean ms | mean rows | statement |");
            out.println("|---|---|---|---|---|");
            while (rows.next()) {
                String statement = rows.getString(5).replaceAll("\\s+", " ");
                out.printf("| %d | %.0f | %.3f | %.1f | %s |%n", rows.getLong(1), rows.getDouble(2),
                        rows.getDouble(3), rows.getDouble(4),
                        statement.length() <= 160 ? statement : statement.substring(0, 160) + "…");
            }
        }
    }
}
