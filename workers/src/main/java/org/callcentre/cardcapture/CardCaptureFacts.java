package org.callcentre.cardcapture;

import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * What the card-capture model's gateways decide on, read from the capture's row (found by the process instance's
 * id, which nobody can change) instead of from process variables, which users with a task could write. Used in the
 * model's expressions as {@code ${cardCaptureFacts.paymentPath(execution) == 'CHARGE_ONLY'}}.
 */
@Component("cardCaptureFacts")
public class CardCaptureFacts {

    /** How long to wait before each look at an unconfirmed charge: quickly at first, then every quarter hour. */
    static final List<String> SETTLE_BACKOFF = List.of("PT10S", "PT30S", "PT1M", "PT5M", "PT15M");

    private final CardCaptureStore captures;

    public CardCaptureFacts(CardCaptureStore captures) {
        this.captures = captures;
    }

    /** The payment path fixed when the capture started (a name of {@code PaymentPath}). */
    public String paymentPath(DelegateExecution execution) {
        return captures.forInstance(execution.getProcessInstanceId()).paymentPath().name();
    }

    /** How many cards the gateway declined in this conversation. */
    public int declines(DelegateExecution execution) {
        return captures.forInstance(execution.getProcessInstanceId()).declines();
    }

    /** The ISO-8601 wait before the next look at a charge whose outcome is unknown. */
    public String settleBackoff(DelegateExecution execution) {
        int attempts = captures.forInstance(execution.getProcessInstanceId()).settleAttempts();
        return SETTLE_BACKOFF.get(Math.max(0, Math.min(attempts, SETTLE_BACKOFF.size()) - 1));
    }
}
