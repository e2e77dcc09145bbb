package org.callcentre.bench.dialler;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a lead was ever held by two agents at once, checked twice and independently of the app's own code: by a
 * query over the leads' history, and from what the agents saw.
 */
public final class LockOverlaps {

    /**
     * A lead {@code leadId} held by {@code agent} from {@code fromNanos} (Next Lead answered it) to {@code toNanos}
     * (the agent pressed Next Lead again, which releases it) on {@link System#nanoTime()}. The app holds the lock
     * from before the answer to after the next press, so this interval is inside the lock's: two of them that
     * overlap on one lead prove two agents held it at once.
     */
    public record Hold(long leadId, String agent, long fromNanos, long toNanos) {
    }

    private LockOverlaps() {
    }

    /**
     * The number of times a lead's history shows it locked by one agent and then locked by another with no release
     * (or override) between: each a lead handed to an agent while another held it. Valid while no lock expired in
     * the run (locks live {@code dialler.lock-idle-minutes}, 15 by default, and an agent holds one for a second).
     */
    public static long inHistory(Connection connection) throws SQLException {
        return count(connection, "select count(*) from (select kind, user_id,"
                + " lead(kind) over (partition by lead_id order by id) as next_kind,"
                + " lead(user_id) over (partition by lead_id order by id) as next_user"
                + " from lead_history where kind in ('LOCKED', 'LOCK_RELEASED', 'LOCK_OVERRIDDEN')) e"
                + " where e.kind = 'LOCKED' and e.next_kind = 'LOCKED' and e.next_user <> e.user_id");
    }

    /** The locks the history holds: the check above means something only if this is about the claims made. */
    public static long locksInHistory(Connection connection) throws SQLException {
        return count(connection, "select count(*) from lead_history where kind = 'LOCKED'");
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The number of holds that began while another agent held the same lead. */
    public static long seen(Collection<Hold> holds) {
        Map<Long, List<Hold>> byLead = new HashMap<>();
        holds.forEach(hold -> byLead.computeIfAbsent(hold.leadId(), id -> new ArrayList<>()).add(hold));
        long overlaps = 0;
        for (List<Hold> lead : byLead.values()) {
            lead.sort(Comparator.comparingLong(Hold::fromNanos));
            Hold longest = null;
            for (Hold hold : lead) {
                if (longest != null && hold.fromNanos() < longest.toNanos() && !hold.agent().equals(longest.agent())) {
                    overlaps++;
                }
                if (longest == null || hold.toNanos() > longest.toNanos()) {
                    longest = hold;
                }
            }
        }
        return overlaps;
    }
}
