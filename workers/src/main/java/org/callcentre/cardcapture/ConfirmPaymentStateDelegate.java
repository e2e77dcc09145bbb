package org.callcentre.cardcapture;

import org.callcentre.pledge.Pledge;
import org.callcentre.pledge.PledgeBook;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * After a gateway outage the last charge's answer was lost: asks the gateway whether that charge went through
 * and records it if so. While the gateway stays down this fails, is retried, and ends in an incident in
 * Cockpit for an admin; it never charges.
 */
@Component("confirmPaymentStateDelegate")
public class ConfirmPaymentStateDelegate implements JavaDelegate {

    private final org.callcentre.payment.PaymentGateway gateway;
    private final PledgeBook pledges;
    private final CardCaptureStore captures;

    public ConfirmPaymentStateDelegate(org.callcentre.payment.PaymentGateway gateway, PledgeBook pledges,
            CardCaptureStore captures) {
        this.gateway = gateway;
        this.pledges = pledges;
        this.captures = captures;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String captureId = execution.getProcessBusinessKey();
        Pledge pledge = CaptureContext.pledge(execution, pledges);
        CardCapture capture = captures.get(captureId);
        for (String operation : new String[] {ChargeCardDelegate.OPERATION, ChargeTokenDelegate.OPERATION}) {
            gateway.findCharge(GatewayAttempt.idempotencyKey(execution, operation)).ifPresent(charge -> pledges
                    .recordCharge(pledge.id(), captureId, pledge.amount(), charge.reference(), capture.maskedCard()));
        }
    }
}
