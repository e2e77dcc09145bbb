package org.callcentre.pledge;

import java.util.Currency;
import java.util.Locale;

import org.callcentre.processes.CardCaptureProcess.PaymentPath;

/**
 * A fundraising campaign and its gateway settings.
 *
 * @param paymentFirst "First run a payment and then tokenize cards on Call Center processing"
 */
public record Campaign(long id, String name, Currency currency, Locale locale, boolean instantPayment,
        boolean tokensEnabled, boolean paymentFirst) {

    public PaymentPath paymentPath() {
        return PaymentPath.of(instantPayment, tokensEnabled, paymentFirst);
    }

    public boolean takesCards() {
        return instantPayment || tokensEnabled;
    }
}
