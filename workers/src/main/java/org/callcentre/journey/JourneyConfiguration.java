package org.callcentre.journey;

import java.util.List;

import org.callcentre.dialler.LeadLocks;
import org.callcentre.dialler.OutboundCalls;
import org.callcentre.inbound.InboundCalls;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Journeys: one source per kind of activity, the customer's journey that collects them, and calls' journeys. */
@Configuration(proxyBeanMethods = false)
public class JourneyConfiguration {

    @Bean
    public InboundCallActivities inboundCallActivities(JdbcTemplate jdbc) {
        return new InboundCallActivities(jdbc);
    }

    @Bean
    public OutboundCallActivities outboundCallActivities(JdbcTemplate jdbc) {
        return new OutboundCallActivities(jdbc);
    }

    @Bean
    public CallbackActivities callbackActivities(JdbcTemplate jdbc) {
        return new CallbackActivities(jdbc);
    }

    /** Every {@link JourneySource} bean, whichever module declares it. */
    @Bean
    public CustomerJourneys customerJourneys(JdbcTemplate jdbc, List<JourneySource> sources, LeadLocks locks,
            InboundCalls inboundCalls) {
        return new CustomerJourneys(jdbc, sources, locks, inboundCalls);
    }

    @Bean
    public CallJourneys callJourneys(JdbcTemplate jdbc, OutboundCalls outboundCalls, InboundCalls inboundCalls,
            OutboundCallActivities outboundLinks, InboundCallActivities inboundLinks) {
        return new CallJourneys(jdbc, outboundCalls, inboundCalls, outboundLinks, inboundLinks);
    }
}
