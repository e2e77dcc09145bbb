package org.callcentre.app.support;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/** Test rows written straight to a table whose {@code id} the database generates. */
public final class InsertedRows {

    private InsertedRows() {
    }

    /** Runs the insert with its arguments in order and answers the generated {@code id}. */
    public static long insert(JdbcTemplate jdbc, String sql, Object... arguments) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement(sql, new String[] {"id"});
            for (int i = 0; i < arguments.length; i++) {
                statement.setObject(i + 1, arguments[i]);
            }
            return statement;
        }, key);
        return key.getKey().longValue();
    }
}
