package org.callcentre.cardcapture;

import org.callcentre.payment.PaymentGateway;
import org.callcentre.payment.PaymentGateway.ChargeResult;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Charges the token the card was just saved as, for the amount fixed on the capture. */
@Component("chargeTokenDelegate")
public class ChargeTokenDelegate implements JavaDelegate {

    static final String OPERATION = "charge-token";

    private final PaymentGateway gateway;
    private final CardCaptureStore captures;
    private final GatewayAttempt attempt;
    private final ChargeRecorder recorder;

    public ChargeTokenDelegate(PaymentGateway gateway, CardCaptureStore captures, GatewayAttempt attempt,
            ChargeRecorder recorder) {
        this.gateway = gateway;
        this.captures = captures;
        this.attempt = attempt;
        this.recorder = recorder;
    }

    @Override
    public void execute(DelegateExecution execution) {
        CardCapture capture = captures.forInstance(execution.getProcessInstanceId());
        if (capture.paymentPath() != PaymentPath.TOKENISE_THEN_CHARGE || capture.newTokenRef() == null) {
            throw new IllegalStateException("capture " + capture.id() + " has no new token to charge ("
                    + capture.paymentPath() + ")");
        }
        ChargeResult charge = attempt.charge(execution, capture, () -> gateway.chargeToken(capture.newTokenRef(),
                capture.amount(), capture.idempotencyKey(OPERATION), Long.toString(capture.pledgeId())));
        recorder.record(capture, charge);
    }
}
