package org.callcentre.ticket;

import java.time.Clock;

import org.callcentre.user.CallCentreUsers;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Tickets: the groups that work them. */
@Configuration(proxyBeanMethods = false)
public class TicketConfiguration {

    @Bean
    public TicketGroups ticketGroups(JdbcTemplate jdbc, Clock clock, CallCentreUsers users, ProcessEngine engine) {
        return new TicketGroups(jdbc, clock, users, engine.getIdentityService());
    }
}
