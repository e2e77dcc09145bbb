package org.callcentre.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.callcentre.bench.callback.DueLags.Lag;

/** What the callbacks' benchmark measured on one database; {@code null} for what did not run. */
final class CallbackMeasures {

    /** The run's callbacks scheduled over the API before any fell due: how many, how long, the app's CPU each. */
    record Scheduling(int callbacks, double seconds, double appCpuMillis) {

        double perSecond() {
            return callbacks / seconds;
        }

        void print() {
            System.out.printf("   scheduled %d callbacks in %.1f s (%.0f/s), app CPU %.1f ms each%n", callbacks,
                    seconds, perSecond(), appCpuMillis);
        }
    }

    /**
     * One phase of the engine or of the baseline: the rows due in it, those found due, the lag from due time to found
     * due, the time from the phase's first due time to the last found due, CPU ms per row of the measured side (the
     * app's JVM, or the poller's thread), of that its JIT compiler's, and PostgreSQL's processes' (NaN on H2), and how
     * busy the machine's cores were.
     */
    record Phase(int due, int fired, Stats lag, double lastSeconds, double cpuMillis, double jitMillis,
            double postgresCpuMillis, double machineBusy) {

        static Phase of(List<Lag> lags, int due, Instant firstDue, double cpuMillis, double jitMillis,
                double postgresCpuMillis, double machineBusy) {
            Instant last = lags.stream().map(Lag::at).max(Instant::compareTo).orElse(firstDue);
            return new Phase(due, lags.size(), Stats.ofNanos(lags.stream().map(l -> l.lag().toNanos()).toList()),
                    Duration.between(firstDue, last).toMillis() / 1000.0, cpuMillis, jitMillis, postgresCpuMillis,
                    machineBusy);
        }

        boolean allFired() {
            return fired >= due;
        }

        void print(String what) {
            System.out.printf("   %s: %d of %d due, lag p50 / p99 / max %s ms, last %.1f s after the first due time;"
                    + " CPU %.2f ms each (JIT %.2f; PostgreSQL's %s), machine's cores %s%% busy%n", what, fired, due,
                    lag.percentiles(), lastSeconds, cpuMillis, jitMillis, figure("%.2f", postgresCpuMillis),
                    figure("%.0f", 100 * machineBusy));
        }
    }

    /** The value in {@code format}, or "n/a" for NaN (not measured). */
    static String figure(String format, double value) {
        return Double.isNaN(value) ? "n/a" : String.format(format, value);
    }

    final Database database;
    Scheduling scheduling;
    Phase engineSteady;
    Phase engineBurst;
    Phase baselineSteady;
    Phase baselineBurst;
    /** Where PostgreSQL's statistics came from: autovacuum, or the harness's analysis. */
    String statistics;
    /** The index on ACT_RU_JOB (DUEDATE_) the engine ran with, or none. */
    String dueDateIndex;

    CallbackMeasures(Database database) {
        this.database = database;
    }
}
