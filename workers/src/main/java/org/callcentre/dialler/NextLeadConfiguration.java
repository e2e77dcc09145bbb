package org.callcentre.dialler;

import java.time.Clock;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Next Lead and the agents' locks on leads. */
@Configuration
public class NextLeadConfiguration {

    @Bean
    public LeadLocks leadLocks(JdbcTemplate jdbc, Clock clock, DiallerProperties properties, LeadHistory history,
            PlatformTransactionManager transactions) {
        return new LeadLocks(jdbc, clock, properties, history, transactions);
    }

    /** The tiers in Next Lead's order; due callbacks, when they exist, go first. */
    @Bean
    public NextLeadQuery nextLeadQuery(JdbcTemplate jdbc, LeadLocks locks, LeadHistory history,
            PlatformTransactionManager transactions) {
        return new NextLeadQuery(List.of(new TeamCallListTier(jdbc, locks, history)), locks, transactions);
    }
}
