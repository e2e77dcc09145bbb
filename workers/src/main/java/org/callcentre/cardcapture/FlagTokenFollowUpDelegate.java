package org.callcentre.cardcapture;

import org.callcentre.cardvault.CardVault;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * The card was charged but could not be saved as a token. The pledge stays paid (no second charge); an
 * agent admin follows up with the donor for the recurring part.
 */
@Component("flagTokenFollowUpDelegate")
public class FlagTokenFollowUpDelegate implements JavaDelegate {

    private final CardVault vault;
    private final CardCaptureStore captures;

    public FlagTokenFollowUpDelegate(CardVault vault, CardCaptureStore captures) {
        this.vault = vault;
        this.captures = captures;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Variables.TOKEN_FOLLOW_UP.set(execution, true);
        vault.erase(captures.forInstance(execution.getProcessInstanceId()).id());
    }
}
