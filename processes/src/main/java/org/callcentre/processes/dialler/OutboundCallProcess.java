package org.callcentre.processes.dialler;

import java.util.List;

import org.callcentre.processes.ProcessVariable;

/**
 * Everything code and tests need to know about {@code bpmn/outbound-call.bpmn}: one call placed to a lead, from
 * choosing the caller ID to Twilio's final status. The business key of an instance is the outbound call's id (its row
 * in {@code outbound_call}), and that row is the truth: the status listener writes each status there first, then
 * tells the instance; the model's gateways read the row ({@code outboundCallFacts}), never a variable.
 */
public final class OutboundCallProcess {

    private OutboundCallProcess() {
    }

    public static final String PROCESS_KEY = "outbound-call";

    /** Element ids. */
    public static final class Elements {
        private Elements() {
        }

        public static final String START = "StartEvent_CallRequested";
        public static final String CHOOSE_CALLER_ID = "Task_ChooseCallerId";
        public static final String NO_CALLER_ID = "BoundaryEvent_NoCallerId";
        public static final String RECORD_NO_CALLER_ID = "Task_RecordNoCallerId";
        public static final String CREATE_CALL = "Task_CreateCall";
        public static final String CALL_REFUSED = "BoundaryEvent_CallRefused";
        public static final String RECORD_CALL_REFUSED = "Task_RecordCallRefused";
        public static final String CATCH_UP = "Task_CatchUpStatuses";
        public static final String CALL_OVER = "Gateway_CallOver";
        public static final String AWAIT_STATUS = "Gateway_AwaitStatus";
        public static final String CALL_PROGRESS = "IntermediateCatchEvent_CallProgress";
        public static final String CALL_ENDED = "IntermediateCatchEvent_CallEnded";
        public static final String RECONCILE_TIMER = "Timer_Reconcile";
        public static final String RECONCILE = "Task_ReconcileCall";
        public static final String RECONCILED = "Gateway_Reconciled";

        public static final String END_CALL_ENDED = "EndEvent_CallEnded";
        public static final String END_NO_CALLER_ID = "EndEvent_NoCallerId";
        public static final String END_CALL_REFUSED = "EndEvent_CallRefused";
    }

    /** Message names (the {@code name} of the BPMN message, not its id). */
    public static final class Messages {
        private Messages() {
        }

        /** queued, initiated, ringing or in-progress was recorded on the call. */
        public static final String CALL_PROGRESS = "CallProgress";
        /** The call's final status was recorded. */
        public static final String CALL_ENDED = "CallEnded";
    }

    /** BPMN error codes. */
    public static final class Errors {
        private Errors() {
        }

        /** The campaign has no caller ID that is not spam-flagged. */
        public static final String NO_CALLER_ID = "NO_CALLER_ID";
        /** Twilio would not place the call (its code and message are on the call's row). */
        public static final String CALL_REFUSED = "CALL_REFUSED";
    }

    /** Why the call ended before Twilio placed it: the {@code failure} input of the record task. */
    public enum Failure {
        NO_CALLER_ID, REFUSED_BY_TWILIO
    }

    /** Process variables: ids only. */
    public static final class Variables {
        private Variables() {
        }

        /** The outbound call's id (also the business key). */
        public static final ProcessVariable<Long> CALL_ID = ProcessVariable.longValue("callId");
        public static final ProcessVariable<Long> LEAD_ID = ProcessVariable.longValue("leadId");
        /** The user (engine user id) whose conference the call joins. */
        public static final ProcessVariable<String> AGENT_ID = ProcessVariable.string("agentId");
        /** Input of the record task: why the call failed. */
        public static final ProcessVariable<Failure> FAILURE = ProcessVariable.enumeration("failure", Failure.class);

        public static final List<ProcessVariable<?>> ALL = List.of(CALL_ID, LEAD_ID, AGENT_ID, FAILURE);
    }

    /** Delegate bean names the model refers to with {@code camunda:delegateExpression}. */
    public static final class Beans {
        private Beans() {
        }

        public static final String CHOOSE_CALLER_ID = "chooseCallerIdDelegate";
        public static final String CREATE_CALL = "createCallDelegate";
        public static final String RECORD_CALL_FAILED = "recordCallFailedDelegate";
        public static final String CATCH_UP = "catchUpCallStatusesDelegate";
        public static final String RECONCILE = "reconcileCallDelegate";
        /** Reads whether the call has ended from its row. */
        public static final String CALL_FACTS = "outboundCallFacts";
    }
}
