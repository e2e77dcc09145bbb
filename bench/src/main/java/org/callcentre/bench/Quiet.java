package org.callcentre.bench;

import java.time.Duration;

/**
 * Waits for the machine to settle between phases: after a phase the JIT's compiler threads (of either JVM) and the
 * app's background work can keep the cores busy for a while, and that would be charged to the next phase.
 * Reads the whole machine's CPU counters ({@link ProcCpu#machine}); elsewhere it does not wait.
 */
final class Quiet {

    private static final Duration SAMPLE = Duration.ofMillis(250);
    private static final double IDLE_ENOUGH = 0.85;

    private Quiet() {
    }

    /** Returns once a quarter of a second passed with the cores at least 85% idle, or after {@code limit}. */
    static Duration await(Duration limit) {
        long start = System.nanoTime();
        long[] before = ProcCpu.machine();
        if (before == null) {
            return Duration.ZERO;
        }
        while (System.nanoTime() - start < limit.toNanos()) {
            AppProcess.pause(SAMPLE);
            long[] after = ProcCpu.machine();
            double busy = ProcCpu.busyBetween(before, after);
            before = after;
            if (busy <= 1 - IDLE_ENOUGH) {
                break;
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
