package org.callcentre.dialler;

import java.time.Clock;

import org.camunda.bpm.engine.IdentityService;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** How the dialler is set up: campaigns' dialling rules and caller IDs, call lists and teams. */
@Configuration(proxyBeanMethods = false)
public class DiallerSetupConfiguration {

    @Bean
    public CampaignDialling campaignDialling(JdbcTemplate jdbc) {
        return new CampaignDialling(jdbc);
    }

    @Bean
    public CallerIds callerIds(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        return new CallerIds(jdbc, transactions, clock);
    }

    @Bean
    public CallLists callLists(JdbcTemplate jdbc, Clock clock) {
        return new CallLists(jdbc, clock);
    }

    @Bean
    public Teams teams(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock,
            IdentityService identity, ApplicationEventPublisher events) {
        return new Teams(jdbc, transactions, clock, identity, events);
    }
}
