package org.callcentre.app.security;

import java.util.List;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Who may see and set process variables: the engine's task and variable permissions, and the guard in front of its
 * two HTTP doors ({@code /engine-rest} and the webapps' engine API).
 */
@Configuration(proxyBeanMethods = false)
public class VariableAccessConfiguration {

    @Bean
    ProcessEnginePlugin engineAuthorizationSettings() {
        return new EngineAuthorizationSettings();
    }

    /**
     * Early in the chain, so that nothing reads a completion's body without the guard's size limit and the guard
     * does not depend on where the doors' own authentication filters run.
     */
    @Bean
    FilterRegistrationBean<ProcessVariableGuard> processVariableGuard(ObjectProvider<ProcessEngine> engine,
            @Value("${spring.jersey.application-path:/engine-rest}") String engineRestPath,
            @Value("${camunda.bpm.webapp.application-path:/camunda}") String webappPath) {
        String webappEngineApi = webappPath + "/api/engine";
        FilterRegistrationBean<ProcessVariableGuard> registration = new FilterRegistrationBean<>(
                new ProcessVariableGuard(new TaskForms(engine::getObject), engineRestPath, webappEngineApi + "/engine"));
        registration.addUrlPatterns(engineRestPath + "/*", webappEngineApi + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Late in the chain, after the doors' authentication: only a caller who got that far waits for a row lock. */
    @Bean
    FilterRegistrationBean<TaskCompletionLocks> taskCompletionLocks(JdbcTemplate jdbc,
            PlatformTransactionManager transactions, List<TaskCompletionLocks.ProcessRowLock> locks,
            @Value("${spring.jersey.application-path:/engine-rest}") String engineRestPath,
            @Value("${camunda.bpm.webapp.application-path:/camunda}") String webappPath) {
        String webappEngineApi = webappPath + "/api/engine";
        FilterRegistrationBean<TaskCompletionLocks> registration = new FilterRegistrationBean<>(
                new TaskCompletionLocks(jdbc, transactions, locks, engineRestPath, webappEngineApi + "/engine"));
        registration.addUrlPatterns(engineRestPath + "/*", webappEngineApi + "/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
        return registration;
    }
}
