package org.callcentre.cardvault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * The only place card numbers, expiry dates and security codes are kept: one row per card capture, each field
 * sealed with AES-256-GCM under a key of its own, derived (HKDF-SHA256) from the configured master key and a
 * random data key kept in a table that is never durable ({@link DataKeys}), which every node of a cluster reads.
 *
 * <p>Erasing is crypto-shredding: a row's old versions stay behind in PostgreSQL's dead tuples, its WAL and
 * backups, and in H2's old file chunks, so erasing deletes the data key as well as the row, in the same
 * transaction (a rollback keeps both). The keys are never written to the WAL or a backup, so without its key row
 * nothing left on disk opens, whatever master key is known. A value replaced by a newer one is shredded the same
 * way. Keys also go with the vault's time to live, and when the database loses its unlogged tables (a crash of
 * PostgreSQL, any restart of H2): an entry in flight then reads as empty and its card is asked for again.
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
    private final DataKeys keys;

    public CardVault(JdbcTemplate jdbc, CardVaultProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
        this.masterKeys = MasterKeys.from(properties, random);
        this.keys = new DataKeys(jdbc, random);
    }

    /**
     * Opens an empty entry for a capture that is starting; refused when the entry is already open, or when the
     * vault already holds its maximum of open entries ({@code app.card-vault.max-open-entries}).
     */
    public void open(String captureId) {
        Instant now = clock.instant();
        if (keys.size() >= properties.maxOpenEntries()) {
            keys.destroyExpired(now);
            if (keys.size() >= properties.maxOpenEntries()) {
                throw new IllegalStateException("the card vault already holds its maximum of "
                        + properties.maxOpenEntries() + " open entries (app.card-vault.max-open-entries)");
            }
        }
        if (jdbc.queryForObject("select count(*) from card_vault_entry where capture_id = ?", Integer.class,
                captureId) > 0) {
            throw new IllegalStateException("card vault entry of capture " + captureId + " is already open");
        }
        Instant expiresAt = now.plus(properties.timeToLive());
        jdbc.update("insert into card_vault_entry (capture_id, expires_at) values (?, ?)", captureId,
                Timestamp.from(expiresAt));
        keys.open(captureId, expiresAt);
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
     * The card entered so far, if number and expiry are both there and open. Empty too when the entry's data keys
     * are gone (erased, expired, or lost when the database restarted): the card must be entered again.
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
        Map<String, byte[]> held = keys.held(captureId, clock.instant());
        Optional<String> number;
        Optional<String> expiry;
        String securityCode;
        try {
            number = unseal(captureId, NUMBER, row[0], held, gone);
            expiry = unseal(captureId, EXPIRY, row[1], held, gone);
            securityCode = row[2] == null ? null : unseal(captureId, SECURITY_CODE, row[2], held, gone).orElse(null);
        } finally {
            held.values().forEach(key -> Arrays.fill(key, (byte) 0));
        }
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
        Map<String, byte[]> held = keys.held(captureId, clock.instant());
        Optional<String> number;
        try {
            number = unseal(captureId, NUMBER, rows.get(0), held, gone);
        } finally {
            held.values().forEach(key -> Arrays.fill(key, (byte) 0));
        }
        warnIfGone(captureId, gone);
        return number.map(CardBrand::of);
    }

    /** After authorisation: PCI DSS 3.3.1 forbids keeping the security code any longer. */
    public void eraseSecurityCode(String captureId) {
        jdbc.update("update card_vault_entry set security_code = null where capture_id = ?", captureId);
        keys.destroy(captureId, List.of(SECURITY_CODE));
    }

    /** Forgets the card (a declined card before the next one, or the end of the conversation). */
    public void eraseCard(String captureId) {
        jdbc.update("update card_vault_entry set card_number = null, expiry = null, security_code = null "
                + "where capture_id = ?", captureId);
        keys.destroy(captureId, List.of(NUMBER, EXPIRY, SECURITY_CODE));
    }

    /** The conversation ended: nothing of the card remains. */
    public void erase(String captureId) {
        jdbc.update("delete from card_vault_entry where capture_id = ?", captureId);
        keys.destroy(captureId);
    }

    /**
     * Erases every entry past its time to live and the data keys of every expired entry (an expired key opens
     * nothing whether or not its row is gone); answers how many rows.
     */
    public int sweepExpired() {
        Instant now = clock.instant();
        int expired = keys.destroyExpired(now);
        if (expired > 0) {
            log.debug("Card vault: destroyed the data keys of {} expired entries", expired);
        }
        return jdbc.update("delete from card_vault_entry where expires_at < ?", Timestamp.from(now));
    }

    /** Whether the entry's data keys are here: false once it is erased, expired, or lost with the database. */
    public boolean holdsKeysFor(String captureId) {
        return keys.holds(captureId, clock.instant());
    }

    private void put(String captureId, String field, String plain) {
        // The row lock orders this put against every other change of the entry, whichever node makes it.
        List<Timestamp> open = jdbc.queryForList(
                "select expires_at from card_vault_entry where capture_id = ? for update", Timestamp.class, captureId);
        if (open.isEmpty()) {
            throw new IllegalStateException("no open card vault entry for capture " + captureId);
        }
        DataKeys.Generation generation = keys.newGeneration(captureId, field, clock.instant())
                .orElseThrow(() -> new IllegalStateException("card vault entry of capture " + captureId
                        + " has no data key (expired, or lost when the database restarted)"));
        try {
            jdbc.update("update card_vault_entry set " + field + " = ? where capture_id = ?",
                    seal(captureId, field, generation, plain), captureId);
        } finally {
            Arrays.fill(generation.key(), (byte) 0);
        }
    }

    private String seal(String captureId, String field, DataKeys.Generation generation, String plain) {
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
     * The stored value opened; empty, with the reason added to {@code gone}, when its key is gone. Throws {@link CardVaultUnreadableException} when the key is here but the value does not open with
     * it (tampered, moved from another row or field, or relabelled).
     */
    private Optional<String> unseal(String captureId, String field, String stored, Map<String, byte[]> held,
            List<String> gone) {
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
        byte[] dataKey = held.get(DataKeys.name(field, value.generation()));
        if (dataKey == null) {
            gone.add(field);
            return Optional.empty();
        }
        byte[] context = SealedValue.context(captureId, field, value.keyId(), value.generation());
        byte[] fieldKey = FieldKeys.derive(master.get().bytes(), dataKey, context);
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
            log.warn("Card vault: capture {}'s {} cannot be opened: the data key is gone (erased, expired, or lost "
                    + "when the database restarted) or the master key is not configured. The card must be entered "
                    + "again.", captureId, String.join(", ", gone));
        }
    }

    /** The entry cannot be decrypted although its keys are here: tampered with, or moved from elsewhere. */
    public static class CardVaultUnreadableException extends RuntimeException {
        public CardVaultUnreadableException(String captureId) {
            super("card vault entry of capture " + captureId + " does not open: it was altered or copied from "
                    + "another entry");
        }
    }
}
