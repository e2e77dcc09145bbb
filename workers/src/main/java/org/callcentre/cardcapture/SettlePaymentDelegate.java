package org.callcentre.cardcapture;

import org.callcentre.payment.CardDeclinedException;
import org.callcentre.payment.GatewayUnavailableException;
import org.callcentre.payment.PaymentGateway;
import org.callcentre.payment.PaymentGateway.ChargeResult;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Settlement;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Looks once at a charge whose outcome is unknown and sets {@code settlement}. A charge the gateway accepted as
 * processing is asked after by its reference; a charge whose answer was lost is sent again exactly as it was (same
 * idempotency key, same payment method or token, same amount), and the gateway answers what it did the first time,
 * so this never charges twice. No answer yet is PENDING: the model waits, longer each time, and looks again.
 */
@Component("settlePaymentDelegate")
public class SettlePaymentDelegate implements JavaDelegate {

    private static final Logger log = LoggerFactory.getLogger(SettlePaymentDelegate.class);

    private final PaymentGateway gateway;
    private final CardCaptureStore captures;
    private final ChargeRecorder recorder;

    public SettlePaymentDelegate(PaymentGateway gateway, CardCaptureStore captures, ChargeRecorder recorder) {
        this.gateway = gateway;
        this.captures = captures;
        this.recorder = recorder;
    }

    @Override
    public void execute(DelegateExecution execution) {
        CardCapture capture = captures.lockForInstance(execution.getProcessInstanceId());
        int attempt = captures.countSettleAttempt(capture.id());
        Variables.SETTLEMENT.set(execution, settle(capture, attempt));
    }

    private Settlement settle(CardCapture capture, int attempt) {
        ChargeResult charge;
        try {
            charge = capture.chargeReference() != null ? gateway.chargeState(capture.chargeReference()) : replay(capture);
        } catch (CardDeclinedException declined) {
            captures.recordDeclineReason(capture.id(), declined.reason());
            return Settlement.DECLINED;
        } catch (GatewayUnavailableException stillUnknown) {
            log.warn("Card capture {}: the gateway has not answered about the charge yet (look {}): {}", capture.id(),
                    attempt, stillUnknown.getMessage());
            return Settlement.PENDING;
        }
        if (!recorder.recordIfSucceeded(capture, charge)) {
            return Settlement.PENDING;
        }
        if (capture.paymentPath() == PaymentPath.CHARGE_THEN_TOKENISE && capture.newTokenRef() == null
                && isSaved(capture.paymentMethod())) {
            captures.recordNewToken(capture.id(), capture.paymentMethod());
        }
        return Settlement.SUCCEEDED;
    }

    private ChargeResult replay(CardCapture capture) {
        String pledge = Long.toString(capture.pledgeId());
        if (capture.chargesCard()) {
            return gateway.charge(capture.paymentMethod(), capture.amount(),
                    capture.paymentPath() == PaymentPath.CHARGE_THEN_TOKENISE,
                    capture.idempotencyKey(ChargeCardDelegate.OPERATION), pledge);
        }
        return gateway.chargeToken(capture.newTokenRef(), capture.amount(),
                capture.idempotencyKey(ChargeTokenDelegate.OPERATION), pledge);
    }

    private boolean isSaved(String paymentMethod) {
        try {
            return paymentMethod != null && gateway.isSaved(paymentMethod);
        } catch (GatewayUnavailableException | CardDeclinedException unknown) {
            return false;
        }
    }
}
