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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Tests on the engine's own H2 schema, new and empty, as the app's first start meets it: each test gets a database
 * of its own, made with the engine's create script.
 */
abstract class EngineH2Schema {

    protected Connection connection;

    @BeforeEach
    void emptyEngineSchema() throws SQLException, IOException {
        connection = DriverManager.getConnection("jdbc:h2:mem:engine-" + UUID.randomUUID(), "sa", "");
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
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    /** H2's plan for {@code explain} with one string parameter. */
    String plan(String explain) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(explain)) {
            statement.setString(1, UUID.randomUUID().toString());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }
}
