package org.callcentre.cardcapture;

import org.callcentre.cardvault.CardDetails;
import org.callcentre.cardvault.CardVault;
import org.callcentre.payment.PaymentGateway;
import org.callcentre.payment.PaymentGateway.ChargeResult;
import org.callcentre.pledge.Pledge;
import org.callcentre.pledge.PledgeBook;
import org.callcentre.processes.CardCaptureProcess.PaymentPath;
import org.callcentre.processes.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Charges the card in the vault for the pledge's amount, and records the payment at once. */
@Component("chargeCardDelegate")
public class ChargeCardDelegate implements JavaDelegate {

    static final String OPERATION = "charge";

    private final CardVault vault;
    private final PaymentGateway gateway;
    private final PledgeBook pledges;
    private final GatewayAttempt attempt;

    public ChargeCardDelegate(CardVault vault, PaymentGateway gateway, PledgeBook pledges, GatewayAttempt attempt) {
        this.vault = vault;
        this.gateway = gateway;
        this.pledges = pledges;
        this.attempt = attempt;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String captureId = execution.getProcessBusinessKey();
        Pledge pledge = CaptureContext.pledge(execution, pledges);
        CardDetails card = CaptureContext.card(captureId, vault);
        ChargeResult charge = attempt.call(execution, OPERATION,
                key -> gateway.chargeCard(card, pledge.amount(), key, Long.toString(pledge.id())));
        pledges.recordCharge(pledge.id(), captureId, pledge.amount(), charge.reference(), card.masked());
        if (!PaymentPath.CHARGE_THEN_TOKENISE.name().equals(execution.getVariable(Variables.PAYMENT_PATH))) {
            // Authorisation is complete. On the charge-then-tokenise path the tokenisation right after this
            // still authorises the card, and erases the code itself.
            vault.eraseSecurityCode(captureId);
        }
    }
}
