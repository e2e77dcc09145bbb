package org.callcentre.dialler;

import java.util.List;

import java.time.Clock;

import org.callcentre.telephony.CallStatusLog;
import org.callcentre.telephony.PublicUrls;
import org.callcentre.telephony.TwilioCalls;
import org.callcentre.user.CallCentreUsers;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Outbound calls and agents' phones: the stores, the status listener, the adapter to the outbound-call model and the
 * model's delegates (bean names as in {@code OutboundCallProcess.Beans}).
 */
@Configuration
public class OutboundCallConfiguration {

    @Bean
    public OutboundCalls outboundCalls(JdbcTemplate jdbc, Clock clock, LeadHistory history) {
        return new OutboundCalls(jdbc, clock, history);
    }

    @Bean
    public AgentPhones agentPhones(JdbcTemplate jdbc, Clock clock) {
        return new AgentPhones(jdbc, clock);
    }

    @Bean
    public DiallerFacts diallerFacts(JdbcTemplate jdbc, CallCentreUsers users, CampaignDialling dialling,
            CallerIds callerIds, LeadLocks locks, Leads leads) {
        return new DiallerFacts(jdbc, users, dialling, callerIds, locks, leads);
    }

    @Bean
    public DiallerUrls diallerUrls(PublicUrls urls) {
        return new DiallerUrls(urls);
    }

    @Bean
    public OutboundCallMessages outboundCallMessages(RuntimeService runtime) {
        return new OutboundCallMessages(runtime);
    }

    @Bean
    public OutboundCallStatusListener outboundCallStatusListener(OutboundCalls calls, AgentPhones phones,
            OutboundCallMessages messages, PlatformTransactionManager transactions) {
        return new OutboundCallStatusListener(calls, phones, messages, transactions);
    }

    @Bean
    public OutboundCallDesk outboundCallDesk(OutboundCalls calls, AgentPhones phones, DiallerFacts facts,
            TwilioCalls twilio, RuntimeService runtime, Clock clock, PlatformTransactionManager transactions,
            List<DiallerEvents> listeners, DiallingCompliance compliance, DialRefusals refusals) {
        return new OutboundCallDesk(calls, phones, facts, twilio, runtime, clock, transactions, listeners, compliance,
                refusals);
    }

    @Bean
    public DiallingLists diallingLists(JdbcTemplate jdbc, Clock clock) {
        return new DiallingLists(jdbc, clock);
    }

    @Bean
    public DiallingCompliance diallingCompliance(JdbcTemplate jdbc, DiallingLists lists, CampaignDialling dialling) {
        return new DiallingCompliance(jdbc, lists, dialling);
    }

    @Bean
    public DialRefusals dialRefusals(JdbcTemplate jdbc, Clock clock, LeadHistory history,
            PlatformTransactionManager transactions) {
        return new DialRefusals(jdbc, clock, history, transactions);
    }

    @Bean
    public AgentPhoneLine agentPhoneLine(AgentPhones phones, DiallerFacts facts, TwilioCalls twilio,
            CallStatusLog log, DiallerUrls urls, @Value("${dialler.agent-caller-id:}") String agentCallerId,
            PlatformTransactionManager transactions) {
        return new AgentPhoneLine(phones, facts, twilio, log, urls, agentCallerId, transactions);
    }

    @Bean
    public ChooseCallerIdDelegate chooseCallerIdDelegate(OutboundCalls calls, DiallerFacts facts) {
        return new ChooseCallerIdDelegate(calls, facts);
    }

    @Bean
    public CreateCallDelegate createCallDelegate(OutboundCalls calls, DiallerFacts facts, TwilioCalls twilio,
            DiallerUrls urls, DiallingCompliance compliance, DialRefusals refusals) {
        return new CreateCallDelegate(calls, facts, twilio, urls, compliance, refusals);
    }

    @Bean
    public RecordCallFailedDelegate recordCallFailedDelegate(OutboundCalls calls, DiallerFacts facts) {
        return new RecordCallFailedDelegate(calls, facts);
    }

    @Bean
    public CatchUpCallStatusesDelegate catchUpCallStatusesDelegate(OutboundCalls calls, CallStatusLog log) {
        return new CatchUpCallStatusesDelegate(calls, log);
    }

    @Bean
    public ReconcileCallDelegate reconcileCallDelegate(OutboundCalls calls, CallStatusLog log, TwilioCalls twilio,
            Clock clock) {
        return new ReconcileCallDelegate(calls, log, twilio, clock);
    }

    @Bean
    public OutboundCallFacts outboundCallFacts(OutboundCalls calls, JdbcTemplate jdbc) {
        return new OutboundCallFacts(calls, jdbc);
    }
}
