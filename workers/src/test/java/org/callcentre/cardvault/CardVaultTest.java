package org.callcentre.cardvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.callcentre.cardvault.CardVault.CardVaultUnreadableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class CardVaultTest {

    /** As in app/src/main/resources/db/migration/V1__pledges_and_card_capture.sql. */
    private static final String DDL = """
            create table card_vault_entry (
                capture_id     varchar(36)  primary key,
                card_number    varchar(200),
                expiry         varchar(200),
                security_code  varchar(200),
                expires_at     timestamp    not null
            );
            create index card_vault_expiry on card_vault_entry (expires_at);
            """;

    private static final String VISA = "4242424242424242";
    private static final String AMEX = "378282246310005";
    private static final Duration TTL = Duration.ofMinutes(15);
    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");

    private JdbcTemplate jdbc;
    private MutableClock clock;
    private CardVault vault;

    @BeforeEach
    void createDatabase() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:vault-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        dataSource.setDriverClassName("org.h2.Driver");
        jdbc = new JdbcTemplate(dataSource);
        for (String statement : DDL.split(";")) {
            if (!statement.isBlank()) {
                jdbc.execute(statement);
            }
        }
        clock = new MutableClock(T0);
        vault = new CardVault(jdbc, new CardVaultProperties(randomKey(), TTL), clock);
    }

    @AfterEach
    void dropDatabase() {
        jdbc.execute("shutdown");
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

    private int rows() {
        return jdbc.queryForObject("select count(*) from card_vault_entry", Integer.class);
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

    @Test
    void numberExpiryAndSecurityCodeComeBackAsTheyWentIn() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");

        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "123"));
        assertThat(vault.brand(captureId)).contains(CardBrand.VISA);
    }

    @Test
    void amexWithFourDigitCodeAndSingleDigitMonth() {
        String captureId = openWithCard(vault, AMEX, 1, 2031, "0123");

        CardDetails card = vault.read(captureId).orElseThrow();
        assertThat(card.number()).isEqualTo(AMEX);
        assertThat(card.expiryMonth()).isEqualTo(1);
        assertThat(card.expiryYear()).isEqualTo(2031);
        assertThat(card.securityCode()).isEqualTo("0123");
        assertThat(vault.brand(captureId)).contains(CardBrand.AMEX);
    }

    @Test
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

    @Test
    void aLaterPutReplacesTheEarlierValue() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        vault.putNumber(captureId, AMEX);
        vault.putSecurityCode(captureId, "4321");

        assertThat(vault.read(captureId)).contains(new CardDetails(AMEX, 6, 2027, "4321"));
    }

    @Test
    void putWithoutAnOpenEntryIsRefused() {
        String captureId = newCaptureId();
        assertThatThrownBy(() -> vault.putNumber(captureId, VISA)).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining(VISA);
        assertThatThrownBy(() -> vault.putExpiry(captureId, 6, 2027)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> vault.putSecurityCode(captureId, "123")).isInstanceOf(IllegalStateException.class);
        assertThat(rows()).isZero();
    }

    // ------------------------------------------------------------------ what is stored

    @Test
    void storedValuesAreCiphertextsWithoutTheCardData() {
        String captureId = openWithCard(vault, AMEX, 6, 2027, "7373");
        Map<String, Object> row = row(captureId);

        for (String column : new String[] {"card_number", "expiry", "security_code"}) {
            String stored = (String) row.get(column);
            assertThat(stored).as(column).isNotNull()
                    .doesNotContain(AMEX)
                    .doesNotContain("06/2027")
                    .doesNotContain("062027");
            byte[] decoded = Base64.getDecoder().decode(stored);
            assertThat(containsBytes(decoded, AMEX.getBytes(StandardCharsets.US_ASCII))).as(column).isFalse();
            assertThat(containsBytes(decoded, "0005".getBytes(StandardCharsets.US_ASCII))).as(column).isFalse();
            assertThat(containsBytes(decoded, "06/2027".getBytes(StandardCharsets.US_ASCII))).as(column).isFalse();
            assertThat(containsBytes(decoded, "7373".getBytes(StandardCharsets.US_ASCII))).as(column).isFalse();
        }
        // 12-byte IV + ciphertext as long as the plain text + 16-byte GCM tag
        assertThat(Base64.getDecoder().decode((String) row.get("card_number"))).hasSize(12 + AMEX.length() + 16);
    }

    @Test
    void theSameNumberEncryptsDifferentlyEveryTime() {
        String captureId = newCaptureId();
        vault.open(captureId);
        vault.putNumber(captureId, VISA);
        String first = column(captureId, "card_number");
        vault.putNumber(captureId, VISA);
        String second = column(captureId, "card_number");

        assertThat(second).isNotEqualTo(first);
        byte[] firstIv = Arrays.copyOf(Base64.getDecoder().decode(first), 12);
        byte[] secondIv = Arrays.copyOf(Base64.getDecoder().decode(second), 12);
        assertThat(secondIv).isNotEqualTo(firstIv);
        assertThat(vault.brand(captureId)).contains(CardBrand.VISA);
    }

    @Test
    void theSameNumberInTwoCapturesEncryptsDifferently() {
        String a = openWithCard(vault, VISA, 6, 2027, "123");
        String b = openWithCard(vault, VISA, 6, 2027, "123");

        assertThat(column(a, "card_number")).isNotEqualTo(column(b, "card_number"));
        assertThat(column(a, "expiry")).isNotEqualTo(column(b, "expiry"));
        assertThat(column(a, "security_code")).isNotEqualTo(column(b, "security_code"));
    }

    // ------------------------------------------------------------------ binding and tampering

    @Test
    void aCiphertextCopiedToAnotherCaptureCannotBeDecrypted() {
        String victim = openWithCard(vault, VISA, 6, 2027, "123");
        String attacker = openWithCard(vault, AMEX, 1, 2030, "9999");

        jdbc.update("update card_vault_entry set card_number = ? where capture_id = ?", column(victim, "card_number"),
                attacker);

        assertThatThrownBy(() -> vault.read(attacker)).isInstanceOf(CardVaultUnreadableException.class)
                .hasMessageContaining(attacker)
                .hasMessageNotContaining(VISA)
                .hasMessageNotContaining(AMEX);
        assertThatThrownBy(() -> vault.brand(attacker)).isInstanceOf(CardVaultUnreadableException.class);
        // the original is untouched
        assertThat(vault.read(victim)).contains(new CardDetails(VISA, 6, 2027, "123"));
    }

    @Test
    void aWholeRowCopiedToAnotherCaptureCannotBeDecrypted() {
        String victim = openWithCard(vault, VISA, 6, 2027, "123");
        String attacker = newCaptureId();
        vault.open(attacker);
        jdbc.update("update card_vault_entry set card_number = ?, expiry = ?, security_code = ? where capture_id = ?",
                column(victim, "card_number"), column(victim, "expiry"), column(victim, "security_code"), attacker);

        assertThatThrownBy(() -> vault.read(attacker)).isInstanceOf(CardVaultUnreadableException.class);
    }

    @Test
    void aCiphertextMovedToAnotherFieldOfTheSameCaptureCannotBeDecrypted() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        jdbc.update("update card_vault_entry set security_code = ? where capture_id = ?",
                column(captureId, "expiry"), captureId);

        assertThatThrownBy(() -> vault.read(captureId)).isInstanceOf(CardVaultUnreadableException.class);
    }

    @Test
    void aTamperedCiphertextCannotBeDecrypted() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        byte[] sealed = Base64.getDecoder().decode(column(captureId, "card_number"));
        sealed[sealed.length / 2] ^= 0x01;
        jdbc.update("update card_vault_entry set card_number = ? where capture_id = ?",
                Base64.getEncoder().encodeToString(sealed), captureId);

        assertThatThrownBy(() -> vault.read(captureId)).isInstanceOf(CardVaultUnreadableException.class);
    }
    @Test
    void aGarbledStoredValueIsUnreadableRatherThanAnUnexpectedError() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        jdbc.update("update card_vault_entry set card_number = ? where capture_id = ?", "not base64!", captureId);
        assertThatThrownBy(() -> vault.read(captureId)).isInstanceOf(CardVaultUnreadableException.class);

        jdbc.update("update card_vault_entry set card_number = ? where capture_id = ?", "AAAA", captureId);
        assertThatThrownBy(() -> vault.read(captureId)).isInstanceOf(CardVaultUnreadableException.class);
    }

    // ------------------------------------------------------------------ erasing

    @Test
    void erasingTheSecurityCodeLeavesNumberAndExpiry() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");

        vault.eraseSecurityCode(captureId);

        assertThat(vault.read(captureId)).contains(new CardDetails(VISA, 6, 2027, null));
        assertThat(column(captureId, "security_code")).isNull();
        assertThat(column(captureId, "card_number")).isNotNull();
        assertThat(column(captureId, "expiry")).isNotNull();
    }

    @Test
    void erasingTheCardKeepsTheEntryOpenForTheNextCard() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");

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
    }

    @Test
    void eraseRemovesTheRow() {
        String captureId = openWithCard(vault, VISA, 6, 2027, "123");
        String other = openWithCard(vault, AMEX, 6, 2027, "1234");

        vault.erase(captureId);

        assertThat(jdbc.queryForObject("select count(*) from card_vault_entry where capture_id = ?", Integer.class,
                captureId)).isZero();
        assertThat(vault.read(captureId)).isEmpty();
        assertThat(vault.read(other)).isPresent();
        assertThatThrownBy(() -> vault.putNumber(captureId, VISA)).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ time to live

    @Test
    void openSetsTheExpiryToNowPlusTimeToLive() {
        String captureId = newCaptureId();
        vault.open(captureId);

        java.sql.Timestamp expiresAt = jdbc.queryForObject(
                "select expires_at from card_vault_entry where capture_id = ?", java.sql.Timestamp.class, captureId);
        assertThat(expiresAt.toInstant()).isEqualTo(T0.plus(TTL));
    }

    @Test
    void defaultTimeToLiveIsFifteenMinutes() {
        assertThat(new CardVaultProperties(null, null).timeToLive()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void sweepRemovesOnlyEntriesPastTheirExpiry() {
        String early = openWithCard(vault, VISA, 6, 2027, "123");
        clock.advance(Duration.ofMinutes(10));
        String late = openWithCard(vault, AMEX, 6, 2027, "1234");

        assertThat(vault.sweepExpired()).isZero();
        assertThat(rows()).isEqualTo(2);

        clock.set(T0.plus(TTL).plusSeconds(1));
        assertThat(vault.sweepExpired()).isEqualTo(1);
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
    }

    @Test
    void sweeperDelegatesToTheVault() {
        openWithCard(vault, VISA, 6, 2027, "123");
        clock.advance(TTL.plusMinutes(1));

        new CardVaultSweeper(vault).sweep();

        assertThat(rows()).isZero();
    }

    // ------------------------------------------------------------------ keys

    @Test
    void aKeyOfTheWrongLengthIsRefused() {
        for (int length : new int[] {16, 24, 31, 33, 64}) {
            String key = Base64.getEncoder().encodeToString(new byte[length]);
            assertThatThrownBy(() -> new CardVault(jdbc, new CardVaultProperties(key, TTL), clock))
                    .as("%d bytes", length)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("32 bytes");
        }
    }

    @Test
    void aConfiguredKeyWithSurroundingWhitespaceIsAccepted() {
        String key = randomKey();
        CardVault first = new CardVault(jdbc, new CardVaultProperties(key, TTL), clock);
        CardVault second = new CardVault(jdbc, new CardVaultProperties("  " + key + "\n", TTL), clock);
        String captureId = openWithCard(first, VISA, 6, 2027, "123");

        assertThat(second.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "123"));
    }

    @Test
    void nodesWithTheSameConfiguredKeyReadEachOthersEntries() {
        String key = randomKey();
        CardVault nodeA = new CardVault(jdbc, new CardVaultProperties(key, TTL), clock);
        CardVault nodeB = new CardVault(jdbc, new CardVaultProperties(key, TTL), clock);

        String fromA = openWithCard(nodeA, VISA, 6, 2027, "123");
        String fromB = openWithCard(nodeB, AMEX, 3, 2029, "4321");

        assertThat(nodeB.read(fromA)).contains(new CardDetails(VISA, 6, 2027, "123"));
        assertThat(nodeA.read(fromB)).contains(new CardDetails(AMEX, 3, 2029, "4321"));
    }

    @Test
    void nodesWithDifferentKeysCannotReadEachOthersEntries() {
        CardVault nodeA = new CardVault(jdbc, new CardVaultProperties(randomKey(), TTL), clock);
        CardVault nodeB = new CardVault(jdbc, new CardVaultProperties(randomKey(), TTL), clock);
        String fromA = openWithCard(nodeA, VISA, 6, 2027, "123");

        assertThatThrownBy(() -> nodeB.read(fromA)).isInstanceOf(CardVaultUnreadableException.class);
        assertThatThrownBy(() -> nodeB.brand(fromA)).isInstanceOf(CardVaultUnreadableException.class);
        assertThat(nodeA.read(fromA)).isPresent();
    }

    @Test
    void withoutAConfiguredKeyEachInstanceMakesItsOwn() {
        CardVault first = new CardVault(jdbc, new CardVaultProperties(null, TTL), clock);
        CardVault second = new CardVault(jdbc, new CardVaultProperties("  ", TTL), clock);
        String captureId = openWithCard(first, VISA, 6, 2027, "123");

        assertThat(first.read(captureId)).contains(new CardDetails(VISA, 6, 2027, "123"));
        assertThatThrownBy(() -> second.read(captureId)).isInstanceOf(CardVaultUnreadableException.class);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
