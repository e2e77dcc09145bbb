package org.callcentre.ticket.mail;

import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.callcentre.dialler.Caller;
import org.callcentre.ticket.TicketGroups;
import org.callcentre.ticket.Tickets;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * Each group's canned responses ({@code ticket_canned_response}), in the caller's transaction: the replies its members
 * start from, with placeholders such as {@code [Enter dates]} to fill in before sending. The group's members read and
 * edit them, and so do Agent Admins and Admin Operations (as for the group's tickets). The HTML is kept sanitised.
 */
public class CannedResponses {

    static final int MAX_TITLE = 200;
    static final int MAX_SUBJECT = 500;
    static final int MAX_HTML = 100_000;

    public record CannedResponse(long id, String groupKey, String title, String subject, String html,
            Instant updatedAt) {
    }

    /** What a user writes. */
    public record Written(String title, String subject, String html) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TicketGroups groups;
    private final Tickets tickets;

    public CannedResponses(JdbcTemplate jdbc, Clock clock, TicketGroups groups, Tickets tickets) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.groups = groups;
        this.tickets = tickets;
    }

    /** The group's canned responses, by title. */
    public List<CannedResponse> of(Caller caller, String groupKey) {
        requireGroup(caller, groupKey);
        return jdbc.query("select * from ticket_canned_response where group_key = ? order by title, id", ROW,
                groupKey);
    }

    public CannedResponse create(Caller caller, String groupKey, Written written) {
        requireGroup(caller, groupKey);
        Written clean = validated(written);
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var statement = connection.prepareStatement("insert into ticket_canned_response (group_key, title, "
                    + "subject, html, updated_at) values (?, ?, ?, ?, ?)", new String[] {"id"});
            statement.setString(1, groupKey);
            statement.setString(2, clean.title());
            statement.setString(3, clean.subject());
            statement.setString(4, clean.html());
            statement.setTimestamp(5, Timestamp.from(clock.instant()));
            return statement;
        }, key);
        return find(key.getKey().longValue()).orElseThrow();
    }

    public CannedResponse replace(Caller caller, String groupKey, long id, Written written) {
        requireOne(caller, groupKey, id);
        Written clean = validated(written);
        jdbc.update("update ticket_canned_response set title = ?, subject = ?, html = ?, updated_at = ? where id = ?",
                clean.title(), clean.subject(), clean.html(), Timestamp.from(clock.instant()), id);
        return find(id).orElseThrow();
    }

    public void delete(Caller caller, String groupKey, long id) {
        requireOne(caller, groupKey, id);
        jdbc.update("delete from ticket_canned_response where id = ?", id);
    }

    public Optional<CannedResponse> find(long id) {
        return jdbc.query("select * from ticket_canned_response where id = ?", ROW, id).stream().findFirst();
    }

    private void requireOne(Caller caller, String groupKey, long id) {
        requireGroup(caller, groupKey);
        if (find(id).filter(found -> found.groupKey().equals(groupKey)).isEmpty()) {
            throw notFound("the group " + groupKey + " has no canned response " + id);
        }
    }

    private void requireGroup(Caller caller, String groupKey) {
        if (groups.group(groupKey).isEmpty()) {
            throw notFound("there is no group " + groupKey);
        }
        tickets.requireAccess(caller, groupKey);
    }

    private static Written validated(Written written) {
        if (written == null) {
            throw invalid("the body is {title, subject, html}");
        }
        String title = written.title() == null ? "" : written.title().strip();
        if (title.isEmpty() || title.length() > MAX_TITLE) {
            throw invalid("title is required, at most " + MAX_TITLE + " characters");
        }
        String subject = written.subject() == null ? "" : written.subject().strip();
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT) {
            throw invalid("subject is required, at most " + MAX_SUBJECT + " characters");
        }
        if (written.html() == null || written.html().length() > MAX_HTML) {
            throw invalid("html is required, at most " + MAX_HTML + " characters");
        }
        String html = MailHtml.sanitise(written.html());
        if (!MailHtml.shows(html)) {
            throw invalid("html shows nothing once sanitised (scripts, styles and event handlers are removed)");
        }
        return new Written(title, subject, html);
    }

    private static final RowMapper<CannedResponse> ROW = (rs, n) -> new CannedResponse(rs.getLong("id"),
            rs.getString("group_key"), rs.getString("title"), rs.getString("subject"), rs.getString("html"),
            rs.getTimestamp("updated_at").toInstant());
}
