package org.callcentre.cardcapture;

/**
 * The engine is not waiting for the entry a webhook carries (the agent brought the donor back at the same
 * moment, say). Thrown inside the entry's transaction, so the entry, the vault included, is rolled back, and
 * caught by {@link CardCaptureConversation}, which answers the step the conversation is at.
 * The engine itself is asked without throwing, so that this expected race is not logged as an engine error.
 */
class EntryNotAwaitedException extends RuntimeException {

    EntryNotAwaitedException(String captureId) {
        super("card capture " + captureId + " is not waiting for this entry");
    }
}
