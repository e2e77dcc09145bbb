package org.callcentre.dialler;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import org.callcentre.telephony.CallStatusUpdate;
import org.springframework.jdbc.core.JdbcTemplate;

/** The agents' phones ({@code agent_phone}), one row per user, in the caller's transaction. */
public class AgentPhones {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public AgentPhones(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<AgentPhone> phone(String userId) {
        return jdbc.query("select * from agent_phone where user_id = ?", (rs, n) -> new AgentPhone(
                rs.getString("user_id"), rs.getString("call_sid"), rs.getString("device"),
                rs.getString("conference_name"), rs.getString("status"), rs.getBoolean("connected")), userId)
                .stream().findFirst();
    }

    /** The user's phone, its row locked until the transaction ends; empty if the user never connected one. */
    public Optional<AgentPhone> lockPhone(String userId) {
        return jdbc.query("select * from agent_phone where user_id = ? for update", (rs, n) -> new AgentPhone(
                rs.getString("user_id"), rs.getString("call_sid"), rs.getString("device"),
                rs.getString("conference_name"), rs.getString("status"), rs.getBoolean("connected")), userId)
                .stream().findFirst();
    }

    /**
     * Locks the user's phone row until the transaction ends (creating it, not connected, if the user never had one):
     * a user's requests that place calls or connect the phone then run one after the other.
     */
    public void lock(String userId, String device) {
        if (jdbc.update("update agent_phone set user_id = user_id where user_id = ?", userId) == 0) {
            try {
                jdbc.update("insert into agent_phone (user_id, device, conference_name, status, connected, updated_at) "
                        + "values (?, ?, ?, 'idle', false, ?)", userId, device, AgentPhone.conferenceOf(userId), now());
            } catch (org.springframework.dao.DuplicateKeyException raced) {
                jdbc.update("update agent_phone set user_id = user_id where user_id = ?", userId);
            }
        }
    }

    /** Twilio created the call to the user's device: the phone is that call now, not connected until answered. */
    public void dialled(String userId, String device, String callSid) {
        jdbc.update("update agent_phone set call_sid = ?, device = ?, status = 'queued', connected = false, "
                + "status_sequence = null, updated_at = ? where user_id = ?", callSid, device, now(), userId);
    }

    /**
     * Applies a status of the phone's call: connected while in progress, not once ended; an ended call never comes
     * back, and a numbered status never replaces a later one (two nodes can serve one call's callbacks at once and
     * apply them in either order). {@code sequenceNumber} is Twilio's, or null for a status known otherwise (the
     * app hung up, the agent took a call), which applies whatever the phone showed. False if the sid is no agent's
     * phone, the phone's call had already ended, or it shows a later status.
     */
    public boolean apply(String callSid, String status, Integer sequenceNumber) {
        String ended = CallStatusUpdate.ENDED.stream().sorted()
                .collect(java.util.stream.Collectors.joining("', '", "('", "')"));
        boolean connected = "in-progress".equals(status);
        boolean available = connected || !CallStatusUpdate.isEnded(status);
        String update = "update agent_phone set status = ?, connected = ?, available = (available and ?), "
                + "status_sequence = ?, updated_at = ? where call_sid = ? and status not in " + ended;
        // A phone that is not connected takes no inbound calls: its availability ends with it.
        if (sequenceNumber == null) {
            return jdbc.update(update, status, connected, available, null, now(), callSid) == 1;
        }
        return jdbc.update(update + " and (status_sequence is null or status_sequence < ?)", status, connected,
                available, sequenceNumber, now(), callSid, sequenceNumber) == 1;
    }

    /** Whether the user is being put through to, or talking on, an inbound call. */
    public boolean onInboundCall(String userId) {
        return !jdbc.queryForList("select inbound_call_id from agent_phone where user_id = ? "
                + "and inbound_call_id is not null", Long.class, userId).isEmpty();
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }
}
