package org.callcentre.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The benchmark's load: work on a number of threads at once, waited for to the end. */
final class Parallel {

    /** Work for one thread, or for one item. */
    interface Work {
        void run(int index) throws Exception;
    }

    private Parallel() {
    }

    /** Runs {@code work} once on each of {@code threads} threads (with the thread's index) and waits for all. */
    static void onThreads(int threads, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                running.add(pool.submit(() -> {
                    work.run(index);
                    return null;
                }));
            }
            for (Future<?> thread : running) {
                thread.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code item} for each index below {@code count}, on {@code threads} threads that each take the next. */
    static void forEach(int count, int threads, Work item) throws Exception {
        AtomicInteger next = new AtomicInteger();
        onThreads(threads, thread -> {
            int index;
            while ((index = next.getAndIncrement()) < count) {
                item.run(index);
            }
        });
    }
}
