package org.callcentre.processes.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/**
 * Indexes the engine's own schema lacks on H2 and PostgreSQL, created at every start if missing.
 *
 * <p>{@code ACT_RU_TASK.PARENT_TASK_ID_}: whenever a task is completed or deleted the engine looks for its subtasks
 * ({@code select * from ACT_RU_TASK where PARENT_TASK_ID_ = ?}, Task.xml), and without an index that reads every
 * open task. Camunda's schema has this index for SQL Server only. Every card capture deletes its "Card capture in
 * progress" task, inside the donor's security-code webhook, and open tasks pile up (reviews, follow-ups, tickets),
 * so without the index that webhook's scan grows with the task list (measured in docs/benchmarks.md).
 *
 * <p>{@code ACT_RU_JOB.DUEDATE_}: each cycle of the job executor's acquisition looks for the jobs due now, first due
 * first ({@code selectNextJobsToExecute}, Job.xml, ordered by due date as {@code jobExecutorAcquireByDueDate} asks),
 * and takes a few. Without an index it reads every job, each callback's timer due days ahead included, checks each
 * due one against the jobs running in its instance, and sorts them all, every cycle: when thousands of callbacks
 * fall due at once the acquisition thread, not the jobs, sets the pace. With it the first due jobs are read in order
 * and the read stops once it has enough (measured in docs/benchmarks.md, "Callbacks").
 *
 * <p>The names carry this app's prefix, not the engine's, so that a Camunda upgrade script that adds the same
 * index under its own name does not collide with ours.
 *
 * <p>The app registers it with its engine, and the benchmark's engine-only ceiling with its own, so that both
 * run on the same schema.
 */
public class EngineIndexes extends EngineSchemaPlugin {

    /** Index name, table and column, the table without the engine's table prefix. */
    record Index(String name, String table, String column) {
    }

    static final List<Index> INDEXES = List.of(
            new Index("CALLCENTRE_IDX_TASK_PARENT", "ACT_RU_TASK", "PARENT_TASK_ID_"),
            new Index("CALLCENTRE_IDX_JOB_DUEDATE", "ACT_RU_JOB", "DUEDATE_"));

    public EngineIndexes() {
        super(Set.of("h2", "postgres"), "add the indexes the engine's schema lacks");
    }

    /** Creates each index unless it exists (both H2 and PostgreSQL know {@code create index if not exists}). */
    @Override
    void apply(Connection connection, String tablePrefix) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            for (Index index : INDEXES) {
                sql.execute("create index if not exists " + index.name() + " on " + tablePrefix + index.table()
                        + " (" + index.column() + ")");
            }
        }
    }
}
