package org.callcentre.payment;

/** Why a card was declined, in classes the donor can be told about. */
public enum DeclineReason {
    INSUFFICIENT_FUNDS,
    EXPIRED_CARD,
    INCORRECT_DETAILS,
    DECLINED_BY_BANK;

    /** Maps a Stripe-style {@code code} / {@code decline_code} pair to a reason class. */
    public static DeclineReason fromGatewayCodes(String code, String declineCode) {
        if ("insufficient_funds".equals(declineCode)) {
            return INSUFFICIENT_FUNDS;
        }
        if (code == null) {
            return DECLINED_BY_BANK;
        }
        return switch (code) {
            case "expired_card" -> EXPIRED_CARD;
            case "incorrect_number", "incorrect_cvc", "invalid_expiry_month", "invalid_expiry_year", "invalid_cvc",
                    "invalid_number" -> INCORRECT_DETAILS;
            default -> DECLINED_BY_BANK;
        };
    }
}
