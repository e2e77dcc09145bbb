package org.callcentre.emulator.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stripe-style idempotency: per key, the SHA-256 digest of the first request's parameters and, once
 * it has finished, its status and body. Raw request bodies are never kept.
 *
 * <p>Concurrency: the first request with a key claims it; a second request arriving while the first
 * is still being processed gets 409 {@code idempotency_key_in_use} (as Stripe does) rather than waiting.
 */
final class IdempotencyStore {

    /** A response stored for replay. */
    record Stored(int status, byte[] body) {
    }

    static final class Entry {
        final String digest;
        final String path;
        private Stored response; // guarded by this

        Entry(String digest, String path) {
            this.digest = digest;
            this.path = path;
        }

        synchronized Stored response() {
            return response;
        }

        synchronized void complete(Stored stored) {
            this.response = stored;
        }
    }

    sealed interface Claim permits Proceed, Replay, Mismatch, InUse {
    }

    /** The caller owns the key: process, then {@link #complete} or {@link #release}. */
    record Proceed(Entry entry) implements Claim {
    }

    record Replay(Stored stored) implements Claim {
    }

    record Mismatch(String firstPath) implements Claim {
    }

    record InUse() implements Claim {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    Claim claim(String key, String digest, String path) {
        Entry mine = new Entry(digest, path);
        Entry existing = entries.putIfAbsent(key, mine);
        if (existing == null) {
            return new Proceed(mine);
        }
        if (!existing.digest.equals(digest)) {
            return new Mismatch(existing.path);
        }
        Stored stored = existing.response();
        return stored == null ? new InUse() : new Replay(stored);
    }

    /** Stores the finished response for replay. */
    void complete(Entry entry, int status, byte[] body) {
        entry.complete(new Stored(status, body.clone()));
    }

    /** Nothing is saved for this request (e.g. it failed validation): the key may be used again. */
    void release(String key, Entry entry) {
        entries.remove(key, entry);
    }

    void clear() {
        entries.clear();
    }

    /** For tests: every stored response body, as text. */
    List<String> storedBodies() {
        List<String> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            Stored s = e.response();
            if (s != null) {
                out.add(new String(s.body(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
