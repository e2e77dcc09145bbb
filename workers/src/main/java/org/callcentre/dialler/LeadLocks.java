package org.callcentre.dialler;

import static org.callcentre.problem.RefusedException.notFound;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Agents' locks on leads: one holder at a time, expiring after {@code dialler.lock-idle-minutes} idle.
 * <p>
 * Who gets a lock is decided by a conditional update on the lead's row ({@code where locked_by is null or the lock
 * has expired}), never by a read followed by a write: of two agents taking the same lead at once, the database lets
 * one update match and the other find the lead held.
 */
public class LeadLocks {

    /** How often an override retries when the holder it read changed before its update (released, or taken). */
    private static final int OVERRIDE_ATTEMPTS = 5;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration idle;
    private final LeadHistory history;
    private final TransactionTemplate transaction;

    public LeadLocks(JdbcTemplate jdbc, Clock clock, DiallerProperties properties, LeadHistory history,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.idle = Duration.ofMinutes(properties.lockIdleMinutes());
        this.history = history;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Who holds the lead now; an expired lock is no lock. */
    public Optional<LeadView.Lock> holder(long leadId) {
        return jdbc.query("select locked_by, locked_at from lead where id = ? and locked_by is not null "
                + "and lock_touched_at > ?", (rs, n) -> new LeadView.Lock(rs.getString("locked_by"),
                        rs.getTimestamp("locked_at").toInstant()), leadId, expiredBefore(clock.instant()))
                .stream().findFirst();
    }

    /** Whether {@code userId} holds the lead now. */
    public boolean heldBy(long leadId, String userId) {
        return holder(leadId).map(lock -> lock.userId().equals(userId)).orElse(false);
    }

    /** Activity on the lead by its holder: the lock's idle time starts again. Does nothing for anyone else. */
    public void touch(long leadId, String userId) {
        Instant now = clock.instant();
        jdbc.update("update lead set lock_touched_at = ? where id = ? and locked_by = ? and lock_touched_at > ?",
                Timestamp.from(now), leadId, userId, expiredBefore(now));
    }

    /**
     * The agent opens the lead: the lock when it was free, expired or already theirs (whose idle time then starts
     * again). Held by another agent, it is refused with {@link LeadLockedException}, unless {@code override}: then the
     * agent takes it, and the lead's history names both.
     */
    public LeadView.Lock open(long leadId, String userId, boolean override) {
        return transaction.execute(tx -> {
            Instant now = now();
            for (int attempt = 0; attempt < OVERRIDE_ATTEMPTS; attempt++) {
                if (touched(leadId, userId, now)) {
                    return holder(leadId).orElseThrow();
                }
                if (take(leadId, userId, now)) {
                    history.record(leadId, userId, LeadHistory.Kind.LOCKED, "opened by " + userId);
                    return new LeadView.Lock(userId, now);
                }
                Optional<LeadView.Lock> other = holder(leadId);
                if (other.isEmpty()) {
                    if (!exists(leadId)) {
                        throw notFound("there is no lead " + leadId);
                    }
                    continue;
                }
                if (!override) {
                    throw new LeadLockedException(leadId, other.get().userId(), other.get().since());
                }
                String previous = other.get().userId();
                if (jdbc.update("update lead set locked_by = ?, locked_at = ?, lock_touched_at = ? where id = ? "
                        + "and locked_by = ? and lock_touched_at > ?", userId, Timestamp.from(now),
                        Timestamp.from(now), leadId, previous, expiredBefore(now)) == 1) {
                    history.record(leadId, userId, LeadHistory.Kind.LOCK_OVERRIDDEN,
                            userId + " took the lock from " + previous);
                    return new LeadView.Lock(userId, now);
                }
            }
            throw new IllegalStateException("lead " + leadId + " changed hands " + OVERRIDE_ATTEMPTS
                    + " times while " + userId + " opened it");
        });
    }

    /**
     * Takes the lead for the agent if it is free or its lock expired, as Next Lead does with a candidate it found;
     * answers whether it did. The caller records the history.
     */
    public boolean take(long leadId, String userId, Instant now) {
        return jdbc.update("update lead set locked_by = ?, locked_at = ?, lock_touched_at = ? where id = ? "
                + "and (locked_by is null or lock_touched_at <= ?)", userId, Timestamp.from(now), Timestamp.from(now),
                leadId, expiredBefore(now)) == 1;
    }

    /** The agent lets the lead go. Nothing happens when the agent does not hold it (someone else may, now). */
    public void release(long leadId, String userId) {
        transaction.executeWithoutResult(tx -> {
            if (!exists(leadId)) {
                throw notFound("there is no lead " + leadId);
            }
            releaseOne(leadId, userId);
        });
    }

    /**
     * Lets go of every lead the agent holds, expired locks included (they name the agent until cleared); answers the
     * leads let go.
     */
    public List<Long> releaseAllOf(String userId) {
        return transaction.execute(tx -> {
            List<Long> released = new ArrayList<>();
            for (long leadId : jdbc.queryForList("select id from lead where locked_by = ?", Long.class, userId)) {
                if (releaseOne(leadId, userId)) {
                    released.add(leadId);
                }
            }
            return released;
        });
    }

    private boolean releaseOne(long leadId, String userId) {
        if (jdbc.update("update lead set locked_by = null, locked_at = null, lock_touched_at = null where id = ? "
                + "and locked_by = ?", leadId, userId) == 1) {
            history.record(leadId, userId, LeadHistory.Kind.LOCK_RELEASED, "released by " + userId);
            return true;
        }
        return false;
    }

    private boolean touched(long leadId, String userId, Instant now) {
        return jdbc.update("update lead set lock_touched_at = ? where id = ? and locked_by = ? and lock_touched_at > ?",
                Timestamp.from(now), leadId, userId, expiredBefore(now)) == 1;
    }

    private boolean exists(long leadId) {
        return !jdbc.queryForList("select id from lead where id = ?", Long.class, leadId).isEmpty();
    }

    /** Now, to the microsecond the columns keep: what a lock answers is what a later read of it shows. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** A lock last touched at or before this has expired. */
    public Timestamp expiredBefore(Instant now) {
        return Timestamp.from(now.minus(idle));
    }
}
