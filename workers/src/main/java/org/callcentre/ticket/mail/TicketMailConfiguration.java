package org.callcentre.ticket.mail;

import java.time.Clock;
import java.time.ZoneId;

import org.callcentre.ticket.TicketGroups;
import org.callcentre.ticket.Tickets;
import org.callcentre.ticket.UserSettings;
import org.callcentre.user.CallCentreUsers;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.transaction.PlatformTransactionManager;

/** The tickets' mail: the mailbox read for new mail, the mail sent from tickets, canned responses, notifications. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TicketMailProperties.class)
public class TicketMailConfiguration {

    @Bean
    public TicketMailSender ticketMailSender(ObjectProvider<JavaMailSender> senders, TicketGroups groups,
            TicketMailProperties properties) {
        return new TicketMailSender(senders, groups, properties);
    }

    @Bean
    public CannedResponses cannedResponses(JdbcTemplate jdbc, Clock clock, TicketGroups groups, Tickets tickets) {
        return new CannedResponses(jdbc, clock, groups, tickets);
    }

    @Bean
    public TicketMail ticketMail(Tickets tickets, CannedResponses canned, CallCentreUsers users,
            TicketMailSender sender, JdbcTemplate jdbc) {
        return new TicketMail(tickets, canned, users, sender, jdbc);
    }

    @Bean(destroyMethod = "close")
    public TicketMailNotifications ticketMailNotifications(Tickets tickets, TicketGroups groups,
            UserSettings settings, CallCentreUsers users, TicketMailSender sender, JdbcTemplate jdbc,
            PlatformTransactionManager transactions, @Value("${tickets.time-zone:Europe/London}") ZoneId zone) {
        return new TicketMailNotifications(tickets, groups, settings, users, sender, jdbc, transactions, zone);
    }

    @Bean
    public MailFiling mailFiling(Tickets tickets, JdbcTemplate jdbc, Clock clock, TicketMailProperties properties) {
        return new MailFiling(tickets, jdbc, clock, properties);
    }

    /** Reads the mailbox only when one is configured ({@code tickets.mail.imap.host} set and not blank). */
    @Bean
    @ConditionalOnExpression("!'${tickets.mail.imap.host:}'.isBlank()")
    public MailIntake mailIntake(TicketMailProperties properties, MailFiling filing,
            PlatformTransactionManager transactions, Tickets tickets) {
        return new MailIntake(properties.imap(), filing, transactions, tickets.properties().maxAttachmentBytes());
    }
}
