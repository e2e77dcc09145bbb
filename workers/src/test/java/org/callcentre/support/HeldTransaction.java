package org.callcentre.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction on a thread of its own that has done its work and stays open until {@link #commit()} or
 * {@link #rollback()}: what another request sees, and waits for, while this one is still running.
 */
public final class HeldTransaction implements AutoCloseable {

    private static final long SECONDS = 30;

    private final CountDownLatch worked = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final CompletableFuture<Void> ended;
    private volatile boolean rollback;

    HeldTransaction(TransactionTemplate transaction, Runnable work) {
        ended = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
            work.run();
            worked.countDown();
            await(released);
            if (rollback) {
                status.setRollbackOnly();
            }
        }), run -> new Thread(run, "held-transaction").start());
        try {
            if (!worked.await(SECONDS, TimeUnit.SECONDS) && !ended.isDone()) {
                throw new IllegalStateException("the held transaction did not finish its work");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (ended.isDone()) {
            end();
        }
    }

    public void commit() {
        released.countDown();
        end();
    }

    public void rollback() {
        rollback = true;
        released.countDown();
        end();
    }

    /** Rolls back unless already ended. */
    @Override
    public void close() {
        if (!ended.isDone()) {
            rollback();
        }
    }

    private void end() {
        try {
            ended.get(SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the held transaction did not end", e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the held transaction was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
