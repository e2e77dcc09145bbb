package org.callcentre.cardvault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The only place card numbers, expiry dates and security codes are kept: one row per card capture in the
 * shared database (so any node can continue a conversation), each field encrypted with AES-256-GCM and
 * bound to its capture and field name, so a ciphertext cannot be replayed into another row.
 *
 * <p>Entries are short-lived: the security code goes once a payment is authorised, the row when the
 * conversation ends, and a sweeper removes whatever outlives {@link CardVaultProperties#timeToLive()}.
 */
public class CardVault {

    private static final Logger log = LoggerFactory.getLogger(CardVault.class);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final JdbcTemplate jdbc;
    private final SecretKey key;
    private final Clock clock;
    private final CardVaultProperties properties;
    private final SecureRandom random = new SecureRandom();

    public CardVault(JdbcTemplate jdbc, CardVaultProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
        this.key = loadKey(properties.key());
    }

    private static SecretKey loadKey(String base64) {
        if (base64 == null || base64.isBlank()) {
            log.warn("app.card-vault.key is not set: using a key made for this run only. Set it (Base64 of 32 random "
                    + "bytes) on every node of a cluster.");
            try {
                KeyGenerator generator = KeyGenerator.getInstance("AES");
                generator.init(256);
                return generator.generateKey();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no AES on this JVM", e);
            }
        }
        byte[] bytes = Base64.getDecoder().decode(base64.trim());
        if (bytes.length != 32) {
            throw new IllegalStateException("app.card-vault.key must be 32 bytes (256 bits), Base64-encoded");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** Opens an empty entry for a capture that is starting. */
    public void open(String captureId) {
        jdbc.update("insert into card_vault_entry (capture_id, expires_at) values (?, ?)", captureId,
                Timestamp.from(clock.instant().plus(properties.timeToLive())));
    }

    public void putNumber(String captureId, String number) {
        update(captureId, "card_number", number);
    }

    public void putExpiry(String captureId, int month, int year) {
        update(captureId, "expiry", "%02d/%04d".formatted(month, year));
    }

    public void putSecurityCode(String captureId, String securityCode) {
        update(captureId, "security_code", securityCode);
    }

    /** The card entered so far, if number and expiry are both there. */
    public Optional<CardDetails> read(String captureId) {
        List<String[]> rows = jdbc.query(
                "select card_number, expiry, security_code from card_vault_entry where capture_id = ?",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, captureId);
        if (rows.isEmpty() || rows.get(0)[0] == null || rows.get(0)[1] == null) {
            return Optional.empty();
        }
        String[] row = rows.get(0);
        String number = decrypt(captureId, "card_number", row[0]);
        String[] expiry = decrypt(captureId, "expiry", row[1]).split("/");
        String securityCode = row[2] == null ? null : decrypt(captureId, "security_code", row[2]);
        return Optional.of(new CardDetails(number, Integer.parseInt(expiry[0]), Integer.parseInt(expiry[1]),
                securityCode));
    }

    /** Card brand of the number entered so far, to ask for the right length of security code. */
    public Optional<CardBrand> brand(String captureId) {
        List<String> rows = jdbc.queryForList("select card_number from card_vault_entry where capture_id = ?",
                String.class, captureId);
        if (rows.isEmpty() || rows.get(0) == null) {
            return Optional.empty();
        }
        return Optional.of(CardBrand.of(decrypt(captureId, "card_number", rows.get(0))));
    }

    /** After authorisation: PCI DSS 3.3.1 forbids keeping the security code any longer. */
    public void eraseSecurityCode(String captureId) {
        jdbc.update("update card_vault_entry set security_code = null where capture_id = ?", captureId);
    }

    /** Forgets the card (a declined card before the next one, or the end of the conversation). */
    public void eraseCard(String captureId) {
        jdbc.update("update card_vault_entry set card_number = null, expiry = null, security_code = null "
                + "where capture_id = ?", captureId);
    }

    /** The conversation ended: nothing of the card remains. */
    public void erase(String captureId) {
        jdbc.update("delete from card_vault_entry where capture_id = ?", captureId);
    }

    /** Erases every entry past its time to live; answers how many. */
    public int sweepExpired() {
        return jdbc.update("delete from card_vault_entry where expires_at < ?", Timestamp.from(clock.instant()));
    }

    private void update(String captureId, String column, String plain) {
        int rows = jdbc.update("update card_vault_entry set " + column + " = ? where capture_id = ?",
                encrypt(captureId, column, plain), captureId);
        if (rows != 1) {
            throw new IllegalStateException("no open card vault entry for capture " + captureId);
        }
    }

    private String encrypt(String captureId, String field, String plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD((captureId + ":" + field).getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("card vault encryption failed", e);
        }
    }

    private String decrypt(String captureId, String field, String stored) {
        try {
            byte[] in = Base64.getDecoder().decode(stored);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD((captureId + ":" + field).getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // Not the key this entry was sealed with (a restart without a configured key), or tampering.
            throw new CardVaultUnreadableException(captureId);
        }
    }

    /** The entry cannot be decrypted; the conversation cannot go on with this card. */
    public static class CardVaultUnreadableException extends RuntimeException {
        public CardVaultUnreadableException(String captureId) {
            super("card vault entry of capture " + captureId + " cannot be decrypted with this node's key");
        }
    }
}
