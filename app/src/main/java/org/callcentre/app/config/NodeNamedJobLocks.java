package org.callcentre.app.config;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;

/**
 * The job executor locks jobs in the node's name ({@code camunda.bpm.generic-properties.properties.hostname}), so
 * {@code ACT_RU_JOB.LOCK_OWNER_} says which node holds a job: the jobs a dead node held wait for their locks to expire
 * (docs/cluster.md). The engine's own lock owner is a random id per start; it stays when no name is set. The engine
 * only writes the lock owner and never compares it, so two nodes given one name run as before.
 */
public class NodeNamedJobLocks extends AbstractProcessEnginePlugin {

    private final String node;

    public NodeNamedJobLocks(String node) {
        this.node = node;
    }

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        JobExecutor jobExecutor = configuration.getJobExecutor();
        if (node != null && !node.isBlank() && jobExecutor != null) {
            jobExecutor.setLockOwner(node);
        }
    }
}
