package org.callcentre.processes.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** H2's planner on the engine's own schema, before and after the hints. */
class H2PlannerHintsTest extends EngineH2Schema {

    /** The engine's lookup of an execution's variables (VariableInstance.xml, selectVariablesByExecutionId). */
    private static final String EXECUTION_VARIABLES = "explain select RES.* from ACT_RU_VARIABLE RES "
            + "left join ACT_RU_EXECUTION EXECUTION on RES.EXECUTION_ID_ = EXECUTION.ID_ "
            + "left join ACT_RU_EXECUTION PARENT_EXECUTION on EXECUTION.PARENT_ID_ = PARENT_EXECUTION.ID_ "
            + "where EXECUTION_ID_ = ? and TASK_ID_ is null";

    @Test
    void withoutHintsAnExecutionsVariablesAreReadThroughTheTaskIndexThatHoldsEveryProcessVariable() throws SQLException {
        assertThat(plan()).contains("ACT_IDX_VARIABLE_TASK_ID: TASK_ID_ IS NULL");
    }

    @Test
    void withHintsAnExecutionsVariablesAreLookedUpByTheirExecution() throws SQLException {
        new H2PlannerHints().apply(connection, "");

        assertThat(plan()).containsPattern("/\\* PUBLIC\\.\\w+: EXECUTION_ID_ = \\?1 \\*/")
                .doesNotContain("ACT_IDX_VARIABLE_TASK_ID");
    }

    @Test
    void hintsCanBeAppliedAtEveryStart() throws SQLException {
        new H2PlannerHints().apply(connection, "");
        new H2PlannerHints().apply(connection, "");

        assertThat(plan()).containsPattern("EXECUTION_ID_ = \\?1 \\*/");
    }

    private String plan() throws SQLException {
        return plan(EXECUTION_VARIABLES);
    }
}
