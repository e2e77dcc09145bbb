package org.callcentre.processes.dialler;

import java.util.List;

import org.callcentre.processes.ProcessVariable;

/**
 * Everything code and tests need to know about {@code bpmn/outbound-call.bpmn}: one call placed to a lead, from
 * choosing the caller ID to Twilio's final status and, once the donor is on the line, the agent's "Talk to" task
 * until the call's outcome is recorded. The business key of an instance is the outbound call's id (its row in
 * {@code outbound_call}), and that row is the truth: the status listener writes each status there first, then tells
 * the instance; the model's gateways read the row and the call's outcome ({@code outboundCallFacts}), never a
 * variable.
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
        /** Where the call is: the donor on the line with no outcome yet, over, or still on its way. */
        public static final String CALL_STATE = "Gateway_CallState";
        public static final String AWAIT_STATUS = "Gateway_AwaitStatus";
        public static final String CALL_PROGRESS = "IntermediateCatchEvent_CallProgress";
        public static final String CALL_ENDED = "IntermediateCatchEvent_CallEnded";
        public static final String RECONCILE_TIMER = "Timer_Reconcile";
        public static final String RECONCILE = "Task_ReconcileCall";

        /** The donor is on the line: the agent talks while the call is followed to its end. */
        public static final String DONOR_ON_THE_LINE = "Gateway_DonorOnTheLine";
        /** "Talk to Jane Donor": the agent's Tasklist task, with the outcome form. */
        public static final String TALK = "UserTask_TalkToDonor";
        /** The outcome was recorded elsewhere (the console): the Talk task closes. */
        public static final String OUTCOME_RECORDED = "BoundaryEvent_OutcomeRecorded";
        public static final String RECORD_TALK_OUTCOME = "Task_RecordTalkOutcome";
        public static final String CONNECTED_CALL_OVER = "Gateway_ConnectedCallOver";
        public static final String AWAIT_END = "Gateway_AwaitEnd";
        public static final String CONNECTED_CALL_ENDED = "IntermediateCatchEvent_ConnectedCallEnded";
        public static final String CONNECTED_RECONCILE_TIMER = "Timer_ReconcileConnected";
        public static final String CONNECTED_RECONCILE = "Task_ReconcileConnectedCall";
        /** Both the call's end and the outcome (or the closed Talk task) are in. */
        public static final String TALK_OVER = "Gateway_TalkOver";

        public static final String END_CALL_ENDED = "EndEvent_CallEnded";
        public static final String END_TALKED = "EndEvent_CallEndedOutcomeRecorded";
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
        /** The call's outcome was recorded through the API: the Talk task, if open, is closed. */
        public static final String OUTCOME_RECORDED = "OutcomeRecorded";
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

        /** The Talk task's form: the call status's name (its select's value), unless a pledge was taken. */
        public static final ProcessVariable<String> CALL_STATUS = ProcessVariable.string("callStatus");
        /** The Talk task's form: the agent's note for the lead's history. */
        public static final ProcessVariable<String> NOTE = ProcessVariable.string("note");
        /** The Talk task's form: the donor pledged on this call (the outcome is then PLEDGE). */
        public static final ProcessVariable<Boolean> PLEDGE_TAKEN = ProcessVariable.bool("pledgeTaken");
        /**
         * Who completed the Talk task: its assignee, set as a transient variable by the task's complete listener
         * after the form's values, so that a form cannot name someone else. Never stored.
         */
        public static final ProcessVariable<String> TALKED_BY = ProcessVariable.string("talkedBy");

        /**
         * The Talk task's form, shown with the outcome Call back: when to call back, a local date-time
         * ({@code 2027-03-28T14:30}) in {@link #CALLBACK_TIME_ZONE}.
         */
        public static final ProcessVariable<String> CALLBACK_DUE_AT = ProcessVariable.string("callbackDueAt");
        /** The Talk task's form, with Call back: the callback's time zone (blank: the lead's). */
        public static final ProcessVariable<String> CALLBACK_TIME_ZONE = ProcessVariable.string("callbackTimeZone");
        /** The Talk task's form, with Call back: why, for whoever calls back. */
        public static final ProcessVariable<String> CALLBACK_REASON = ProcessVariable.string("callbackReason");
        /** The Talk task's form, with Call back: {@code AGENT} (Call Back Agent) or {@code QUEUE} (Call Back Queue). */
        public static final ProcessVariable<String> CALLBACK_MODE = ProcessVariable.string("callbackMode");
        /** The Talk task's form, with Call back: the person asked for a time outside the campaign's calling hours. */
        public static final ProcessVariable<Boolean> CALLBACK_OVERRIDE_CALLING_HOURS =
                ProcessVariable.bool("callbackOverrideCallingHours");

        /** The Talk task form's callback fields: shown, and read, only with the outcome Call back. */
        public static final List<ProcessVariable<?>> CALLBACK_FORM = List.of(CALLBACK_DUE_AT, CALLBACK_TIME_ZONE,
                CALLBACK_REASON, CALLBACK_MODE, CALLBACK_OVERRIDE_CALLING_HOURS);

        /** The Talk task form's fields: what the record step reads and then removes. */
        public static final List<ProcessVariable<?>> TALK_FORM = List.of(CALL_STATUS, NOTE, PLEDGE_TAKEN,
                CALLBACK_DUE_AT, CALLBACK_TIME_ZONE, CALLBACK_REASON, CALLBACK_MODE, CALLBACK_OVERRIDE_CALLING_HOURS);

        public static final List<ProcessVariable<?>> ALL = List.of(CALL_ID, LEAD_ID, AGENT_ID, FAILURE, CALL_STATUS,
                NOTE, PLEDGE_TAKEN, CALLBACK_DUE_AT, CALLBACK_TIME_ZONE, CALLBACK_REASON, CALLBACK_MODE,
                CALLBACK_OVERRIDE_CALLING_HOURS, TALKED_BY);
    }

    /** The Camunda Forms of the model's user tasks ({@code camunda:formRef}). */
    public static final class Forms {
        private Forms() {
        }

        public static final String TALK_TO_DONOR = "talk-to-donor";
        public static final String TALK_TO_DONOR_RESOURCE = "forms/outbound-call/talk-to-donor.form";
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
        /** Records the outcome the agent gave in the Talk task's form. */
        public static final String RECORD_TALK_OUTCOME = "recordTalkOutcomeDelegate";
        /** The Talk task's complete listener: who completed it ({@link Variables#TALKED_BY}). */
        public static final String TALK_COMPLETED = "talkCompletedListener";
        /**
         * Reads from the call's row and the call's outcome: whether the call has ended, whether the agent must
         * talk (connected, no outcome yet), the Talk task's assignee and the donor's name.
         */
        public static final String CALL_FACTS = "outboundCallFacts";
    }
}
