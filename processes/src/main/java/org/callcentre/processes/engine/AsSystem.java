package org.callcentre.processes.engine;

import java.util.concurrent.Callable;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * Runs engine calls as the system, inside the caller's transaction: for what the application decides by its own
 * rules (a message to an instance whose row it just changed, a decision table, a group lookup), not by a right of
 * the user whose request is being served, who may hold no permission on that instance.
 */
public final class AsSystem {

    private AsSystem() {
    }

    public static <T> T call(ProcessEngine engine, Callable<T> work) {
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        return configuration.getCommandExecutorTxRequired().execute(context -> context.runWithoutAuthorization(work));
    }

    /**
     * Correlates a message to one instance; the caller changed the instance's row first, in this transaction, so an
     * instance that does not wait for the message is a contradiction and the engine's exception undoes the change.
     */
    public static void correlate(ProcessEngine engine, String message, String processInstanceId) {
        call(engine, () -> engine.getRuntimeService().createMessageCorrelation(message)
                .processInstanceId(processInstanceId).correlateWithResult());
    }
}
