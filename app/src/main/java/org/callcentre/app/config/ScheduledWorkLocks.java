package org.callcentre.app.config;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import net.javacrumbs.shedlock.support.Utils;

/**
 * The cluster's locks on scheduled work that is not a Camunda job ({@code @SchedulerLock}): one row per task in
 * {@code shedlock}, taken by a conditional update. Every statement runs in a transaction of its own (the provider's
 * {@code REQUIRES_NEW} on the app's transaction manager), so it commits although the pool's connections do not commit
 * by themselves, and whatever transaction the caller is in. Times are the database's ({@code usingDbTime}, H2 and
 * PostgreSQL), so the nodes' clocks play no part.
 *
 * <p>A lock is kept alive while its task runs: every half {@code lockAtMostFor} it is extended by another
 * {@code lockAtMostFor}, so a run longer than that still holds it, and {@code lockAtMostFor} is only how long the
 * others wait for a node that died holding it. Each {@code lockAtMostFor} must be at least 30 seconds.
 */
public final class ScheduledWorkLocks implements LockProvider, DisposableBean {

    private final ScheduledExecutorService keeper;
    private final LockProvider locks;
    private final String node;

    public ScheduledWorkLocks(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        // A node releases and extends only its own lock (the statements match locked_by): two nodes on one host,
        // or two in one JVM, must differ.
        this.node = ProcessHandle.current().pid() + "@" + Utils.getHostname() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
        this.keeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "scheduled-work-lock-keeper");
            thread.setDaemon(true);
            return thread;
        });
        this.locks = new KeepAliveLockProvider(new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration
                .builder()
                .withJdbcTemplate(jdbc)
                .withTransactionManager(transactions)
                .usingDbTime()
                .withLockedByValue(node)
                .build()), keeper);
    }

    @Override
    public Optional<SimpleLock> lock(LockConfiguration lockConfiguration) {
        return locks.lock(lockConfiguration);
    }

    /** What this node writes in {@code locked_by}. */
    public String node() {
        return node;
    }

    @Override
    public void destroy() {
        keeper.shutdownNow();
    }
}
