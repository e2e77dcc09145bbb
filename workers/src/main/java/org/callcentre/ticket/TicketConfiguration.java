package org.callcentre.ticket;

import java.time.Clock;

import org.callcentre.user.CallCentreUsers;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Tickets: the groups that work them, and each user's own settings. */
@Configuration(proxyBeanMethods = false)
public class TicketConfiguration {

    @Bean
    public TicketGroups ticketGroups(JdbcTemplate jdbc, Clock clock, CallCentreUsers users, ProcessEngine engine) {
        return new TicketGroups(jdbc, clock, users, engine.getIdentityService());
    }

    @Bean
    public UserSettings userSettings(JdbcTemplate jdbc, Clock clock, CallCentreUsers users) {
        return new UserSettings(jdbc, clock, users);
    }
}
