package org.callcentre.app.dialler;

import org.callcentre.dialler.Leads;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Tests only: the {@link Leads} skeleton as a bean while the application defines none, so the app starts for the
 * tests that do not need a lead's view. As an auto-configuration it is considered after the application's own
 * beans, and steps aside once they include {@link Leads}.
 */
@AutoConfiguration
public class PendingLeadsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public Leads pendingLeads() {
        return new Leads();
    }
}
