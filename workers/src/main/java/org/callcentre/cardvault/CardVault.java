package org.callcentre.cardvault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.callcentre.cardvault.MasterKeys.MasterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The only place card numbers, expiry dates and security codes are kept: one row per card capture, each field
 * sealed with AES-256-GCM under a key of its own, derived (HKDF-SHA256) from the configured master key and a
 * random data key that exists only in this node's memory ({@link DataKeyring}).
 *
 * <p>Erasing is crypto-shredding: a row's old versions stay behind in PostgreSQL's dead tuples, its WAL and
 * backups, and in H2's old file chunks, so erasing destroys the data key as well as the row, once the transaction
 * that erases commits (a rollback keeps both). Without its data key nothing left on disk opens, whatever master
 * key is known. A value replaced by a newer one is shredded the same way. Keys also go with the vault's time to
 * live, and with a restart of the node: an entry in flight then reads as empty.
 */
public class CardVault {

    private static final Logger log = LoggerFactory.getLogger(CardVault.class);
    private static final int TAG_BITS = SealedValue.TAG_BYTES * 8;
    static final String NUMBER = "card_number";
    static final String EXPIRY = "expiry";
    static final String SECURITY_CODE = "security_code";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CardVaultProperties properties;
    private final SecureRandom random = new SecureRandom();
    private final MasterKeys masterKeys;
    private final DataKeyring keyring;

    public CardVault(JdbcTemplate jdbc, CardVaultProperties properties, Clock clock) {
        this(jdbc, properties, clock, null);
    }

    /** With the data keys of {@code keyring}: a node whose master key configuration changed, for the tests. */
    CardVault(JdbcTemplate jdbc, CardVaultProperties properties, Clock clock, DataKeyring keyring) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
        this.masterKeys = MasterKeys.from(properties, random);
        this.keyring = keyring != null ? keyring : new DataKeyring(properties.maxOpenEntries(), random);
    }

    DataKeyring keyring() {
        return keyring;
    }

    /** Opens an empty entry for a capture that is starting. */
    public void open(String captureId) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(properties.timeToLive());
        keyring.open(captureId, expiresAt, now);
        try {
            jdbc.update("insert into card_vault_entry (capture_id, expires_at) values (?, ?)", captureId,
                    Timestamp.from(expiresAt));
        } catch (RuntimeException e) {
            keyring.destroy(captureId);
            throw e;
        }
        afterCompletion(() -> { }, () -> keyring.destroy(captureId));
    }

    public void putNumber(String captureId, String number) {
        put(captureId, NUMBER, number);
    }

    public void putExpiry(String captureId, int month, int year) {
        put(captureId, EXPIRY, "%02d/%04d".formatted(month, year));
    }

    public void putSecurityCode(String captureId, String securityCode) {
        put(captureId, SECURITY_CODE, securityCode);
    }

    /**
     * The card entered so far, if number and expiry are both there and open. Empty too when this node no longer
     * holds the entry's data keys (erased, expired, or lost in a restart): the card must be entered again.
     */
    public Optional<CardDetails> read(String captureId) {
        List<String[]> rows = jdbc.query(
                "select card_number, expiry, security_code from card_vault_entry where capture_id = ?",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, captureId);
        if (rows.isEmpty() || rows.get(0)[0] == null || rows.get(0)[1] == null) {
            return Optional.empty();
        }
        String[] row = rows.get(0);
        List<String> gone = new ArrayList<>();
        Optional<String> number = unseal(captureId, NUMBER, row[0], gone);
        Optional<String> expiry = unseal(captureId, EXPIRY, row[1], gone);
        String securityCode = row[2] == null ? null : unseal(captureId, SECURITY_CODE, row[2], gone).orElse(null);
        warnIfGone(captureId, gone);
        if (number.isEmpty() || expiry.isEmpty()) {
            return Optional.empty();
        }
        String[] monthYear = expiry.get().split("/");
        return Optional.of(new CardDetails(number.get(), Integer.parseInt(monthYear[0]), Integer.parseInt(monthYear[1]),
                securityCode));
    }

    /** Card brand of the number entered so far, to ask for the right length of security code. */
    public Optional<CardBrand> brand(String captureId) {
        List<String> rows = jdbc.queryForList("select card_number from card_vault_entry where capture_id = ?",
                String.class, captureId);
        if (rows.isEmpty() || rows.get(0) == null) {
            return Optional.empty();
        }
        List<String> gone = new ArrayList<>();
        Optional<String> number = unseal(captureId, NUMBER, rows.get(0), gone);
        warnIfGone(captureId, gone);
        return number.map(CardBrand::of);
    }

    /** After authorisation: PCI DSS 3.3.1 forbids keeping the security code any longer. */
    public void eraseSecurityCode(String captureId) {
        jdbc.update("update card_vault_entry set security_code = null where capture_id = ?", captureId);
        shredOnCommit(captureId, List.of(SECURITY_CODE));
    }

    /** Forgets the card (a declined card before the next one, or the end of the conversation). */
    public void eraseCard(String captureId) {
        jdbc.update("update card_vault_entry set card_number = null, expiry = null, security_code = null "
                + "where capture_id = ?", captureId);
        shredOnCommit(captureId, List.of(NUMBER, EXPIRY, SECURITY_CODE));
    }

    /** The conversation ended: nothing of the card remains. */
    public void erase(String captureId) {
        jdbc.update("delete from card_vault_entry where capture_id = ?", captureId);
        afterCompletion(() -> keyring.destroy(captureId), () -> { });
    }

    /**
     * Erases every entry past its time to live and destroys the data keys of every expired entry at once (an
     * expired key opens nothing whether or not its row is gone); answers how many rows.
     */
    public int sweepExpired() {
        Instant now = clock.instant();
        int keys = keyring.destroyExpired(now);
        if (keys > 0) {
            log.debug("Card vault: destroyed the data keys of {} expired entries", keys);
        }
        return jdbc.update("delete from card_vault_entry where expires_at < ?", Timestamp.from(now));
    }

    /** Whether this node holds data keys for the entry: false once it is erased, expired, or lost in a restart. */
    public boolean holdsKeysFor(String captureId) {
        return keyring.holds(captureId);
    }

    private void put(String captureId, String field, String plain) {
        // The row lock orders this put against every other change of the entry, so the generations it
        // supersedes are exactly those committed before it.
        List<Timestamp> open = jdbc.queryForList(
                "select expires_at from card_vault_entry where capture_id = ? for update", Timestamp.class, captureId);
        if (open.isEmpty()) {
            throw new IllegalStateException("no open card vault entry for capture " + captureId);
        }
        DataKeyring.Generation generation = keyring.newGeneration(captureId, field, clock.instant())
                .orElseThrow(() -> new IllegalStateException("card vault entry of capture " + captureId
                        + " has no data key on this node (expired, or opened before the node restarted)"));
        try {
            jdbc.update("update card_vault_entry set " + field + " = ? where capture_id = ?",
                    seal(captureId, field, generation, plain), captureId);
        } catch (RuntimeException e) {
            keyring.destroy(captureId, field, List.of(generation.number()));
            throw e;
        } finally {
            Arrays.fill(generation.key(), (byte) 0);
        }
        afterCompletion(() -> keyring.destroy(captureId, field, generation.superseded()),
                () -> keyring.destroy(captureId, field, List.of(generation.number())));
    }

    private void shredOnCommit(String captureId, List<String> fields) {
        // Taken under the row lock the update above holds: a later put's new generation is not among them.
        Map<String, List<Long>> generations = new HashMap<>();
        for (String field : fields) {
            generations.put(field, keyring.generations(captureId, field));
        }
        afterCompletion(() -> generations.forEach((field, numbers) -> keyring.destroy(captureId, field, numbers)),
                () -> { });
    }

    private String seal(String captureId, String field, DataKeyring.Generation generation, String plain) {
        MasterKey master = masterKeys.current();
        byte[] context = SealedValue.context(captureId, field, master.id(), generation.number());
        byte[] fieldKey = FieldKeys.derive(master.bytes(), generation.key(), context);
        try {
            byte[] iv = new byte[SealedValue.IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(fieldKey, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context);
            byte[] ciphertext = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = new byte[iv.length + ciphertext.length];
            System.arraycopy(iv, 0, sealed, 0, iv.length);
            System.arraycopy(ciphertext, 0, sealed, iv.length, ciphertext.length);
            return new SealedValue(master.id(), generation.number(), sealed).format();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("card vault encryption failed", e);
        } finally {
            Arrays.fill(fieldKey, (byte) 0);
        }
    }

    /**
     * The stored value opened; empty, with the reason added to {@code gone}, when this node holds no key for it
     * any more. Throws {@link CardVaultUnreadableException} when the key is here but the value does not open with
     * it (tampered, moved from another row or field, or relabelled).
     */
    private Optional<String> unseal(String captureId, String field, String stored, List<String> gone) {
        if (!SealedValue.isCurrentFormat(stored)) {
            // Sealed by the vault before crypto-shredding, whose static key a restart replaced: an entry in flight.
            gone.add(field + " (not in this vault's format)");
            return Optional.empty();
        }
        SealedValue value;
        try {
            value = SealedValue.parse(stored);
        } catch (IllegalArgumentException e) {
            throw new CardVaultUnreadableException(captureId);
        }
        Optional<MasterKey> master = masterKeys.byId(value.keyId());
        if (master.isEmpty()) {
            gone.add(field + " (sealed under master key id " + value.keyId() + ", which is not configured)");
            return Optional.empty();
        }
        Optional<byte[]> dataKey = keyring.key(captureId, field, value.generation(), clock.instant());
        if (dataKey.isEmpty()) {
            gone.add(field);
            return Optional.empty();
        }
        byte[] context = SealedValue.context(captureId, field, value.keyId(), value.generation());
        byte[] fieldKey = FieldKeys.derive(master.get().bytes(), dataKey.get(), context);
        Arrays.fill(dataKey.get(), (byte) 0);
        try {
            byte[] sealed = value.sealed();
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(fieldKey, "AES"),
                    new GCMParameterSpec(TAG_BITS, sealed, 0, SealedValue.IV_BYTES));
            cipher.updateAAD(context);
            return Optional.of(new String(cipher.doFinal(sealed, SealedValue.IV_BYTES,
                    sealed.length - SealedValue.IV_BYTES), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new CardVaultUnreadableException(captureId);
        } finally {
            Arrays.fill(fieldKey, (byte) 0);
        }
    }

    private static void warnIfGone(String captureId, List<String> gone) {
        if (!gone.isEmpty()) {
            log.warn("Card vault: capture {}'s {} cannot be opened on this node: the data key is gone (erased, "
                    + "expired, or lost when the node restarted) or the master key is not configured. The card must "
                    + "be entered again.", captureId, String.join(", ", gone));
        }
    }

    /**
     * Runs {@code onCommit} once the surrounding transaction commits (or at once without one: the statement has
     * then committed by itself), {@code onRollback} if it rolls back. An unknown outcome counts as committed:
     * destroying a key too early only makes data unreadable, never readable.
     */
    private static void afterCompletion(Runnable onCommit, Runnable onRollback) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            onCommit.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status == STATUS_ROLLED_BACK) {
                    onRollback.run();
                } else {
                    onCommit.run();
                }
            }
        });
    }

    /**
     * Destroys this node's data keys of every expired entry, leaving the rows to {@link #sweepExpired} on whichever
     * node sweeps them: each node holds keys of its own. Answers how many entries' keys.
     */
    public int destroyExpiredKeys() {
        return keyring.destroyExpired(clock.instant());
    }

    /** The entry cannot be decrypted although its keys are here: tampered with, or moved from elsewhere. */
    public static class CardVaultUnreadableException extends RuntimeException {
        public CardVaultUnreadableException(String captureId) {
            super("card vault entry of capture " + captureId + " does not open: it was altered or copied from "
                    + "another entry");
        }
    }
}
