package org.callcentre.processes.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** The engine's own H2 schema, before and after the indexes it lacks. */
class EngineIndexesTest extends EngineH2Schema {

    /** The engine's lookup of a task's subtasks when a task is completed or deleted (Task.xml). */
    private static final String SUBTASKS = "explain select * from ACT_RU_TASK where PARENT_TASK_ID_ = ?";

    @Test
    void withoutTheIndexEveryOpenTaskIsReadToFindASubtask() throws SQLException {
        assertThat(plan(SUBTASKS)).contains("tableScan")
                .doesNotContain("CALLCENTRE_IDX_TASK_PARENT");
    }

    @Test
    void withTheIndexSubtasksAreLookedUpByTheirParent() throws SQLException {
        new EngineIndexes().apply(connection, "");

        assertThat(plan(SUBTASKS))
                .contains("CALLCENTRE_IDX_TASK_PARENT: PARENT_TASK_ID_ = ?1").doesNotContain("tableScan");
    }

    @Test
    void theIndexesCanBeAppliedAtEveryStart() throws SQLException {
        new EngineIndexes().apply(connection, "");
        new EngineIndexes().apply(connection, "");

        assertThat(plan(SUBTASKS)).contains("CALLCENTRE_IDX_TASK_PARENT");
    }
}
