package org.callcentre.cardcapture;

import org.callcentre.payment.PaymentGateway;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Errors;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Saves the card for later charges. The new token waits on the capture; it replaces the pledge's old token only when
 * the whole capture succeeds. After a charge the gateway already saved the payment method with that charge (no
 * security code is needed or kept for it): this only checks that it did.
 */
@Component("tokeniseCardDelegate")
public class TokeniseCardDelegate implements JavaDelegate {

    static final String OPERATION = "tokenise";

    private final PaymentGateway gateway;
    private final CardCaptureStore captures;
    private final CardHandover handover;
    private final GatewayAttempt attempt;

    public TokeniseCardDelegate(PaymentGateway gateway, CardCaptureStore captures, CardHandover handover,
            GatewayAttempt attempt) {
        this.gateway = gateway;
        this.captures = captures;
        this.handover = handover;
        this.attempt = attempt;
    }

    @Override
    public void execute(DelegateExecution execution) {
        CardCapture capture = captures.forInstance(execution.getProcessInstanceId());
        if (capture.paymentPath() == PaymentPath.CHARGE_ONLY) {
            throw new IllegalStateException("capture " + capture.id() + " saves no card (" + capture.paymentPath() + ")");
        }
        if (capture.paymentPath() == PaymentPath.CHARGE_THEN_TOKENISE) {
            String charged = capture.paymentMethod();
            if (charged == null || !attempt.call(execution, capture, () -> gateway.isSaved(charged))) {
                throw new BpmnError(Errors.CARD_DECLINED, "the gateway did not save the charged card");
            }
            captures.recordNewToken(capture.id(), charged);
            return;
        }
        String paymentMethod = attempt.call(execution, capture, () -> handover.paymentMethod(capture));
        String token = attempt.call(execution, capture, () -> gateway.save(paymentMethod,
                capture.idempotencyKey(OPERATION), Long.toString(capture.pledgeId()))).token();
        captures.recordNewToken(capture.id(), token);
    }
}
