package org.callcentre.ticket;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.callcentre.dialler.Caller;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Call Center home: for each ticket group the caller works (an agent: the groups they are in; Agent Admins and
 * Admin Operations: every group, as {@link Tickets#mayWork}), what waits for the group, in the caller's transaction.
 * Two queries whatever the number of groups: the groups with their tickets, then their teams' calls.
 */
public class TicketHome {

    /**
     * One group's figures.
     *
     * @param openPhoneCalls        its team's callers waiting in the queue now, and its team's calls lost in the last
     *                              {@code tickets.lost-call-days} whose number has not been called back since (no
     *                              completed outbound call to it, no served inbound call from it); 0 without a team
     * @param messagesNeedingAction voicemails and emails not yet answered, over its open tickets
     * @param openTickets           its tickets that are not closed
     */
    public record GroupCounts(String key, String name, int openPhoneCalls, int messagesNeedingAction,
            int openTickets) {
    }

    private static final List<String> OPEN = Arrays.stream(TicketStatus.values()).filter(TicketStatus::open)
            .map(Enum::name).toList();

    private record Group(String key, String name, Long teamId, int openTickets, int unanswered) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TicketProperties properties;

    public TicketHome(JdbcTemplate jdbc, Clock clock, TicketProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    /** The caller's groups, by name. */
    public List<GroupCounts> of(Caller caller) {
        List<Object> arguments = new ArrayList<>(OPEN);
        String members = "";
        if (caller.isAgent()) {
            members = "join ticket_group_member m on m.group_key = g.group_key and m.user_id = ? ";
            arguments.add(0, caller.userId());
        }
        List<Group> groups = jdbc.query("select g.group_key, g.name, g.team_id, count(t.id) open_tickets, "
                + "coalesce(sum(t.unanswered), 0) unanswered from ticket_group g " + members
                + "left join ticket t on t.group_key = g.group_key and t.status in (" + placeholders(OPEN.size())
                + ") group by g.group_key, g.name, g.team_id order by g.name",
                (rs, n) -> new Group(rs.getString("group_key"), rs.getString("name"),
                        rs.getObject("team_id", Long.class), rs.getInt("open_tickets"), rs.getInt("unanswered")),
                arguments.toArray());
        Map<Long, Integer> calls = openPhoneCalls(groups.stream().map(Group::teamId).filter(Objects::nonNull)
                .collect(Collectors.toCollection(LinkedHashSet::new)));
        return groups.stream().map(group -> new GroupCounts(group.key(), group.name(),
                group.teamId() == null ? 0 : calls.getOrDefault(group.teamId(), 0), group.unanswered(),
                group.openTickets())).toList();
    }

    /**
     * Per team: its callers waiting now (queued, or being put through to an agent), and its lost calls since the
     * cut-off that no completed outbound call to the number, and no served inbound call from it, followed.
     */
    private Map<Long, Integer> openPhoneCalls(Set<Long> teams) {
        Map<Long, Integer> calls = new HashMap<>();
        if (teams.isEmpty()) {
            return calls;
        }
        String in = placeholders(teams.size());
        List<Object> arguments = new ArrayList<>(teams);
        arguments.add(Timestamp.from(clock.instant().minus(Duration.ofDays(properties.lostCallDays()))));
        arguments.addAll(teams);
        jdbc.query("select team_id, count(*) calls from ("
                + "select c.team_id from inbound_call c where c.team_id in (" + in + ") "
                + "and c.status in ('QUEUED', 'ASSIGNING') "
                + "union all "
                + "select c.team_id from inbound_call c where c.result = 'LOST' and c.ended_at >= ? "
                + "and c.team_id in (" + in + ") "
                + "and not exists (select 1 from outbound_call o where o.to_number = c.from_number "
                + "and o.placed_at > c.ended_at and o.status = 'completed') "
                + "and not exists (select 1 from inbound_call s where s.from_number = c.from_number "
                + "and s.started_at > c.ended_at and s.result = 'SERVED')"
                + ") open_calls group by team_id",
                rs -> {
                    calls.put(rs.getLong("team_id"), rs.getInt("calls"));
                }, arguments.toArray());
        return calls;
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
