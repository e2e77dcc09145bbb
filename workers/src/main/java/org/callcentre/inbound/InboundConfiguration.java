package org.callcentre.inbound;

import java.time.Clock;

import org.callcentre.callback.CallbackCalls;
import org.callcentre.callback.Callbacks;
import org.callcentre.dialler.AgentPhones;
import org.callcentre.dialler.CallLists;
import org.callcentre.dialler.DiallerFacts;
import org.callcentre.dialler.LeadHistory;
import org.callcentre.dialler.LeadReadiness;
import org.callcentre.dialler.Teams;
import org.callcentre.processes.inbound.InboundCallProcess.Beans;
import org.callcentre.telephony.PublicUrls;
import org.callcentre.ticket.TicketGroups;
import org.callcentre.ticket.Tickets;
import org.callcentre.telephony.TwilioCalls;
import org.callcentre.user.CallCentreUsers;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/** Inbound calls: the numbers, the calls' rows, the queues' dispatch, and the inbound call model's beans. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InboundProperties.class)
public class InboundConfiguration {

    @Bean
    public InboundNumbers inboundNumbers(JdbcTemplate jdbc, Clock clock) {
        return new InboundNumbers(jdbc, clock);
    }

    @Bean
    public InboundCalls inboundCalls(JdbcTemplate jdbc, Clock clock) {
        return new InboundCalls(jdbc, clock);
    }

    @Bean
    public InboundUrls inboundUrls(PublicUrls urls) {
        return new InboundUrls(urls);
    }

    @Bean
    public InboundMessages inboundMessages(ProcessEngine engine) {
        return new InboundMessages(engine);
    }

    @Bean
    public CallerLeads callerLeads(JdbcTemplate jdbc, Clock clock, CallLists callLists, LeadReadiness readiness,
            LeadHistory history) {
        return new CallerLeads(jdbc, clock, callLists, readiness, history);
    }

    @Bean
    public AgentAvailability agentAvailability(JdbcTemplate jdbc, Clock clock, AgentPhones phones, Teams teams) {
        return new AgentAvailability(jdbc, clock, phones, teams);
    }

    /** Where queues are matched with agents after a commit: off the webhook's thread. */
    @Bean(destroyMethod = "shutdown")
    public ThreadPoolTaskExecutor inboundDispatchExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("inbound-dispatch-");
        executor.setCorePoolSize(2);
        executor.setMaxPoolSize(2);
        executor.setQueueCapacity(10_000);
        executor.setWaitForTasksToCompleteOnShutdown(false);
        executor.initialize();
        return executor;
    }

    @Bean
    public InboundDispatch inboundDispatch(InboundCalls calls, AgentAvailability agents, InboundMessages messages,
            TwilioCalls twilio, InboundUrls urls, PlatformTransactionManager transactions, JdbcTemplate jdbc,
            ThreadPoolTaskExecutor inboundDispatchExecutor, CallbackCalls callbackCalls, DiallerFacts facts,
            CallCentreUsers users, Clock clock) {
        return new InboundDispatch(calls, agents, messages, twilio, urls, transactions, jdbc, inboundDispatchExecutor,
                callbackCalls, facts, users, clock);
    }

    @Bean
    public InboundCallDesk inboundCallDesk(InboundCalls calls, InboundNumbers numbers, InboundMessages messages,
            InboundProperties properties, CallerLeads leads, Callbacks callbacks, AgentAvailability agents,
            InboundDispatch dispatch, LeadHistory history, ProcessEngine engine, JdbcTemplate jdbc, Clock clock,
            TicketGroups groups) {
        return new InboundCallDesk(calls, numbers, messages, properties, leads, callbacks, agents, dispatch, history,
                engine.getRuntimeService(), jdbc, clock, groups);
    }

    @Bean
    public InboundVoicemails inboundVoicemails(InboundCalls calls, Tickets tickets, InboundNumbers numbers) {
        return new InboundVoicemails(calls, tickets, numbers);
    }

    @Bean(Beans.ROUTE_TO_GROUP)
    public InboundSteps routeCallerToGroupDelegate(InboundCallDesk desk) {
        return InboundSteps.routeToGroup(desk);
    }

    @Bean
    public InboundCallStatusListener inboundCallStatusListener(InboundCalls calls, InboundCallDesk desk,
            PlatformTransactionManager transactions) {
        return new InboundCallStatusListener(calls, desk, transactions);
    }

    @Bean(Beans.FACTS)
    public InboundFacts inboundFacts(InboundCalls calls, InboundNumbers numbers) {
        return new InboundFacts(calls, numbers);
    }

    @Bean(Beans.ROUTE_CHOICE)
    public InboundSteps routeMenuChoiceDelegate(InboundCallDesk desk) {
        return InboundSteps.routeChoice(desk);
    }

    @Bean(Beans.ENQUEUE)
    public InboundSteps enqueueCallerDelegate(InboundCallDesk desk) {
        return InboundSteps.enqueue(desk);
    }

    @Bean(Beans.RECORD_SERVED)
    public InboundSteps recordInboundServedDelegate(InboundCallDesk desk) {
        return InboundSteps.recordServed(desk);
    }

    @Bean(Beans.RECORD_ENDED)
    public InboundSteps recordInboundEndedDelegate(InboundCallDesk desk) {
        return InboundSteps.recordEnded(desk);
    }

    @Bean(Beans.REQUEST_CALLBACK)
    public InboundSteps requestInboundCallbackDelegate(InboundCallDesk desk) {
        return InboundSteps.requestCallback(desk);
    }

    @Bean(Beans.RECORD_LOST)
    public InboundSteps recordInboundLostDelegate(InboundCallDesk desk) {
        return InboundSteps.recordLost(desk);
    }

    @Bean(Beans.LOST_CALL_CALLBACK)
    public InboundSteps lostCallCallbackDelegate(InboundCallDesk desk) {
        return InboundSteps.lostCallCallback(desk);
    }

    @Bean(Beans.RECORD_ABANDONED)
    public InboundSteps recordInboundAbandonedDelegate(InboundCallDesk desk) {
        return InboundSteps.recordAbandoned(desk);
    }
}
