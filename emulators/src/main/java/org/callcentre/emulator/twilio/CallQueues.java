package org.callcentre.emulator.twilio;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The account's call queues (Twilio's Queue resources), by friendly name: who waits in each, in order, and which
 * {@code <Dial><Queue>} calls wait for someone to join. One lock guards them all; it is taken under a call's lock
 * (a call enqueues or dequeues while running its TwiML) and never the other way round, so nothing here touches a
 * call's state: the calls are kept only to name them.
 */
final class CallQueues {

    /** Twilio's default and largest queue size. */
    static final int DEFAULT_MAX_SIZE = 1000;
    static final int LARGEST_MAX_SIZE = 5000;
    static final int MAX_NAME_LENGTH = 64;

    /** One call waiting in a queue. */
    record Member(EmulatedCall call, Instant enqueuedAt) {
        long waitSeconds(Instant now) {
            return Math.max(0, Duration.between(enqueuedAt, now).toSeconds());
        }
    }

    /** A queue as it is at one moment. */
    record View(String sid, String name, int maxSize, Instant dateCreated, Instant dateUpdated, List<Member> members,
            Instant at) {
        int size() {
            return members.size();
        }

        /** The average of the current members' waits, in whole seconds (Twilio's average_wait_time, AvgQueueTime). */
        long averageWaitSeconds() {
            return members.isEmpty() ? 0
                    : members.stream().mapToLong(m -> m.waitSeconds(at)).sum() / members.size();
        }

        /** 1 for the head of the queue; 0 when the call is not in it. */
        int positionOf(String callSid) {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).call().sid().equals(callSid)) {
                    return i + 1;
                }
            }
            return 0;
        }
    }

    /** The outcome of {@link #enqueue}: queued (perhaps waking a dialler waiting on the queue), or refused as full. */
    record Enqueued(CallQueue queue, boolean full, EmulatedCall waitingDialler) {
    }

    /** The outcome of {@link #takeHead}: no such queue, the member taken, or the dialler now waits. */
    record Taken(CallQueue queue, Member member) {
    }

    /** One queue; guarded by the registry's lock. */
    static final class CallQueue {
        final String sid;
        private String name;
        private int maxSize;
        private final Instant dateCreated;
        private Instant dateUpdated;
        private final List<Member> members = new ArrayList<>();
        private final Deque<EmulatedCall> diallers = new ArrayDeque<>();

        private CallQueue(String name, int maxSize) {
            this.sid = newSid();
            this.name = name;
            this.maxSize = maxSize;
            this.dateCreated = Instant.now();
            this.dateUpdated = dateCreated;
        }

        String sid() {
            return sid;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, CallQueue> byName = new LinkedHashMap<>();
    private final Map<String, CallQueue> bySid = new LinkedHashMap<>();

    /** Puts the call at the tail of the named queue, creating the queue on demand. */
    Enqueued enqueue(String name, EmulatedCall call) {
        lock.lock();
        try {
            CallQueue q = byName.get(name);
            if (q == null) {
                q = add(name, DEFAULT_MAX_SIZE);
            }
            if (q.members.size() >= q.maxSize) {
                return new Enqueued(q, true, null);
            }
            q.members.add(new Member(call, Instant.now()));
            q.dateUpdated = Instant.now();
            return new Enqueued(q, false, q.diallers.pollFirst());
        } finally {
            lock.unlock();
        }
    }

    /** Takes the call out of the queue; false when it was not in it (already taken by a dialler or the REST API). */
    boolean remove(CallQueue q, EmulatedCall call) {
        lock.lock();
        try {
            boolean removed = q.members.removeIf(m -> m.call() == call);
            if (removed) {
                q.dateUpdated = Instant.now();
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code <Dial><Queue>}: takes the head of the named queue for the dialler; with nobody in it the dialler waits
     * (it is woken by the next {@link #enqueue}). Null when there is no such queue.
     */
    Taken takeHead(String name, EmulatedCall dialler) {
        lock.lock();
        try {
            CallQueue q = byName.get(name);
            if (q == null) {
                return null;
            }
            if (q.members.isEmpty()) {
                if (!q.diallers.contains(dialler)) {
                    q.diallers.addLast(dialler);
                }
                return new Taken(q, null);
            }
            q.dateUpdated = Instant.now();
            return new Taken(q, q.members.remove(0));
        } finally {
            lock.unlock();
        }
    }

    /** The dialler no longer waits on the queue (its Dial timed out, it hung up or was redirected). */
    void stopWaiting(CallQueue q, EmulatedCall dialler) {
        lock.lock();
        try {
            q.diallers.remove(dialler);
        } finally {
            lock.unlock();
        }
    }

    /** The member with this call sid, or the head for {@code Front}; null when there is none. */
    Member member(CallQueue q, String callSidOrFront) {
        lock.lock();
        try {
            if ("Front".equals(callSidOrFront)) {
                return q.members.isEmpty() ? null : q.members.get(0);
            }
            return q.members.stream().filter(m -> m.call().sid().equals(callSidOrFront)).findFirst().orElse(null);
        } finally {
            lock.unlock();
        }
    }

    /** REST create: a new queue; null when one with this name exists. */
    CallQueue create(String name, int maxSize) {
        lock.lock();
        try {
            return byName.containsKey(name) ? null : add(name, maxSize);
        } finally {
            lock.unlock();
        }
    }

    /** REST update: a new name and/or size; false when another queue has the name. */
    boolean update(CallQueue q, String newName, Integer newMaxSize) {
        lock.lock();
        try {
            if (newName != null && !newName.equals(q.name)) {
                if (byName.containsKey(newName)) {
                    return false;
                }
                byName.remove(q.name);
                q.name = newName;
                byName.put(newName, q);
            }
            if (newMaxSize != null) {
                q.maxSize = newMaxSize;
            }
            q.dateUpdated = Instant.now();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** REST delete; false while calls wait in it. */
    boolean delete(CallQueue q) {
        lock.lock();
        try {
            if (!q.members.isEmpty()) {
                return false;
            }
            byName.remove(q.name);
            bySid.remove(q.sid);
            return true;
        } finally {
            lock.unlock();
        }
    }

    CallQueue byName(String name) {
        lock.lock();
        try {
            return byName.get(name);
        } finally {
            lock.unlock();
        }
    }

    CallQueue bySid(String sid) {
        lock.lock();
        try {
            return bySid.get(sid);
        } finally {
            lock.unlock();
        }
    }

    View view(CallQueue q) {
        lock.lock();
        try {
            return new View(q.sid, q.name, q.maxSize, q.dateCreated, q.dateUpdated, List.copyOf(q.members),
                    Instant.now());
        } finally {
            lock.unlock();
        }
    }

    /** Every queue, oldest first. */
    List<View> views() {
        lock.lock();
        try {
            return bySid.values().stream().map(this::view).toList();
        } finally {
            lock.unlock();
        }
    }

    private CallQueue add(String name, int maxSize) {
        CallQueue q = new CallQueue(name, maxSize);
        byName.put(name, q);
        bySid.put(q.sid, q);
        return q;
    }

    private static String newSid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("QU%016x%016x", r.nextLong(), r.nextLong());
    }
}
