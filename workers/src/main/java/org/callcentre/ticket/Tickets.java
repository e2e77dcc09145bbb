package org.callcentre.ticket;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.forbidden;
import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;
import static org.callcentre.problem.RefusedException.unprocessable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.callcentre.dialler.Caller;
import org.callcentre.ticket.Ticket.Origin;
import org.callcentre.user.CallCentreUser;
import org.callcentre.user.CallCentreUsers;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tickets, in the caller's transaction: the row first, then the ticket's instance is told ({@link TicketMessages}).
 *
 * <p>The one-open-ticket rule (one open ticket per end-user per group) is the database's: {@code open_email} and
 * {@code open_phone} hold an open ticket's end-user and are unique per group. A contact looks for the open ticket of
 * its end-user and appends to it; only when there is none does it insert one, inside a savepoint, and when a
 * concurrent contact inserted it first (the unique constraint refuses this one) it looks again and appends.
 */
public class Tickets {

    /** Who did it, in the history, when no user did (mail, the web form, Twilio, a timer). */
    public static final String SYSTEM = "system";
    private static final int INSERT_ATTEMPTS = 5;
    private static final int CLOSED_SHOWN = 100;

    /** A contact from an end-user: an email, the web form, a voicemail or a message. */
    public record Incoming(String groupKey, EndUser endUser, Origin channel, String subject, String text, String html,
            String fromAddress, String toAddress, String mailMessageId, String twilioSid, String recordingUrl,
            List<NewAttachment> attachments) {
    }

    /** A file that came with a contact. */
    public record NewAttachment(String fileName, String contentType, byte[] content) {
    }

    /** What a contact did: the ticket it opened or was appended to. */
    public record Received(long number, boolean opened) {
    }

    /** A change through the API or the ticket pages; a field left null is not changed (see {@code setOwner}). */
    public record Changes(boolean setOwner, String ownerUserId, String title, String nextAction, TicketStatus status,
            Instant waitUntil) {
    }

    /** One entry of correspondence. */
    public record Correspondence(long id, String direction, String channel, String fromAddress, String toAddress,
            String subject, String bodyText, String bodyHtml, String recordingUrl, String authorUserId,
            Instant createdAt) {
    }

    public record Note(long id, String authorUserId, String text, Instant createdAt) {
    }

    public record Attachment(long id, Long messageId, String fileName, String contentType, long sizeBytes,
            Instant createdAt, boolean deleted) {
    }

    public record HistoryEntry(Instant at, String actor, String kind, String detail) {
    }

    /** An attachment's content. */
    public record Content(String fileName, String contentType, byte[] bytes) {
    }

    /** The open tickets' sort keys ({@code -} before one sorts descending). */
    private static final Map<String, String> SORTS = Map.of("number", "t.id", "status", "t.status",
            "created", "t.created_at", "updated", "t.updated_at", "owner", "t.owner_user_id",
            "endUser", "coalesce(t.end_user_name, t.end_user_email, t.end_user_phone)", "title", "t.title");

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TicketGroups groups;
    private final CallCentreUsers users;
    private final TicketMessages messages;
    private final ApplicationEventPublisher events;
    private final TicketProperties properties;
    private final TransactionTemplate savepoint;

    public Tickets(JdbcTemplate jdbc, Clock clock, TicketGroups groups, CallCentreUsers users, TicketMessages messages,
            ApplicationEventPublisher events, TicketProperties properties, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.groups = groups;
        this.users = users;
        this.messages = messages;
        this.events = events;
        this.properties = properties;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    public TicketProperties properties() {
        return properties;
    }

    // ----- intake -------------------------------------------------------------------------------------------------

    /**
     * Files a contact: appended to the end-user's open ticket of the group (the one of the same address first, then
     * of the same number), or a new ticket. A ticket that waited on the end-user needs contact again; its owner is
     * told ({@link TicketEvents.EndUserUpdated}).
     */
    public Received receive(Incoming incoming) {
        TicketGroup group = groups.group(incoming.groupKey())
                .orElseThrow(() -> notFound("there is no group " + incoming.groupKey()));
        for (int attempt = 1; ; attempt++) {
            Optional<Ticket> open = lockOpen(group.key(), incoming.endUser());
            if (open.isPresent()) {
                append(open.get(), incoming);
                return new Received(open.get().number(), false);
            }
            try {
                long number = savepoint.execute(status -> insert(group, incoming.endUser(), title(incoming),
                        incoming.channel()));
                started(number, group.key(), SYSTEM, "opened by " + words(incoming.channel()));
                addMessage(number, incoming);
                return new Received(number, true);
            } catch (DuplicateKeyException | ConcurrencyFailureException taken) {
                // Another contact of the same end-user opened the ticket first: append to it.
                if (attempt == INSERT_ATTEMPTS) {
                    throw taken;
                }
            }
        }
    }

    /**
     * Files a contact that answers a given ticket (a reply threaded to its mail): appended to it while it is open;
     * once it is closed, filed in its group as a new contact ({@link #receive}).
     */
    public Received receiveOn(long number, Incoming incoming) {
        Ticket ticket = lockRow(number);
        if (!ticket.status().open()) {
            return receive(new Incoming(ticket.groupKey(), incoming.endUser(), incoming.channel(), incoming.subject(),
                    incoming.text(), incoming.html(), incoming.fromAddress(), incoming.toAddress(),
                    incoming.mailMessageId(), incoming.twilioSid(), incoming.recordingUrl(), incoming.attachments()));
        }
        append(ticket, incoming);
        return new Received(number, false);
    }

    /** A blank ticket made by a user of the group: refused when the end-user already has one open in it. */
    public long createBlank(Caller caller, String groupKey, String title, EndUser endUser) {
        TicketGroup group = groups.group(groupKey == null ? "" : groupKey)
                .orElseThrow(() -> unprocessable("there is no group " + groupKey));
        requireAccess(caller, group.key());
        String cleanTitle = title(title);
        lockOpen(group.key(), endUser).ifPresent(open -> {
            throw conflict("the end-user already has open ticket " + open.number() + " in " + group.key()
                    + ": add to it instead");
        });
        long number;
        try {
            number = savepoint.execute(status -> insert(group, endUser, cleanTitle, Origin.BLANK));
        } catch (DuplicateKeyException taken) {
            throw conflict("the end-user already has an open ticket in " + group.key() + ": add to it instead");
        }
        started(number, group.key(), caller.userId(), "created");
        return number;
    }

    // ----- reading ------------------------------------------------------------------------------------------------

    public Optional<Ticket> ticket(long number) {
        return jdbc.query("select * from ticket where id = ?", TICKET, number).stream().findFirst();
    }

    /** The ticket, if the caller may work its group. */
    public Ticket readable(Caller caller, long number) {
        Ticket ticket = ticket(number).orElseThrow(() -> notFound("there is no ticket " + number));
        requireAccess(caller, ticket.groupKey());
        return ticket;
    }

    public List<Correspondence> correspondence(long number) {
        return jdbc.query("select * from ticket_message where ticket_id = ? order by created_at, id",
                (rs, n) -> new Correspondence(rs.getLong("id"), rs.getString("direction"), rs.getString("channel"),
                        rs.getString("from_address"), rs.getString("to_address"), rs.getString("subject"),
                        rs.getString("body_text"), rs.getString("body_html"), rs.getString("recording_url"),
                        rs.getString("author_user_id"), instant(rs, "created_at")), number);
    }

    public List<Note> notes(long number) {
        return jdbc.query("select * from ticket_note where ticket_id = ? order by created_at, id",
                (rs, n) -> new Note(rs.getLong("id"), rs.getString("author_user_id"), rs.getString("text"),
                        instant(rs, "created_at")), number);
    }

    public List<Attachment> attachments(long number) {
        return jdbc.query("select id, message_id, file_name, content_type, size_bytes, created_at, deleted_at "
                + "from ticket_attachment where ticket_id = ? order by created_at, id",
                (rs, n) -> new Attachment(rs.getLong("id"), (Long) rs.getObject("message_id", Long.class),
                        rs.getString("file_name"), rs.getString("content_type"), rs.getLong("size_bytes"),
                        instant(rs, "created_at"), rs.getTimestamp("deleted_at") != null), number);
    }

    public List<HistoryEntry> history(long number) {
        return jdbc.query("select * from ticket_history where ticket_id = ? order by at, id",
                (rs, n) -> new HistoryEntry(instant(rs, "at"), rs.getString("actor"), rs.getString("kind"),
                        rs.getString("detail")), number);
    }

    /** An attachment's content; 404 once the ticket's close deleted it. */
    public Content content(Caller caller, long number, long attachmentId) {
        readable(caller, number);
        return jdbc.query("select file_name, content_type, content from ticket_attachment where id = ? and "
                + "ticket_id = ? and deleted_at is null", (rs, n) -> new Content(rs.getString("file_name"),
                        rs.getString("content_type"), rs.getBytes("content")), attachmentId, number)
                .stream().findFirst()
                .orElseThrow(() -> notFound("ticket " + number + " has no attachment " + attachmentId));
    }

    /**
     * The open tickets of a group, sorted by {@code sort} (number, status, created, updated, owner, endUser or
     * title; a leading {@code -} sorts descending; newest update first by default).
     */
    public List<Ticket> open(Caller caller, String groupKey, TicketStatus status, boolean mineAndUnassigned,
            String sort) {
        requireGroup(groupKey);
        requireAccess(caller, groupKey);
        if (status == TicketStatus.CLOSED) {
            throw invalid("status: the open tickets' statuses are NEED_TO_CONTACT, WAITING_ON_END_USER, "
                    + "WAITING_FOR_EVENT and COMPLETED; closed tickets are found with /tickets/closed");
        }
        String order = order(sort);
        List<Object> args = new ArrayList<>(List.of(groupKey));
        StringBuilder sql = new StringBuilder("select t.* from ticket t where t.group_key = ? and t.status <> 'CLOSED'");
        if (status != null) {
            sql.append(" and t.status = ?");
            args.add(status.name());
        }
        if (mineAndUnassigned) {
            sql.append(" and (t.owner_user_id is null or t.owner_user_id = ?)");
            args.add(caller.userId());
        }
        sql.append(" order by ").append(order).append(", t.id desc");
        return jdbc.query(sql.toString(), TICKET, args.toArray());
    }

    /** The last 100 closed tickets of a group, or those closed from {@code from} (inclusive) to {@code to}. */
    public List<Ticket> closed(Caller caller, String groupKey, Instant from, Instant to) {
        requireGroup(groupKey);
        requireAccess(caller, groupKey);
        if ((from == null) != (to == null)) {
            throw invalid("from and to go together: both for a date range, neither for the last " + CLOSED_SHOWN);
        }
        if (from != null) {
            if (!from.isBefore(to)) {
                throw invalid("from must be before to");
            }
            return jdbc.query("select * from ticket where group_key = ? and status = 'CLOSED' and closed_at >= ? "
                    + "and closed_at < ? order by closed_at desc, id desc", TICKET, groupKey, Timestamp.from(from),
                    Timestamp.from(to));
        }
        return jdbc.query("select * from ticket where group_key = ? and status = 'CLOSED' order by closed_at desc, "
                + "id desc fetch first " + CLOSED_SHOWN + " rows only", TICKET, groupKey);
    }

    // ----- working ------------------------------------------------------------------------------------------------

    /** Changes owner, title, next action, status or wait; refused on a closed ticket. */
    public Ticket change(Caller caller, long number, Changes changes) {
        Ticket ticket = lockOpenTicket(caller, number);
        List<String> said = new ArrayList<>();
        Instant now = clock.instant();
        if (changes.setOwner() && !java.util.Objects.equals(changes.ownerUserId(), ticket.ownerUserId())) {
            String owner = changes.ownerUserId();
            if (owner != null) {
                Optional<CallCentreUser> user = users.user(owner);
                if (user.isEmpty() || !user.get().active()) {
                    throw unprocessable("there is no active user " + owner);
                }
                if (!groups.of(owner).contains(ticket.groupKey())) {
                    throw unprocessable(owner + " is not in the group " + ticket.groupKey());
                }
            }
            jdbc.update("update ticket set owner_user_id = ? where id = ?", owner, number);
            history(number, caller.userId(), "OWNER", owner == null ? "no owner" : "owner " + owner);
            said.add("owner");
        }
        if (changes.title() != null && !changes.title().strip().equals(ticket.title())) {
            String title = title(changes.title());
            jdbc.update("update ticket set title = ? where id = ?", title, number);
            history(number, caller.userId(), "TITLE", title);
            said.add("title");
        }
        if (changes.nextAction() != null) {
            String next = changes.nextAction().strip();
            if (next.length() > 500) {
                throw invalid("nextAction is at most 500 characters");
            }
            if (!next.equals(ticket.nextAction() == null ? "" : ticket.nextAction())) {
                jdbc.update("update ticket set next_action = ? where id = ?", next.isEmpty() ? null : next, number);
                history(number, caller.userId(), "NEXT_ACTION", next.isEmpty() ? "none" : next);
                said.add("nextAction");
            }
        }
        TicketStatus status = changes.status() == null ? ticket.status() : changes.status();
        if (status == TicketStatus.CLOSED) {
            throw unprocessable("a ticket is closed with POST /api/tickets/" + number + "/close");
        }
        Instant waitUntil = changes.waitUntil();
        if (waitUntil != null && status != TicketStatus.WAITING_FOR_EVENT) {
            throw unprocessable("waitUntil goes with the status WAITING_FOR_EVENT");
        }
        if (status == TicketStatus.WAITING_FOR_EVENT) {
            Instant until = waitUntil != null ? waitUntil : ticket.waitUntil();
            // Only a new wait must end in the future: a ticket whose date has just passed (its timer about to fire)
            // still takes other changes.
            boolean newWait = until == null || !until.equals(ticket.waitUntil()) || status != ticket.status();
            if (newWait && (until == null || !until.isAfter(now))) {
                throw unprocessable("WAITING_FOR_EVENT needs a waitUntil in the future (an ISO instant)");
            }
            if (newWait) {
                jdbc.update("update ticket set status = ?, wait_until = ? where id = ?", status.name(),
                        Timestamp.from(until), number);
                history(number, caller.userId(), "STATUS", status.name() + " until " + until);
                said.add("status");
            }
        } else if (status != ticket.status()) {
            setStatus(number, status, caller.userId());
            said.add("status");
        }
        if (!said.isEmpty()) {
            touch(number);
            messages.changed(ticket.processInstanceId());
        }
        return ticket(number).orElseThrow();
    }

    public Note addNote(Caller caller, long number, String text) {
        Ticket ticket = readable(caller, number);
        if (text == null || text.isBlank() || text.strip().length() > 4000) {
            throw invalid("text is required, at most 4000 characters");
        }
        lockRow(ticket.number());
        Instant now = clock.instant();
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("insert into ticket_note (ticket_id, author_user_id, text, "
                    + "created_at) values (?, ?, ?, ?)", new String[] {"id"});
            statement.setLong(1, number);
            statement.setString(2, caller.userId());
            statement.setString(3, text.strip());
            statement.setTimestamp(4, Timestamp.from(now));
            return statement;
        }, key);
        history(number, caller.userId(), "NOTE", null);
        touch(number);
        return new Note(key.getKey().longValue(), caller.userId(), text.strip(), now);
    }

    /** Moves an open ticket to another group; refused when the end-user already has an open ticket there. */
    public Ticket move(Caller caller, long number, String targetKey) {
        Ticket ticket = lockOpenTicket(caller, number);
        TicketGroup target = groups.group(targetKey == null ? "" : targetKey)
                .orElseThrow(() -> unprocessable("there is no group " + targetKey));
        if (target.key().equals(ticket.groupKey())) {
            if (ticket.awaitingTriage()) {
                jdbc.update("update ticket set awaiting_triage = false where id = ?", number);
                history(number, caller.userId(), "TRIAGED", "kept in " + target.key());
                touch(number);
                messages.changed(ticket.processInstanceId());
                return ticket(number).orElseThrow();
            }
            throw conflict("ticket " + number + " is already in " + target.key());
        }
        lockOpen(target.key(), ticket.endUser()).ifPresent(other -> {
            throw conflict("the end-user already has open ticket " + other.number() + " in " + target.key()
                    + ": merge ticket " + number + " into it instead");
        });
        try {
            savepoint.executeWithoutResult(status -> jdbc.update("update ticket set group_key = ?, "
                    + "awaiting_triage = false, owner_user_id = null where id = ?", target.key(), number));
        } catch (DuplicateKeyException taken) {
            throw conflict("the end-user already has an open ticket in " + target.key() + ": merge ticket "
                    + number + " into it instead");
        }
        history(number, caller.userId(), "MOVED", ticket.groupKey() + " to " + target.key());
        touch(number);
        messages.changed(ticket.processInstanceId());
        return ticket(number).orElseThrow();
    }

    /**
     * Merges an open ticket into another open ticket (of any group): its correspondence, notes, attachments and
     * history move across, and it closes with a note that says where it went. Answers the ticket merged into, or the
     * merged one when the caller may not work the other's group.
     */
    public Ticket merge(Caller caller, long number, Long intoNumber) {
        if (intoNumber == null) {
            throw invalid("intoNumber is required: the open ticket to merge into");
        }
        if (intoNumber == number) {
            throw unprocessable("a ticket cannot be merged into itself");
        }
        // Both rows are locked at once, in number order, so two merges of the same pair cannot deadlock; which of
        // them is missing is told below (the ticket merged: not found; the one to merge into: unprocessable).
        jdbc.queryForList("select id from ticket where id in (?, ?) order by id for update", Long.class, number,
                intoNumber);
        Ticket ticket = lockOpenTicket(caller, number);
        Ticket into = ticket(intoNumber).orElseThrow(() -> unprocessable("there is no ticket " + intoNumber));
        if (!into.status().open()) {
            throw conflict("ticket " + intoNumber + " is closed: merge into an open ticket");
        }
        for (String table : List.of("ticket_message", "ticket_note", "ticket_attachment", "ticket_history")) {
            jdbc.update("update " + table + " set ticket_id = ? where ticket_id = ?", intoNumber, number);
        }
        Instant now = clock.instant();
        jdbc.update("update ticket set status = 'CLOSED', open_email = null, open_phone = null, closed_at = ?, "
                + "merged_into = ?, unanswered = 0, wait_until = null, updated_at = ? where id = ?",
                Timestamp.from(now), intoNumber, Timestamp.from(now), number);
        jdbc.update("update ticket set unanswered = unanswered + ? where id = ?", ticket.unanswered(), intoNumber);
        jdbc.update("insert into ticket_note (ticket_id, author_user_id, text, created_at) values (?, ?, ?, ?)",
                number, caller.userId(), "Merged into ticket " + intoNumber + ".", Timestamp.from(now));
        history(number, caller.userId(), "MERGED_INTO", "ticket " + intoNumber);
        history(intoNumber, caller.userId(), "MERGED_FROM", "ticket " + number + " (" + ticket.groupKey() + ": "
                + ticket.title() + ")");
        touch(intoNumber);
        messages.closed(ticket.processInstanceId());
        messages.changed(into.processInstanceId());
        // A ticket may be merged into another group's (triage finds the end-user's ticket there), but that ticket is
        // shown only to those who may work its group: the others get the merged ticket, which says where it went.
        return ticket(mayWork(caller, into.groupKey()) ? intoNumber : number).orElseThrow();
    }

    /** Closes an open ticket; its photos and other attachments are deleted. */
    public Ticket close(Caller caller, long number) {
        Ticket ticket = lockOpenTicket(caller, number);
        closeLocked(ticket, caller.userId());
        return ticket(number).orElseThrow();
    }

    /** Closes every completed ticket of the group; the numbers closed. */
    public List<Long> closeCompleted(Caller caller, String groupKey) {
        requireGroup(groupKey);
        requireAccess(caller, groupKey);
        List<Long> closed = new ArrayList<>();
        for (long number : jdbc.queryForList("select id from ticket where group_key = ? and status = 'COMPLETED' "
                + "order by id for update", Long.class, groupKey)) {
            closeLocked(ticket(number).orElseThrow(), caller.userId());
            closed.add(number);
        }
        return closed;
    }

    // ----- for the model's delegates and the mail ---------------------------------------------------------------

    /** The wait is over: the ticket needs contact again (called by the model's timer). */
    public void waitOver(long number) {
        Ticket ticket = lockRow(number);
        if (ticket.status() == TicketStatus.WAITING_FOR_EVENT) {
            jdbc.update("update ticket set wait_until = null where id = ?", number);
            setStatus(number, TicketStatus.NEED_TO_CONTACT, SYSTEM);
            touch(number);
        }
    }

    /** The work form's answer, from the completing user, without a message (the instance is already moving). */
    public void recordWork(Caller caller, long number, TicketStatus status, String nextAction) {
        Ticket ticket = lockOpenTicket(caller, number);
        if (status == null || status == TicketStatus.CLOSED || status == TicketStatus.WAITING_FOR_EVENT) {
            throw unprocessable("ticketStatus is NEED_TO_CONTACT, WAITING_ON_END_USER or COMPLETED");
        }
        if (status != ticket.status()) {
            setStatus(number, status, caller.userId());
        }
        if (nextAction != null && !nextAction.isBlank()) {
            if (nextAction.strip().length() > 500) {
                throw invalid("nextAction is at most 500 characters");
            }
            jdbc.update("update ticket set next_action = ? where id = ?", nextAction.strip(), number);
            history(number, caller.userId(), "NEXT_ACTION", nextAction.strip());
        }
        touch(number);
    }

    /** The triage form's answer, without a message (the instance is already moving). */
    public void recordTriage(Caller caller, long number, String targetKey) {
        Ticket ticket = lockOpenTicket(caller, number);
        TicketGroup target = groups.group(targetKey == null ? "" : targetKey)
                .orElseThrow(() -> unprocessable("there is no group " + targetKey));
        if (!target.key().equals(ticket.groupKey())) {
            lockOpen(target.key(), ticket.endUser()).ifPresent(other -> {
                throw conflict("the end-user already has open ticket " + other.number() + " in " + target.key()
                        + ": merge ticket " + number + " into it instead");
            });
            jdbc.update("update ticket set group_key = ?, owner_user_id = null where id = ?", target.key(), number);
            history(number, caller.userId(), "MOVED", ticket.groupKey() + " to " + target.key());
        } else {
            history(number, caller.userId(), "TRIAGED", "kept in " + target.key());
        }
        jdbc.update("update ticket set awaiting_triage = false where id = ?", number);
        touch(number);
    }

    /** Records a mail or message sent from the ticket (a reply to the end-user, a mail to the owner). */
    public long recordOutgoing(long number, String direction, String channel, String author, String from, String to,
            String subject, String text, String html, String mailMessageId) {
        KeyHolder key = new GeneratedKeyHolder();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("insert into ticket_message (ticket_id, direction, channel, "
                    + "from_address, to_address, subject, body_text, body_html, mail_message_id, author_user_id, "
                    + "created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
            statement.setLong(1, number);
            statement.setString(2, direction);
            statement.setString(3, channel);
            statement.setString(4, from);
            statement.setString(5, to);
            statement.setString(6, subject);
            statement.setString(7, text);
            statement.setString(8, html);
            statement.setString(9, mailMessageId);
            statement.setString(10, author);
            statement.setTimestamp(11, now);
            return statement;
        }, key);
        return key.getKey().longValue();
    }

    /** The ticket a mail with these Message-IDs (its In-Reply-To and References) answers, if any. */
    public Optional<Long> ticketOfMail(List<String> messageIds) {
        for (String id : messageIds) {
            List<Long> found = jdbc.queryForList("select ticket_id from ticket_message where mail_message_id = ? "
                    + "order by id fetch first 1 rows only", Long.class, id);
            if (!found.isEmpty()) {
                return Optional.of(found.get(0));
            }
        }
        return Optional.empty();
    }

    /** The end-user answered: after a reply, the ticket waits on nobody; the caller records what was sent. */
    public void answered(Caller caller, long number, String kind, String detail) {
        Ticket ticket = lockOpenTicket(caller, number);
        jdbc.update("update ticket set unanswered = 0 where id = ?", number);
        history(number, caller.userId(), kind, detail);
        if (ticket.status() != TicketStatus.WAITING_ON_END_USER) {
            jdbc.update("update ticket set wait_until = null where id = ?", number);
            setStatus(number, TicketStatus.WAITING_ON_END_USER, caller.userId());
        }
        touch(number);
        messages.changed(ticket.processInstanceId());
    }

    /** Records that something was done on the ticket (an email to its owner, say). */
    public void recordDone(Caller caller, long number, String kind, String detail) {
        lockOpenTicket(caller, number);
        history(number, caller.userId(), kind, detail);
        touch(number);
    }

    /** Whether the caller may work the group's tickets: its members, and Agent Admins and Admin Operations. */
    public boolean mayWork(Caller caller, String groupKey) {
        return !caller.isAgent() || groups.of(caller.userId()).contains(groupKey);
    }

    public void requireAccess(Caller caller, String groupKey) {
        if (!mayWork(caller, groupKey)) {
            throw forbidden("you are not in the group " + groupKey);
        }
    }

    // ----- inside -------------------------------------------------------------------------------------------------

    private long insert(TicketGroup group, EndUser endUser, String title, Origin origin) {
        Timestamp now = Timestamp.from(clock.instant());
        boolean triage = group.key().equals(properties.triageGroup());
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("insert into ticket (group_key, end_user_name, "
                    + "end_user_email, end_user_phone, title, status, awaiting_triage, origin, created_at, "
                    + "updated_at, open_email, open_phone) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    new String[] {"id"});
            statement.setString(1, group.key());
            statement.setString(2, endUser.name());
            statement.setString(3, endUser.email());
            statement.setString(4, endUser.phone());
            statement.setString(5, title);
            statement.setString(6, TicketStatus.NEED_TO_CONTACT.name());
            statement.setBoolean(7, triage);
            statement.setString(8, origin.name());
            statement.setTimestamp(9, now);
            statement.setTimestamp(10, now);
            statement.setString(11, endUser.email());
            statement.setString(12, endUser.phone());
            return statement;
        }, key);
        return key.getKey().longValue();
    }

    private void started(long number, String groupKey, String actor, String detail) {
        history(number, actor, "CREATED", detail);
        String instance = messages.started(number);
        jdbc.update("update ticket set process_instance_id = ? where id = ?", instance, number);
        events.publishEvent(new TicketEvents.Opened(number, groupKey));
    }

    private void append(Ticket ticket, Incoming incoming) {
        addMessage(ticket.number(), incoming);
        if (ticket.endUser().name() == null && incoming.endUser().name() != null) {
            jdbc.update("update ticket set end_user_name = ? where id = ?", incoming.endUser().name(),
                    ticket.number());
        }
        boolean changed = false;
        if (ticket.status() == TicketStatus.WAITING_ON_END_USER) {
            setStatus(ticket.number(), TicketStatus.NEED_TO_CONTACT, SYSTEM);
            changed = true;
        }
        touch(ticket.number());
        if (changed) {
            messages.changed(ticket.processInstanceId());
        }
        events.publishEvent(new TicketEvents.EndUserUpdated(ticket.number(), ticket.ownerUserId()));
    }

    private void addMessage(long number, Incoming incoming) {
        KeyHolder key = new GeneratedKeyHolder();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("insert into ticket_message (ticket_id, direction, channel, "
                    + "from_address, to_address, subject, body_text, body_html, mail_message_id, twilio_sid, "
                    + "recording_url, created_at) values (?, 'IN', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
            statement.setLong(1, number);
            statement.setString(2, incoming.channel().name());
            statement.setString(3, incoming.fromAddress());
            statement.setString(4, incoming.toAddress());
            statement.setString(5, truncate(incoming.subject(), 500));
            statement.setString(6, incoming.text());
            statement.setString(7, incoming.html());
            statement.setString(8, incoming.mailMessageId());
            statement.setString(9, incoming.twilioSid());
            statement.setString(10, incoming.recordingUrl());
            statement.setTimestamp(11, now);
            return statement;
        }, key);
        long messageId = key.getKey().longValue();
        jdbc.update("update ticket set unanswered = unanswered + 1 where id = ?", number);
        history(number, SYSTEM, "CONTACT", words(incoming.channel()) + (incoming.subject() == null ? ""
                : ": " + truncate(incoming.subject(), 200)));
        for (NewAttachment attachment : incoming.attachments() == null ? List.<NewAttachment>of()
                : incoming.attachments()) {
            String type = attachment.contentType() == null ? "" : attachment.contentType().toLowerCase(Locale.ROOT)
                    .split(";")[0].strip();
            String name = attachment.fileName() == null || attachment.fileName().isBlank() ? "attachment"
                    : truncate(attachment.fileName().strip(), 255);
            if (!properties.attachmentTypes().contains(type)) {
                history(number, SYSTEM, "ATTACHMENT_REFUSED", name + ": " + (type.isEmpty() ? "no type" : type)
                        + " is not kept");
            } else if (attachment.content().length > properties.maxAttachmentBytes()) {
                history(number, SYSTEM, "ATTACHMENT_REFUSED", name + ": larger than "
                        + properties.maxAttachmentBytes() + " bytes");
            } else {
                jdbc.update("insert into ticket_attachment (ticket_id, message_id, file_name, content_type, "
                        + "size_bytes, content, created_at) values (?, ?, ?, ?, ?, ?, ?)", number, messageId, name,
                        type, attachment.content().length, attachment.content(), now);
            }
        }
    }

    private void closeLocked(Ticket ticket, String actor) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("update ticket set status = 'CLOSED', open_email = null, open_phone = null, closed_at = ?, "
                + "wait_until = null, updated_at = ? where id = ?", now, now, ticket.number());
        int deleted = jdbc.update("update ticket_attachment set content = null, deleted_at = ? where ticket_id = ? "
                + "and deleted_at is null", now, ticket.number());
        history(ticket.number(), actor, "CLOSED", deleted == 0 ? null : deleted + " attachment(s) deleted");
        messages.closed(ticket.processInstanceId());
    }

    private void setStatus(long number, TicketStatus status, String actor) {
        jdbc.update("update ticket set status = ? where id = ?", status.name(), number);
        if (status != TicketStatus.WAITING_FOR_EVENT) {
            jdbc.update("update ticket set wait_until = null where id = ?", number);
        }
        history(number, actor, "STATUS", status.name());
    }

    /** The end-user's open ticket in the group, locked: the one of the same address first, then the same number. */
    private Optional<Ticket> lockOpen(String groupKey, EndUser endUser) {
        for (String[] key : new String[][] {{"open_email", endUser.email()}, {"open_phone", endUser.phone()}}) {
            if (key[1] != null) {
                List<Ticket> found = jdbc.query("select * from ticket where group_key = ? and " + key[0] + " = ? "
                        + "for update", TICKET, groupKey, key[1]);
                if (!found.isEmpty()) {
                    return Optional.of(found.get(0));
                }
            }
        }
        return Optional.empty();
    }

    private Ticket lockOpenTicket(Caller caller, long number) {
        Ticket ticket = lockRow(number);
        requireAccess(caller, ticket.groupKey());
        if (!ticket.status().open()) {
            throw conflict("ticket " + number + " is closed");
        }
        return ticket;
    }

    private Ticket lockRow(long number) {
        return jdbc.query("select * from ticket where id = ? for update", TICKET, number).stream().findFirst()
                .orElseThrow(() -> notFound("there is no ticket " + number));
    }

    private void requireGroup(String groupKey) {
        if (groups.group(groupKey).isEmpty()) {
            throw notFound("there is no group " + groupKey);
        }
    }

    private void touch(long number) {
        jdbc.update("update ticket set updated_at = ? where id = ?", Timestamp.from(clock.instant()), number);
    }

    private void history(long number, String actor, String kind, String detail) {
        jdbc.update("insert into ticket_history (ticket_id, at, actor, kind, detail) values (?, ?, ?, ?, ?)", number,
                Timestamp.from(clock.instant()), actor, kind, truncate(detail, 1000));
    }

    private static String order(String sort) {
        if (sort == null || sort.isBlank()) {
            return "t.updated_at desc";
        }
        boolean descending = sort.startsWith("-");
        String column = SORTS.get(descending ? sort.substring(1) : sort);
        if (column == null) {
            throw invalid("sort is one of " + String.join(", ", SORTS.keySet().stream().sorted().toList())
                    + ", with - before it for descending");
        }
        // Tickets without the value (no owner) come last either way, on every database alike.
        return column + (descending ? " desc" : " asc") + " nulls last";
    }

    private static String title(Incoming incoming) {
        String subject = incoming.subject() == null || incoming.subject().isBlank() ? null
                : truncate(incoming.subject().strip(), 200);
        return subject != null ? subject : words(incoming.channel()) + " from " + incoming.endUser().displayName();
    }

    private static String title(String title) {
        if (title == null || title.isBlank() || title.strip().length() > 200) {
            throw invalid("title is required, at most 200 characters");
        }
        return title.strip();
    }

    private static String words(Origin channel) {
        return switch (channel) {
            case EMAIL -> "Email";
            case WEB_FORM -> "Web form";
            case VOICEMAIL -> "Voicemail";
            case MESSAGE -> "Message";
            case BLANK -> "Ticket";
        };
    }

    private static String truncate(String value, int length) {
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    /**
     * Locks the ticket's row (by its instance), if the instance is a ticket's; answers whether it was. A task of the
     * ticket completed in Tasklist takes it first, as every change of the ticket does, so the two never overlap.
     */
    public boolean lockOfProcess(String processInstanceId) {
        return !jdbc.queryForList("select id from ticket where process_instance_id = ? for update", Long.class,
                processInstanceId).isEmpty();
    }

    // ----- voicemail and messages by phone --------------------------------------------------------------------

    /** The ticket whose correspondence holds the Twilio recording or message with this sid, if any. */
    public Optional<Long> ticketOfTwilioSid(String twilioSid) {
        return jdbc.queryForList("select ticket_id from ticket_message where twilio_sid = ?", Long.class, twilioSid)
                .stream().findFirst();
    }

    /**
     * What Twilio reports later of a voicemail already filed (by its RecordingSid): the recording's URL once known,
     * its transcript, or that it could not be transcribed (the recording is still there to listen to). A report
     * heard again changes nothing.
     */
    public void voicemailUpdated(String recordingSid, String recordingUrl, String transcript,
            boolean transcriptionFailed) {
        List<Map<String, Object>> found = jdbc.queryForList("select ticket_id, recording_url, body_text from "
                + "ticket_message where twilio_sid = ? and channel = 'VOICEMAIL'", recordingSid);
        if (found.isEmpty()) {
            return;
        }
        long number = ((Number) found.get(0).get("ticket_id")).longValue();
        lockRow(number);
        boolean changed = false;
        if (recordingUrl != null && found.get(0).get("recording_url") == null) {
            jdbc.update("update ticket_message set recording_url = ? where twilio_sid = ?", recordingUrl,
                    recordingSid);
            changed = true;
        }
        if (transcript != null && !transcript.isBlank() && found.get(0).get("body_text") == null) {
            jdbc.update("update ticket_message set body_text = ? where twilio_sid = ?", transcript.strip(),
                    recordingSid);
            history(number, SYSTEM, "TRANSCRIBED", "voicemail transcribed");
            changed = true;
        } else if (transcriptionFailed && found.get(0).get("body_text") == null && jdbc.queryForObject(
                "select count(*) from ticket_history where ticket_id = ? and kind = 'TRANSCRIPTION_FAILED' and "
                        + "detail like ?", Integer.class, number, "%" + recordingSid + "%") == 0) {
            history(number, SYSTEM, "TRANSCRIPTION_FAILED", "voicemail " + recordingSid
                    + " could not be transcribed: listen to the recording");
            changed = true;
        }
        if (changed) {
            touch(number);
        }
    }

    /**
     * The open ticket of this phone number in any group, the most recently updated: where a message from the number
     * belongs.
     */
    public Optional<Long> openTicketOfPhone(String phone) {
        return jdbc.queryForList("select id from ticket where open_phone = ? order by updated_at desc, id desc "
                + "fetch first 1 rows only", Long.class, phone).stream().findFirst();
    }

    /** The RecordingSid of a voicemail in the ticket's correspondence, by the correspondence's id. */
    public Optional<String> voicemailRecording(long number, long messageId) {
        return jdbc.queryForList("select twilio_sid from ticket_message where id = ? and ticket_id = ? and "
                + "channel = 'VOICEMAIL' and twilio_sid is not null", String.class, messageId, number).stream()
                .findFirst();
    }

    private static final RowMapper<Ticket> TICKET = (rs, n) -> new Ticket(rs.getLong("id"), rs.getString("group_key"),
            rs.getString("owner_user_id"), new EndUser(rs.getString("end_user_name"), rs.getString("end_user_email"),
                    rs.getString("end_user_phone")), rs.getString("title"), rs.getString("next_action"),
            TicketStatus.valueOf(rs.getString("status")), instant(rs, "wait_until"), rs.getBoolean("awaiting_triage"),
            rs.getInt("unanswered"), Origin.valueOf(rs.getString("origin")),
            (Long) rs.getObject("merged_into", Long.class), rs.getString("process_instance_id"),
            instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "closed_at"));
}
