package org.callcentre.bench;

import java.util.ArrayList;
import java.util.List;

/** What the dialler's benchmark measured on one database; {@code null} for a phase that did not run. */
final class DiallerMeasures {

    /** The import of the leads: each list's time and the total, and what the app answered. */
    static final class Import {
        final long leads;
        final long rows;
        long imported;
        long addedToList;
        long rejected;
        long expectedImported;
        long expectedAddedToList;
        final List<Double> listSeconds = new ArrayList<>();
        double seconds;

        Import(long leads, long rows) {
            this.leads = leads;
            this.rows = rows;
        }

        double rowsPerSecond() {
            return rows / seconds;
        }

        /** Whether the app created exactly the leads the files hold and added the repeated ones to the second list. */
        boolean asExpected() {
            return imported == expectedImported && addedToList == expectedAddedToList && rejected == 0;
        }

        void print(String tag) {
            System.out.printf("   %s: %d rows (%d leads) in %.1f s, %.0f rows/s; imported %d, added to a list %d,"
                    + " rejected %d%s%n", tag, rows, leads, seconds, rowsPerSecond(), imported, addedToList, rejected,
                    asExpected() ? "" : " (expected " + expectedImported + " imported and " + expectedAddedToList
                            + " added)");
        }
    }

    /**
     * A measured window of claims: the pace asked for (0: none), the claims sent in it, its length, their latency,
     * the claims that found no lead, and CPU ms per claim of the app's JVM (NaN for the raw statement), of this JVM
     * (the load generator, and for the raw statement on H2 also the database) and the machine's cores busy.
     */
    record Claims(int rate, int count, double seconds, Stats latency, long empty, double appCpuMillis,
            double ownCpuMillis, double machineBusy) {

        double perSecond() {
            return count / seconds;
        }

        void print(String what) {
            System.out.printf("   %s: %d claims in %.0f s, %.1f/s, p50 / p99 / max %s ms, %d found none; CPU ms a"
                    + " claim: app %s, this JVM %s; machine's cores %.0f%% busy%n", what, count, seconds, perSecond(),
                    latency.percentiles(), empty, Stats.f(appCpuMillis), Stats.f(ownCpuMillis), 100 * machineBusy);
        }
    }

    final Database database;
    Import imports;
    int warmedUp;
    Claims pacedNextLead;
    Claims saturatedNextLead;
    Claims pacedRaw;
    Claims saturatedRaw;
    long historyOverlaps = -1;
    long historyLocks = -1;
    long seenOverlapsNextLead = -1;
    long seenOverlapsRaw = -1;

    DiallerMeasures(Database database) {
        this.database = database;
    }
}
