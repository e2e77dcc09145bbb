package org.callcentre.ticket;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How contacts other than mail become tickets: the public web form, voicemail, and photos by message. */
@Configuration(proxyBeanMethods = false)
public class TicketIntakeConfiguration {

    @Bean
    public TicketWebForm ticketWebForm(Tickets tickets, TicketGroups groups) {
        return new TicketWebForm(tickets, groups);
    }
}
