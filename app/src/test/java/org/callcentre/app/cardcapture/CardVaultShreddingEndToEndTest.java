package org.callcentre.app.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.TestDatabase;
import org.callcentre.cardvault.CardVault;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erased is gone: the attacker has the database (its files, dead tuples, backups) after a capture ended, and
 * recovers the card vault's ciphertexts from it; nothing the app still holds (the vault's master keys and its
 * key table) opens them any more.
 *
 * <p>Runs first, while the vault's table is small, so PostgreSQL has not pruned the dead tuples yet.
 */
@Order(0)
class CardVaultShreddingEndToEndTest extends EndToEndTest {

    private static final String VISA = CardCaptureEndToEndTest.VISA;
    private static final String EXPIRY = CardCaptureEndToEndTest.EXPIRY;
    private static final String CVC = CardCaptureEndToEndTest.CVC;

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    CardVault vault;

    @Test
    void theCiphertextLeftOnDiskAfterACaptureNoLongerDecrypts() throws Exception {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "30.00", "ONE_OFF");
        call.start();
        String captureId = jdbc.queryForObject("select id from card_capture where pledge_id = ?", String.class,
                call.pledgeId);

        // What the attacker keeps: every value the row held while the capture ran.
        Map<String, String> recovered = new LinkedHashMap<>();
        call.answer("card number", VISA + "#");
        call.prompt();
        recovered.put("card_number", vaultColumn(captureId, "card_number"));
        if (!TestDatabase.POSTGRES) {
            // H2 writes its file a moment after a commit: wait until the sealed number is on disk.
            await().atMost(WAIT).until(() -> h2FileContains(recovered.get("card_number")));
        }
        call.answer("expiry date", EXPIRY + "#");
        call.prompt();
        recovered.put("expiry", vaultColumn(captureId, "expiry"));

        // The gateway answers slowly, so the security code stays in the row while the charge runs.
        AtomicReference<Map<String, Object>> whole = new AtomicReference<>();
        gateway.faults().latency(Duration.ofMillis(700));
        try {
            call.answer("security code", CVC + "#");
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
                Map<String, Object> row = vaultRow(captureId);
                if (row != null && row.get("security_code") != null) {
                    whole.set(row);
                    // While the capture runs, these values open: they are real card data.
                    assertThat(vault.read(captureId)).hasValueSatisfying(card -> {
                        assertThat(card.number()).isEqualTo(VISA);
                        assertThat(card.securityCode()).isEqualTo(CVC);
                    });
                    return true;
                }
                return false;
            });
            recovered.put("security_code", (String) whole.get().get("security_code"));
            call.awaitBackWithAgent();
        } finally {
            gateway.faults().latency(Duration.ZERO);
        }
        assertThat(call.pledge().get("paid").asBoolean()).isTrue();
        await().atMost(WAIT).until(() -> vaultRow(captureId) == null && !vault.holdsKeysFor(captureId));

        // The ciphertexts are still on disk after the erase: in dead tuples on PostgreSQL (each version the row
        // had, the security code's included), in old file chunks on H2.
        if (TestDatabase.POSTGRES) {
            assertThat(deadTuplesHolding(captureId, recovered.values())).as("sealed values in dead tuples")
                    .containsExactlyInAnyOrderElementsOf(recovered.values());
        } else {
            assertThat(inH2File(recovered.values())).as("sealed values in H2's file")
                    .contains(recovered.get("card_number"));
        }

        // Put back into the table, as from a backup, they open with nothing the app holds.
        restore(captureId, recovered);
        try {
            assertThat(vault.read(captureId)).isEmpty();
            assertThat(vault.brand(captureId)).isEmpty();
        } finally {
            transaction.executeWithoutResult(status -> jdbc.update("delete from card_vault_entry where capture_id = ?",
                    captureId));
        }
    }

    private Map<String, Object> vaultRow(String captureId) {
        List<Map<String, Object>> rows = jdbc.queryForList("select * from card_vault_entry where capture_id = ?",
                captureId);
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        rows.get(0).forEach((column, value) -> row.put(column.toLowerCase(), value));
        return row;
    }

    private String vaultColumn(String captureId, String column) {
        String value = (String) vaultRow(captureId).get(column);
        assertThat(value).as(column).isNotNull();
        return value;
    }

    private void restore(String captureId, Map<String, String> values) {
        transaction.executeWithoutResult(status -> {
            jdbc.update("delete from card_vault_entry where capture_id = ?", captureId);
            jdbc.update("insert into card_vault_entry (capture_id, card_number, expiry, security_code, expires_at) "
                    + "values (?, ?, ?, ?, ?)", captureId, values.get("card_number"), values.get("expiry"),
                    values.get("security_code"), Timestamp.from(Instant.now().plusSeconds(600)));
        });
    }

    /**
     * PostgreSQL: the vault table's raw pages through {@code pageinspect}; the values found in tuples of the
     * capture that a delete or update has ended (a set {@code t_xmax}).
     */
    private List<String> deadTuplesHolding(String captureId, Iterable<String> values) {
        transaction.executeWithoutResult(status -> jdbc.execute("create extension if not exists pageinspect"));
        long pages = jdbc.queryForObject("select pg_relation_size('card_vault_entry') / current_setting('block_size')::int",
                Long.class);
        List<String> found = new ArrayList<>();
        for (int page = 0; page < pages; page++) {
            List<Map<String, Object>> tuples = jdbc.queryForList(
                    "select t_xmax::text::bigint as xmax, t_data from heap_page_items(get_raw_page('card_vault_entry', ?)) "
                            + "where t_data is not null", page);
            for (Map<String, Object> tuple : tuples) {
                String data = new String((byte[]) tuple.get("t_data"), StandardCharsets.ISO_8859_1);
                if (((Number) tuple.get("xmax")).longValue() != 0 && data.contains(captureId)) {
                    values.forEach(value -> {
                        if (data.contains(value) && !found.contains(value)) {
                            found.add(value);
                        }
                    });
                }
            }
        }
        return found;
    }

    /** H2: the database file's bytes. */
    private static List<String> inH2File(Iterable<String> values) throws IOException {
        String file = new String(Files.readAllBytes(h2File()), StandardCharsets.ISO_8859_1);
        List<String> found = new ArrayList<>();
        values.forEach(value -> {
            if (file.contains(value)) {
                found.add(value);
            }
        });
        return found;
    }

    private static boolean h2FileContains(String value) throws IOException {
        return inH2File(List.of(value)).contains(value);
    }

    private static Path h2File() {
        String url = TestDatabase.url();
        String path = url.substring("jdbc:h2:file:".length(), url.indexOf(';'));
        return Path.of(path + ".mv.db");
    }
}
