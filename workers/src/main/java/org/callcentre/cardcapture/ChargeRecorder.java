package org.callcentre.cardcapture;

import org.callcentre.payment.PaymentGateway.ChargeResult;
import org.callcentre.payment.PaymentGateway.ChargeStatus;
import org.callcentre.pledge.PledgeBook;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Errors;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.springframework.stereotype.Component;

/**
 * What a charge's answer means for the pledge. Only {@code succeeded} is a payment, recorded at once for the
 * capture's own amount; an accepted charge that is still processing is kept by its reference and settled later.
 */
@Component
public class ChargeRecorder {

    private final PledgeBook pledges;
    private final CardCaptureStore captures;

    public ChargeRecorder(PledgeBook pledges, CardCaptureStore captures) {
        this.pledges = pledges;
        this.captures = captures;
    }

    /** Records a succeeded charge; a processing one is kept and raises {@code PAYMENT_UNCONFIRMED}. */
    public void record(CardCapture capture, ChargeResult charge) {
        if (!recordIfSucceeded(capture, charge)) {
            throw new BpmnError(Errors.PAYMENT_UNCONFIRMED, "the gateway is still processing the charge");
        }
    }

    /** Records a succeeded charge and answers true; keeps a processing one's reference and answers false. */
    public boolean recordIfSucceeded(CardCapture capture, ChargeResult charge) {
        if (charge.status() == ChargeStatus.SUCCEEDED) {
            if (charge.amountMinor() != capture.amount().minorUnits()
                    || !capture.amount().currency().getCurrencyCode().equals(charge.currency())) {
                // The gateway charged something other than asked: never record it as this pledge's payment.
                throw new IllegalStateException("the gateway's charge " + charge.reference()
                        + " is not for the capture's amount");
            }
            pledges.recordCharge(capture.pledgeId(), capture.id(), capture.amount(), charge.reference(),
                    capture.maskedCard());
            return true;
        }
        captures.recordChargeReference(capture.id(), charge.reference());
        return false;
    }
}
