package org.callcentre.cardcapture;

import org.callcentre.cardvault.CardDetails;
import org.callcentre.cardvault.CardVault;
import org.callcentre.pledge.Pledge;
import org.callcentre.pledge.PledgeBook;
import org.callcentre.processes.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** What the card-capture delegates read from an execution. */
final class CaptureContext {

    private CaptureContext() {
    }

    static Pledge pledge(DelegateExecution execution, PledgeBook pledges) {
        Number pledgeId = (Number) execution.getVariable(Variables.PLEDGE_ID);
        return pledges.pledge(pledgeId.longValue())
                .orElseThrow(() -> new IllegalStateException("pledge " + pledgeId + " no longer exists"));
    }

    static CardDetails card(String captureId, CardVault vault) {
        return vault.read(captureId)
                .orElseThrow(() -> new IllegalStateException("the card of capture " + captureId + " is not in the vault"));
    }
}
