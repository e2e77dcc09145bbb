package org.callcentre.payment;

import java.util.Optional;

import org.callcentre.cardvault.CardDetails;

/**
 * The payment gateway, as the card-capture conversation needs it. Every call carries an idempotency key:
 * a retried call with the same key never charges twice.
 *
 * <p>Implementations throw {@link CardDeclinedException} for a business decline (the donor can try another
 * card) and {@link GatewayUnavailableException} for anything else (timeouts, 5xx), whose message never
 * carries card data.
 */
public interface PaymentGateway {

    /** Charges a card entered over the phone. */
    ChargeResult chargeCard(CardDetails card, Money amount, String idempotencyKey, String pledgeReference);

    /** Saves a card for later charges and answers its token. */
    TokenResult tokeniseCard(CardDetails card, String idempotencyKey, String pledgeReference);

    /** Charges a saved token. */
    ChargeResult chargeToken(String token, Money amount, String idempotencyKey, String pledgeReference);

    /**
     * Asks the gateway whether a charge made with this idempotency key went through. Used after an outage,
     * when the last attempt's answer was lost.
     */
    Optional<ChargeResult> findCharge(String idempotencyKey);

    record ChargeResult(String reference, long amountMinor, String currency) {
    }

    record TokenResult(String token) {
    }
}
