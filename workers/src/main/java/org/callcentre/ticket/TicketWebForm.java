package org.callcentre.ticket;

import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.unprocessable;

import java.util.ArrayList;
import java.util.List;

import org.callcentre.ticket.Ticket.Origin;
import org.callcentre.ticket.Tickets.Incoming;

/**
 * The public web form: what an end-user writes there becomes a contact of a public group, filed as every contact is
 * ({@link Tickets#receive}: appended to their open ticket of the group, or a new ticket). Everything is checked
 * before anything is written, so bad input creates nothing.
 */
public class TicketWebForm {

    public static final int MAX_SUBJECT = 200;
    public static final int MAX_MESSAGE = 10_000;

    /** What the form sends; {@code phone} is optional. */
    public record Submission(String group, String name, String email, String phone, String subject, String message) {
    }

    private final Tickets tickets;
    private final TicketGroups groups;

    public TicketWebForm(Tickets tickets, TicketGroups groups) {
        this.tickets = tickets;
        this.groups = groups;
    }

    /** The groups the form offers, by name. */
    public List<TicketGroup> publicGroups() {
        return groups.all().stream().filter(TicketGroup::publicGroup).toList();
    }

    /** Files the submission, in the caller's transaction. */
    public Tickets.Received submit(Submission submission) {
        List<String> missing = new ArrayList<>();
        for (String[] field : new String[][] {{"group", submission.group()}, {"name", submission.name()},
            {"email", submission.email()}, {"subject", submission.subject()}, {"message", submission.message()}}) {
            if (field[1] == null || field[1].isBlank()) {
                missing.add(field[0]);
            }
        }
        if (!missing.isEmpty()) {
            throw invalid(String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " required");
        }
        String subject = plain(submission.subject()).strip();
        String message = plain(submission.message()).strip();
        if (subject.length() > MAX_SUBJECT) {
            throw invalid("subject is at most " + MAX_SUBJECT + " characters");
        }
        if (message.length() > MAX_MESSAGE) {
            throw invalid("message is at most " + MAX_MESSAGE + " characters");
        }
        EndUser endUser = EndUser.of(plain(submission.name()), submission.email(), submission.phone(),
                tickets.properties().phoneRegion());
        String key = submission.group().strip();
        TicketGroup group = groups.group(key).filter(TicketGroup::publicGroup)
                .orElseThrow(() -> unprocessable("there is no group " + key + " on the web form; its groups are "
                        + String.join(", ", publicGroups().stream().map(TicketGroup::key).toList())));
        return tickets.receive(new Incoming(group.key(), endUser, Origin.WEB_FORM, subject, message, null,
                endUser.email(), null, null, null, null, List.of()));
    }

    /** Text as typed: control characters other than tabs and line breaks are dropped (a database refuses NUL). */
    private static String plain(String text) {
        StringBuilder kept = new StringBuilder(text.length());
        text.codePoints().filter(c -> c == '\t' || c == '\n' || c == '\r' || !Character.isISOControl(c))
                .forEach(kept::appendCodePoint);
        return kept.toString();
    }
}
