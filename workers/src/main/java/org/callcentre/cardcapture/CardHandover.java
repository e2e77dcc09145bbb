package org.callcentre.cardcapture;

import org.callcentre.cardvault.CardDetails;
import org.callcentre.cardvault.CardVault;
import org.callcentre.payment.PaymentGateway;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Errors;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.springframework.stereotype.Component;

/**
 * Hands the card in the vault to the gateway, once: it becomes a payment method there, the capture keeps the
 * payment method's id, and the card leaves the vault in the same transaction. Every later step (the charge, the
 * setup, a replay after a lost answer) names the payment method, so no step after this one holds card data. The
 * gateway keeps the security code only until the payment method's first authorisation.
 */
@Component
public class CardHandover {

    static final String OPERATION = "payment-method";

    private final CardVault vault;
    private final PaymentGateway gateway;
    private final CardCaptureStore captures;

    public CardHandover(CardVault vault, PaymentGateway gateway, CardCaptureStore captures) {
        this.vault = vault;
        this.gateway = gateway;
        this.captures = captures;
    }

    /**
     * The payment method of the capture's current card, made from the vault's card if there is none yet. A job that
     * fails after this rolls back, vault included, and its retry asks again with the same key (the gateway answers
     * the same payment method).
     */
    public String paymentMethod(CardCapture capture) {
        if (capture.paymentMethod() != null) {
            return capture.paymentMethod();
        }
        CardDetails card = vault.read(capture.id()).orElseThrow(() -> new BpmnError(Errors.GATEWAY_UNAVAILABLE,
                "the card of capture " + capture.id() + " is no longer in the vault"));
        String paymentMethod = gateway.createPaymentMethod(card, capture.idempotencyKey(OPERATION));
        captures.recordPaymentMethod(capture.id(), paymentMethod);
        vault.eraseCard(capture.id());
        return paymentMethod;
    }
}
