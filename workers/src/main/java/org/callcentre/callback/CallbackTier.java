package org.callcentre.callback;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.callcentre.dialler.CampaignDialling;
import org.callcentre.dialler.DiallingRules;
import org.callcentre.dialler.LeadHistory;
import org.callcentre.dialler.LeadLocks;
import org.callcentre.dialler.NextLead;
import org.callcentre.dialler.NextLeadTier;
import org.callcentre.dialler.Teams;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Next Lead's first tier: the team's due callbacks, most overdue first. A Call Back Agent callback goes to its owner
 * only until it is opened to the team; a Call Back Queue callback to any agent of the team. Outside the campaign's
 * calling hours (in the lead's zone) a callback waits, unless it was scheduled with the hours overridden.
 * <p>
 * Offering takes the lead's lock ({@link LeadLocks#take}: of two agents, one wins) and then marks the callback offered
 * to the agent. A callback offered (or served by a call that ended without an outcome) whose lead is no longer
 * locked is due again: the agent let it go, or the lock expired. Answers {@link NextLead.Reason#NONE_LEFT} when there
 * is nothing, so that the call lists are asked next.
 */
public class CallbackTier implements NextLeadTier {

    private static final int CANDIDATES = 8;
    private static final int ROUNDS = 5;

    private final JdbcTemplate jdbc;
    private final LeadLocks locks;
    private final LeadHistory history;
    private final Teams teams;
    private final CampaignDialling dialling;

    public CallbackTier(JdbcTemplate jdbc, LeadLocks locks, LeadHistory history, Teams teams,
            CampaignDialling dialling) {
        this.jdbc = jdbc;
        this.locks = locks;
        this.history = history;
        this.teams = teams;
        this.dialling = dialling;
    }

    private record Candidate(long id, long leadId, String status, long campaignId, boolean override, ZoneId zone) {
    }

    @Override
    public NextLead claim(String agentId, Instant now, Collection<Long> passedOver) {
        Optional<Long> team = teams.teamOf(agentId);
        if (team.isEmpty()) {
            return NextLead.nothing(NextLead.Reason.NONE_LEFT);
        }
        Map<Long, Optional<DiallingRules>> rules = new HashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<Candidate> candidates = candidates(team.get(), agentId, now, passedOver);
            if (candidates.isEmpty()) {
                break;
            }
            for (Candidate candidate : candidates) {
                if (!candidate.override() && !rules.computeIfAbsent(candidate.campaignId(), dialling::rules)
                        .map(r -> r.withinCallingHours(candidate.zone(), now)).orElse(false)) {
                    continue;
                }
                if (!locks.take(candidate.leadId(), agentId, now)) {
                    continue;
                }
                if (jdbc.update("update callback set status = 'OFFERED', offered_to = ?, offered_at = ?, "
                        + "offers = offers + 1, updated_at = ? where id = ? and status = ?", agentId,
                        Timestamp.from(now), Timestamp.from(now), candidate.id(), candidate.status()) == 1) {
                    history.record(candidate.leadId(), agentId, LeadHistory.Kind.LOCKED, "offered by Next Lead to "
                            + agentId);
                    history.record(candidate.leadId(), agentId, LeadHistory.Kind.CALLBACK_OFFERED, "callback "
                            + candidate.id() + " offered to " + agentId);
                    return NextLead.offered(candidate.leadId());
                }
                locks.release(candidate.leadId(), agentId);
            }
            if (candidates.size() < CANDIDATES) {
                break;
            }
        }
        return NextLead.nothing(NextLead.Reason.NONE_LEFT);
    }

    private List<Candidate> candidates(long teamId, String agentId, Instant now, Collection<Long> passedOver) {
        List<Object> arguments = new ArrayList<>(List.of(teamId, Timestamp.from(now), locks.expiredBefore(now),
                agentId));
        StringBuilder sql = new StringBuilder("select c.id, c.lead_id, c.status, c.campaign_id, "
                + "c.override_calling_hours, l.time_zone from callback c join lead l on l.id = c.lead_id "
                + "where c.team_id = ? and c.status in ('DUE', 'OFFERED', 'IN_CALL') and c.due_at <= ? "
                + "and (c.status = 'DUE' or l.locked_by is null or l.lock_touched_at <= ?) "
                + "and (c.status <> 'IN_CALL' or not exists (select 1 from outbound_call oc "
                + "where oc.id = c.served_by_call_id and oc.final = false)) "
                + "and (c.mode = 'QUEUE' or c.owner_user_id = ? or c.opened_to_team_at is not null)");
        if (!passedOver.isEmpty()) {
            sql.append(" and c.lead_id not in (").append(String.join(", ", Collections.nCopies(passedOver.size(),
                    "?"))).append(")");
            arguments.addAll(passedOver);
        }
        sql.append(" order by c.due_at, c.id limit ").append(CANDIDATES);
        return jdbc.query(sql.toString(), (rs, n) -> new Candidate(rs.getLong("id"), rs.getLong("lead_id"),
                rs.getString("status"), rs.getLong("campaign_id"), rs.getBoolean("override_calling_hours"),
                ZoneId.of(rs.getString("time_zone"))), arguments.toArray());
    }
}
