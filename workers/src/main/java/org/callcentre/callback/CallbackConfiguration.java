package org.callcentre.callback;

import java.time.Clock;

import org.callcentre.dialler.AgentPhoneLine;
import org.callcentre.dialler.AgentPhones;
import org.callcentre.dialler.CampaignDialling;
import org.callcentre.dialler.DialRefusals;
import org.callcentre.dialler.DiallerFacts;
import org.callcentre.dialler.DiallingCompliance;
import org.callcentre.dialler.LeadHistory;
import org.callcentre.dialler.LeadLocks;
import org.callcentre.dialler.LeadReadiness;
import org.callcentre.dialler.NextLeadTier;
import org.callcentre.dialler.OutboundCallDesk;
import org.callcentre.dialler.OutboundCalls;
import org.callcentre.dialler.Teams;
import org.callcentre.processes.callback.CallbackProcess.Beans;
import org.callcentre.telephony.PublicUrls;
import org.callcentre.telephony.TwilioCalls;
import org.callcentre.user.CallCentreUsers;
import org.camunda.bpm.engine.ProcessEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Callbacks: the service, Next Lead's first tier, the callback of the Talk task's form, and the callback model's
 * beans (names as in {@code Beans}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CallbackProperties.class)
public class CallbackConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CallbackConfiguration.class);

    @Bean
    public CallbackMessages callbackMessages(ProcessEngine engine) {
        return new CallbackMessages(engine);
    }

    @Bean
    public Callbacks callbacks(JdbcTemplate jdbc, Clock clock, CallbackProperties properties,
            CallbackMessages messages, ProcessEngine engine, DiallerFacts facts, CampaignDialling dialling,
            Teams teams, CallCentreUsers users, LeadLocks locks, LeadReadiness readiness, LeadHistory history) {
        return new Callbacks(jdbc, clock, properties, messages, engine.getRuntimeService(), facts, dialling, teams,
                users, locks, readiness, history);
    }

    @Bean
    @Order(NextLeadTier.CALLBACKS)
    public CallbackTier callbackTier(JdbcTemplate jdbc, LeadLocks locks, LeadHistory history, Teams teams,
            CampaignDialling dialling) {
        return new CallbackTier(jdbc, locks, history, teams, dialling);
    }

    /** The callback asked for in the Talk task's form with the outcome Call back. */
    @Bean
    public CallbackFromTalk callbackFromTalk(Callbacks callbacks, OutboundCalls calls, ProcessEngine engine) {
        return new CallbackFromTalk(callbacks, calls, engine);
    }

    @Bean
    public CallbackUrls callbackUrls(PublicUrls urls) {
        return new CallbackUrls(urls);
    }

    /** Agent-first callback calls: the agent's device first, then the person. */
    @Bean
    public CallbackCalls callbackCalls(Callbacks callbacks, JdbcTemplate jdbc, DiallerFacts facts, LeadLocks locks,
            LeadHistory history, AgentPhones phones, AgentPhoneLine line, OutboundCalls calls, OutboundCallDesk desk,
            TwilioCalls twilio, CallbackUrls urls, CallCentreUsers users, DiallingCompliance compliance,
            DialRefusals refusals, Clock clock, PlatformTransactionManager transactions) {
        return new CallbackCalls(callbacks, jdbc, facts, locks, history, phones, line, calls, desk, twilio, urls,
                users, compliance, refusals, clock, transactions);
    }

    @Bean(Beans.FACTS)
    public CallbackFacts callbackFacts(Callbacks callbacks) {
        return new CallbackFacts(callbacks);
    }

    @Bean
    public CallbackWords callbackWords(JdbcTemplate jdbc) {
        return new CallbackWords(jdbc);
    }

    @Bean(Beans.MAKE_DUE)
    public CallbackSteps.MakeDue makeCallbackDueDelegate(Callbacks callbacks) {
        return new CallbackSteps.MakeDue(callbacks);
    }

    @Bean(Beans.OPEN_TO_TEAM)
    public CallbackSteps.OpenToTeam openCallbackToTeamDelegate(Callbacks callbacks) {
        return new CallbackSteps.OpenToTeam(callbacks);
    }

    @Bean(Beans.RECORD_GIVEN_UP)
    public CallbackSteps.RecordGivenUp recordCallbackGivenUpDelegate(Callbacks callbacks) {
        return new CallbackSteps.RecordGivenUp(callbacks);
    }

    @Bean(Beans.RECORD_NEGLECTED)
    public CallbackSteps.RecordNeglected recordCallbackNeglectedDelegate(Callbacks callbacks) {
        return new CallbackSteps.RecordNeglected(callbacks);
    }

    @Bean(Beans.TASK_CREATED)
    public CallbackSteps.TaskCreated callbackTaskCreatedListener(Callbacks callbacks, CallbackWords words) {
        return new CallbackSteps.TaskCreated(callbacks, words);
    }

    /** Teams written before teams were engine groups get theirs (each node does this; the result is the same). */
    @EventListener(ApplicationReadyEvent.class)
    public void teamGroups(ApplicationReadyEvent ready) {
        try {
            ready.getApplicationContext().getBean(Teams.class).syncEngineGroups();
        } catch (RuntimeException raced) {
            log.warn("Teams' engine groups could not be brought in step at start-up", raced);
        }
    }
}
