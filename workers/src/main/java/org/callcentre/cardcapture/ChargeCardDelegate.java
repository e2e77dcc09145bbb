package org.callcentre.cardcapture;

import org.callcentre.payment.PaymentGateway;
import org.callcentre.payment.PaymentGateway.ChargeResult;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Charges the card the donor entered, for the amount fixed on the capture, and records the payment at once. On the
 * charge-then-tokenise path the gateway saves the payment method with the charge, so saving it needs no security code.
 */
@Component("chargeCardDelegate")
public class ChargeCardDelegate implements JavaDelegate {

    static final String OPERATION = "charge";

    private final CardCaptureStore captures;
    private final CardHandover handover;
    private final PaymentGateway gateway;
    private final GatewayAttempt attempt;
    private final ChargeRecorder recorder;

    public ChargeCardDelegate(CardCaptureStore captures, CardHandover handover, PaymentGateway gateway,
            GatewayAttempt attempt, ChargeRecorder recorder) {
        this.captures = captures;
        this.handover = handover;
        this.gateway = gateway;
        this.attempt = attempt;
        this.recorder = recorder;
    }

    @Override
    public void execute(DelegateExecution execution) {
        CardCapture capture = captures.forInstance(execution.getProcessInstanceId());
        if (!capture.chargesCard()) {
            throw new IllegalStateException("capture " + capture.id() + " does not charge the card ("
                    + capture.paymentPath() + ")");
        }
        String paymentMethod = attempt.call(execution, capture, () -> handover.paymentMethod(capture));
        ChargeResult charge = attempt.charge(execution, capture, () -> gateway.charge(paymentMethod,
                capture.amount(), capture.paymentPath() == PaymentPath.CHARGE_THEN_TOKENISE,
                capture.idempotencyKey(OPERATION), Long.toString(capture.pledgeId())));
        recorder.record(capture, charge);
    }
}
