package org.callcentre.bench.dialler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;

/**
 * The baseline: Next Lead's claim as one SQL statement over JDBC, on the same database and data as the app, for one
 * agent on its own connection. Like Next Lead, a claim first releases the lead the agent held, then locks the
 * newest lead of the call list that is dialable, has attempts left, is due, lives in a time zone inside calling
 * hours and is not locked by anyone else; both in one transaction. On PostgreSQL the candidate is taken with
 * {@code FOR UPDATE SKIP LOCKED}. H2 applies {@code LIMIT} before it skips a locked row, so there the update is
 * conditional on the lead still being free: an agent that loses the race waits for the winner's commit, finds the
 * lead taken, changes nothing and tries again.
 */
public final class RawClaim implements AutoCloseable {

    /** Tries on H2 before a claim counts as finding nothing: only lost races repeat. */
    private static final int H2_TRIES = 100;

    private final Connection connection;
    private final String agent;
    private final long callListId;
    private final int maxAttempts;
    private final List<String> zones;
    private final Duration lockIdle;
    private final PreparedStatement release;
    private final PreparedStatement claim;
    private final boolean postgres;
    private Long held;

    /**
     * @param postgres    PostgreSQL (else H2)
     * @param maxAttempts the campaign's maximum attempts per record
     * @param zones       the lead time zones inside calling hours now
     * @param lockIdle    how long an untouched lock lives
     */
    public RawClaim(Connection connection, boolean postgres, String agent, long callListId, int maxAttempts,
            List<String> zones, Duration lockIdle) throws SQLException {
        this.connection = connection;
        this.postgres = postgres;
        this.agent = agent;
        this.callListId = callListId;
        this.maxAttempts = maxAttempts;
        this.zones = List.copyOf(zones);
        this.lockIdle = lockIdle;
        connection.setAutoCommit(false);
        release = connection.prepareStatement("update lead set locked_by = null, locked_at = null,"
                + " lock_touched_at = null where id = ? and locked_by = ?");
        claim = connection.prepareStatement(sql(postgres, zones.size()));
    }

    static String sql(boolean postgres, int zones) {
        String candidate = "select l.id from lead_call_list c join lead l on l.id = c.lead_id"
                + " where c.call_list_id = ? and c.ready = true and l.dialable and l.attempts < ?"
                + " and (l.next_call_at is null or l.next_call_at <= ?)"
                + " and l.time_zone in (" + String.join(", ", Collections.nCopies(zones, "?")) + ")"
                + " and (l.locked_by is null or l.lock_touched_at <= ?)"
                + " order by c.lead_id desc limit 1";
        String lock = "update lead set locked_by = ?, locked_at = ?, lock_touched_at = ? where id = (" + candidate;
        return postgres ? lock + " for update of l skip locked) returning id"
                : "select id from final table (" + lock + ") and (locked_by is null or lock_touched_at <= ?))";
    }

    /** Releases the lead held before and locks the next; answers its id, or null when none is left. */
    public Long claim() throws SQLException {
        try {
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
            if (held != null) {
                release.setLong(1, held);
                release.setString(2, agent);
                release.executeUpdate();
                held = null;
            }
            Long lead = null;
            for (int i = 0; i < (postgres ? 1 : H2_TRIES) && lead == null; i++) {
                lead = lockNext(now);
            }
            connection.commit();
            held = lead;
            return lead;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private Long lockNext(LocalDateTime now) throws SQLException {
        LocalDateTime expired = now.minus(lockIdle);
        int p = 1;
        claim.setString(p++, agent);
        claim.setObject(p++, now);
        claim.setObject(p++, now);
        claim.setLong(p++, callListId);
        claim.setInt(p++, maxAttempts);
        claim.setObject(p++, now);
        for (String zone : zones) {
            claim.setString(p++, zone);
        }
        claim.setObject(p++, expired);
        if (!postgres) {
            claim.setObject(p, expired);
        }
        try (ResultSet row = claim.executeQuery()) {
            return row.next() ? row.getLong(1) : null;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
