package org.callcentre.payment;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/** An amount in a currency's minor units (pence, cents), as gateways take it. */
public record Money(long minorUnits, Currency currency) {

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (minorUnits <= 0) {
            throw new IllegalArgumentException("an amount must be positive");
        }
    }

    public static Money of(BigDecimal amount, Currency currency) {
        BigDecimal minor = amount.movePointRight(currency.getDefaultFractionDigits());
        if (minor.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(
                    "%s has at most %d decimals".formatted(currency.getCurrencyCode(), currency.getDefaultFractionDigits()));
        }
        return new Money(minor.longValueExact(), currency);
    }

    public BigDecimal amount() {
        return BigDecimal.valueOf(minorUnits, currency.getDefaultFractionDigits());
    }
}
