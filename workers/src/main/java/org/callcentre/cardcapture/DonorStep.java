package org.callcentre.cardcapture;

import org.callcentre.campaign.Campaign;
import org.callcentre.pledge.Pledge;

/** Where the donor is in the conversation, with what the IVR needs to speak to them. */
public record DonorStep(Kind kind, CardCapture capture, Pledge pledge, Campaign campaign) {

    public enum Kind {
        /** A prompt for the card number (also while the donor is still being moved into the IVR). */
        CARD_NUMBER,
        EXPIRY,
        SECURITY_CODE,
        /** The gateway is being asked; the donor holds. */
        HOLD,
        /** The conversation is over: tell the outcome and return the donor to the agent. */
        FINISHED;

        public boolean isPrompt() {
            return this == CARD_NUMBER || this == EXPIRY || this == SECURITY_CODE;
        }
    }

    public boolean isPrompt() {
        return kind.isPrompt();
    }
}
