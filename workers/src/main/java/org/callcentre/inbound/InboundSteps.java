package org.callcentre.inbound;

import java.util.function.ObjLongConsumer;

import org.callcentre.processes.inbound.InboundCallProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;

/** The inbound call model's service tasks; each hands the call's id to {@link InboundCallDesk}. */
public final class InboundSteps implements JavaDelegate {

    private final InboundCallDesk desk;
    private final ObjLongConsumer<InboundCallDesk> step;

    private InboundSteps(InboundCallDesk desk, ObjLongConsumer<InboundCallDesk> step) {
        this.desk = desk;
        this.step = step;
    }

    @Override
    public void execute(DelegateExecution execution) {
        step.accept(desk, Variables.INBOUND_CALL_ID.get(execution));
    }

    public static InboundSteps routeChoice(InboundCallDesk desk) {
        return new InboundSteps(desk, InboundCallDesk::route);
    }

    public static InboundSteps routeToGroup(InboundCallDesk desk) {
        return new InboundSteps(desk, InboundCallDesk::toGroup);
    }

    public static InboundSteps enqueue(InboundCallDesk desk) {
        return new InboundSteps(desk, InboundCallDesk::enqueue);
    }

    public static InboundSteps recordServed(InboundCallDesk desk) {
        return new InboundSteps(desk, InboundCallDesk::served);
    }

    public static InboundSteps recordEnded(InboundCallDesk desk) {
        return new InboundSteps(desk, InboundCallDesk::servedCallEnded);
    }

    public static InboundSteps requestCallback(InboundCallDesk desk) {
        return new InboundSteps(desk, InboundCallDesk::requestCallback);
    }

    public static InboundSteps recordLost(InboundCallDesk desk) {
        return new InboundSteps(desk, InboundCallDesk::lost);
    }

    public static InboundSteps lostCallCallback(InboundCallDesk desk) {
        return new InboundSteps(desk, InboundCallDesk::lostCallCallback);
    }

    public static InboundSteps recordAbandoned(InboundCallDesk desk) {
        return new InboundSteps(desk, InboundCallDesk::abandoned);
    }
}
