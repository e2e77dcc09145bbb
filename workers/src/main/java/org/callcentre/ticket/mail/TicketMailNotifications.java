package org.callcentre.ticket.mail;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.callcentre.ticket.Ticket;
import org.callcentre.ticket.TicketEvents;
import org.callcentre.ticket.TicketGroup;
import org.callcentre.ticket.TicketGroups;
import org.callcentre.ticket.Tickets;
import org.callcentre.ticket.UserSettings;
import org.callcentre.ticket.mail.TicketMailSender.Outgoing;
import org.callcentre.user.CallCentreUser;
import org.callcentre.user.CallCentreUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Emails about tickets, sent once the change has committed and off the thread that made it (a webhook or a poll does
 * not wait for the mail server): the owner of a ticket the end-user updated, always; and each member of Donations
 * whose settings name the day (in {@code tickets.time-zone}) a new Donations ticket was opened. A mail that cannot
 * be sent is logged with the ticket and the user; the ticket is never undone. The mails carry
 * {@code Auto-Submitted: auto-generated}, so auto-responders leave them be.
 */
public class TicketMailNotifications implements AutoCloseable {

    /** The group whose new tickets its members may be told of, on the days they choose. */
    public static final String DONATIONS = "Donations";
    private static final Logger log = LoggerFactory.getLogger(TicketMailNotifications.class);
    private static final int EXCERPT = 2000;

    private final Tickets tickets;
    private final TicketGroups groups;
    private final UserSettings settings;
    private final CallCentreUsers users;
    private final TicketMailSender sender;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate reading;
    private final ZoneId zone;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ticket-mail-notifications");
        thread.setDaemon(true);
        return thread;
    });

    public TicketMailNotifications(Tickets tickets, TicketGroups groups, UserSettings settings, CallCentreUsers users,
            TicketMailSender sender, JdbcTemplate jdbc, PlatformTransactionManager transactions, ZoneId zone) {
        this.tickets = tickets;
        this.groups = groups;
        this.settings = settings;
        this.users = users;
        this.sender = sender;
        this.jdbc = jdbc;
        this.reading = new TransactionTemplate(transactions);
        this.reading.setReadOnly(true);
        this.zone = zone;
    }

    @TransactionalEventListener
    public void endUserUpdated(TicketEvents.EndUserUpdated updated) {
        if (updated.ownerUserId() != null) {
            later(updated.number(), () -> tellOwner(updated.number(), updated.ownerUserId()));
        }
    }

    @TransactionalEventListener
    public void opened(TicketEvents.Opened opened) {
        if (DONATIONS.equals(opened.groupKey())) {
            later(opened.number(), () -> tellDonations(opened.number()));
        }
    }

    private void tellOwner(long number, String owner) {
        Ticket ticket = reading.execute(status -> tickets.ticket(number)).orElseThrow();
        String latest = reading.execute(status -> latestFromEndUser(number));
        String subject = MailHtml.marker(number) + " " + ticket.endUser().displayName() + " wrote: "
                + ticket.title();
        String text = "The end-user " + ticket.endUser().displayName() + " updated ticket " + number + " ("
                + ticket.groupKey() + ": " + ticket.title() + "), which you own. It now needs contact.\n\n"
                + (latest == null ? "" : latest);
        mail(ticket, owner, subject, text, "the owner");
    }

    private void tellDonations(long number) {
        Ticket ticket = reading.execute(status -> tickets.ticket(number)).orElseThrow();
        DayOfWeek day = ticket.createdAt().atZone(zone).getDayOfWeek();
        List<String> members = reading.execute(status -> groups.group(DONATIONS).map(TicketGroup::members)
                .orElse(List.of()));
        String subject = MailHtml.marker(number) + " New Donations ticket: " + ticket.title();
        String text = "A new ticket in Donations: " + ticket.title() + ", from " + ticket.endUser().displayName()
                + ".\n\nAnyone in Donations can take it.";
        for (String member : members) {
            boolean wanted = reading.execute(status -> settings.of(member).donationsNotificationDays().contains(day));
            if (wanted) {
                mail(ticket, member, subject, text, "a Donations member");
            }
        }
    }

    private void mail(Ticket ticket, String userId, String subject, String text, String who) {
        Optional<CallCentreUser> user = users.user(userId).filter(CallCentreUser::active);
        String to = user.map(CallCentreUser::email).filter(address -> !address.isBlank()).orElse(null);
        if (to == null) {
            log.warn("Ticket {}: {} {} has no email address; not told", ticket.number(), who, userId);
            return;
        }
        try {
            var from = sender.from(ticket.groupKey());
            sender.send(new Outgoing(from, to, subject, text, null, TicketMailSender.messageId(ticket.number(), from),
                    null, true));
        } catch (RuntimeException notSent) {
            log.warn("Ticket {}: the email to {} {} was not sent: {}", ticket.number(), who, userId,
                    notSent.getMessage());
        }
    }

    /** The end-user's last contact: its subject and the start of its text. */
    private String latestFromEndUser(long number) {
        return jdbc.query("select subject, body_text from ticket_message where ticket_id = ? and direction = 'IN' "
                + "order by created_at desc, id desc fetch first 1 rows only", (rs, n) -> {
                    String subject = rs.getString("subject");
                    String body = rs.getString("body_text");
                    String excerpt = body == null ? "" : body.length() <= EXCERPT ? body
                            : body.substring(0, EXCERPT) + "…";
                    return (subject == null ? "" : subject + "\n\n") + excerpt;
                }, number).stream().findFirst().orElse(null);
    }

    private void later(long number, Runnable notification) {
        try {
            executor.execute(() -> {
                try {
                    notification.run();
                } catch (RuntimeException failed) {
                    log.warn("Ticket {}: a notification failed: {}", number, failed.toString());
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            log.warn("Ticket {}: a notification was not sent, the app is stopping", number);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
