package org.callcentre.bench;

/**
 * Warms a JVM up until its JIT compiler has gone quiet: batches of conversations, until at least a minimum has run
 * and the compiler threads used less than a given share of the JVM's CPU in the last batch, or a maximum has run.
 *
 * <p>A fixed warm-up was not enough: a Camunda method that runs a few times a conversation reaches C2's thresholds
 * only after thousands of conversations, and a C2 compilation of an engine method with its inlined callees often
 * takes over 0.1 s of a core (JFR). After 3,000 conversations the app's compiler threads still used 12–19% of its
 * CPU in measured runs, and the engine-only ceiling kept rising for thousands of
 * conversations more.
 */
final class WarmUp {

    /** One batch: runs {@code conversations} and answers what they cost the JVM. */
    interface Batch {
        Cost run(int conversations) throws Exception;
    }

    /** A conversation's CPU in the JVM, and the part of it its JIT compiler threads used, in ms. */
    record Cost(double cpuMillis, double jitMillis) {
    }

    static final int BATCH = 1000;

    private WarmUp() {
    }

    /** Answers the number of conversations run. */
    static int untilJitQuiet(String what, int min, int max, double quietShare, Batch batch) throws Exception {
        int done = 0;
        while (done < max) {
            Cost cost = batch.run(BATCH);
            done += BATCH;
            double share = cost.cpuMillis() > 0 ? cost.jitMillis() / cost.cpuMillis() : 0;
            System.out.printf("   %s warm-up: %d conversations, CPU %.1f ms a conversation, JIT compiler %.0f%% of"
                    + " it%n", what, done, cost.cpuMillis(), 100 * share);
            if (done >= min && share < quietShare) {
                break;
            }
        }
        return done;
    }
}
