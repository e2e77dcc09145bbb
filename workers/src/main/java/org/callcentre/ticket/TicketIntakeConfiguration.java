package org.callcentre.ticket;

import org.callcentre.telephony.TwilioProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How contacts other than mail become tickets: the public web form, voicemail, and photos by message. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TicketMessagingProperties.class)
public class TicketIntakeConfiguration {

    @Bean
    public TicketWebForm ticketWebForm(Tickets tickets, TicketGroups groups) {
        return new TicketWebForm(tickets, groups);
    }

    @Bean
    public TwilioMedia twilioMedia(TwilioProperties twilio) {
        return new TwilioMedia(twilio);
    }

    @Bean
    public TicketMessaging ticketMessaging(Tickets tickets, TwilioMedia media, TicketMessagingProperties properties) {
        return new TicketMessaging(tickets, media, properties);
    }
}
