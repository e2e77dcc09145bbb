package org.callcentre.processes.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The engine's own H2 schema, new and empty, as the app's first start meets it, in a database of its own. */
final class EngineH2Schema {

    private EngineH2Schema() {
    }

    static Connection create() throws SQLException, IOException {
        Connection connection = DriverManager.getConnection("jdbc:h2:mem:engine-" + UUID.randomUUID(), "sa", "");
        String script;
        try (InputStream in = EngineH2Schema.class.getResourceAsStream(
                "/org/camunda/bpm/engine/db/create/activiti.h2.create.engine.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
        }
        try (Statement sql = connection.createStatement()) {
            for (String statement : script.split(";")) {
                if (!statement.isBlank()) {
                    sql.execute(statement);
                }
            }
        }
        return connection;
    }

    /** H2's plan for {@code explain} with one string parameter. */
    static String plan(Connection connection, String explain) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(explain)) {
            statement.setString(1, UUID.randomUUID().toString());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }
}
