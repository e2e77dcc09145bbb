package org.callcentre.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles of a set of durations, in milliseconds. */
record Stats(int count, double p50, double p99, double max) {

    static Stats ofNanos(Collection<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Stats(sorted.length, ms(percentile(sorted, 0.50)), ms(percentile(sorted, 0.99)),
                ms(sorted[sorted.length - 1]));
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** "p50 / p99 / max", in milliseconds. */
    String percentiles() {
        return f(p50) + " / " + f(p99) + " / " + f(max);
    }

    static String f(double value) {
        return Double.isNaN(value) ? "n/a" : String.format("%.1f", value);
    }

    @Override
    public String toString() {
        return "n=" + count + " p50=" + f(p50) + " ms p99=" + f(p99) + " ms max=" + f(max) + " ms";
    }

    static double median(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
