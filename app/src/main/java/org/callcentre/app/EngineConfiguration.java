package org.callcentre.app;

import org.callcentre.processes.engine.EngineIndexes;
import org.callcentre.processes.engine.H2PlannerHints;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Plugins of the embedded engine (the starter applies every {@link ProcessEnginePlugin} bean). */
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
}
