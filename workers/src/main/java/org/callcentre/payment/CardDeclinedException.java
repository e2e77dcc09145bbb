package org.callcentre.payment;

/** The gateway declined the card: a business outcome the model handles, not a technical failure. */
public class CardDeclinedException extends RuntimeException {

    private final DeclineReason reason;

    public CardDeclinedException(DeclineReason reason) {
        super("card declined: " + reason, null, false, false);
        this.reason = reason;
    }

    public DeclineReason reason() {
        return reason;
    }
}
