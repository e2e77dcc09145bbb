package org.callcentre.dialler;

import java.time.Clock;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
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

    /** The call lists: after every other tier ({@link NextLeadTier#CALL_LISTS}). */
    @Bean
    @Order(NextLeadTier.CALL_LISTS)
    public TeamCallListTier teamCallListTier(JdbcTemplate jdbc, LeadLocks locks, LeadHistory history) {
        return new TeamCallListTier(jdbc, locks, history);
    }

    /** The tiers in their {@code @Order}: due callbacks first, then the call lists. */
    @Bean
    public NextLeadQuery nextLeadQuery(List<NextLeadTier> tiers, LeadLocks locks,
            PlatformTransactionManager transactions) {
        return new NextLeadQuery(tiers, locks, transactions);
    }
}
