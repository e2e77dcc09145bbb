package org.callcentre.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    private static final Currency GBP = Currency.getInstance("GBP");
    private static final Currency JPY = Currency.getInstance("JPY");

    @ParameterizedTest(name = "{0} {1} is {2} minor units")
    @CsvSource({
            "12.34, GBP, 1234",
            "12.3, GBP, 1230",
            "12, GBP, 1200",
            "12.340, GBP, 1234",
            "0.01, GBP, 1",
            "99.99, EUR, 9999",
            "5.00, USD, 500",
            "1500, JPY, 1500",
            "1500.0, JPY, 1500",
            "1, JPY, 1",
            "1.234, BHD, 1234",
            "2.5, KWD, 2500"
    })
    void minorUnitsFollowTheCurrencysDecimals(String amount, String currency, long minor) {
        Money money = Money.of(new BigDecimal(amount), Currency.getInstance(currency));

        assertThat(money.minorUnits()).isEqualTo(minor);
        assertThat(money.currency().getCurrencyCode()).isEqualTo(currency);
        assertThat(money.amount()).isEqualByComparingTo(amount);
    }

    @Test
    void amountHasTheCurrencysScale() {
        assertThat(new Money(1234, GBP).amount()).isEqualTo(new BigDecimal("12.34"));
        assertThat(new Money(5, GBP).amount()).isEqualTo(new BigDecimal("0.05"));
        assertThat(new Money(1500, JPY).amount()).isEqualTo(new BigDecimal("1500"));
        assertThat(new Money(1500, JPY).amount().scale()).isZero();
    }

    @ParameterizedTest(name = "{0} {1} is refused")
    @CsvSource({
            "12.345, GBP",
            "0.001, GBP",
            "0.5, JPY",
            "1500.5, JPY",
            "1.2345, BHD"
    })
    void tooManyDecimalsAreRefused(String amount, String currency) {
        Currency c = Currency.getInstance(currency);
        assertThatThrownBy(() -> Money.of(new BigDecimal(amount), c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(currency)
                .hasMessageContaining(Integer.toString(c.getDefaultFractionDigits()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "-0.01", "-12.34"})
    void nonPositiveAmountsAreRefused(String amount) {
        assertThatThrownBy(() -> Money.of(new BigDecimal(amount), GBP)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} is refused at once, without writing it out")
    @ValueSource(strings = {"1e100000000", "1e-100000000", "1234567890123", "9223372036854775.807"})
    void hugeAndTinyAmountsAreRefusedWithoutRenderingThem(String amount) {
        BigDecimal value = new BigDecimal(amount);
        assertThatThrownBy(() -> Money.of(value, GBP))
                .isInstanceOf(IllegalArgumentException.class)
                .message().hasSizeLessThan(100);
    }

    @Test
    void twelveDigitsBeforeThePointFitEveryCurrency() {
        assertThat(Money.of(new BigDecimal("999999999999.99"), GBP).minorUnits()).isEqualTo(99_999_999_999_999L);
        assertThat(Money.of(new BigDecimal("999999999999.999"), Currency.getInstance("BHD")).minorUnits())
                .isEqualTo(999_999_999_999_999L);
    }

    @Test
    void nonPositiveMinorUnitsAreRefused() {
        assertThatThrownBy(() -> new Money(0, GBP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Money(-1, JPY)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Money(1, GBP).minorUnits()).isEqualTo(1);
    }

    @Test
    void aCurrencyIsRequired() {
        assertThatThrownBy(() -> new Money(100, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void equalAmountsAreEqual() {
        assertThat(Money.of(new BigDecimal("10.00"), GBP)).isEqualTo(Money.of(new BigDecimal("10"), GBP))
                .isEqualTo(new Money(1000, GBP))
                .isNotEqualTo(new Money(1000, Currency.getInstance("EUR")));
    }
}
