package org.callcentre.cardcapture;

import org.callcentre.cardvault.CardVault;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * On the end of a card-capture instance, however it ends (including an admin cancelling it in Cockpit):
 * no card data outlives it, and a capture still marked in progress is closed as cancelled.
 */
@Component("eraseCardDataListener")
public class EraseCardDataListener implements ExecutionListener {

    private final CardVault vault;
    private final CardCaptureStore captures;

    public EraseCardDataListener(CardVault vault, CardCaptureStore captures) {
        this.vault = vault;
        this.captures = captures;
    }

    @Override
    public void notify(DelegateExecution execution) {
        captures.findForInstance(execution.getProcessInstanceId()).ifPresent(capture -> {
            vault.erase(capture.id());
            if (capture.status() == Outcome.IN_PROGRESS) {
                captures.finish(capture.id(), Outcome.CANCELLED);
            }
        });
    }
}
