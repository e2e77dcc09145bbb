package org.callcentre.payment;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/** An amount in a currency's minor units (pence, cents), as gateways take it. */
public record Money(long minorUnits, Currency currency) {

    /**
     * Digits before the decimal point that an amount may have. Far above any pledge, and small enough that the
     * minor units fit a {@code long} in every currency. Checked before the amount is scaled or rendered: a
     * {@link BigDecimal} such as {@code 1E+100000000} is small in memory but a hundred million characters as text.
     */
    public static final int MAX_WHOLE_DIGITS = 12;

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (minorUnits <= 0) {
            throw new IllegalArgumentException("an amount must be positive");
        }
    }

    /** The amount in minor units; refused, in words that never repeat the amount, unless the currency can take it. */
    public static Money of(BigDecimal amount, Currency currency) {
        BigDecimal exact = amount.stripTrailingZeros();
        if (exact.precision() - exact.scale() > MAX_WHOLE_DIGITS) {
            throw new IllegalArgumentException("an amount has at most %d digits before the point".formatted(MAX_WHOLE_DIGITS));
        }
        if (exact.scale() > currency.getDefaultFractionDigits()) {
            throw new IllegalArgumentException(
                    "%s has at most %d decimals".formatted(currency.getCurrencyCode(), currency.getDefaultFractionDigits()));
        }
        return new Money(exact.movePointRight(currency.getDefaultFractionDigits()).longValueExact(), currency);
    }

    public BigDecimal amount() {
        return BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits());
    }
}
