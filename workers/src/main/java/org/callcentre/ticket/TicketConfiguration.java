package org.callcentre.ticket;

import java.time.Clock;

import org.callcentre.processes.ticket.TicketProcess.Beans;
import org.callcentre.user.CallCentreUsers;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Tickets: the groups that work them, each user's own settings, the tickets and the steps of their model. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TicketProperties.class)
public class TicketConfiguration {

    @Bean
    public TicketMessages ticketMessages(ProcessEngine engine) {
        return new TicketMessages(engine);
    }

    @Bean
    public Tickets tickets(JdbcTemplate jdbc, Clock clock, TicketGroups groups, CallCentreUsers users,
            TicketMessages messages, ApplicationEventPublisher events, TicketProperties properties,
            PlatformTransactionManager transactions) {
        return new Tickets(jdbc, clock, groups, users, messages, events, properties, transactions);
    }

    /** The customer's tickets in their journey. */
    @Bean
    public TicketActivities ticketActivities(JdbcTemplate jdbc) {
        return new TicketActivities(jdbc);
    }

    @Bean(Beans.FACTS)
    public TicketFacts ticketFacts(Tickets tickets) {
        return new TicketFacts(tickets);
    }

    @Bean(Beans.APPLY_TRIAGE)
    public TicketSteps.ApplyTriage applyTicketTriageDelegate(Tickets tickets) {
        return new TicketSteps.ApplyTriage(tickets);
    }

    @Bean(Beans.APPLY_WORK)
    public TicketSteps.ApplyWork applyTicketWorkDelegate(Tickets tickets) {
        return new TicketSteps.ApplyWork(tickets);
    }

    @Bean(Beans.WAIT_OVER)
    public TicketSteps.WaitOver ticketWaitOverDelegate(Tickets tickets) {
        return new TicketSteps.WaitOver(tickets);
    }

    @Bean(Beans.TASK_CREATED)
    public TicketSteps.TaskCreated ticketTaskCreatedListener(Tickets tickets, TicketGroups groups) {
        return new TicketSteps.TaskCreated(tickets, groups);
    }

    @Bean
    public TicketGroups ticketGroups(JdbcTemplate jdbc, Clock clock, CallCentreUsers users, ProcessEngine engine,
            ApplicationEventPublisher events) {
        return new TicketGroups(jdbc, clock, users, engine.getIdentityService(), events);
    }

    @Bean
    public UserSettings userSettings(JdbcTemplate jdbc, Clock clock, CallCentreUsers users) {
        return new UserSettings(jdbc, clock, users);
    }

    @Bean
    public TicketHome ticketHome(JdbcTemplate jdbc, Clock clock, TicketProperties properties) {
        return new TicketHome(jdbc, clock, properties);
    }
}
