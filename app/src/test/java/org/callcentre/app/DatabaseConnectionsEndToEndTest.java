package org.callcentre.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.cardvault.CardVaultSweeper;
import org.callcentre.dialler.LeadReadinessSweeper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The app's connections come from the pool with auto-commit off (application.yml): only a transaction commits,
 * so every write the app makes must run in one.
 */
class DatabaseConnectionsEndToEndTest extends EndToEndTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    CardVaultSweeper sweeper;

    @Autowired
    LeadReadinessSweeper readinessSweeper;

    @Test
    void aWriteOutsideATransactionIsNotKept() {
        String captureId = UUID.randomUUID().toString();
        jdbc.update("insert into card_vault_entry (capture_id, expires_at) values (?, ?)", captureId,
                Timestamp.from(Instant.now().plusSeconds(600)));

        assertThat(vaultEntries(captureId)).isZero();
    }

    @Test
    void theVaultSweepersErasureIsCommitted() {
        String expired = UUID.randomUUID().toString();
        String live = UUID.randomUUID().toString();
        transaction.executeWithoutResult(status -> {
            jdbc.update("insert into card_vault_entry (capture_id, expires_at) values (?, ?)", expired,
                    Timestamp.from(Instant.now().minusSeconds(60)));
            jdbc.update("insert into card_vault_entry (capture_id, expires_at) values (?, ?)", live,
                    Timestamp.from(Instant.now().plusSeconds(600)));
        });
        assertThat(vaultEntries(expired)).isOne();

        sweeper.sweep();

        assertThat(vaultEntries(expired)).isZero();
        assertThat(vaultEntries(live)).isOne();
        transaction.executeWithoutResult(status -> jdbc.update("delete from card_vault_entry where capture_id = ?", live));
    }

    @Test
    void theLeadReadinessSweepIsCommitted() {
        long list = DiallerSetup.callList(admin, CardCaptureScenario.campaign(admin, true, false, false));
        long lead = DiallerSetup.importLeads(admin, list, DiallerSetup.mobile()).get(0);
        transaction.executeWithoutResult(status -> jdbc.update(
                "update lead_call_list set ready = false, ready_at = ? where lead_id = ?",
                Timestamp.from(Instant.now().minusSeconds(60)), lead));

        readinessSweeper.sweep();

        assertThat(ready(lead)).isTrue();
    }

    /** Counted in a transaction of its own, so only what another transaction committed is seen. */
    private int vaultEntries(String captureId) {
        return transaction.execute(status -> jdbc.queryForObject(
                "select count(*) from card_vault_entry where capture_id = ?", Integer.class, captureId));
    }

    private boolean ready(long lead) {
        return transaction.execute(status -> jdbc.queryForObject(
                "select ready from lead_call_list where lead_id = ?", Boolean.class, lead));
    }
}
