package org.callcentre.cardcapture;

import java.util.function.Supplier;

import org.callcentre.payment.CardDeclinedException;
import org.callcentre.payment.GatewayUnavailableException;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Errors;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.stereotype.Component;

/**
 * Runs one gateway call from a delegate. A decline becomes the BPMN error the model catches. A call without an answer
 * is thrown for the job executor to retry (with the same idempotency key, so the gateway replays its first answer)
 * while attempts remain. On the last attempt it becomes a BPMN error, so the donor is told and returned rather than
 * left on hold behind an incident: {@code PAYMENT_UNCONFIRMED} when a charge was sent (money may have moved, and the
 * capture is settled later), {@code GATEWAY_UNAVAILABLE} for anything else (nothing was charged).
 */
@Component
public class GatewayAttempt {

    private final CardCaptureStore captures;

    public GatewayAttempt(CardCaptureStore captures) {
        this.captures = captures;
    }

    /** A call that moves no money (a payment method, a setup, a question). */
    public <T> T call(DelegateExecution execution, CardCapture capture, Supplier<T> gatewayCall) {
        return run(execution, capture, gatewayCall, Errors.GATEWAY_UNAVAILABLE);
    }

    /** A charge: without an answer on the last attempt, whether money moved is not known. */
    public <T> T charge(DelegateExecution execution, CardCapture capture, Supplier<T> gatewayCall) {
        return run(execution, capture, gatewayCall, Errors.PAYMENT_UNCONFIRMED);
    }

    private <T> T run(DelegateExecution execution, CardCapture capture, Supplier<T> gatewayCall, String lastError) {
        try {
            return gatewayCall.get();
        } catch (CardDeclinedException declined) {
            captures.recordDeclineReason(capture.id(), declined.reason());
            throw new BpmnError(Errors.CARD_DECLINED, "card declined: " + declined.reason());
        } catch (GatewayUnavailableException outage) {
            if (isLastAttempt(execution)) {
                throw new BpmnError(lastError, outage.getMessage());
            }
            throw outage;
        }
    }

    private static boolean isLastAttempt(DelegateExecution execution) {
        // By instance and activity, not execution: a task with boundary events runs in a child execution of the
        // one its async job belongs to.
        Job job = execution.getProcessEngineServices().getManagementService().createJobQuery()
                .processInstanceId(execution.getProcessInstanceId()).activityId(execution.getCurrentActivityId())
                .singleResult();
        return job == null || job.getRetries() <= 1;
    }
}
