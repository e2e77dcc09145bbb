package org.callcentre.cardcapture;

import org.callcentre.payment.PaymentGateway;
import org.callcentre.payment.PaymentGateway.ChargeResult;
import org.callcentre.pledge.Pledge;
import org.callcentre.pledge.PledgeBook;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Charges the token the card was just saved as. */
@Component("chargeTokenDelegate")
public class ChargeTokenDelegate implements JavaDelegate {

    static final String OPERATION = "charge-token";

    private final PaymentGateway gateway;
    private final PledgeBook pledges;
    private final CardCaptureStore captures;
    private final GatewayAttempt attempt;

    public ChargeTokenDelegate(PaymentGateway gateway, PledgeBook pledges, CardCaptureStore captures,
            GatewayAttempt attempt) {
        this.gateway = gateway;
        this.pledges = pledges;
        this.captures = captures;
        this.attempt = attempt;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String captureId = execution.getProcessBusinessKey();
        Pledge pledge = CaptureContext.pledge(execution, pledges);
        CardCapture capture = captures.get(captureId);
        ChargeResult charge = attempt.call(execution, OPERATION,
                key -> gateway.chargeToken(capture.newTokenRef(), pledge.amount(), key, Long.toString(pledge.id())));
        pledges.recordCharge(pledge.id(), captureId, pledge.amount(), charge.reference(), capture.maskedCard());
    }
}
