package org.callcentre.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The embedded engine as the app configures it. */
class EngineConfigurationEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void onH2TheEnginesPlannerHintIsInPlace() {
        assumeFalse(TestDatabase.POSTGRES, "a hint for H2's planner only");
        Integer selectivity = jdbc.queryForObject("select selectivity from information_schema.columns "
                + "where table_name = 'ACT_RU_VARIABLE' and column_name = 'TASK_ID_'", Integer.class);
        // H2's default for a column it has not analysed is 50.
        assertThat(selectivity).isBetween(0, 2);
    }

    @Test
    void theEnginesTaskTableIsIndexedByParentTask() {
        String sql = TestDatabase.POSTGRES
                ? "select count(*) from pg_indexes where tablename = 'act_ru_task' "
                        + "and indexname = 'callcentre_idx_task_parent' and indexdef like '%(parent_task_id_)%'"
                : "select count(*) from information_schema.index_columns "
                        + "where table_name = 'ACT_RU_TASK' and index_name = 'CALLCENTRE_IDX_TASK_PARENT' "
                        + "and column_name = 'PARENT_TASK_ID_'";
        assertThat(jdbc.queryForObject(sql, Integer.class)).isEqualTo(1);
    }
}
