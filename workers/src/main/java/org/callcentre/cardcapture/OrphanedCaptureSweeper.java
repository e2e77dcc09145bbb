package org.callcentre.cardcapture;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.callcentre.cardcapture.CardCaptureStore.RunningInstance;
import org.callcentre.cardvault.CardVault;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * Ends captures whose process instance is gone without the conversation having ended them: Cockpit deletes an
 * instance with "skip custom listeners", so the model's end listener never runs, and a migration or a manual
 * delete can do the same. Such a capture would otherwise hold its pledge and its card vault entry until the
 * vault's time to live. Its row ends as {@link Outcome#CANCELLED}, its vault entry is erased, and the donor's next
 * webhook hears the way back to the agent. One node of the cluster sweeps at a time.
 */
@Component
public class OrphanedCaptureSweeper {

    private static final Logger log = LoggerFactory.getLogger(OrphanedCaptureSweeper.class);
    /** Instance ids per engine query, to keep its {@code in (...)} list short. */
    private static final int BATCH = 200;

    private final CardCaptureStore captures;
    private final CardVault vault;
    private final RuntimeService runtime;
    private final IdentityService identity;
    private final TransactionTemplate transaction;

    public OrphanedCaptureSweeper(CardCaptureStore captures, CardVault vault, RuntimeService runtime,
            IdentityService identity, PlatformTransactionManager transactions) {
        this.captures = captures;
        this.vault = vault;
        this.runtime = runtime;
        this.identity = identity;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * A query of the running captures and of the engine's instances per {@value #BATCH}, then a transaction per
     * orphan: seconds, so ten minutes covers any run, and is as long as a node that dies holding the lock holds up
     * the sweep. Held at least half the default interval, so the nodes do not sweep one right after another.
     */
    @Scheduled(fixedDelayString = "${app.card-capture.sweep-interval:PT30S}",
            initialDelayString = "${app.card-capture.sweep-interval:PT30S}")
    @SchedulerLock(name = "orphaned-capture-sweep", lockAtMostFor = "PT10M", lockAtLeastFor = "PT15S")
    public void scheduledSweep() {
        sweep();
    }

    /**
     * Each orphan ends in a transaction of its own, under its row lock, after checking again that the instance is
     * gone: an instance that ends normally records its outcome on the row in the transaction that ends it, so a
     * capture found still in progress under the lock with no instance was left behind. Answers how many ended.
     */
    public int sweep() {
        if (identity.getCurrentAuthentication() != null) {
            // A user's authorizations would hide instances from the query, and they would look deleted.
            throw new IllegalStateException("the orphaned capture sweeper runs without an authenticated user");
        }
        List<RunningInstance> running = transaction.execute(status -> captures.runningInstances());
        int ended = 0;
        for (int from = 0; from < running.size(); from += BATCH) {
            List<RunningInstance> batch = running.subList(from, Math.min(running.size(), from + BATCH));
            Set<String> alive = existing(batch.stream().map(RunningInstance::processInstanceId)
                    .collect(Collectors.toSet()));
            for (RunningInstance capture : batch) {
                if (!alive.contains(capture.processInstanceId()) && Boolean.TRUE.equals(
                        transaction.execute(status -> endIfOrphaned(capture)))) {
                    ended++;
                }
            }
        }
        return ended;
    }

    private boolean endIfOrphaned(RunningInstance found) {
        boolean orphaned = captures.lock(found.captureId())
                .filter(capture -> capture.status() == Outcome.IN_PROGRESS)
                .filter(capture -> found.processInstanceId().equals(capture.processInstanceId()))
                .isPresent()
                && existing(Set.of(found.processInstanceId())).isEmpty();
        if (!orphaned) {
            return false;
        }
        captures.finish(found.captureId(), Outcome.CANCELLED);
        vault.erase(found.captureId());
        log.warn("Card capture {}: its process instance {} no longer exists; capture ended as {} and its card data "
                + "erased", found.captureId(), found.processInstanceId(), Outcome.CANCELLED);
        return true;
    }

    private Set<String> existing(Set<String> processInstanceIds) {
        return runtime.createProcessInstanceQuery().processInstanceIds(processInstanceIds).list().stream()
                .map(ProcessInstance::getId).collect(Collectors.toCollection(HashSet::new));
    }
}
