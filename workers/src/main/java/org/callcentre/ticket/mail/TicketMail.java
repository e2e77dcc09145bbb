package org.callcentre.ticket.mail;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.unavailable;
import static org.callcentre.problem.RefusedException.unprocessable;

import java.util.List;
import java.util.Map;

import org.callcentre.dialler.Caller;
import org.callcentre.problem.RefusedException;
import org.callcentre.ticket.Ticket;
import org.callcentre.ticket.Tickets;
import org.callcentre.ticket.mail.CannedResponses.CannedResponse;
import org.callcentre.ticket.mail.TicketMailSender.Outgoing;
import org.callcentre.user.CallCentreUser;
import org.callcentre.user.CallCentreUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import jakarta.mail.internet.InternetAddress;

/**
 * Mail from a ticket written by a user of its group, in the caller's transaction: a reply to the end-user, and a mail
 * to the ticket's owner. The rows are written first and the mail is sent last, so a mail server that refuses it
 * undoes the rows (a 503 refusal). The HTML is sanitised; a placeholder left in the subject or the text
 * ({@code [Enter dates]}) refuses the mail, naming each. The subject carries the ticket's marker
 * ({@code [Ticket #12]}) and the reply answers the end-user's last mail, so their answer threads back to the ticket.
 */
public class TicketMail {

    private static final Logger log = LoggerFactory.getLogger(TicketMail.class);
    static final int MAX_SUBJECT = 450;

    /** What a user writes; {@code cannedResponseId}'s subject and HTML fill in what is left out. */
    public record Draft(Long cannedResponseId, String subject, String html) {
    }

    /** Exactly what the end-user will see, and the placeholders still to be filled in. */
    public record Preview(String to, String from, String subject, String html, String text,
            List<String> placeholders) {
    }

    /** A mail sent: its row in the correspondence and its Message-ID. */
    public record Sent(long id, String to, String subject, String mailMessageId) {
    }

    private record Composed(String subject, String html, String text, String cannedTitle) {
    }

    private final Tickets tickets;
    private final CannedResponses canned;
    private final CallCentreUsers users;
    private final TicketMailSender sender;
    private final JdbcTemplate jdbc;

    public TicketMail(Tickets tickets, CannedResponses canned, CallCentreUsers users, TicketMailSender sender,
            JdbcTemplate jdbc) {
        this.tickets = tickets;
        this.canned = canned;
        this.users = users;
        this.sender = sender;
        this.jdbc = jdbc;
    }

    public Preview preview(Caller caller, long number, Draft draft) {
        Ticket ticket = tickets.readable(caller, number);
        String to = endUserAddress(ticket);
        Composed composed = compose(ticket, draft);
        return new Preview(to, sender.from(ticket.groupKey()).toUnicodeString(), composed.subject(), composed.html(),
                composed.text(), MailHtml.placeholders(composed.subject(), composed.text()));
    }

    /** Replies to the end-user: the ticket then waits on them. */
    public Sent reply(Caller caller, long number, Draft draft) {
        Ticket ticket = openTicket(caller, number);
        String to = endUserAddress(ticket);
        Composed composed = complete(compose(ticket, draft));
        InternetAddress from = sendable(ticket);
        String messageId = TicketMailSender.messageId(number, from);
        String inReplyTo = lastEndUserMail(number);
        long id = tickets.recordOutgoing(number, "OUT", Ticket.Origin.EMAIL.name(), caller.userId(), from.getAddress(),
                to, composed.subject(), composed.text(), composed.html(), messageId);
        tickets.answered(caller, number, "REPLY", "to " + to + ": " + composed.subject()
                + (composed.cannedTitle() == null ? "" : " (from the canned response " + composed.cannedTitle() + ")"));
        send(number, new Outgoing(from, to, composed.subject(), composed.text(), composed.html(), messageId,
                inReplyTo, false));
        return new Sent(id, to, composed.subject(), messageId);
    }

    /** Emails the ticket's owner, at the address of their user record. */
    public Sent emailOwner(Caller caller, long number, String subject, String html) {
        Ticket ticket = openTicket(caller, number);
        if (ticket.ownerUserId() == null) {
            throw unprocessable("ticket " + number + " has no owner to email");
        }
        String to = users.user(ticket.ownerUserId()).filter(CallCentreUser::active).map(CallCentreUser::email)
                .filter(address -> !address.isBlank())
                .orElseThrow(() -> unprocessable("the owner " + ticket.ownerUserId() + " has no email address"));
        Composed composed = complete(compose(ticket, new Draft(null, subject, html)));
        InternetAddress from = sendable(ticket);
        String messageId = TicketMailSender.messageId(number, from);
        long id = tickets.recordOutgoing(number, "OWNER", Ticket.Origin.EMAIL.name(), caller.userId(),
                from.getAddress(), to, composed.subject(), composed.text(), composed.html(), messageId);
        tickets.recordDone(caller, number, "OWNER_EMAIL", "to " + ticket.ownerUserId() + ": " + composed.subject());
        send(number, new Outgoing(from, to, composed.subject(), composed.text(), composed.html(), messageId, null,
                false));
        return new Sent(id, to, composed.subject(), messageId);
    }

    private Ticket openTicket(Caller caller, long number) {
        Ticket ticket = tickets.readable(caller, number);
        if (!ticket.status().open()) {
            throw conflict("ticket " + number + " is closed");
        }
        return ticket;
    }

    private static String endUserAddress(Ticket ticket) {
        if (ticket.endUser().email() == null) {
            throw unprocessable("the end-user of ticket " + ticket.number() + " has no email address: reach them by "
                    + "phone");
        }
        return ticket.endUser().email();
    }

    private Composed compose(Ticket ticket, Draft draft) {
        if (draft == null) {
            throw invalid("the body is {cannedResponseId?, subject, html}");
        }
        String subject = draft.subject();
        String html = draft.html();
        String cannedTitle = null;
        if (draft.cannedResponseId() != null) {
            CannedResponse response = canned.find(draft.cannedResponseId())
                    .filter(found -> found.groupKey().equals(ticket.groupKey()))
                    .orElseThrow(() -> unprocessable("the group " + ticket.groupKey() + " has no canned response "
                            + draft.cannedResponseId()));
            subject = subject == null || subject.isBlank() ? response.subject() : subject;
            html = html == null || html.isBlank() ? response.html() : html;
            cannedTitle = response.title();
        }
        subject = subject == null ? "" : subject.replaceAll("\\s+", " ").strip();
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT) {
            throw invalid("subject is required, at most " + MAX_SUBJECT + " characters");
        }
        if (html == null || html.isBlank() || html.length() > CannedResponses.MAX_HTML) {
            throw invalid("html is required, at most " + CannedResponses.MAX_HTML + " characters");
        }
        String clean = MailHtml.sanitise(html);
        if (!MailHtml.shows(clean)) {
            throw invalid("html shows nothing once sanitised (scripts, styles and event handlers are removed)");
        }
        String marker = MailHtml.marker(ticket.number());
        String marked = subject.contains(marker) ? subject : subject + " " + marker;
        return new Composed(marked, clean, MailHtml.text(clean), cannedTitle);
    }

    /** Refuses a mail with placeholders left in it, naming each. */
    private static Composed complete(Composed composed) {
        List<String> left = MailHtml.placeholders(composed.subject(), composed.text());
        if (!left.isEmpty()) {
            throw new RefusedException(RefusedException.Reason.UNPROCESSABLE, "replace the placeholder"
                    + (left.size() == 1 ? " " : "s ") + String.join(", ", left) + " before sending",
                    Map.of("placeholders", left));
        }
        return composed;
    }

    private InternetAddress sendable(Ticket ticket) {
        if (!sender.configured()) {
            throw unavailable("no mail server is configured (spring.mail.host): nothing was sent");
        }
        return sender.from(ticket.groupKey());
    }

    private void send(long number, Outgoing outgoing) {
        try {
            sender.send(outgoing);
        } catch (TicketMailSender.NotSent refused) {
            log.warn("Ticket {}: {}", number, refused.getMessage());
            throw unavailable("the mail server did not take the mail, so nothing was sent or recorded: try again "
                    + "later");
        }
    }

    /** The Message-ID of the end-user's last mail on the ticket, which a reply answers; null if they never wrote. */
    private String lastEndUserMail(long number) {
        return jdbc.queryForList("select mail_message_id from ticket_message where ticket_id = ? and direction = 'IN' "
                + "and mail_message_id is not null order by created_at desc, id desc fetch first 1 rows only",
                String.class, number).stream().findFirst().orElse(null);
    }
}
