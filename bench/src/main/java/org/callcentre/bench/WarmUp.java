package org.callcentre.bench;

/**
 * Warms a JVM up until its JIT compiler has gone quiet: batches of conversations, until at least a minimum has run
 * and the compiler threads used less than a given share of the JVM's CPU in the last batch, or a maximum has run.
 * A fixed warm-up is not enough: a Camunda method that runs a few times a conversation reaches C2's thresholds only
 * after thousands of conversations, and C2 competes with the app for the cores while it compiles.
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
        return untilJitQuiet(what, min, max, BATCH, quietShare, batch);
    }

    /** In batches of at most {@code batchSize} conversations; answers the number of conversations run. */
    static int untilJitQuiet(String what, int min, int max, int batchSize, double quietShare, Batch batch)
            throws Exception {
        int done = 0;
        while (done < max) {
            int conversations = Math.min(batchSize, max - done);
            Cost cost = batch.run(conversations);
            done += conversations;
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
