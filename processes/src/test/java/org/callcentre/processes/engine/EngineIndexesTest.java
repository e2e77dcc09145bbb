package org.callcentre.processes.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's own H2 schema ({@link EngineH2Schema}), before and after the indexes it lacks. */
class EngineIndexesTest {

    /** The engine's lookup of a task's subtasks when a task is completed or deleted (Task.xml). */
    private static final String SUBTASKS = "explain select * from ACT_RU_TASK where PARENT_TASK_ID_ = ?";

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
    void withoutTheIndexEveryOpenTaskIsReadToFindASubtask() throws SQLException {
        assertThat(EngineH2Schema.plan(connection, SUBTASKS)).contains("tableScan")
                .doesNotContain("CALLCENTRE_IDX_TASK_PARENT");
    }

    @Test
    void withTheIndexSubtasksAreLookedUpByTheirParent() throws SQLException {
        EngineIndexes.apply(connection, "");

        assertThat(EngineH2Schema.plan(connection, SUBTASKS))
                .contains("CALLCENTRE_IDX_TASK_PARENT: PARENT_TASK_ID_ = ?1").doesNotContain("tableScan");
    }

    @Test
    void theIndexesCanBeAppliedAtEveryStart() throws SQLException {
        EngineIndexes.apply(connection, "");
        EngineIndexes.apply(connection, "");

        assertThat(EngineH2Schema.plan(connection, SUBTASKS)).contains("CALLCENTRE_IDX_TASK_PARENT");
    }
}
