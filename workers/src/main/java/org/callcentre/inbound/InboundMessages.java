package org.callcentre.inbound;

import org.callcentre.processes.engine.AsSystem;
import org.callcentre.processes.inbound.InboundCallProcess.Messages;
import org.camunda.bpm.engine.ProcessEngine;

/** Tells an inbound call's instance what its row now says, in the caller's transaction, as the system. */
public class InboundMessages {

    private final ProcessEngine engine;

    public InboundMessages(ProcessEngine engine) {
        this.engine = engine;
    }

    public void menuChoice(String processInstanceId) {
        AsSystem.correlate(engine, Messages.MENU_CHOICE, processInstanceId);
    }

    public void agentAssigned(String processInstanceId) {
        AsSystem.correlate(engine, Messages.AGENT_ASSIGNED, processInstanceId);
    }

    public void assignmentWithdrawn(String processInstanceId) {
        AsSystem.correlate(engine, Messages.ASSIGNMENT_WITHDRAWN, processInstanceId);
    }

    public void callerBridged(String processInstanceId) {
        AsSystem.correlate(engine, Messages.CALLER_BRIDGED, processInstanceId);
    }

    public void callbackRequested(String processInstanceId) {
        AsSystem.correlate(engine, Messages.CALLBACK_REQUESTED, processInstanceId);
    }

    public void callEnded(String processInstanceId) {
        AsSystem.correlate(engine, Messages.CALL_ENDED, processInstanceId);
    }
}
