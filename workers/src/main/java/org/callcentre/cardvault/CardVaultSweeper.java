package org.callcentre.cardvault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

/**
 * The vault's backstop: whatever happened to a conversation (a node died mid-call, an instance was deleted
 * without listeners), no card data outlives the vault's time to live by more than a minute. Expired entries' data
 * keys are deleted too, so their ciphertexts left on disk open no more. Rows and keys are in the database, so one
 * node of the cluster sweeps at a time.
 */
@Component
public class CardVaultSweeper {

    private static final Logger log = LoggerFactory.getLogger(CardVaultSweeper.class);

    private final CardVault vault;
    private final TransactionTemplate transaction;

    public CardVaultSweeper(CardVault vault, PlatformTransactionManager transactions) {
        this.vault = vault;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * One delete, seconds at most: ten minutes covers any run, and is as long as a node that dies holding the lock
     * holds up the sweep. Held at least half the default interval, so the nodes do not sweep one right after another.
     */
    @Scheduled(fixedDelayString = "${app.card-vault.sweep-interval:PT1M}", initialDelayString = "PT1M")
    @SchedulerLock(name = "card-vault-sweep", lockAtMostFor = "PT10M", lockAtLeastFor = "PT30S")
    public void scheduledSweep() {
        sweep();
    }

    /** In a transaction of its own: the app's connections do not commit by themselves (application.yml). */
    public void sweep() {
        int erased = transaction.execute(status -> vault.sweepExpired());
        if (erased > 0) {
            log.info("Card vault: erased {} expired entries", erased);
        }
    }
}
