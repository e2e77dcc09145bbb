package org.callcentre.campaign;

import java.util.Currency;
import java.util.Locale;

import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;

/**
 * A fundraising campaign and its gateway settings.
 *
 * @param paymentFirst       "First run a payment and then tokenize cards on Call Center processing"
 * @param chargeOnCardUpdate whether replacing the card of a recurring pledge that is already paid also charges it
 *                           (by default it only saves the new card)
 */
public record Campaign(long id, String name, Currency currency, Locale locale, boolean instantPayment,
        boolean tokensEnabled, boolean paymentFirst, boolean chargeOnCardUpdate) {

    public PaymentPath paymentPath() {
        return PaymentPath.of(instantPayment, tokensEnabled, paymentFirst);
    }

    public boolean takesCards() {
        return instantPayment || tokensEnabled;
    }
}
