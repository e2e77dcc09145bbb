package org.callcentre.dialler;

import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Next Lead's call-list tier: the leads of the agent's team's call lists, highest weighting first, then newest lead
 * first, among those that may be called now: dialable, with no blocking status, under the campaign's maximum attempts
 * per record, past {@code next_call_at} (the minimum gap between calls and the 8-hour cap, kept by whoever places a
 * call), inside the campaign's calling hours in the lead's own time zone, and not locked by a live lock.
 * <p>
 * A lead in several of the team's lists is reached first through the list of highest weighting, so it takes that
 * weighting. Each list is read on its own, newest lead first along the key {@code (call_list_id, lead_id)}, with a
 * limit, and the newest candidate across the lists of one weighting wins: no list is ever sorted whole. The read
 * follows the index {@code (call_list_id, ready, lead_id)}: leads waiting out their gap between calls, or not
 * dialable, are marked not ready ({@link LeadReadiness}), so they are stepped over by the index, not read one by one.
 * <p>
 * Two agents never take one lead: the conditional update of {@link LeadLocks#take} decides. On PostgreSQL the read
 * also locks its row with {@code FOR UPDATE SKIP LOCKED}, so concurrent agents skip each other's candidates instead of
 * waiting on them. H2 applies the limit before skipping locked rows (a skipped row leaves the answer empty), so there
 * the read takes a few candidates without locking and the update tries them in order; a candidate another agent is
 * taking makes the update wait for that agent's commit and then find the lead held.
 * <p>
 * A lead with an open callback is never offered here: the callback tier, asked first, offers it once it is due.
 */
public class TeamCallListTier implements NextLeadTier {

    /** Candidates read per list and round on H2, where the read does not lock. */
    private static final int UNLOCKED_CANDIDATES = 8;
    /** Rounds of reading and taking before giving up on a weighting whose candidates others keep taking. */
    private static final int ROUNDS = 20;

    private final JdbcTemplate jdbc;
    private final LeadLocks locks;
    private final LeadHistory history;
    private final boolean skipLocked;

    public TeamCallListTier(JdbcTemplate jdbc, LeadLocks locks, LeadHistory history) {
        this.jdbc = jdbc;
        this.locks = locks;
        this.history = history;
        this.skipLocked = jdbc.execute((ConnectionCallback<Boolean>) connection -> connection.getMetaData()
                .getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres"));
    }

    /** A call list of the team with its weighting and its campaign's rules. */
    private record TeamList(long callListId, int weighting, DiallingRules rules) {
    }

    @Override
    public NextLead claim(String agentId, Instant now, Collection<Long> passedOver) {
        Optional<Long> team = jdbc.queryForList("select team_id from team_agent where user_id = ?", Long.class,
                agentId).stream().findFirst();
        if (team.isEmpty()) {
            return NextLead.nothing(NextLead.Reason.NO_TEAM);
        }
        List<TeamList> lists = teamLists(team.get());
        if (lists.isEmpty()) {
            return NextLead.nothing(NextLead.Reason.NO_CALL_LISTS);
        }
        List<String> zoneNames = jdbc.queryForList("select time_zone from lead_time_zone", String.class);
        List<ZoneId> zones = zones(zoneNames);
        Timestamp expiredBefore = locks.expiredBefore(now);
        Map<Integer, List<TeamList>> byWeighting = new LinkedHashMap<>();
        for (TeamList list : lists) {
            byWeighting.computeIfAbsent(list.weighting(), w -> new ArrayList<>()).add(list);
        }
        boolean anyInsideHours = false;
        for (List<TeamList> sameWeighting : byWeighting.values()) {
            List<Candidates> reads = new ArrayList<>();
            for (TeamList list : sameWeighting) {
                List<String> open = zones.stream().filter(zone -> list.rules().withinCallingHours(zone, now))
                        .map(ZoneId::getId).toList();
                if (!open.isEmpty()) {
                    anyInsideHours = true;
                    reads.add(new Candidates(list, open, open.size() == zoneNames.size()));
                }
            }
            Optional<Long> taken = takeNewest(reads, agentId, now, expiredBefore, passedOver);
            if (taken.isPresent()) {
                return NextLead.offered(taken.get());
            }
        }
        return NextLead.nothing(anyInsideHours || zones.isEmpty() ? NextLead.Reason.NONE_LEFT
                : NextLead.Reason.OUTSIDE_CALLING_HOURS);
    }

    /** One list's read: the zones inside its campaign's calling hours now (all of them: no filter needed). */
    private record Candidates(TeamList list, List<String> openZones, boolean everyZoneOpen) {
    }

    /** Takes the newest candidate across lists of one weighting, reading again while others take the candidates. */
    private Optional<Long> takeNewest(List<Candidates> reads, String agentId, Instant now, Timestamp expiredBefore,
            Collection<Long> passedOver) {
        if (reads.isEmpty()) {
            return Optional.empty();
        }
        for (int round = 0; round < ROUNDS; round++) {
            TreeSet<Long> candidates = new TreeSet<>(Comparator.reverseOrder());
            for (Candidates read : reads) {
                candidates.addAll(candidates(read, now, expiredBefore, passedOver));
            }
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            for (long leadId : candidates) {
                if (locks.take(leadId, agentId, now)) {
                    history.record(leadId, agentId, LeadHistory.Kind.LOCKED, "offered by Next Lead to " + agentId);
                    return Optional.of(leadId);
                }
            }
        }
        return Optional.empty();
    }

    private List<Long> candidates(Candidates read, Instant now, Timestamp expiredBefore, Collection<Long> passedOver) {
        List<Object> arguments = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select l.id from lead_call_list lcl join lead l on l.id = lcl.lead_id "
                + "where lcl.call_list_id = ? and lcl.ready = true and l.dialable = true and l.open_callback_id is null "
                + "and l.attempts < ? "
                + "and (l.last_call_status is null or l.last_call_status not in ('REMOVE', 'DO_NOT_CALL', 'COMPLETE')) "
                + "and (l.next_call_at is null or l.next_call_at <= ?) "
                + "and (l.locked_by is null or l.lock_touched_at <= ?)");
        arguments.add(read.list().callListId());
        arguments.add(read.list().rules().maxAttemptsPerRecord());
        arguments.add(Timestamp.from(now));
        arguments.add(expiredBefore);
        if (!read.everyZoneOpen()) {
            sql.append(" and l.time_zone in (").append(placeholders(read.openZones().size())).append(")");
            arguments.addAll(read.openZones());
        }
        if (!passedOver.isEmpty()) {
            sql.append(" and l.id not in (").append(placeholders(passedOver.size())).append(")");
            arguments.addAll(passedOver);
        }
        // The equal columns in the order make (call_list_id, ready, lead_id) the only index that gives it: with the
        // order on lead_id alone, PostgreSQL's generic plan may walk the index on lead_id through other lists.
        sql.append(" order by lcl.call_list_id desc, lcl.ready desc, lcl.lead_id desc limit ")
                .append(skipLocked ? 1 : UNLOCKED_CANDIDATES);
        if (skipLocked) {
            sql.append(" for update of l skip locked");
        }
        return jdbc.queryForList(sql.toString(), Long.class, arguments.toArray());
    }

    private List<TeamList> teamLists(long teamId) {
        return jdbc.query("select tcl.call_list_id, tcl.weighting, c.id campaign_id, c.min_minutes_between_calls, "
                + "c.max_attempts_in_8_hours, c.max_attempts_per_record, c.calling_hours_start, c.calling_hours_end, "
                + "c.default_time_zone, c.default_region from team_call_list tcl "
                + "join call_list cl on cl.id = tcl.call_list_id join campaign c on c.id = cl.campaign_id "
                + "where tcl.team_id = ? order by tcl.weighting desc, tcl.call_list_id",
                (rs, n) -> new TeamList(rs.getLong("call_list_id"), rs.getInt("weighting"), new DiallingRules(
                        rs.getLong("campaign_id"), rs.getInt("min_minutes_between_calls"),
                        rs.getInt("max_attempts_in_8_hours"), rs.getInt("max_attempts_per_record"),
                        LocalTime.parse(rs.getString("calling_hours_start")),
                        LocalTime.parse(rs.getString("calling_hours_end")),
                        ZoneId.of(rs.getString("default_time_zone")), rs.getString("default_region"))),
                teamId);
    }

    /** The zones leads live in; a name Java does not know (none should be stored) is never inside calling hours. */
    private static List<ZoneId> zones(List<String> names) {
        List<ZoneId> zones = new ArrayList<>();
        for (String zone : names) {
            try {
                zones.add(ZoneId.of(zone));
            } catch (DateTimeException unknown) {
                // Not offered: without a zone there are no calling hours to be inside.
            }
        }
        return zones;
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
