package org.callcentre.cardcapture;

/** A request about card capture that cannot be carried out; nothing was changed. */
public class CardCaptureRefusedException extends RuntimeException {

    public enum Reason {
        NOT_FOUND, CONFLICT, INVALID
    }

    private final Reason reason;

    public CardCaptureRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
