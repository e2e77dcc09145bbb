package org.callcentre.bench.callback;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The due times of one run: a steady stream of {@code steadyCount} callbacks from {@code steadyFrom}, one in each slot
 * of {@code steadyApart}, then, {@link #GAP} after its last slot, a burst of {@code burstCount} callbacks all due at
 * {@code burstAt}, as the callbacks booked for 14:30 all fall due at 14:30:00. The steady stream runs first, so the
 * burst meets a warm JIT and nothing else due.
 * <p>
 * Each steady callback falls at a different point of its slot (the slot's length times {@code 37k mod 100} / 100 for
 * the k-th), so the points cover the slot evenly, as people's times do: due times all on the slot's start would meet
 * a poll at a fixed rate always at the same phase, and its lag would be that phase, not the spread it has.
 */
public record DuePlan(Instant steadyFrom, int steadyCount, Duration steadyApart, Instant burstAt, int burstCount) {

    /** From the steady stream's last due time to the burst: its last callbacks are DUE by then. */
    public static final Duration GAP = Duration.ofSeconds(20);

    /** The steady stream from {@code from} (to the whole second) at {@code perSecond} for {@code length}. */
    public static DuePlan of(Instant from, int perSecond, Duration length, int burst) {
        Instant start = from.truncatedTo(ChronoUnit.SECONDS);
        Duration apart = Duration.ofMillis(1000 / perSecond);
        int steady = (int) (length.toMillis() * perSecond / 1000);
        return new DuePlan(start, steady, apart, start.plus(apart.multipliedBy(steady)).plus(GAP), burst);
    }

    /** The same due times, moved so that the steady stream starts at {@code from} (to the whole second). */
    public DuePlan startingAt(Instant from) {
        Instant start = from.truncatedTo(ChronoUnit.SECONDS);
        return new DuePlan(start, steadyCount, steadyApart, start.plus(Duration.between(steadyFrom, burstAt)),
                burstCount);
    }

    /** The steady stream's due times, in order of slot, to the millisecond. */
    public List<Instant> steady() {
        List<Instant> due = new ArrayList<>(steadyCount);
        for (int k = 0; k < steadyCount; k++) {
            long offset = steadyApart.toMillis() * (37L * k % 100) / 100;
            due.add(steadyFrom.plus(steadyApart.multipliedBy(k)).plusMillis(offset));
        }
        return due;
    }

    /** The end of the steady stream's last slot: every steady due time is before it. */
    public Instant steadyUntil() {
        return steadyFrom.plus(steadyApart.multipliedBy(steadyCount));
    }

    /** Every due time: the steady stream's, then the burst's. */
    public List<Instant> all() {
        List<Instant> due = steady();
        for (int i = 0; i < burstCount; i++) {
            due.add(burstAt);
        }
        return due;
    }

    public int size() {
        return steadyCount + burstCount;
    }

    public boolean inBurst(Instant due) {
        return due.equals(burstAt);
    }
}
