package org.callcentre.app;

import org.callcentre.app.config.NodeNamedJobLocks;
import org.callcentre.processes.Groups;
import org.callcentre.processes.engine.EngineIndexes;
import org.callcentre.processes.engine.H2PlannerHints;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Plugins of the embedded engine (the starter applies every {@link ProcessEnginePlugin} bean), and the beans the
 * models name in their expressions beside the delegates.
 */
@Configuration(proxyBeanMethods = false)
public class EngineConfiguration {

    @Bean
    ProcessEnginePlugin h2PlannerHints() {
        return new H2PlannerHints();
    }

    @Bean
    ProcessEnginePlugin engineIndexes() {
        return new EngineIndexes();
    }

    /** The models' candidate groups: {@code ${groups.agentAdmins}}. */
    @Bean(Groups.BEAN)
    Groups groups() {
        return new Groups();
    }

    /** Job locks in the node's name, so a job's lock says which node holds it. */
    @Bean
    ProcessEnginePlugin nodeNamedJobLocks(
            @Value("${camunda.bpm.generic-properties.properties.hostname:}") String node) {
        return new NodeNamedJobLocks(node);
    }
}
