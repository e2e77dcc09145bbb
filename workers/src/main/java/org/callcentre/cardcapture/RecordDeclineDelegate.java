package org.callcentre.cardcapture;

import org.callcentre.cardvault.CardVault;
import org.callcentre.processes.CardCaptureProcess.Variables;
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
        String captureId = execution.getProcessBusinessKey();
        int declines = ((Number) execution.getVariable(Variables.DECLINES)).intValue() + 1;
        execution.setVariable(Variables.DECLINES, declines);
        execution.setVariable(Variables.MASKED_CARD, null);
        CardCapture capture = captures.get(captureId);
        captures.recordDecline(captureId, declines, capture.declineReason());
        vault.eraseCard(captureId);
    }
}
