package org.callcentre.cardcapture;

import org.callcentre.cardvault.CardVault;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Ends the capture with the status the model names in the task's {@code outcome} input parameter
 * (declined, returned to agent, cancelled by agent, failed, abandoned, unknown); the task's output mapping carries it
 * to the process. The conversation is over, so the card data goes too. An unknown outcome (a charge sent without an
 * answer) keeps the capture as the pledge's running one until it is settled.
 */
@Component("recordOutcomeDelegate")
public class RecordOutcomeDelegate implements JavaDelegate {

    private final CardCaptureStore captures;
    private final CardVault vault;

    public RecordOutcomeDelegate(CardCaptureStore captures, CardVault vault) {
        this.captures = captures;
        this.vault = vault;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Outcome outcome = Variables.OUTCOME.getLocal(execution);
        String captureId = captures.forInstance(execution.getProcessInstanceId()).id();
        if (outcome == Outcome.UNKNOWN) {
            captures.markUnknown(captureId);
        } else {
            captures.finish(captureId, outcome);
        }
        vault.erase(captureId);
    }
}
