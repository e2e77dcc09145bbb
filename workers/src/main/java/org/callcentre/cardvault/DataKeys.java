package org.callcentre.cardvault;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The data keys of the open vault entries, in {@code card_vault_key}: every node reads them, so any node can serve
 * any step of a capture, and the table is never durable (UNLOGGED on PostgreSQL, NOT PERSISTENT on H2; see the
 * migration V26), so whatever the database's logs and backups keep of a sealed value, it opens only while its key
 * row is here. Each value a field is given gets a fresh random key of its own (a generation), so one field can be
 * shredded alone, and a value replaced by a newer one is shredded with its key.
 *
 * <p>Every change is a statement in the caller's transaction: a key is written with its value and deleted with
 * it, and a rollback keeps or drops both together. An open entry has a marker row (field {@value #MARKER}); without
 * it the entry takes no new value (its keys were lost: the database restarted, or the row came back from a backup).
 */
final class DataKeys {

    static final int KEY_BYTES = 32;
    static final String MARKER = "";

    /** A new data key for one value of a field. */
    record Generation(long number, byte[] key) {

        @Override
        public String toString() {
            return "Generation[" + number + "]";
        }
    }

    private final JdbcTemplate jdbc;
    private final SecureRandom random;

    DataKeys(JdbcTemplate jdbc, SecureRandom random) {
        this.jdbc = jdbc;
        this.random = random;
    }

    /** Marks the keys of an entry being opened as here, until {@code expiresAt}. */
    void open(String captureId, Instant expiresAt) {
        jdbc.update("insert into card_vault_key (capture_id, field, generation, data_key, expires_at) "
                + "values (?, ?, 0, null, ?)", captureId, MARKER, Timestamp.from(expiresAt));
    }

    /**
     * A fresh data key for the next value of {@code field}, written with the value in the caller's transaction, the
     * field's older keys deleted; empty when the entry's keys are not here (expired, or lost). The caller holds the
     * entry's row lock.
     */
    Optional<Generation> newGeneration(String captureId, String field, Instant now) {
        List<Timestamp> marker = jdbc.queryForList("select expires_at from card_vault_key where capture_id = ? "
                + "and field = ? and expires_at >= ?", Timestamp.class, captureId, MARKER, Timestamp.from(now));
        if (marker.isEmpty()) {
            return Optional.empty();
        }
        jdbc.update("update card_vault_entry set last_generation = last_generation + 1 where capture_id = ?",
                captureId);
        long number = jdbc.queryForObject("select last_generation from card_vault_entry where capture_id = ?",
                Long.class, captureId);
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        jdbc.update("insert into card_vault_key (capture_id, field, generation, data_key, expires_at) "
                + "values (?, ?, ?, ?, ?)", captureId, field, number, key, marker.get(0));
        jdbc.update("delete from card_vault_key where capture_id = ? and field = ? and generation < ?", captureId,
                field, number);
        return Optional.of(new Generation(number, key));
    }

    /**
     * The entry's data keys that have not expired, by {@link #name}, in one query: for the caller to zero after use.
     */
    Map<String, byte[]> held(String captureId, Instant now) {
        Map<String, byte[]> held = new HashMap<>();
        jdbc.query("select field, generation, data_key from card_vault_key where capture_id = ? and field <> ? "
                + "and expires_at >= ?", rs -> {
                    held.put(name(rs.getString(1), rs.getLong(2)), rs.getBytes(3));
                }, captureId, MARKER, Timestamp.from(now));
        return held;
    }

    /** A value's key among those {@link #held}: its field and generation. */
    static String name(String field, long generation) {
        return field + "#" + generation;
    }

    /** Deletes the keys of these fields' values. */
    void destroy(String captureId, List<String> fields) {
        for (String field : fields) {
            jdbc.update("delete from card_vault_key where capture_id = ? and field = ?", captureId, field);
        }
    }

    /** Deletes every key of the entry, its marker too. */
    void destroy(String captureId) {
        jdbc.update("delete from card_vault_key where capture_id = ?", captureId);
    }

    /** Deletes the keys past their time to live; answers how many entries' markers went. */
    int destroyExpired(Instant now) {
        Timestamp at = Timestamp.from(now);
        int entries = jdbc.queryForObject("select count(*) from card_vault_key where field = ? and expires_at < ?",
                Integer.class, MARKER, at);
        jdbc.update("delete from card_vault_key where expires_at < ?", at);
        return entries;
    }

    boolean holds(String captureId, Instant now) {
        return jdbc.queryForObject("select count(*) from card_vault_key where capture_id = ? and field = ? "
                + "and expires_at >= ?", Integer.class, captureId, MARKER, Timestamp.from(now)) > 0;
    }

    /** How many entries' keys are here (expired ones included until they are swept). */
    int size() {
        return jdbc.queryForObject("select count(*) from card_vault_key where field = ?", Integer.class, MARKER);
    }
}
