package org.callcentre.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits for the machine to settle between phases: after a phase the JIT's compiler threads (of either JVM) and the
 * app's background work can keep the cores busy for a while, and that would be charged to the next phase.
 * Reads the whole machine's CPU counters from {@code /proc/stat}; elsewhere it does not wait. The same counters
 * tell how busy the cores were during a phase ({@link #busySince}).
 */
final class Quiet {

    private static final Path STAT = Path.of("/proc/stat");
    private static final Duration SAMPLE = Duration.ofMillis(250);
    private static final double IDLE_ENOUGH = 0.85;

    private Quiet() {
    }

    /** Returns once a quarter of a second passed with the cores at least 85% idle, or after {@code limit}. */
    static Duration await(Duration limit) {
        long start = System.nanoTime();
        long[] before = counters();
        if (before == null) {
            return Duration.ZERO;
        }
        while (System.nanoTime() - start < limit.toNanos()) {
            AppProcess.pause(SAMPLE);
            long[] after = counters();
            long total = after[0] - before[0];
            long idle = after[1] - before[1];
            before = after;
            if (total > 0 && (double) idle / total >= IDLE_ENOUGH) {
                break;
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * The share of all cores that was busy since {@code before} (a {@link #counters()} reading), from 0 to 1; NaN
     * where there is no /proc/stat.
     */
    static double busySince(long[] before) {
        long[] after = counters();
        if (before == null || after == null || after[0] == before[0]) {
            return Double.NaN;
        }
        return 1 - (double) (after[1] - before[1]) / (after[0] - before[0]);
    }

    /** {total, idle} jiffies over all cores; null where there is no /proc/stat. */
    static long[] counters() {
        try {
            String[] fields = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]); // idle + iowait
            return new long[] {total, idle};
        } catch (IOException | RuntimeException unavailable) {
            return null;
        }
    }
}
