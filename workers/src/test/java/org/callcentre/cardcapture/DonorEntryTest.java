package org.callcentre.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;

import org.callcentre.cardvault.CardBrand;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Entry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DonorEntryTest {

    /** A fixed "now" so the expiry rules do not depend on the day the tests run. */
    private static final YearMonth NOW = YearMonth.of(2025, 6);

    /** Appends the Luhn check digit to a payload of digits. */
    static String withLuhnCheckDigit(String payload) {
        for (int d = 0; d <= 9; d++) {
            String candidate = payload + d;
            if (CardBrand.passesLuhn(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("no check digit for " + payload);
    }

    private static void assertValid(DonorEntry entry) {
        assertThat(entry.entry()).isEqualTo(Entry.VALID);
        assertThat(entry.error()).isNull();
    }

    private static void assertInvalid(DonorEntry entry, EntryError error) {
        assertThat(entry.entry()).isEqualTo(Entry.INVALID);
        assertThat(entry.error()).isEqualTo(error);
    }

    private static void assertEscape(DonorEntry entry) {
        assertThat(entry.entry()).isEqualTo(Entry.ESCAPE);
        assertThat(entry.error()).isNull();
    }

    @Nested
    class CardNumber {

        @ParameterizedTest
        @ValueSource(strings = {"4242424242424242", "5555555555554444", "378282246310005", "6011111111111117",
                "2223003122003222"})
        void luhnValidTestCardsAreAccepted(String number) {
            assertValid(DonorEntry.cardNumber(number, ""));
        }

        @ParameterizedTest
        @ValueSource(strings = {"4242424242424241", "4242424242424243", "5555555555554443", "378282246310006",
                "1234567890123"})
        void luhnInvalidNumbersAreRefused(String number) {
            assertThat(CardBrand.passesLuhn(number)).isFalse();
            assertInvalid(DonorEntry.cardNumber(number, ""), EntryError.NOT_A_CARD_NUMBER);
        }

        @Test
        void elevenDigitsAreRefusedEvenWhenLuhnValid() {
            String eleven = withLuhnCheckDigit("4000000000");
            assertThat(eleven).hasSize(11);
            assertThat(CardBrand.passesLuhn(eleven)).isTrue();
            assertInvalid(DonorEntry.cardNumber(eleven, ""), EntryError.NOT_A_CARD_NUMBER);
        }

        @Test
        void twelveDigitsAreAcceptedWhenLuhnValid() {
            String twelve = withLuhnCheckDigit("40000000000");
            assertThat(twelve).hasSize(12);
            assertValid(DonorEntry.cardNumber(twelve, ""));
        }

        @Test
        void nineteenDigitsAreAcceptedWhenLuhnValid() {
            String nineteen = withLuhnCheckDigit("424242424242424242");
            assertThat(nineteen).hasSize(19);
            assertValid(DonorEntry.cardNumber(nineteen, "#"));
        }

        @Test
        void twentyDigitsAreRefusedEvenWhenLuhnValid() {
            String twenty = withLuhnCheckDigit("4242424242424242424");
            assertThat(twenty).hasSize(20);
            assertThat(CardBrand.passesLuhn(twenty)).isTrue();
            assertInvalid(DonorEntry.cardNumber(twenty, ""), EntryError.NOT_A_CARD_NUMBER);
        }

        @Test
        void twelveAndNineteenDigitsAreRefusedWhenLuhnInvalid() {
            String twelve = withLuhnCheckDigit("40000000000");
            String nineteen = withLuhnCheckDigit("424242424242424242");
            assertInvalid(DonorEntry.cardNumber(flipLastDigit(twelve), ""), EntryError.NOT_A_CARD_NUMBER);
            assertInvalid(DonorEntry.cardNumber(flipLastDigit(nineteen), ""), EntryError.NOT_A_CARD_NUMBER);
        }

        @ParameterizedTest
        @ValueSource(strings = {"4242 4242 4242 4242", "4242-4242-4242-4242", "424242424242424a", "*242424242424242",
                "4242424242424242*", "4242#424242424242", "+4242424242424242"})
        void nonDigitsAreRefused(String entered) {
            assertInvalid(DonorEntry.cardNumber(entered, ""), EntryError.NOT_A_CARD_NUMBER);
        }
        @Test
        void nonAsciiDigitsAreRefused() {
            String fullWidth = "\uFF14\uFF12\uFF14\uFF12".repeat(4);
            assertInvalid(DonorEntry.cardNumber(fullWidth, ""), EntryError.NOT_A_CARD_NUMBER);
        }

        private static String flipLastDigit(String number) {
            char last = number.charAt(number.length() - 1);
            return number.substring(0, number.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
        }
    }

    @Nested
    class Escape {

        @Test
        void emptyDigitsFinishedByHashIsTheEscape() {
            assertEscape(DonorEntry.cardNumber("", "#"));
            assertEscape(DonorEntry.cardNumber(null, "#"));
            assertEscape(DonorEntry.expiry("", "#", NOW));
            assertEscape(DonorEntry.securityCode("", "#", CardBrand.VISA));
        }

        @Test
        void emptyDigitsWithoutAKeyIsNoInput() {
            assertInvalid(DonorEntry.cardNumber("", null), EntryError.NO_INPUT);
            assertInvalid(DonorEntry.cardNumber(null, null), EntryError.NO_INPUT);
            assertInvalid(DonorEntry.cardNumber("", ""), EntryError.NO_INPUT);
            assertInvalid(DonorEntry.expiry("", null, NOW), EntryError.NO_INPUT);
            assertInvalid(DonorEntry.securityCode(null, "", CardBrand.AMEX), EntryError.NO_INPUT);
        }

        @Test
        void emptyDigitsFinishedByAnotherKeyIsNoInput() {
            assertInvalid(DonorEntry.cardNumber("", "*"), EntryError.NO_INPUT);
        }

        @Test
        void doubleHashAtEitherEndOfTheDigitsIsTheEscape() {
            assertEscape(DonorEntry.cardNumber("##", null));
            assertEscape(DonorEntry.cardNumber("##", "#"));
            assertEscape(DonorEntry.cardNumber("4242##", ""));
            assertEscape(DonorEntry.cardNumber("##4242", ""));
            // Escape wins over an otherwise valid entry.
            assertEscape(DonorEntry.cardNumber("4242424242424242##", ""));
            assertEscape(DonorEntry.expiry("1227##", "", NOW));
            assertEscape(DonorEntry.securityCode("##123", "", CardBrand.VISA));
        }

        @Test
        void doubleHashInTheMiddleOfTheDigitsIsAnInvalidEntryNotAnEscape() {
            assertInvalid(DonorEntry.cardNumber("4242##4242", ""), EntryError.NOT_A_CARD_NUMBER);
            assertInvalid(DonorEntry.expiry("12##27", "", NOW), EntryError.NOT_AN_EXPIRY_DATE);
            assertInvalid(DonorEntry.securityCode("1##2", "", CardBrand.VISA), EntryError.NOT_A_SECURITY_CODE);
        }

        @Test
        void aSingleHashIsNotTheEscape() {
            assertInvalid(DonorEntry.cardNumber("#", ""), EntryError.NOT_A_CARD_NUMBER);
            assertInvalid(DonorEntry.cardNumber("4242424242424242#", ""), EntryError.NOT_A_CARD_NUMBER);
        }
    }

    @Nested
    class Expiry {

        @Test
        void thisMonthIsAccepted() {
            assertValid(DonorEntry.expiry("0625", "#", NOW));
        }

        @Test
        void laterMonthsAreAccepted() {
            assertValid(DonorEntry.expiry("0725", "", NOW));
            assertValid(DonorEntry.expiry("0126", "", NOW));
            assertValid(DonorEntry.expiry("1230", "", NOW));
        }

        @Test
        void lastMonthIsAnExpiredCard() {
            assertInvalid(DonorEntry.expiry("0525", "", NOW), EntryError.CARD_EXPIRED);
        }

        @Test
        void earlierYearsAreExpiredCards() {
            assertInvalid(DonorEntry.expiry("1224", "", NOW), EntryError.CARD_EXPIRED);
            assertInvalid(DonorEntry.expiry("0600", "", NOW), EntryError.CARD_EXPIRED);
        }

        @Test
        void yearBoundary() {
            YearMonth january = YearMonth.of(2026, 1);
            assertValid(DonorEntry.expiry("0126", "", january));
            assertInvalid(DonorEntry.expiry("1225", "", january), EntryError.CARD_EXPIRED);
        }

        @ParameterizedTest
        @ValueSource(strings = {"0027", "1327", "9927", "0000"})
        void monthsOutsideOneToTwelveAreRefused(String mmyy) {
            assertInvalid(DonorEntry.expiry(mmyy, "", NOW), EntryError.NOT_AN_EXPIRY_DATE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"127", "12027", "1", "12/27", "1a27", "12 7", "*227"})
        void anythingButFourDigitsIsRefused(String entered) {
            assertInvalid(DonorEntry.expiry(entered, "", NOW), EntryError.NOT_AN_EXPIRY_DATE);
        }

        @Test
        void expiryOfReadsMonthThenTwoDigitYearInThisCentury() {
            assertThat(DonorEntry.expiryOf("0627")).isEqualTo(YearMonth.of(2027, 6));
            assertThat(DonorEntry.expiryOf("1200")).isEqualTo(YearMonth.of(2000, 12));
            assertThat(DonorEntry.expiryOf("0199")).isEqualTo(YearMonth.of(2099, 1));
        }
    }

    @Nested
    class SecurityCode {

        @Test
        void threeDigitsForEveryBrandButAmex() {
            for (CardBrand brand : new CardBrand[] {CardBrand.VISA, CardBrand.MASTERCARD, CardBrand.DISCOVER,
                    CardBrand.OTHER}) {
                assertValid(DonorEntry.securityCode("123", "", brand));
                assertInvalid(DonorEntry.securityCode("1234", "", brand), EntryError.NOT_A_SECURITY_CODE);
                assertInvalid(DonorEntry.securityCode("12", "", brand), EntryError.NOT_A_SECURITY_CODE);
            }
        }

        @Test
        void fourDigitsForAmex() {
            assertValid(DonorEntry.securityCode("1234", "#", CardBrand.AMEX));
            assertInvalid(DonorEntry.securityCode("123", "", CardBrand.AMEX), EntryError.NOT_A_SECURITY_CODE);
            assertInvalid(DonorEntry.securityCode("12345", "", CardBrand.AMEX), EntryError.NOT_A_SECURITY_CODE);
        }

        @Test
        void leadingZerosCount() {
            assertValid(DonorEntry.securityCode("007", "", CardBrand.VISA));
            assertValid(DonorEntry.securityCode("0000", "", CardBrand.AMEX));
        }

        @ParameterizedTest
        @ValueSource(strings = {"12a", "1 3", "*23", "12#"})
        void nonDigitsAreRefused(String entered) {
            assertInvalid(DonorEntry.securityCode(entered, "", CardBrand.VISA), EntryError.NOT_A_SECURITY_CODE);
        }
    }

    @Nested
    class Silence {

        @Test
        void aGatherThatTimedOutWithoutAKeyIsSilence() {
            assertThat(DonorEntry.isSilence("", "")).isTrue();
            assertThat(DonorEntry.isSilence(null, null)).isTrue();
            assertThat(DonorEntry.isSilence("", null)).isTrue();
        }

        @Test
        void aLoneHashOrAnyKeyIsNoSilence() {
            assertThat(DonorEntry.isSilence("", "#")).as("the first half of ##").isFalse();
            assertThat(DonorEntry.isSilence("4", "")).as("keys, then the timeout").isFalse();
            assertThat(DonorEntry.isSilence("##", "")).isFalse();
        }
    }
}
