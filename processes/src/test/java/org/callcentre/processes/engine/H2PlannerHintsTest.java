package org.callcentre.processes.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/** The engine's own H2 schema, new and empty, as the app's first start meets it. */
class H2PlannerHintsTest {

    /** The engine's lookup of an execution's variables (VariableInstance.xml, selectVariablesByExecutionId). */
    private static final String EXECUTION_VARIABLES = "explain select RES.* from ACT_RU_VARIABLE RES "
            + "left join ACT_RU_EXECUTION EXECUTION on RES.EXECUTION_ID_ = EXECUTION.ID_ "
            + "left join ACT_RU_EXECUTION PARENT_EXECUTION on EXECUTION.PARENT_ID_ = PARENT_EXECUTION.ID_ "
            + "where EXECUTION_ID_ = ? and TASK_ID_ is null";

    private Connection connection;

    @BeforeEach
    void emptyEngineSchema() throws SQLException, IOException {
        connection = DriverManager.getConnection("jdbc:h2:mem:planner-" + UUID.randomUUID(), "sa", "");
        String script;
        try (InputStream in = getClass().getResourceAsStream(
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

    @Test
    void withoutHintsAnExecutionsVariablesAreReadThroughTheTaskIndexThatHoldsEveryProcessVariable() throws SQLException {
        assertThat(plan()).contains("ACT_IDX_VARIABLE_TASK_ID: TASK_ID_ IS NULL");
    }

    @Test
    void withHintsAnExecutionsVariablesAreLookedUpByTheirExecution() throws SQLException {
        H2PlannerHints.apply(connection, "");

        assertThat(plan()).containsPattern("/\\* PUBLIC\\.\\w+: EXECUTION_ID_ = \\?1 \\*/")
                .doesNotContain("ACT_IDX_VARIABLE_TASK_ID");
    }

    @Test
    void hintsCanBeAppliedAtEveryStart() throws SQLException {
        H2PlannerHints.apply(connection, "");
        H2PlannerHints.apply(connection, "");

        assertThat(plan()).containsPattern("EXECUTION_ID_ = \\?1 \\*/");
    }

    private String plan() throws SQLException {
        try (PreparedStatement explain = connection.prepareStatement(EXECUTION_VARIABLES)) {
            explain.setString(1, UUID.randomUUID().toString());
            try (ResultSet rows = explain.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }
}
