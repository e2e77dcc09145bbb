package org.callcentre.processes.callback;

import java.util.List;

import org.callcentre.processes.ProcessVariable;

/**
 * Everything code and tests need to know about {@code bpmn/callback.bpmn}: one promise to call someone back, from
 * scheduling through its dormant wait, the moment it falls due (a Tasklist task and Next Lead's first tier) and the
 * calls that try to keep it, to its end. The business key is the callback's id (its row in {@code callback}), and
 * that row is the truth: the application writes every change there first and then tells the instance; the model's
 * timers, assignees and gateways read the row ({@code callbackFacts}), never a variable.
 */
public final class CallbackProcess {

    private CallbackProcess() {
    }

    public static final String PROCESS_KEY = "callback";

    /** Element ids. */
    public static final class Elements {
        private Elements() {
        }

        public static final String START = "StartEvent_CallbackScheduled";
        /** Where a new or rescheduled callback waits again. */
        public static final String DORMANT_AGAIN = "Gateway_Dormant";
        /** Dormant: the due time or a reschedule, whichever comes first. */
        public static final String AWAIT_DUE = "Gateway_AwaitDue";
        public static final String DUE_TIMER = "Timer_Due";
        public static final String RESCHEDULED_WHILE_DORMANT = "IntermediateCatchEvent_Rescheduled";
        public static final String MAKE_DUE = "Task_MakeDue";
        /** Due: the task for its owner or its team, until a call ends it, a reschedule, or an agent gives it up. */
        public static final String DUE = "SubProcess_Due";
        public static final String MODE = "Gateway_Mode";
        public static final String CALL_BACK_AGENT = "UserTask_CallBackAgent";
        public static final String OPEN_TO_TEAM_TIMER = "BoundaryEvent_OpenToTeam";
        public static final String OPEN_TO_TEAM = "Task_OpenToTeam";
        public static final String CALL_BACK_QUEUE = "UserTask_CallBackQueue";
        public static final String CALL_ENDED = "BoundaryEvent_CallEnded";
        public static final String RESCHEDULED_WHILE_DUE = "BoundaryEvent_Rescheduled";
        /** After a call: reached, try again, or no tries left. */
        public static final String RESULT = "Gateway_Result";
        public static final String RECORD_GIVEN_UP = "Task_RecordGivenUp";
        public static final String CALLER_SERVED = "StartEvent_CallerServed";
        public static final String RECORD_NEGLECTED = "Task_RecordNeglected";
        public static final String CANCELLED = "StartEvent_Cancelled";

        public static final String END_DONE = "EndEvent_Done";
        public static final String END_FAILED = "EndEvent_Failed";
        public static final String END_GIVEN_UP = "EndEvent_GivenUp";
        public static final String END_NEGLECTED = "EndEvent_Neglected";
        public static final String END_CANCELLED = "EndEvent_Cancelled";
    }

    /** Message names (the {@code name} of the BPMN message). */
    public static final class Messages {
        private Messages() {
        }

        /** The callback's number was served by another call: the callback is no longer needed (Neglected). */
        public static final String CALLER_SERVED = "CallerServed";
        /** Cancelled through the API (the row already says so). */
        public static final String CANCELLED = "CallbackCancelled";
        /** Its due time, mode or owner changed (the row already holds the new ones): dormant again. */
        public static final String RESCHEDULED = "CallbackRescheduled";
        /** A call that served it has its outcome; the row says what follows ({@link Result}). */
        public static final String CALL_ENDED = "CallbackCallEnded";
    }

    /** What follows a call that served the callback ({@code callbackFacts.result}). */
    public enum Result {
        /** The person was reached. */
        DONE,
        /** Not reached; the row holds the next due time. */
        RETRY,
        /** Not reached and no tries left, or the call failed for good. */
        FAILED
    }

    /** Process variables: the id only, and the give-up form's field. */
    public static final class Variables {
        private Variables() {
        }

        /** The callback's id (also the business key). */
        public static final ProcessVariable<Long> CALLBACK_ID = ProcessVariable.longValue("callbackId");
        /** The "Call back" task's form: why the callback cannot be kept. Read by the record step, then removed. */
        public static final ProcessVariable<String> GIVEN_UP_REASON = ProcessVariable.string("givenUpReason");

        public static final List<ProcessVariable<?>> ALL = List.of(CALLBACK_ID, GIVEN_UP_REASON);
    }

    /** The Camunda Form of the "Call back" tasks ({@code camunda:formRef}). */
    public static final class Forms {
        private Forms() {
        }

        public static final String CALL_BACK = "call-back";
        public static final String CALL_BACK_RESOURCE = "forms/callback/call-back.form";
    }

    /** Beans the model refers to. */
    public static final class Beans {
        private Beans() {
        }

        /**
         * Reads the callback's row: {@code dueAt(execution)} (a {@code java.util.Date}), {@code mode(execution)}
         * ({@code AGENT} or {@code QUEUE}), {@code owner(execution)} (user id), {@code teamGroup(execution)} (the
         * team's engine group), {@code openToTeamAfter(execution)} (an ISO-8601 duration) and
         * {@code result(execution)} (a {@link Result} name).
         */
        public static final String FACTS = "callbackFacts";
        /** Marks the callback due: Next Lead's first tier offers it from now on. */
        public static final String MAKE_DUE = "makeCallbackDueDelegate";
        /** An untouched Call Back Agent callback is opened to the owner's whole team. */
        public static final String OPEN_TO_TEAM = "openCallbackToTeamDelegate";
        /** The task was completed with a reason: the callback failed. */
        public static final String RECORD_GIVEN_UP = "recordCallbackGivenUpDelegate";
        /** Another call served the number: the callback ends as Neglected. */
        public static final String RECORD_NEGLECTED = "recordCallbackNeglectedDelegate";
        /** The task's create listener: names it ("Call back Jane Donor"), describes it and sets its due date. */
        public static final String TASK_CREATED = "callbackTaskCreatedListener";
    }
}
