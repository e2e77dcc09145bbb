package org.callcentre.bench.cardcapture;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.callcentre.bench.EngineOnlyModel;
import org.callcentre.processes.Groups;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.cardcapture.CardCaptureProcess;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Beans;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Entry;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Messages;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Job;

/**
 * The card-capture model on the engine alone: no-op delegates, the path "charge, then tokenise", and one
 * transaction per step as the app's webhooks and jobs take them (start; move job; three times read the active
 * activity and correlate the entry; charge, tokenise and return jobs), after which the instance ends, as in the app.
 */
final class CardCaptureEngineOnly implements EngineOnlyModel {

    @Override
    public String bpmnResource() {
        return "bpmn/card-capture.bpmn";
    }

    @Override
    public Map<Object, Object> beans() {
        Map<Object, Object> beans = new HashMap<>();
        JavaDelegate noOp = execution -> { };
        for (String bean : new String[] {Beans.MOVE_DONOR_TO_IVR, Beans.CHARGE_CARD, Beans.TOKENISE_CARD,
                Beans.CHARGE_TOKEN, Beans.RECORD_DECLINE, Beans.RECORD_OUTCOME, Beans.FLAG_TOKEN_FOLLOW_UP,
                Beans.RETURN_DONOR_TO_AGENT, Beans.SETTLE_PAYMENT, Beans.RECORD_SUCCESS}) {
            beans.put(bean, noOp);
        }
        beans.put(Beans.ERASE_CARD_DATA, (ExecutionListener) execution -> { });
        beans.put(Beans.TASK_NAMES, (TaskListener) task -> { });
        beans.put(Beans.CAPTURE_FACTS, new FixedFacts());
        beans.put(Groups.BEAN, new Groups());
        return beans;
    }

    @Override
    public void converse(ProcessEngine engine) {
        String captureId = UUID.randomUUID().toString();
        var runtime = engine.getRuntimeService();
        String instance = runtime.startProcessInstanceByKey(CardCaptureProcess.PROCESS_KEY, captureId,
                ProcessVariable.values().with(Variables.CAPTURE_ID, captureId).with(Variables.PLEDGE_ID, 1L)
                        .with(Variables.AGENT_ID, "agent").with(Variables.PAYMENT_PATH, PaymentPath.CHARGE_THEN_TOKENISE)
                        .with(Variables.FAILURES, 0).with(Variables.DECLINES, 0).with(Variables.TOKEN_FOLLOW_UP, false)
                        .with(Variables.OUTCOME, Outcome.IN_PROGRESS).asMap()).getId();
        executeJob(engine, instance); // move the donor into the IVR
        for (String message : new String[] {Messages.CARD_NUMBER_ENTERED, Messages.EXPIRY_ENTERED,
                Messages.SECURITY_CODE_ENTERED}) {
            runtime.getActiveActivityIds(instance); // what the webhook asks before rendering
            runtime.createMessageCorrelation(message).processInstanceId(instance)
                    .setVariables(ProcessVariable.values().with(Variables.ENTRY, Entry.VALID)
                            .with(Variables.FAILURES, 0).asMap())
                    .correlateWithResult();
        }
        executeJob(engine, instance); // charge
        executeJob(engine, instance); // tokenise
        executeJob(engine, instance); // return the donor
    }

    private static void executeJob(ProcessEngine engine, String instance) {
        Job job = engine.getManagementService().createJobQuery().processInstanceId(instance).singleResult();
        engine.getManagementService().executeJob(job.getId());
    }

    /** Stands in for the capture's row, which the app's {@code cardCaptureFacts} reads: charge, then tokenise. */
    public static final class FixedFacts {
        public String paymentPath(DelegateExecution execution) {
            return "CHARGE_THEN_TOKENISE";
        }

        public int declines(DelegateExecution execution) {
            return 0;
        }

        public String settleBackoff(DelegateExecution execution) {
            return "PT10S";
        }
    }
}
