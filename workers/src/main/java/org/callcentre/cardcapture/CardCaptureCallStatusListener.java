package org.callcentre.cardcapture;

import org.callcentre.telephony.CallStatusListener;
import org.callcentre.telephony.CallStatusUpdate;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.springframework.stereotype.Component;

/**
 * Card capture's part of the shared status callback: the end of a donor's call ends the capture it is in
 * ({@link CardCaptureConversation#callEnded}). Other statuses, and calls in no running capture, change nothing; so
 * does hearing the end twice.
 */
@Component
public class CardCaptureCallStatusListener implements CallStatusListener {

    private static final int ATTEMPTS = 3;

    private final CardCaptureConversation conversation;

    public CardCaptureCallStatusListener(CardCaptureConversation conversation) {
        this.conversation = conversation;
    }

    @Override
    public void onCallStatus(CallStatusUpdate update) {
        if (!update.ended()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                conversation.callEnded(update.callSid());
                return;
            } catch (OptimisticLockingException raced) {
                // Entries, the move job and the agent's cancel wait for the capture's row lock instead, so only
                // another job can have moved the instance at that moment; the hang-up still counts.
                if (attempt == ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }
}
