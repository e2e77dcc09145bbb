package org.callcentre.processes.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's own H2 schema, new and empty, as the app's first start meets it ({@link EngineH2Schema}). */
class H2PlannerHintsTest {

    /** The engine's lookup of an execution's variables (VariableInstance.xml, selectVariablesByExecutionId). */
    private static final String EXECUTION_VARIABLES = "explain select RES.* from ACT_RU_VARIABLE RES "
            + "left join ACT_RU_EXECUTION EXECUTION on RES.EXECUTION_ID_ = EXECUTION.ID_ "
            + "left join ACT_RU_EXECUTION PARENT_EXECUTION on EXECUTION.PARENT_ID_ = PARENT_EXECUTION.ID_ "
            + "where EXECUTION_ID_ = ? and TASK_ID_ is null";

    private Connection connection;

    @BeforeEach
    void emptyEngineSchema() throws SQLException, IOException {
        connection = EngineH2Schema.create();
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
        return EngineH2Schema.plan(connection, EXECUTION_VARIABLES);
    }
}
