package org.callcentre.cardcapture;

import org.callcentre.cardvault.CardDetails;
import org.callcentre.cardvault.CardVault;
import org.callcentre.payment.PaymentGateway;
import org.callcentre.payment.PaymentGateway.TokenResult;
import org.callcentre.pledge.Pledge;
import org.callcentre.pledge.PledgeBook;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Saves the card in the vault with the gateway. The new token waits on the capture; it replaces the pledge's
 * old token only when the whole capture succeeds.
 */
@Component("tokeniseCardDelegate")
public class TokeniseCardDelegate implements JavaDelegate {

    static final String OPERATION = "tokenise";

    private final CardVault vault;
    private final PaymentGateway gateway;
    private final PledgeBook pledges;
    private final CardCaptureStore captures;
    private final GatewayAttempt attempt;

    public TokeniseCardDelegate(CardVault vault, PaymentGateway gateway, PledgeBook pledges, CardCaptureStore captures,
            GatewayAttempt attempt) {
        this.vault = vault;
        this.gateway = gateway;
        this.pledges = pledges;
        this.captures = captures;
        this.attempt = attempt;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String captureId = execution.getProcessBusinessKey();
        Pledge pledge = CaptureContext.pledge(execution, pledges);
        CardDetails card = CaptureContext.card(captureId, vault);
        TokenResult token = attempt.call(execution, OPERATION,
                key -> gateway.tokeniseCard(card, key, Long.toString(pledge.id())));
        captures.recordNewToken(captureId, token.token());
        vault.eraseSecurityCode(captureId);
    }
}
