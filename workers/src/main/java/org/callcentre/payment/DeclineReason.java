package org.callcentre.payment;

/** Why a card was declined, in classes the donor can be told about. */
public enum DeclineReason {
    INSUFFICIENT_FUNDS,
    EXPIRED_CARD,
    INCORRECT_DETAILS,
    DECLINED_BY_BANK,
    /**
     * The card's bank wants the cardholder to authenticate (3-D Secure), which a payment over the phone cannot
     * do: it did not accept the MOTO exemption, or the card, charged without the cardholder, asks for it.
     */
    AUTHENTICATION_REQUIRED;

    /** Maps a Stripe-style {@code code} / {@code decline_code} pair to a reason class. */
    public static DeclineReason fromGatewayCodes(String code, String declineCode) {
        if ("insufficient_funds".equals(declineCode)) {
            return INSUFFICIENT_FUNDS;
        }
        if ("authentication_required".equals(declineCode)) {
            return AUTHENTICATION_REQUIRED;
        }
        if (code == null) {
            return DECLINED_BY_BANK;
        }
        return switch (code) {
            case "expired_card" -> EXPIRED_CARD;
            case "incorrect_number", "incorrect_cvc", "invalid_expiry_month", "invalid_expiry_year", "invalid_cvc",
                    "invalid_number" -> INCORRECT_DETAILS;
            case "authentication_required", "payment_intent_authentication_failure",
                    "setup_intent_authentication_failure" -> AUTHENTICATION_REQUIRED;
            default -> DECLINED_BY_BANK;
        };
    }
}
