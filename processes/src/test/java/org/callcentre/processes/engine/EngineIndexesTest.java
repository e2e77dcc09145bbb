package org.callcentre.processes.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The engine's own H2 schema, before and after the indexes it lacks. */
class EngineIndexesTest extends EngineH2Schema {

    /** The engine's lookup of a task's subtasks when a task is completed or deleted (Task.xml). */
    private static final String SUBTASKS = "explain select * from ACT_RU_TASK where PARENT_TASK_ID_ = ?";
    /**
     * The job executor's acquisition as the engine sends it to H2 with the app's settings (Job.xml,
     * selectNextJobsToExecute: due dates always set, acquired by due date, not deployment-aware).
     */
    private static final String ACQUISITION = "explain select RES.ID_, RES.REV_, RES.DUEDATE_,"
            + " RES.PROCESS_INSTANCE_ID_, RES.EXCLUSIVE_ from ACT_RU_JOB RES where (RES.RETRIES_ > 0)"
            + " and (RES.DUEDATE_ <= ?) and (RES.LOCK_OWNER_ is null or RES.LOCK_EXP_TIME_ < ?)"
            + " and RES.SUSPENSION_STATE_ = 1 and ((RES.EXCLUSIVE_ = TRUE and not exists(select J2.ID_"
            + " from ACT_RU_JOB J2 where J2.PROCESS_INSTANCE_ID_ = RES.PROCESS_INSTANCE_ID_"
            + " and (J2.EXCLUSIVE_ = TRUE) and (J2.LOCK_OWNER_ is not null and J2.LOCK_EXP_TIME_ >= ?)))"
            + " or RES.EXCLUSIVE_ = FALSE) ORDER BY RES.DUEDATE_ asc LIMIT ? OFFSET ?";

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
    void withoutTheIndexTheJobAcquisitionReadsAndSortsEveryJob() throws SQLException {
        assertThat(acquisitionPlan()).contains("tableScan").doesNotContain("index sorted");
    }

    @Test
    void withTheIndexTheJobAcquisitionReadsTheFirstDueJobsInOrder() throws SQLException {
        new EngineIndexes().apply(connection, "");

        assertThat(acquisitionPlan()).contains("CALLCENTRE_IDX_JOB_DUEDATE: DUEDATE_ <= ?1")
                .contains("index sorted");
    }

    @Test
    void theIndexesCanBeAppliedAtEveryStart() throws SQLException {
        new EngineIndexes().apply(connection, "");
        new EngineIndexes().apply(connection, "");

        assertThat(plan(SUBTASKS)).contains("CALLCENTRE_IDX_TASK_PARENT");
    }

    private String acquisitionPlan() throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement statement = connection.prepareStatement(ACQUISITION)) {
            statement.setTimestamp(1, now);
            statement.setTimestamp(2, now);
            statement.setTimestamp(3, now);
            statement.setInt(4, 8);
            statement.setInt(5, 0);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }
}
