package org.callcentre.cardvault;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data keys of the open vault entries, held in this node's memory only: never in the database, a log or a
 * file, so whatever the database, its WAL and its backups keep of a sealed value, it opens only while its data
 * key is here. Each value a field is given gets a fresh random key of its own (a generation), so one field can be
 * shredded alone, and a value replaced by a newer one is shredded with its key. Destroying overwrites the key's
 * bytes with zeros and forgets it.
 *
 * <p>Bounded: at most {@code capacity} entries, each expiring with the vault's time to live.
 */
final class DataKeyring {

    static final int KEY_BYTES = 32;

    /** A new data key for one value of a field, and the older ones of that field it replaces once committed. */
    record Generation(long number, byte[] key, List<Long> superseded) {

        @Override
        public String toString() {
            return "Generation[" + number + "]";
        }
    }

    private final Map<String, CaptureKeys> captures = new ConcurrentHashMap<>();
    private final int capacity;
    private final SecureRandom random;

    DataKeyring(int capacity, SecureRandom random) {
        this.capacity = capacity;
        this.random = random;
    }

    /** Starts the keys of an entry that is being opened; refused when the entry is already open or the ring full. */
    void open(String captureId, Instant expiresAt, Instant now) {
        if (captures.size() >= capacity) {
            destroyExpired(now);
            if (captures.size() >= capacity) {
                throw new IllegalStateException("the card vault already holds its maximum of " + capacity
                        + " open entries (app.card-vault.max-open-entries)");
            }
        }
        if (captures.putIfAbsent(captureId, new CaptureKeys(expiresAt)) != null) {
            throw new IllegalStateException("card vault entry of capture " + captureId + " is already open");
        }
    }

    /**
     * A fresh data key for the next value of {@code field}; empty when this node holds no keys for the entry
     * (it was opened before this node started, or it expired).
     */
    Optional<Generation> newGeneration(String captureId, String field, Instant now) {
        return live(captureId, now).flatMap(keys -> keys.newGeneration(field, random));
    }

    /** The generations of {@code field} held now, to destroy once an erase commits. */
    List<Long> generations(String captureId, String field) {
        CaptureKeys keys = captures.get(captureId);
        return keys == null ? List.of() : keys.generations(field);
    }

    /** A copy of the data key of one value, for the caller to zero after use; empty if it is gone. */
    Optional<byte[]> key(String captureId, String field, long generation, Instant now) {
        return live(captureId, now).flatMap(keys -> keys.key(field, generation));
    }

    void destroy(String captureId, String field, Collection<Long> generations) {
        CaptureKeys keys = captures.get(captureId);
        if (keys != null) {
            keys.destroy(field, generations);
        }
    }

    /** Destroys every key of the entry. */
    void destroy(String captureId) {
        CaptureKeys keys = captures.remove(captureId);
        if (keys != null) {
            keys.destroyAll();
        }
    }

    /** Destroys the keys of every entry past its time to live; answers how many entries. */
    int destroyExpired(Instant now) {
        int destroyed = 0;
        for (Map.Entry<String, CaptureKeys> entry : captures.entrySet()) {
            if (entry.getValue().expiredAt(now) && captures.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().destroyAll();
                destroyed++;
            }
        }
        return destroyed;
    }

    boolean holds(String captureId) {
        return captures.containsKey(captureId);
    }

    int size() {
        return captures.size();
    }

    private Optional<CaptureKeys> live(String captureId, Instant now) {
        CaptureKeys keys = captures.get(captureId);
        if (keys == null) {
            return Optional.empty();
        }
        if (keys.expiredAt(now)) {
            if (captures.remove(captureId, keys)) {
                keys.destroyAll();
            }
            return Optional.empty();
        }
        return Optional.of(keys);
    }

    /** One entry's keys, by field and generation. */
    private static final class CaptureKeys {

        private final Instant expiresAt;
        private final Map<String, TreeMap<Long, byte[]>> byField = new HashMap<>();
        private long lastGeneration;
        private boolean destroyed;

        CaptureKeys(Instant expiresAt) {
            this.expiresAt = expiresAt;
        }

        boolean expiredAt(Instant now) {
            return now.isAfter(expiresAt);
        }

        synchronized Optional<Generation> newGeneration(String field, SecureRandom random) {
            if (destroyed) {
                return Optional.empty();
            }
            byte[] key = new byte[KEY_BYTES];
            random.nextBytes(key);
            TreeMap<Long, byte[]> generations = byField.computeIfAbsent(field, f -> new TreeMap<>());
            List<Long> superseded = List.copyOf(generations.keySet());
            long number = ++lastGeneration;
            generations.put(number, key);
            return Optional.of(new Generation(number, key.clone(), superseded));
        }

        synchronized List<Long> generations(String field) {
            TreeMap<Long, byte[]> generations = byField.get(field);
            return generations == null ? List.of() : new ArrayList<>(generations.keySet());
        }

        synchronized Optional<byte[]> key(String field, long generation) {
            TreeMap<Long, byte[]> generations = byField.get(field);
            byte[] key = generations == null ? null : generations.get(generation);
            return key == null ? Optional.empty() : Optional.of(key.clone());
        }

        synchronized void destroy(String field, Collection<Long> numbers) {
            TreeMap<Long, byte[]> generations = byField.get(field);
            if (generations == null) {
                return;
            }
            for (Long number : numbers) {
                byte[] key = generations.remove(number);
                if (key != null) {
                    Arrays.fill(key, (byte) 0);
                }
            }
        }

        synchronized void destroyAll() {
            destroyed = true;
            byField.values().forEach(generations -> generations.values().forEach(key -> Arrays.fill(key, (byte) 0)));
            byField.clear();
        }
    }
}
