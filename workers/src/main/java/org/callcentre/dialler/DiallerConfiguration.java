package org.callcentre.dialler;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The dialler's leads: the store, the CSV import and the do-not-call list. */
@Configuration(proxyBeanMethods = false)
public class DiallerConfiguration {

    @Bean
    public LeadReadiness leadReadiness(JdbcTemplate jdbc, Clock clock) {
        return new LeadReadiness(jdbc, clock);
    }

    @Bean
    public Leads leads(JdbcTemplate jdbc, Clock clock, DiallerProperties properties, LeadHistory history) {
        return new Leads(jdbc, clock, properties, history);
    }

    @Bean
    public LeadImport leadImport(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        return new LeadImport(jdbc, transactions, clock);
    }

    @Bean
    public DoNotCallList doNotCallList(JdbcTemplate jdbc, Clock clock, Leads leads) {
        return new DoNotCallList(jdbc, clock, leads);
    }
}
