package org.callcentre.processes.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;


/**
 * On H2, tells the query planner what it cannot know on a new, empty database: which of the engine's indexed
 * columns hold almost only one value.
 *
 * <p>H2 plans a statement once per connection and keeps the plan in its statement cache until the schema changes;
 * the statistics it gathers later ({@code ANALYZE}, which H2 runs by itself as tables grow) do not re-plan cached
 * statements. On an empty schema every column looks equally selective, so the engine's hottest lookup, the
 * variables of an execution ({@code where EXECUTION_ID_ = ? and TASK_ID_ is null}), is planned on the index of
 * {@code TASK_ID_}: it then reads every process variable of every running instance, each time an execution's
 * variables are loaded, for as long as the app runs, and that lookup comes to dominate the app's database time
 * (measured in docs/benchmarks.md).
 *
 * <p>Declaring the selectivity is a schema change, so it also drops every plan already cached; H2 keeps it with
 * the table, and each {@code ANALYZE} replaces it with the value it computes, which is as low. PostgreSQL plans
 * with live statistics and needs none of this.
 *
 * <p>The app registers it with its engine, and the benchmark's engine-only ceiling with its own, so that both
 * plan alike.
 */
public class H2PlannerHints extends EngineSchemaPlugin {

    /** Indexed columns that are null (or one value) in nearly every row: selectivity 1 of 100. */
    static final List<String> LOW_SELECTIVITY = List.of(
            "ACT_RU_VARIABLE.TASK_ID_");

    public H2PlannerHints() {
        super(Set.of("h2"), "give H2's planner the engine's column selectivity");
    }

    @Override
    void apply(Connection connection, String tablePrefix) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            for (String column : LOW_SELECTIVITY) {
                String[] tableAndColumn = column.split("\\.");
                sql.execute("alter table " + tablePrefix + tableAndColumn[0] + " alter column " + tableAndColumn[1]
                        + " selectivity 1");
            }
        }
    }
}
