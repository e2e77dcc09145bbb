package org.callcentre.cardvault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The vault's backstop: whatever happened to a conversation (a node died mid-call, an instance was deleted
 * without listeners), no card data outlives the vault's time to live by more than a minute. Expired entries'
 * data keys are destroyed too, so their ciphertexts left on disk open no more.
 */
@Component
public class CardVaultSweeper {

    private static final Logger log = LoggerFactory.getLogger(CardVaultSweeper.class);

    private final CardVault vault;

    public CardVaultSweeper(CardVault vault) {
        this.vault = vault;
    }

    /** In a transaction of its own: the app's connections do not commit by themselves (application.yml). */
    @Scheduled(fixedDelayString = "${app.card-vault.sweep-interval:PT1M}", initialDelayString = "PT1M")
    @Transactional
    public void sweep() {
        int erased = vault.sweepExpired();
        if (erased > 0) {
            log.info("Card vault: erased {} expired entries", erased);
        }
    }
}
