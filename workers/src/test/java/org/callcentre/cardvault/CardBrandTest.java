package org.callcentre.cardvault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CardBrandTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            // Visa: 4
            "4242424242424242, VISA",
            "4000056655665556, VISA",
            "4111111111111111, VISA",
            // Mastercard: 51-55
            "5105105105105100, MASTERCARD",
            "5200828282828210, MASTERCARD",
            "5555555555554444, MASTERCARD",
            "5100000000000008, MASTERCARD",
            "5599999999999999, MASTERCARD",
            // Mastercard: 2221-2720
            "2221000000000009, MASTERCARD",
            "2223003122003222, MASTERCARD",
            "2500000000000001, MASTERCARD",
            "2720999999999996, MASTERCARD",
            // just outside Mastercard's ranges
            "5000000000000009, OTHER",
            "5600000000000000, OTHER",
            "2220999999999999, OTHER",
            "2721000000000000, OTHER",
            // Amex: 34, 37
            "340000000000009, AMEX",
            "378282246310005, AMEX",
            "371449635398431, AMEX",
            "350000000000000, OTHER",
            "360000000000000, OTHER",
            // Discover: 6011, 65
            "6011111111111117, DISCOVER",
            "6011000990139424, DISCOVER",
            "6500000000000002, DISCOVER",
            "6599999999999999, DISCOVER",
            "6012000000000000, OTHER",
            "6400000000000000, OTHER",
            // others
            "3566002020360505, OTHER",
            "3056930009020004, OTHER",
            "1234567890123452, OTHER"
    })
    void brandFromLeadingDigits(String number, CardBrand expected) {
        assertThat(CardBrand.of(number)).isEqualTo(expected);
    }

    @Test
    void shortPrefixesAreStillRecognisedForVisaAndAmex() {
        assertThat(CardBrand.of("4")).isEqualTo(CardBrand.VISA);
        assertThat(CardBrand.of("34")).isEqualTo(CardBrand.AMEX);
        assertThat(CardBrand.of("37")).isEqualTo(CardBrand.AMEX);
        assertThat(CardBrand.of("")).isEqualTo(CardBrand.OTHER);
    }

    @Test
    void securityCodeIsFourDigitsForAmexOnly() {
        assertThat(CardBrand.AMEX.securityCodeLength()).isEqualTo(4);
        assertThat(CardBrand.VISA.securityCodeLength()).isEqualTo(3);
        assertThat(CardBrand.MASTERCARD.securityCodeLength()).isEqualTo(3);
        assertThat(CardBrand.DISCOVER.securityCodeLength()).isEqualTo(3);
        assertThat(CardBrand.OTHER.securityCodeLength()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0} masks as {1}")
    @CsvSource({
            "4242424242424242, Visa ending 4242",
            "5555555555554444, Mastercard ending 4444",
            "2223003122003222, Mastercard ending 3222",
            "378282246310005, American Express ending 0005",
            "6011111111111117, Discover ending 1117",
            "3566002020360505, Card ending 0505"
    })
    void maskShowsBrandAndLastFourOnly(String number, String expected) {
        String masked = CardBrand.mask(number);
        assertThat(masked).isEqualTo(expected);
        assertThat(masked.replaceAll("\\D", "")).isEqualTo(number.substring(number.length() - 4));
        assertThat(masked).doesNotContain(number.substring(0, 6));
    }

    @Test
    void lastFour() {
        assertThat(CardBrand.lastFour("4242424242421234")).isEqualTo("1234");
    }

    @Test
    void cardDetailsShowOnlyTheMaskedCard() {
        CardDetails card = new CardDetails("5555555555554444", 12, 2030, "737");
        assertThat(card.brand()).isEqualTo(CardBrand.MASTERCARD);
        assertThat(card.masked()).isEqualTo("Mastercard ending 4444");
        assertThat(card.toString())
                .contains("Mastercard ending 4444")
                .doesNotContain("5555555555554444")
                .doesNotContain("555555")
                .doesNotContain("737")
                .doesNotContain("2030");
    }

    @Test
    void luhn() {
        assertThat(CardBrand.passesLuhn("79927398713")).isTrue();
        assertThat(CardBrand.passesLuhn("79927398710")).isFalse();
        assertThat(CardBrand.passesLuhn("4242424242424242")).isTrue();
        assertThat(CardBrand.passesLuhn("4242424242424241")).isFalse();
        assertThat(CardBrand.passesLuhn("0")).isTrue();
    }
}
