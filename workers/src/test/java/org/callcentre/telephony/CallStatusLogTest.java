package org.callcentre.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.callcentre.support.HeldTransaction;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.callcentre.telephony.CallStatusLog.CallState;
import org.junit.jupiter.api.BeforeEach;

/** The status log on the real schema, on H2 and on PostgreSQL: once per sequence number, never backwards. */
class CallStatusLogTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    private CallStatusLog log;

    @BeforeEach
    void openLog(StoreDatabase database) {
        log = new CallStatusLog(database.jdbc(), database.transaction().getTransactionManager(),
                Clock.fixed(T0, ZoneOffset.UTC));
    }

    @OnEachDatabase
    void theFirstStatusOfACallIsItsCurrentOne(StoreDatabase database) {
        String sid = newCallSid();
        assertThat(log.record(sid, "ringing", 0)).isEqualTo(new CallStatusUpdate(sid, "ringing", 0, false, true));
        assertThat(log.call(sid)).contains(new CallState(sid, "ringing", 0));
        assertThat(log.events(sid)).containsExactly(new CallStatusLog.CallEvent(0, "ringing", T0));
        assertThat(log.call(newCallSid())).isEmpty();
    }

    @OnEachDatabase
    void aLateStatusIsRecordedButNeverMovesTheCallBackwards(StoreDatabase database) {
        String sid = newCallSid();
        log.record(sid, "completed", 3);
        assertThat(log.record(sid, "in-progress", 2))
                .isEqualTo(new CallStatusUpdate(sid, "in-progress", 2, false, false));

        assertThat(log.call(sid)).contains(new CallState(sid, "completed", 3));
        assertThat(events(sid)).containsExactly("2 in-progress", "3 completed");
    }

    @OnEachDatabase
    void aRepeatIsRecognisedAndRecordedOnce(StoreDatabase database) {
        String sid = newCallSid();
        log.record(sid, "in-progress", 1);
        assertThat(log.record(sid, "in-progress", 1))
                .isEqualTo(new CallStatusUpdate(sid, "in-progress", 1, true, false));
        assertThat(log.record(sid, "completed", 2).current()).isTrue();

        assertThat(events(sid)).containsExactly("1 in-progress", "2 completed");
        assertThat(log.call(sid)).contains(new CallState(sid, "completed", 2));
    }

    @OnEachDatabase
    void withoutASequenceNumberOnlyAnUnknownCallOrAnEndIsMoved(StoreDatabase database) {
        String sid = newCallSid();
        assertThat(log.record(sid, "queued", null).current()).as("unknown call").isTrue();
        assertThat(log.record(sid, "in-progress", 4).current()).as("a number beats none").isTrue();
        assertThat(log.record(sid, "ringing", null).current()).as("may be older").isFalse();
        assertThat(log.record(sid, "completed", null).current()).as("an end is final").isTrue();
        assertThat(log.record(sid, "completed", null).current()).as("already ended").isFalse();

        assertThat(log.call(sid)).contains(new CallState(sid, "completed", 4));
        assertThat(events(sid)).containsExactly("4 in-progress", "null queued", "null ringing", "null completed",
                "null completed");
    }

    @OnEachDatabase
    void aRepeatDeliveredWhileTheFirstIsStillBeingRecordedWaitsAndIsRecognised(StoreDatabase database)
            throws Exception {
        String sid = newCallSid();
        try (HeldTransaction first = database.hold(() -> log.record(sid, "in-progress", 1))) {
            // It waits for the first to end rather than deciding on what it cannot see yet.
            assertThatThrownBy(() -> database.inTransactionWaitingAtMost(Duration.ofMillis(300),
                    () -> log.record(sid, "in-progress", 1)))
                    .matches(StoreDatabase::gaveUpWaitingForALock);
            CompletableFuture<CallStatusUpdate> repeat = CompletableFuture.supplyAsync(
                    () -> log.record(sid, "in-progress", 1), run -> new Thread(run, "repeat").start());
            first.commit();
            assertThat(repeat.get(30, TimeUnit.SECONDS).repeated()).isTrue();
        }
        assertThat(events(sid)).containsExactly("1 in-progress");
        assertThat(log.call(sid)).contains(new CallState(sid, "in-progress", 1));
    }

    @OnEachDatabase
    void aLaterStatusDeliveredWhileTheCallIsStillBeingCreatedMovesItOnceItExists(StoreDatabase database)
            throws Exception {
        String sid = newCallSid();
        try (HeldTransaction first = database.hold(() -> log.record(sid, "ringing", 1))) {
            // It waits for the first to end rather than deciding on what it cannot see yet.
            assertThatThrownBy(() -> database.inTransactionWaitingAtMost(Duration.ofMillis(300),
                    () -> log.record(sid, "in-progress", 2)))
                    .matches(StoreDatabase::gaveUpWaitingForALock);
            CompletableFuture<CallStatusUpdate> later = CompletableFuture.supplyAsync(
                    () -> log.record(sid, "in-progress", 2), run -> new Thread(run, "later").start());
            first.commit();
            assertThat(later.get(30, TimeUnit.SECONDS).current()).isTrue();
        }
        assertThat(log.call(sid)).contains(new CallState(sid, "in-progress", 2));
        assertThat(events(sid)).containsExactly("1 ringing", "2 in-progress");
    }

    @OnEachDatabase
    void concurrentDeliveriesRaceOnTheKeysNotOnAReadThenWrite(StoreDatabase database) throws Exception {
        String sid = newCallSid();
        ExecutorService twilio = Executors.newFixedThreadPool(4);
        try {
            List<Callable<CallStatusUpdate>> deliveries = new ArrayList<>();
            for (int copy = 0; copy < 3; copy++) {
                for (int sequence = 4; sequence >= 0; sequence--) {
                    int number = sequence;
                    deliveries.add(() -> log.record(sid, number == 4 ? "completed" : "in-progress", number));
                }
            }
            List<CallStatusUpdate> recorded = new ArrayList<>();
            for (Future<CallStatusUpdate> update : twilio.invokeAll(deliveries)) {
                recorded.add(update.get());
            }
            assertThat(recorded).filteredOn(update -> !update.repeated()).hasSize(5);
        } finally {
            twilio.shutdownNow();
        }

        assertThat(log.call(sid)).contains(new CallState(sid, "completed", 4));
        assertThat(events(sid)).containsExactly("0 in-progress", "1 in-progress", "2 in-progress", "3 in-progress",
                "4 completed");
    }

    private List<String> events(String sid) {
        return log.events(sid).stream().map(e -> e.sequenceNumber() + " " + e.status()).toList();
    }

    private static String newCallSid() {
        return "CA" + UUID.randomUUID().toString().replace("-", "");
    }
}
