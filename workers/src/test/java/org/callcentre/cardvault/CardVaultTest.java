package org.callcentre.cardvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.callcentre.cardvault.CardVault.CardVaultUnreadableException;
import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class CardVaultTest {

    private static final String VISA = "4242424242424242";
    private static final String AMEX = "378282246310005";
    private static final Duration TTL = Duration.ofMinutes(15);
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    private static final String KEY_ID = "k1";

    private JdbcTemplate jdbc;
    private TransactionTemplate transaction;
    private MovableClock clock;
    private String masterKey;
    private CardVault vault;
    private ListAppender<ILoggingEvent> logged;

    @BeforeEach
    void openVault(StoreDatabase database) {
        jdbc = database.jdbc();
        transaction = database.transaction();
        clock = new MovableClock(T0);
        masterKey = randomKey();
        vault = new CardVault(jdbc, properties(masterKey, KEY_ID, Map.of()), clock);
        logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger(CardVault.class)).addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger(CardVault.class)).detachAppender(logged);
    }

    private static CardVaultProperties properties(String key, String keyId, Map<String, String> retired) {
        return new CardVaultProperties(key, keyId, retired, TTL, null);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static String newCaptureId() {
        return UUID.randomUUID().toString();
    }

    private String openWithCard(CardVault on, String number, int month, int year, String securityCode) {
        String captureId = newCaptureId();
        on.open(captureId);
        on.putNumber(captureId, number);
        on.putExpiry(captureId, month, year);
        on.putSecurityCode(captureId, securityCode);
        return captureId;
    }

    private Map<String, Object> row(String captureId) {
        return jdbc.queryForMap("select * from card_vault_entry where capture_id = ?", captureId);
    }

    private String column(String captureId, String column) {
        return jdbc.queryForObject("select " + column + " from card_vault_entry where capture_id = ?", String.class,
                captureId);
    }

    private void setColumn(String captureId, String column, String value) {
        jdbc.update("update card_vault_entry set " + column + " = ? where capture_id = ?", value, captureId);
    }

    /** Puts a row's old values back, as an attacker with a backup, a WAL segment or a dead tuple would. */
    private void restore(String captureId, Map<String, Object> old) {
        jdbc.update("delete from card_vault_entry where capture_id = ?", captureId);
        jdbc.update("insert into card_vault_entry (capture_id, card_number, expiry, security_code, expires_at) "
                + "values (?, ?, ?, ?, ?)", captureId, old.get("card_number"), old.get("expiry"),
                old.get("security_code"), old.get("expires_at"));
    }

    private int rows() {
        return jdbc.queryForObject("select count(*) from card_vault_entry", Integer.class);
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static boolean containsBytes(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ round trip


    @OnEachDatabase
    void numberExpiryAndSecurityCodeComeBackAsTheyWentIn() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");

        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "123"));
        assertThat(vault.brand(captureId)).contains(CardBrand.VISA);
    }

    @OnEachDatabase
    void amexWithFourDigitCodeAndSingleDigitMonth() {
        String captureId = openWithCard(vault, AMEX, 1, 2031, "0123");

        CardDetails card = vault.read(captureId).orElseThrow();
        assertThat(card.number()).isEqualTo(AMEX);
        assertThat(card.expiryMonth()).isEqualTo(1);
        assertThat(card.expiryYear()).isEqualTo(2031);
        assertThat(card.securityCode()).isEqualTo("0123");
        assertThat(vault.brand(captureId)).contains(CardBrand.AMEX);
    }

    @OnEachDatabase
    void nothingToReadUntilNumberAndExpiryAreBothThere() {
        String captureId = newCaptureId();
        assertThat(vault.read(captureId)).isEmpty();
        assertThat(vault.brand(captureId)).isEmpty();

        vault.open(captureId);
        assertThat(vault.read(captureId)).isEmpty();
        assertThat(vault.brand(captureId)).isEmpty();

        vault.putNumber(captureId, VISA);
        assertThat(vault.read(captureId)).isEmpty();
        assertThat(vault.brand(captureId)).contains(CardBrand.VISA);

        vault.putExpiry(captureId, 12, 2029);
        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 12, 2029, null));
    }

    @OnEachDatabase
    void aLaterPutReplacesTheEarlierValue() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        vault.putNumber(captureId, AMEX);
        vault.putSecurityCode(captureId, "4321");

        assertThat(vault.read(captureId)).contains(new CardDetails(AMEX, 6, 2027, "4321"));
    }

    @OnEachDatabase
    void putWithoutAnOpenEntryIsRefused() {
        String captureId = newCaptureId();
        assertThatThrownBy(() -> vault.putNumber(captureId, VISA)).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining(VISA);
        assertThatThrownBy(() -> vault.putExpiry(captureId, 6, 2027)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> vault.putSecurityCode(captureId, "123")).isInstanceOf(IllegalStateException.class);
        assertThat(rows()).isZero();
    }

    // ------------------------------------------------------------------ what is stored

    @OnEachDatabase
    void storedValuesNameTheirMasterKeyAndGenerationAndHoldNoCardData() {
        String captureId = openWithCard(vault, AMEX, 6, 2027, "7373");
        Map<String, Object> row = row(captureId);

        for (String column : new String[] {"card_number", "expiry", "security_code"}) {
            String stored = (String) row.get(column);
            assertThat(stored).as(column).isNotNull()
                    .matches("v1\\.k1\\.[1-9][0-9]*\\.[A-Za-z0-9+/=]+")
                    .doesNotContain(AMEX)
                    .doesNotContain("06/2027")
                    .doesNotContain("062027");
            byte[] sealed = SealedValue.parse(stored).sealed();
            assertThat(containsBytes(sealed, AMEX.getBytes(StandardCharsets.US_ASCII))).as(column).isFalse();
            assertThat(containsBytes(sealed, "0005".getBytes(StandardCharsets.US_ASCII))).as(column).isFalse();
            assertThat(containsBytes(sealed, "06/2027".getBytes(StandardCharsets.US_ASCII))).as(column).isFalse();
            assertThat(containsBytes(sealed, "7373".getBytes(StandardCharsets.US_ASCII))).as(column).isFalse();
        }
        // 12-byte IV + ciphertext as long as the plain text + 16-byte GCM tag
        assertThat(SealedValue.parse((String) row.get("card_number")).sealed()).hasSize(12 + AMEX.length() + 16);
        // each value has a data key of its own
        assertThat(List.of(row.get("card_number"), row.get("expiry"), row.get("security_code")).stream()
                .map(v -> SealedValue.parse((String) v).generation()).distinct()).hasSize(3);
    }

    @OnEachDatabase
    void theSameNumberEncryptsDifferentlyEveryTime() {
        String captureId = newCaptureId();
        vault.open(captureId);
        vault.putNumber(captureId, VISA);
        String first = column(captureId, "card_number");
        vault.putNumber(captureId, VISA);
        String second = column(captureId, "card_number");

        assertThat(second).isNotEqualTo(first);
        assertThat(SealedValue.parse(second).generation()).isGreaterThan(SealedValue.parse(first).generation());
        assertThat(vault.brand(captureId)).contains(CardBrand.VISA);
    }

    @OnEachDatabase
    void theSameNumberInTwoCapturesEncryptsDifferently() {
        String a = openWithCard(vault, VISA, 6, 2027, "123");
        String b = openWithCard(vault, VISA, 6, 2027, "123");

        assertThat(column(a, "card_number")).isNotEqualTo(column(b, "card_number"));
        assertThat(column(a, "expiry")).isNotEqualTo(column(b, "expiry"));
        assertThat(column(a, "security_code")).isNotEqualTo(column(b, "security_code"));
    }

    // ------------------------------------------------------------------ binding and tampering

    @OnEachDatabase
    void aCiphertextCopiedToAnotherCaptureCannotBeDecrypted() {
        String victim = openWithCard(vault, VISA, 6, 2027, "123");
        String attacker = openWithCard(vault, AMEX, 1, 2030, "9999");

        setColumn(attacker, "card_number", column(victim, "card_number"));

        assertThatThrownBy(() -> vault.read(attacker)).isInstanceOf(CardVaultUnreadableException.class)
                .hasMessageContaining(attacker)
                .hasMessageNotContaining(VISA)
                .hasMessageNotContaining(AMEX);
        assertThatThrownBy(() -> vault.brand(attacker)).isInstanceOf(CardVaultUnreadableException.class);
        // the original is untouched
        assertThat(vault.read(victim)).contains(new CardDetails(VISA, 6, 2027, "123"));
    }

    @OnEachDatabase
    void aWholeRowCopiedToAnotherCaptureCannotBeDecrypted() {
        String victim = openWithCard(vault, VISA, 6, 2027, "123");
        String attacker = openWithCard(vault, AMEX, 1, 2030, "9999");
        jdbc.update("update card_vault_entry set card_number = ?, expiry = ?, security_code = ? where capture_id = ?",
                column(victim, "card_number"), column(victim, "expiry"), column(victim, "security_code"), attacker);

        assertThatThrownBy(() -> vault.read(attacker)).isInstanceOf(CardVaultUnreadableException.class);
    }

    @OnEachDatabase
    void aCiphertextMovedToAnotherFieldOfTheSameCaptureDoesNotOpenThere() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        setColumn(captureId, "security_code", column(captureId, "expiry"));

        // The expiry's data key is not a security code's key: the moved value is no security code.
        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, null));

        // Relabelled with the security code's own generation, it still fails: the field is in the derivation.
        String expiry = column(captureId, "expiry");
        SealedValue moved = SealedValue.parse(expiry);
        vault.putSecurityCode(captureId, "456");
        long codeGeneration = SealedValue.parse(column(captureId, "security_code")).generation();
        setColumn(captureId, "security_code", new SealedValue(moved.keyId(), codeGeneration, moved.sealed()).format());
        assertThatThrownBy(() -> vault.read(captureId)).isInstanceOf(CardVaultUnreadableException.class);
    }

    @OnEachDatabase
    void aTamperedCiphertextCannotBeDecrypted() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        SealedValue value = SealedValue.parse(column(captureId, "card_number"));
        byte[] sealed = value.sealed();
        sealed[sealed.length / 2] ^= 0x01;
        setColumn(captureId, "card_number", new SealedValue(value.keyId(), value.generation(), sealed).format());

        assertThatThrownBy(() -> vault.read(captureId)).isInstanceOf(CardVaultUnreadableException.class);
    }

    @OnEachDatabase
    void aGarbledStoredValueIsUnreadableRatherThanAnUnexpectedError() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        for (String garbled : new String[] {"v1.k1.1.not base64!", "v1.k1.1.AAAA", "v1.", "v1.k1.1",
                "v1.k1.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "v1.K1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "v1.k1.1.AAAA.AAAA"}) {
            setColumn(captureId, "card_number", garbled);
            assertThatThrownBy(() -> vault.read(captureId)).as(garbled).isInstanceOf(CardVaultUnreadableException.class);
        }
    }

    @OnEachDatabase
    void aValueInAnotherFormatReadsAsEmptyLikeAnEntryWhoseKeyIsGone() {
        // A value that is not in this vault's format (not a sealed value at all, or another version of the format).
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        for (String other : new String[] {"Bm9ZZXhhbXBsZW9sZGNpcGhlcnRleHRzdG9yZWQ=", "not base64!",
                "v2.k1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
            setColumn(captureId, "card_number", other);
            assertThat(vault.read(captureId)).as(other).isEmpty();
            assertThat(vault.brand(captureId)).as(other).isEmpty();
        }
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains(captureId).contains("not in this vault's format"));
    }

    // ------------------------------------------------------------------ master keys and rotation

    @OnEachDatabase
    void aKeyOfTheWrongLengthIsRefused() {
        for (int length : new int[] {16, 24, 31, 33, 64}) {
            String key = Base64.getEncoder().encodeToString(new byte[length]);
            assertThatThrownBy(() -> new CardVault(jdbc, properties(key, KEY_ID, Map.of()), clock))
                    .as("%d bytes", length)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("32 bytes");
            assertThatThrownBy(() -> new CardVault(jdbc, properties(randomKey(), KEY_ID, Map.of("old", key)), clock))
                    .as("retired, %d bytes", length)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("app.card-vault.retired-keys.old")
                    .hasMessageContaining("32 bytes");
        }
        assertThatThrownBy(() -> new CardVault(jdbc, properties("not Base64!", KEY_ID, Map.of()), clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("not Base64!");
    }

    @OnEachDatabase
    void aKeyWithoutAnIdOrWithABadIdIsRefused() {
        assertThatThrownBy(() -> new CardVault(jdbc, properties(randomKey(), null, Map.of()), clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("app.card-vault.key-id");
        assertThatThrownBy(() -> new CardVault(jdbc, properties(randomKey(), " ", Map.of()), clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("app.card-vault.key-id");
        for (String bad : new String[] {"K1", "k.1", "k_1", "k 1", "a".repeat(33)}) {
            assertThatThrownBy(() -> new CardVault(jdbc, properties(randomKey(), bad, Map.of()), clock))
                    .as(bad).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("app.card-vault.key-id");
            assertThatThrownBy(() -> new CardVault(jdbc, properties(randomKey(), KEY_ID, Map.of(bad, randomKey())),
                    clock)).as("retired " + bad).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("app.card-vault.retired-keys");
        }
        assertThatThrownBy(() -> new CardVault(jdbc, properties(randomKey(), KEY_ID, Map.of(KEY_ID, randomKey())),
                clock)).isInstanceOf(IllegalStateException.class).hasMessageContaining("id of the current key");
    }

    @OnEachDatabase
    void aConfiguredKeyWithSurroundingWhitespaceIsAccepted() {
        CardVault padded = new CardVault(jdbc, properties("  " + masterKey + "\n", " k1 ", Map.of()), clock);
        String captureId = openWithCard(padded, VISA, 6, 2027, "123");

        assertThat(padded.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "123"));
        assertThat(column(captureId, "card_number")).startsWith("v1.k1.");
    }

    @OnEachDatabase
    void afterARotationAValueSealedUnderTheRetiredKeyStillOpensAndNewValuesUseTheNewKey() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        CardVault rotated = new CardVault(jdbc, properties(randomKey(), "k2", Map.of(KEY_ID, masterKey)), clock);

        assertThat(rotated.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "123"));
        rotated.putSecurityCode(captureId, "456");
        assertThat(column(captureId, "card_number")).startsWith("v1.k1.");
        assertThat(column(captureId, "security_code")).startsWith("v1.k2.");
        assertThat(rotated.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "456"));
    }

    @OnEachDatabase
    void aValueSealedUnderAKeyIdThatIsNotConfiguredDoesNotOpen() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        CardVault rotatedWithoutRetired = new CardVault(jdbc, properties(randomKey(), "k2", Map.of()), clock);

        assertThat(rotatedWithoutRetired.read(captureId)).isEmpty();
        assertThat(rotatedWithoutRetired.brand(captureId)).isEmpty();
        // The capture id is random and may itself hold "123", so the card data is looked for in the rest.
        assertThat(warnings()).anySatisfy(w -> assertThat(w.replace(captureId, "<capture>")).contains("<capture>")
                .contains("master key id k1, which is not configured").doesNotContain(VISA).doesNotContain("123"));
    }

    @OnEachDatabase
    void aValueRelabelledWithAnotherConfiguredKeyIdIsRefused() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        String otherKey = randomKey();
        CardVault twoKeys = new CardVault(jdbc, properties(masterKey, KEY_ID, Map.of("k0", otherKey)), clock);
        SealedValue value = SealedValue.parse(column(captureId, "card_number"));
        setColumn(captureId, "card_number", new SealedValue("k0", value.generation(), value.sealed()).format());

        assertThatThrownBy(() -> twoKeys.read(captureId)).isInstanceOf(CardVaultUnreadableException.class);
    }

    @OnEachDatabase
    void theMasterKeyAloneOpensNothing() {
        // What an attacker with the configuration and a backup of the database has: the master key and the stored
        // value, but not the data key, which is in no backup.
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        SealedValue value = SealedValue.parse(column(captureId, "card_number"));
        byte[] master = Base64.getDecoder().decode(masterKey);

        assertThat(openWith(master, captureId, value)).as("the master key as the AES key").isFalse();
        assertThat(openWith(FieldKeys.derive(master, new byte[32], SealedValue.context(captureId, "card_number",
                KEY_ID, value.generation())), captureId, value)).as("derived with an all-zero data key").isFalse();
    }

    private static boolean openWith(byte[] key, String captureId, SealedValue value) {
        try {
            javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                    new javax.crypto.spec.GCMParameterSpec(128, value.sealed(), 0, 12));
            cipher.updateAAD(SealedValue.context(captureId, "card_number", value.keyId(), value.generation()));
            cipher.doFinal(value.sealed(), 12, value.sealed().length - 12);
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ erasing is shredding

    @OnEachDatabase
    void erasingTheSecurityCodeLeavesNumberAndExpiryAndShredsTheCode() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        Map<String, Object> before = row(captureId);

        vault.eraseSecurityCode(captureId);

        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, null));
        assertThat(column(captureId, "security_code")).isNull();
        assertThat(column(captureId, "card_number")).isNotNull();
        assertThat(column(captureId, "expiry")).isNotNull();

        // The code's old ciphertext, put back from a backup, no longer opens; the rest of the entry still does.
        restore(captureId, before);
        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, null));
        assertThat(warnings()).anySatisfy(w -> assertThat(w.replace(captureId, "<capture>"))
                .contains("<capture>").contains("security_code").doesNotContain("123").doesNotContain(VISA));
    }

    @OnEachDatabase
    void erasingTheCardKeepsTheEntryOpenForTheNextCardAndShredsTheOldOne() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        Map<String, Object> before = row(captureId);

        vault.eraseCard(captureId);

        assertThat(vault.read(captureId)).isEmpty();
        assertThat(vault.brand(captureId)).isEmpty();
        Map<String, Object> row = row(captureId);
        assertThat(row.get("card_number")).isNull();
        assertThat(row.get("expiry")).isNull();
        assertThat(row.get("security_code")).isNull();

        vault.putNumber(captureId, AMEX);
        vault.putExpiry(captureId, 2, 2028);
        assertThat(vault.read(captureId)).contains(new CardDetails(AMEX, 2, 2028, null));

        restore(captureId, before);
        assertThat(vault.read(captureId)).isEmpty();
        assertThat(vault.brand(captureId)).isEmpty();
    }

    @OnEachDatabase
    void eraseRemovesTheRowAndDestroysTheDataKeys() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        String other = openWithCard(vault, AMEX, 6, 2027, "1234");
        Map<String, Object> before = row(captureId);

        vault.erase(captureId);

        assertThat(jdbc.queryForObject("select count(*) from card_vault_entry where capture_id = ?", Integer.class,
                captureId)).isZero();
        assertThat(vault.holdsKeysFor(captureId)).isFalse();
        assertThat(vault.read(captureId)).isEmpty();
        assertThat(vault.read(other)).isPresent();
        assertThatThrownBy(() -> vault.putNumber(captureId, VISA)).isInstanceOf(IllegalStateException.class);

        // The erased row, recovered whole (a dead tuple, a WAL record, a backup), opens no more.
        restore(captureId, before);
        assertThat(vault.read(captureId)).isEmpty();
        assertThat(vault.brand(captureId)).isEmpty();
        assertThatThrownBy(() -> vault.putNumber(captureId, VISA)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no data key");
    }

    @OnEachDatabase
    void aReplacedValueIsShreddedWithItsKey() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        Map<String, Object> before = row(captureId);

        vault.putNumber(captureId, AMEX);
        vault.putSecurityCode(captureId, "4321");

        assertThat(vault.read(captureId)).contains(new CardDetails(AMEX, 6, 2027, "4321"));
        restore(captureId, before);
        assertThat(vault.read(captureId)).isEmpty();
    }

    @OnEachDatabase
    void anEraseThatRollsBackKeepsTheKeyAndOneThatCommitsDestroysIt() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");

        transaction.executeWithoutResult(status -> {
            vault.eraseSecurityCode(captureId);
            vault.erase(captureId);
            status.setRollbackOnly();
        });
        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "123"));

        Map<String, Object> before = row(captureId);
        transaction.executeWithoutResult(status -> vault.eraseSecurityCode(captureId));
        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, null));
        restore(captureId, before);
        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, null));

        transaction.executeWithoutResult(status -> vault.erase(captureId));
        assertThat(vault.holdsKeysFor(captureId)).isFalse();
        restore(captureId, before);
        assertThat(vault.read(captureId)).isEmpty();
    }

    @OnEachDatabase
    void aPutThatRollsBackKeepsTheValueBeforeIt() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");

        transaction.executeWithoutResult(status -> {
            vault.putNumber(captureId, AMEX);
            assertThat(vault.brand(captureId)).contains(CardBrand.AMEX);
            status.setRollbackOnly();
        });

        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "123"));
    }

    @OnEachDatabase
    void anOpenThatRollsBackLeavesNoKeys() {
        String captureId = newCaptureId();
        transaction.executeWithoutResult(status -> {
            vault.open(captureId);
            status.setRollbackOnly();
        });

        assertThat(vault.holdsKeysFor(captureId)).isFalse();
        assertThat(rows()).isZero();
    }

    // ------------------------------------------------------------------ several nodes, lost keys

    @OnEachDatabase
    void anotherNodeOnTheSameDatabaseOpensWhatThisOneSealedAndPutsTheNextValue() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        CardVault other = new CardVault(jdbc, properties(masterKey, KEY_ID, Map.of()), clock);

        assertThat(other.holdsKeysFor(captureId)).isTrue();
        assertThat(other.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "123"));
        assertThat(other.brand(captureId)).contains(CardBrand.VISA);
        other.putSecurityCode(captureId, "456");
        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "456"));
        other.erase(captureId);
        assertThat(vault.holdsKeysFor(captureId)).isFalse();
        assertThat(vault.read(captureId)).isEmpty();
    }

    @OnEachDatabase
    void entriesWhoseKeysTheDatabaseLostReadAsEmptyAndSaySoWithoutCardData() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        // What a crash of PostgreSQL does to an unlogged table, and a restart of H2 to a table that is not persistent.
        jdbc.update("delete from card_vault_key");

        assertThat(vault.read(captureId)).isEmpty();
        assertThat(vault.brand(captureId)).isEmpty();
        assertThat(vault.holdsKeysFor(captureId)).isFalse();
        assertThat(warnings()).isNotEmpty().allSatisfy(w -> assertThat(w.replace(captureId, "<capture>"))
                .contains("<capture>").contains("database restarted").doesNotContain(VISA).doesNotContain("4242")
                .doesNotContain("123")
                .doesNotContain("06/2027"));
        // The capture id is random hex and may itself hold "456": the code is looked for in the rest of the message.
        assertThatThrownBy(() -> vault.putSecurityCode(captureId, "456")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(captureId)
                .satisfies(e -> assertThat(e.getMessage().replace(captureId, "<capture>")).doesNotContain("456"));
    }

    @OnEachDatabase
    void theKeysAreInATableThatIsNeverDurable(StoreDatabase database) {
        if (database.toString().equals("PostgreSQL")) {
            String persistence = "select c.relpersistence from pg_class c join pg_namespace n on n.oid = "
                    + "c.relnamespace where n.nspname = current_schema() and c.relname = ?";
            assertThat(jdbc.queryForObject(persistence, String.class, "card_vault_key")).as("u: unlogged")
                    .isEqualTo("u");
            assertThat(jdbc.queryForObject(persistence, String.class, "card_vault_entry")).as("p: permanent")
                    .isEqualTo("p");
        } else {
            assertThat(jdbc.queryForObject("select count(*) from information_schema.tables where "
                    + "lower(table_name) = 'card_vault_key'", Integer.class)).isOne();
        }
    }

    @OnEachDatabase
    void withoutAConfiguredKeyEachInstanceMakesItsOwn() {
        CardVault first = new CardVault(jdbc, properties(null, null, Map.of()), clock);
        CardVault second = new CardVault(jdbc, properties("  ", null, Map.of()), clock);
        String captureId = openWithCard(first, VISA, 6, 2027, "123");

        assertThat(first.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "123"));
        assertThat(column(captureId, "card_number")).startsWith("v1.run.");
        // The data keys are shared, but the second instance's own master key opens nothing: a cluster needs the
        // same configured key on every node.
        assertThatThrownBy(() -> second.read(captureId)).isInstanceOf(CardVaultUnreadableException.class);
    }

    // ------------------------------------------------------------------ time to live and bounds

    @OnEachDatabase
    void openSetsTheExpiryToNowPlusTimeToLive() {
        String captureId = newCaptureId();
        vault.open(captureId);

        java.sql.Timestamp expiresAt = jdbc.queryForObject(
                "select expires_at from card_vault_entry where capture_id = ?", java.sql.Timestamp.class, captureId);
        assertThat(expiresAt.toInstant()).isEqualTo(T0.plus(TTL));
    }

    @OnEachDatabase
    void dataKeysExpireWithTheTimeToLiveEvenBeforeTheSweeperRuns() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        clock.set(T0.plus(TTL).plusSeconds(1));

        assertThat(vault.read(captureId)).isEmpty();
        assertThat(vault.holdsKeysFor(captureId)).isFalse();
        assertThatThrownBy(() -> vault.putNumber(captureId, VISA)).isInstanceOf(IllegalStateException.class);
    }

    @OnEachDatabase
    void sweepRemovesOnlyEntriesPastTheirExpiryAndTheirKeys() {
        String early = openWithCard(vault, VISA, 6, 2027, "123");
        clock.advance(Duration.ofMinutes(10));
        String late = openWithCard(vault, AMEX, 6, 2027, "1234");

        assertThat(vault.sweepExpired()).isZero();
        assertThat(rows()).isEqualTo(2);

        clock.set(T0.plus(TTL).plusSeconds(1));
        assertThat(vault.sweepExpired()).isEqualTo(1);
        assertThat(vault.holdsKeysFor(early)).isFalse();
        assertThat(vault.holdsKeysFor(late)).isTrue();
        assertThat(vault.read(early)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from card_vault_entry where capture_id = ?", Integer.class,
                early)).isZero();
        assertThat(vault.read(late)).contains(new CardDetails(AMEX, 6, 2027, "1234"));

        clock.set(T0.plus(Duration.ofMinutes(10)).plus(TTL).minusSeconds(1));
        assertThat(vault.sweepExpired()).isZero();
        assertThat(vault.read(late)).isPresent();

        clock.set(T0.plus(Duration.ofMinutes(10)).plus(TTL).plusSeconds(1));
        assertThat(vault.sweepExpired()).isEqualTo(1);
        assertThat(rows()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from card_vault_key", Integer.class)).isZero();
    }

    @OnEachDatabase
    void theSweeperAlsoDropsKeysWhoseRowsAreGone() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        jdbc.update("delete from card_vault_entry where capture_id = ?", captureId);
        clock.advance(TTL.plusMinutes(1));

        new CardVaultSweeper(vault, transaction.getTransactionManager()).sweep();

        assertThat(vault.holdsKeysFor(captureId)).isFalse();
    }

    @OnEachDatabase
    void sweeperDelegatesToTheVault() {
        openWithCard(vault, VISA, 6, 2027, "123");
        clock.advance(TTL.plusMinutes(1));

        new CardVaultSweeper(vault, transaction.getTransactionManager()).sweep();

        assertThat(rows()).isZero();
    }

    @OnEachDatabase
    void theVaultIsBounded() {
        CardVault small = new CardVault(jdbc, new CardVaultProperties(masterKey, KEY_ID, Map.of(), TTL, 2), clock);
        small.open(newCaptureId());
        small.open(newCaptureId());
        String refused = newCaptureId();

        assertThatThrownBy(() -> small.open(refused)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("app.card-vault.max-open-entries");
        assertThat(small.holdsKeysFor(refused)).isFalse();
        assertThat(rows()).isEqualTo(2);

        // Expired entries make room.
        clock.advance(TTL.plusSeconds(1));
        small.open(refused);
        assertThat(small.holdsKeysFor(refused)).isTrue();
    }

    @OnEachDatabase
    void openingAnEntryTwiceIsRefusedAndKeepsTheFirstOnesKeys() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");

        assertThatThrownBy(() -> vault.open(captureId)).isInstanceOf(IllegalStateException.class);
        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "123"));
    }

}
