package org.callcentre.cardcapture;

import java.util.function.Function;

import org.callcentre.payment.CardDeclinedException;
import org.callcentre.payment.GatewayUnavailableException;
import org.callcentre.processes.CardCaptureProcess.Errors;
import org.callcentre.processes.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.stereotype.Component;

/**
 * Runs one gateway call from a delegate. A decline becomes the BPMN error the model catches. An outage is
 * thrown for the job executor to retry (with the same idempotency key) while attempts remain; on the last
 * attempt it becomes {@code GATEWAY_UNAVAILABLE}, so the donor is told and returned rather than left on hold
 * behind an incident.
 */
@Component
public class GatewayAttempt {

    private final CardCaptureStore captures;

    public GatewayAttempt(CardCaptureStore captures) {
        this.captures = captures;
    }

    /** Calls the gateway with the idempotency key of this capture, card and {@code operation}. */
    public <T> T call(DelegateExecution execution, String operation, Function<String, T> gatewayCall) {
        try {
            return gatewayCall.apply(idempotencyKey(execution, operation));
        } catch (CardDeclinedException declined) {
            captures.recordDeclineReason(execution.getProcessBusinessKey(), declined.reason());
            throw new BpmnError(Errors.CARD_DECLINED, "card declined: " + declined.reason());
        } catch (GatewayUnavailableException outage) {
            if (isLastAttempt(execution)) {
                throw new BpmnError(Errors.GATEWAY_UNAVAILABLE, outage.getMessage());
            }
            throw outage;
        }
    }

    /** The key that makes a retried call the same call: per capture, per card tried, per operation. */
    public static String idempotencyKey(DelegateExecution execution, String operation) {
        Object declines = execution.getVariable(Variables.DECLINES);
        return execution.getProcessBusinessKey() + ":card" + (declines == null ? 0 : declines) + ":" + operation;
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
