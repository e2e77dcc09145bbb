package org.callcentre.user;

import java.time.Clock;

import org.camunda.bpm.engine.IdentityService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The call-centre users' store. */
@Configuration(proxyBeanMethods = false)
public class UserConfiguration {

    @Bean
    public CallCentreUsers callCentreUsers(IdentityService identity, JdbcTemplate jdbc,
            PlatformTransactionManager transactions, Clock clock) {
        return new CallCentreUsers(identity, jdbc, transactions, clock);
    }
}
