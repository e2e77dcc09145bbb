package org.callcentre.inbound;

import static org.callcentre.problem.RefusedException.conflict;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.callcentre.dialler.AgentPhone;
import org.callcentre.dialler.AgentPhones;
import org.callcentre.dialler.Teams;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Whether an agent takes inbound calls ({@code agent_phone.available}), and the inbound call they are on
 * ({@code agent_phone.inbound_call_id}). An agent is free for the next caller when available, their phone is
 * connected, and they are on no inbound or outbound call; the longest free goes first.
 */
public class AgentAvailability {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final AgentPhones phones;
    private final Teams teams;

    public AgentAvailability(JdbcTemplate jdbc, Clock clock, AgentPhones phones, Teams teams) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.phones = phones;
        this.teams = teams;
    }

    /** Sets the agent (un)available; answers the agent's team. Available needs a connected phone and a team. */
    public long set(String userId, boolean available) {
        long teamId = teams.teamOf(userId).orElseThrow(() -> conflict("you are in no team: inbound calls come "
                + "through a team's queue"));
        Optional<AgentPhone> phone = phones.lockPhone(userId);
        if (available && (phone.isEmpty() || !phone.get().connected())) {
            throw conflict("connect your phone first: callers are put through to it");
        }
        if (phone.isPresent()) {
            jdbc.update("update agent_phone set available = ?, available_since = case when ? and available "
                    + "then available_since when ? then ? else null end where user_id = ?", available, available,
                    available, Timestamp.from(clock.instant()), userId);
        }
        return teamId;
    }

    public boolean available(String userId) {
        return jdbc.queryForList("select available from agent_phone where user_id = ?", Boolean.class, userId)
                .stream().findFirst().orElse(false);
    }

    /**
     * The team's free agents, longest free first: available, phone connected, on no inbound call, no live outbound
     * call, and holding no callback offered to them.
     */
    public List<String> free(long teamId) {
        return jdbc.queryForList("select ap.user_id from agent_phone ap join team_agent ta on ta.user_id = ap.user_id "
                + "where ta.team_id = ? and ap.available = true and ap.connected = true and ap.inbound_call_id is null "
                + "and not exists (select 1 from outbound_call oc where oc.user_id = ap.user_id and oc.final = false) "
                + "and not exists (select 1 from callback c where c.offered_to = ap.user_id and c.status = 'OFFERED') "
                + "order by ap.available_since, ap.user_id", String.class, teamId);
    }

    /** Takes a free agent for an inbound call, re-checked under the phone's lock; false if no longer free. */
    public boolean take(String userId, long inboundCallId) {
        phones.lockPhone(userId);
        if (jdbc.queryForObject("select count(*) from outbound_call where user_id = ? and final = false",
                Integer.class, userId) > 0) {
            return false;
        }
        return jdbc.update("update agent_phone set inbound_call_id = ? where user_id = ? and available = true "
                + "and connected = true and inbound_call_id is null", inboundCallId, userId) == 1;
    }

    /** The agent is done with the inbound call: free again, at the back of the line of free agents. */
    public void release(String userId, long inboundCallId) {
        // The cast gives the parameter its type: PostgreSQL cannot infer it inside the case.
        jdbc.update("update agent_phone set inbound_call_id = null, available_since = case when available "
                + "then cast(? as timestamp) else null end where user_id = ? and inbound_call_id = ?",
                Timestamp.from(clock.instant()), userId, inboundCallId);
    }

    /** Teams with someone waiting, on the line or for a callback: the sweep matches them with free agents. */
    public List<Long> teamsWithCallers() {
        return jdbc.queryForList("select team_id from inbound_call where status = 'QUEUED' union "
                + "select team_id from callback where origin = 'IVR' and status = 'DUE'", Long.class);
    }
}
