package org.callcentre.ticket;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;
import static org.callcentre.problem.RefusedException.unprocessable;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.callcentre.processes.Groups;
import org.callcentre.user.CallCentreUser;
import org.callcentre.user.CallCentreUsers;
import org.callcentre.user.EngineGroups;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ticket groups and their members ({@code ticket_group}, {@code ticket_group_member}), in the caller's
 * transaction, with each group's engine group kept in step in the same transaction.
 */
public class TicketGroups {

    /** The group whose inbox takes the info address's mail. */
    public static final String INFO = "Info";

    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,31}");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** What an admin writes; {@code teamId}: the inbound team whose callers the group's home counts, or null. */
    public record Written(String key, String name, boolean publicGroup, boolean takesVoicemail, String inboxAddress,
            Long teamId) {

        /** A group that counts no team's calls. */
        public Written(String key, String name, boolean publicGroup, boolean takesVoicemail, String inboxAddress) {
            this(key, name, publicGroup, takesVoicemail, inboxAddress, null);
        }
    }

    /** A group was made, published in the transaction that made it (Tasklist's filter for it follows). */
    public record Created(String key, String name) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CallCentreUsers users;
    private final IdentityService identity;
    private final ApplicationEventPublisher events;

    public TicketGroups(JdbcTemplate jdbc, Clock clock, CallCentreUsers users, IdentityService identity,
            ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.users = users;
        this.identity = identity;
        this.events = events;
    }

    public TicketGroup create(Written written) {
        if (written.key() == null || !KEY.matcher(written.key()).matches()) {
            throw invalid("key is a letter then letters and digits, at most 32 (Info, WebMaster)");
        }
        String name = written.name() == null ? "" : written.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            throw invalid("name is required, at most 100 characters");
        }
        String inbox = written.inboxAddress() == null || written.inboxAddress().isBlank() ? null
                : written.inboxAddress().strip();
        if (inbox != null && (inbox.length() > 254 || !ADDRESS.matcher(inbox).matches())) {
            throw invalid("inboxAddress '" + written.inboxAddress() + "' is not an email address");
        }
        requireTeam(written.teamId());
        if (group(written.key()).isPresent() || jdbc.queryForObject("select count(*) from ticket_group where "
                + "lower(group_key) = lower(?)", Integer.class, written.key()) > 0) {
            throw conflict("there is already a group " + written.key());
        }
        Timestamp now = Timestamp.from(clock.instant());
        try {
            jdbc.update("insert into ticket_group (group_key, name, public_group, takes_voicemail, inbox_address, "
                    + "team_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)", written.key(), name,
                    written.publicGroup(), written.takesVoicemail(), inbox, written.teamId(), now, now);
        } catch (DuplicateKeyException taken) {
            throw conflict("there is already a group " + written.key() + " or one named " + name);
        }
        EngineGroups.sync(identity, Groups.ticketGroup(written.key()), "TICKETS", name, List.of());
        events.publishEvent(new Created(written.key(), name));
        return group(written.key()).orElseThrow();
    }

    /** Replaces the group's members: active call-centre users, each named once. */
    public TicketGroup replaceMembers(String key, List<String> members) {
        TicketGroup group = lock(key);
        if (members == null) {
            throw invalid("members is required: the user ids of the group's members (an empty list empties it)");
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String member : members) {
            if (member == null || !wanted.add(member)) {
                throw invalid("members must name each user once");
            }
            Optional<CallCentreUser> user = users.user(member);
            if (user.isEmpty() || !user.get().active()) {
                throw unprocessable("there is no active user " + member);
            }
        }
        jdbc.update("delete from ticket_group_member where group_key = ?", key);
        jdbc.batchUpdate("insert into ticket_group_member (group_key, user_id) values (?, ?)",
                wanted.stream().map(member -> new Object[] {key, member}).toList());
        jdbc.update("update ticket_group set updated_at = ? where group_key = ?", Timestamp.from(clock.instant()), key);
        EngineGroups.sync(identity, Groups.ticketGroup(key), "TICKETS", group.name(), wanted);
        return group(key).orElseThrow();
    }

    public Optional<TicketGroup> group(String key) {
        return jdbc.query("select * from ticket_group where group_key = ?", (rs, n) -> new TicketGroup(
                rs.getString("group_key"), rs.getString("name"), rs.getBoolean("public_group"),
                rs.getBoolean("takes_voicemail"), rs.getString("inbox_address"), members(rs.getString("group_key")),
                rs.getObject("team_id", Long.class)), key).stream().findFirst();
    }

    public List<TicketGroup> all() {
        List<TicketGroup> groups = new ArrayList<>();
        for (String key : jdbc.queryForList("select group_key from ticket_group order by name", String.class)) {
            groups.add(group(key).orElseThrow());
        }
        return groups;
    }

    /** The groups the user is in. */
    public List<String> of(String userId) {
        return jdbc.queryForList("select group_key from ticket_group_member where user_id = ? order by group_key",
                String.class, userId);
    }

    private TicketGroup lock(String key) {
        if (jdbc.queryForList("select group_key from ticket_group where group_key = ? for update", String.class, key)
                .isEmpty()) {
            throw notFound("there is no group " + key);
        }
        return group(key).orElseThrow();
    }

    private List<String> members(String key) {
        return jdbc.queryForList("select user_id from ticket_group_member where group_key = ? order by user_id",
                String.class, key);
    }

    /** Sets the inbound team whose callers the group's home counts (null: none). */
    public TicketGroup linkTeam(String key, Long teamId) {
        lock(key);
        requireTeam(teamId);
        jdbc.update("update ticket_group set team_id = ?, updated_at = ? where group_key = ?", teamId,
                Timestamp.from(clock.instant()), key);
        return group(key).orElseThrow();
    }

    private void requireTeam(Long teamId) {
        if (teamId != null && jdbc.queryForObject("select count(*) from team where id = ?", Integer.class,
                teamId) == 0) {
            throw unprocessable("there is no team " + teamId);
        }
    }
}
