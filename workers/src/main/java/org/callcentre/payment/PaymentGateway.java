package org.callcentre.payment;

import org.callcentre.cardvault.CardDetails;

/**
 * The payment gateway, as the card-capture conversation needs it. Phone payments are MOTO (mail order / telephone
 * order): every card charge and setup says so, which keeps them out of strong customer authentication.
 *
 * <p>The card leaves the vault once, to become a payment method at the gateway; every later step names only that
 * payment method, so a step whose answer was lost can be replayed, with the same idempotency key and the same
 * parameters, without card data. A replayed request answers the stored result and never charges twice.
 *
 * <p>Implementations throw {@link CardDeclinedException} for a business decline (including a charge that would need
 * the cardholder's authentication) and {@link GatewayUnavailableException} when the answer is unknown (timeouts,
 * 5xx, broken connections); their messages never carry card data or the gateway's own text.
 */
public interface PaymentGateway {

    /**
     * Hands the card (number, expiry and, if present, security code) to the gateway and answers the payment method's
     * id. The gateway keeps the security code only until the payment method's first authorisation.
     */
    String createPaymentMethod(CardDetails card, String idempotencyKey);

    /**
     * Charges a payment method made from a card entered over the phone (MOTO). With {@code saveForLater} the gateway
     * also saves it for later charges without the cardholder (Stripe's {@code setup_future_usage=off_session}).
     */
    ChargeResult charge(String paymentMethod, Money amount, boolean saveForLater, String idempotencyKey,
            String pledgeReference);

    /** Saves a payment method for later charges without the cardholder (a MOTO setup) and answers its token. */
    TokenResult save(String paymentMethod, String idempotencyKey, String pledgeReference);

    /** Charges a saved token without the cardholder. */
    ChargeResult chargeToken(String token, Money amount, String idempotencyKey, String pledgeReference);

    /** Whether a payment method was saved for later charges (by {@link #save} or a charge with saveForLater). */
    boolean isSaved(String paymentMethod);

    /** A charge's state now, by its reference: how a charge answered as processing is settled. */
    ChargeResult chargeState(String reference);

    /** What the gateway said of a charge it accepted. */
    enum ChargeStatus {
        /** The money moved. */
        SUCCEEDED,
        /** Accepted, not yet settled: ask again later with {@link #chargeState}. */
        PROCESSING
    }

    record ChargeResult(String reference, ChargeStatus status, long amountMinor, String currency) {
    }

    record TokenResult(String token) {
    }
}
