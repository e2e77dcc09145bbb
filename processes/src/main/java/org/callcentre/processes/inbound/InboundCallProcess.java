package org.callcentre.processes.inbound;

import java.util.List;

import org.callcentre.processes.ProcessVariable;

/**
 * Everything code and tests need to know about {@code bpmn/inbound-call.bpmn}: one call to an inbound number, from
 * the IVR menu through the team's queue to an agent, a callback request or a hang-up, or to a ticket group's
 * voicemail. The business key is the
 * call's id (its row in {@code inbound_call}), and that row is the truth: each webhook writes there first and then
 * tells the instance; the gateways read the row ({@code inboundFacts}), never a variable.
 */
public final class InboundCallProcess {

    private InboundCallProcess() {
    }

    public static final String PROCESS_KEY = "inbound-call";

    /** Element ids. */
    public static final class Elements {
        private Elements() {
        }

        public static final String START = "StartEvent_CallReceived";
        public static final String IN_MENU = "Gateway_InMenu";
        public static final String MENU_CHOICE = "Catch_MenuChoice";
        public static final String ROUTE_CHOICE = "Task_RouteChoice";
        public static final String ENQUEUE = "Task_Enqueue";
        public static final String ROUTE_TO_GROUP = "Task_RouteToGroup";
        public static final String IN_QUEUE = "Gateway_InQueue";
        public static final String AGENT_ASSIGNED = "Catch_AgentAssigned";
        public static final String CONNECTING = "Gateway_Connecting";
        public static final String CALLER_BRIDGED = "Catch_CallerBridged";
        public static final String RECORD_SERVED = "Task_RecordServed";
        public static final String SERVED_CALL_ENDED = "Catch_ServedCallEnded";
        public static final String RECORD_CALL_ENDED = "Task_RecordCallEnded";
        public static final String ASSIGNMENT_WITHDRAWN = "Catch_AssignmentWithdrawn";
        public static final String CONNECTING_CALL_ENDED = "Catch_ConnectingCallEnded";
        public static final String CALLBACK_REQUESTED = "Catch_CallbackRequested";
        public static final String REQUEST_CALLBACK = "Task_RequestCallback";
        public static final String QUEUE_CALL_ENDED = "Catch_QueueCallEnded";
        public static final String RECORD_LOST = "Task_RecordLost";
        public static final String LOST_CALL_CALLBACK = "Task_LostCallCallback";
        public static final String MENU_CALL_ENDED = "Catch_MenuCallEnded";
        public static final String RECORD_ABANDONED = "Task_RecordAbandoned";

        public static final String END_SERVED = "EndEvent_Served";
        public static final String END_CALLBACK_REQUESTED = "EndEvent_CallbackRequested";
        public static final String END_LOST_CALLED_BACK = "EndEvent_LostCalledBack";
        public static final String END_LOST = "EndEvent_Lost";
        public static final String END_ABANDONED = "EndEvent_Abandoned";
        public static final String END_ROUTED_TO_GROUP = "EndEvent_RoutedToGroup";
    }

    /** Message names (the {@code name} of the BPMN message). */
    public static final class Messages {
        private Messages() {
        }

        /** The caller pressed a key in the menu, or gave no answer (the row holds the key, or none). */
        public static final String MENU_CHOICE = "InboundMenuChoice";
        /** An agent was chosen for the caller (the row names the agent). */
        public static final String AGENT_ASSIGNED = "InboundAgentAssigned";
        /** The caller could not be moved to the agent: back to waiting, place kept. */
        public static final String ASSIGNMENT_WITHDRAWN = "InboundAssignmentWithdrawn";
        /** The caller joined the agent's conference. */
        public static final String CALLER_BRIDGED = "InboundCallerBridged";
        /** The caller pressed the callback offer's key while queued. */
        public static final String CALLBACK_REQUESTED = "InboundCallbackRequested";
        /** Twilio reported the call ended (the caller hung up, or the conversation ended). */
        public static final String CALL_ENDED = "InboundCallEnded";
    }

    /** Where a menu choice leads ({@code inboundFacts.route}). */
    public enum Route {
        /** Into the team's queue. */
        QUEUE,
        /** A wrong key or no answer with tries left: the menu again. */
        ASK_AGAIN,
        /** To a ticket group: its voicemail, or the website form. */
        GROUP
    }

    /** Process variables: the id only. */
    public static final class Variables {
        private Variables() {
        }

        /** The call's id (also the business key). */
        public static final ProcessVariable<Long> INBOUND_CALL_ID = ProcessVariable.longValue("inboundCallId");

        public static final List<ProcessVariable<?>> ALL = List.of(INBOUND_CALL_ID);
    }

    /** Beans the model refers to. */
    public static final class Beans {
        private Beans() {
        }

        /** Reads the row: {@code route(execution)} (a {@link Route} name), {@code lostCallsBecomeCallbacks(execution)}. */
        public static final String FACTS = "inboundFacts";
        public static final String ROUTE_CHOICE = "routeMenuChoiceDelegate";
        public static final String ENQUEUE = "enqueueCallerDelegate";
        public static final String ROUTE_TO_GROUP = "routeCallerToGroupDelegate";
        public static final String RECORD_SERVED = "recordInboundServedDelegate";
        public static final String RECORD_ENDED = "recordInboundEndedDelegate";
        public static final String REQUEST_CALLBACK = "requestInboundCallbackDelegate";
        public static final String RECORD_LOST = "recordInboundLostDelegate";
        public static final String LOST_CALL_CALLBACK = "lostCallCallbackDelegate";
        public static final String RECORD_ABANDONED = "recordInboundAbandonedDelegate";
    }
}
