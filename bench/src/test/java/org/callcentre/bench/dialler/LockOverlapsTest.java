package org.callcentre.bench.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;

import org.callcentre.bench.dialler.LockOverlaps.Hold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LockOverlapsTest {

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = {false, true})
    void theHistoryShowsALeadLockedByASecondAgentWithoutARelease(boolean postgres) throws Exception {
        try (SchemaDatabase database = SchemaDatabase.of(postgres)) {
            long[] lists = database.callLists(1);
            database.leads(lists[0], 1, 3);
            // Lead 1: handed over properly; lead 2: taken by b while a held it; lead 3: overridden by b.
            history(database, 1, "a", "LOCKED", "a", "LOCK_RELEASED", "b", "LOCKED", "b", "LOCK_RELEASED", "a",
                    "LOCKED");
            history(database, 2, "a", "LOCKED", "b", "LOCKED", "b", "LOCK_RELEASED");
            history(database, 3, "a", "LOCKED", "b", "LOCK_OVERRIDDEN", "b", "LOCK_RELEASED", "a", "LOCKED");
            database.execute("insert into lead_history (lead_id, at, user_id, kind) values (1, current_timestamp,"
                    + " 'a', 'STATUS_RECORDED')");

            try (Connection connection = database.connect()) {
                assertThat(LockOverlaps.inHistory(connection)).isEqualTo(1);
                assertThat(LockOverlaps.locksInHistory(connection)).isEqualTo(7);
            }
        }
    }

    @Test
    void holdsOfOneLeadOverlapOnlyWhenTwoAgentsHadItAtOnce() {
        assertThat(LockOverlaps.seen(List.of(new Hold(1, "a", 0, 10), new Hold(1, "b", 10, 20),
                new Hold(1, "a", 25, Long.MAX_VALUE), new Hold(2, "b", 0, 30)))).isZero();
        assertThat(LockOverlaps.seen(List.of(new Hold(1, "a", 0, 100), new Hold(1, "b", 10, 20),
                new Hold(1, "c", 50, 60), new Hold(2, "b", 0, 30)))).isEqualTo(2);
        assertThat(LockOverlaps.seen(List.of(new Hold(1, "a", 0, Long.MAX_VALUE), new Hold(1, "b", 10, 20))))
                .as("a lead still held at the end").isEqualTo(1);
    }

    private static void history(SchemaDatabase database, long lead, String... userAndKind) throws Exception {
        for (int i = 0; i < userAndKind.length; i += 2) {
            database.execute("insert into lead_history (lead_id, at, user_id, kind) values (" + lead
                    + ", current_timestamp, '" + userAndKind[i] + "', '" + userAndKind[i + 1] + "')");
        }
    }
}
