package org.callcentre.dialler;

import java.time.Clock;
import java.util.List;

import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Call outcomes and the call-outcome decision, and the outbound-call model's Talk task beans (names as in
 * {@code OutboundCallProcess.Beans}).
 */
@Configuration(proxyBeanMethods = false)
public class CallOutcomeConfiguration {

    @Bean
    public CallOutcomes callOutcomes(JdbcTemplate jdbc, Clock clock, Leads leads, LeadLocks locks,
            OutboundCalls calls, DoNotCallList doNotCall, LeadHistory history, ProcessEngine engine,
            OutboundCallMessages messages, PlatformTransactionManager transactions, List<DiallerEvents> listeners) {
        return new CallOutcomes(jdbc, clock, leads, locks, calls, doNotCall, history, engine, messages, transactions,
                listeners);
    }

    @Bean
    public RecordTalkOutcomeDelegate recordTalkOutcomeDelegate(CallOutcomes outcomes, TalkFollowUp followUp) {
        return new RecordTalkOutcomeDelegate(outcomes, followUp);
    }

    @Bean
    public TalkCompletedListener talkCompletedListener(JdbcTemplate jdbc, OutboundCalls calls) {
        return new TalkCompletedListener(jdbc, calls);
    }
}
