package org.callcentre.cardcapture;

import org.callcentre.cardvault.CardVault;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Counts a declined card and forgets it, so the donor can enter another. */
@Component("recordDeclineDelegate")
public class RecordDeclineDelegate implements JavaDelegate {

    private final CardCaptureStore captures;
    private final CardVault vault;

    public RecordDeclineDelegate(CardCaptureStore captures, CardVault vault) {
        this.captures = captures;
        this.vault = vault;
    }

    @Override
    public void execute(DelegateExecution execution) {
        CardCapture capture = captures.forInstance(execution.getProcessInstanceId());
        int declines = capture.declines() + 1;
        captures.recordDecline(capture.id(), declines, capture.declineReason());
        vault.eraseCard(capture.id());
        // For Cockpit: the model's "another card?" reads the count from the row.
        Variables.DECLINES.set(execution, declines);
        Variables.MASKED_CARD.set(execution, null);
    }
}
