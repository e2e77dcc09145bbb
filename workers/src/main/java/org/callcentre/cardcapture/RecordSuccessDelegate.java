package org.callcentre.cardcapture;

import org.callcentre.cardvault.CardVault;
import org.callcentre.pledge.PledgeBook;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * The card went through: it becomes the pledge's card, its new token (if one was made) replaces the old
 * one, and the card data is erased. (The model itself sets the {@code outcome} variable, by the task's output
 * mapping.)
 */
@Component("recordSuccessDelegate")
public class RecordSuccessDelegate implements JavaDelegate {

    private final CardCaptureStore captures;
    private final PledgeBook pledges;
    private final CardVault vault;

    public RecordSuccessDelegate(CardCaptureStore captures, PledgeBook pledges, CardVault vault) {
        this.captures = captures;
        this.pledges = pledges;
        this.vault = vault;
    }

    @Override
    public void execute(DelegateExecution execution) {
        CardCapture capture = captures.forInstance(execution.getProcessInstanceId());
        String captureId = capture.id();
        pledges.adoptCard(capture.pledgeId(), capture.maskedCard(), capture.newTokenRef());
        captures.finish(captureId, Outcome.SUCCEEDED);
        vault.erase(captureId);
    }
}
