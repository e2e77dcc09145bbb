package org.callcentre.inbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.callcentre.inbound.InboundCall.Result;
import org.callcentre.inbound.InboundCall.Status;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * The inbound calls' rows ({@code inbound_call}), in the caller's transaction. Every change is conditional on the
 * state it leaves, so a webhook Twilio repeats, or two that race, change a row once.
 */
public class InboundCalls {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public InboundCalls(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The row of a new call, or the one Twilio's repeated webhook already made; true in {@code created} if new. */
    public record Received(InboundCall call, boolean created) {
    }

    public Received receive(String callSid, long inboundNumberId, String from) {
        Optional<InboundCall> known = bySid(callSid);
        if (known.isPresent()) {
            return new Received(known.get(), false);
        }
        KeyHolder key = new GeneratedKeyHolder();
        try {
            jdbc.update(connection -> {
                var insert = connection.prepareStatement("insert into inbound_call (call_sid, inbound_number_id, "
                        + "from_number, status, started_at) values (?, ?, ?, 'IVR', ?)", new String[] {"id"});
                insert.setString(1, callSid);
                insert.setLong(2, inboundNumberId);
                insert.setString(3, from);
                insert.setTimestamp(4, Timestamp.from(now()));
                return insert;
            }, key);
        } catch (DuplicateKeyException raced) {
            return new Received(bySid(callSid).orElseThrow(), false);
        }
        return new Received(call(key.getKey().longValue()).orElseThrow(), true);
    }

    public void recordProcessInstance(long id, String processInstanceId) {
        jdbc.update("update inbound_call set process_instance_id = ? where id = ?", processInstanceId, id);
    }

    public Optional<InboundCall> call(long id) {
        return jdbc.query("select * from inbound_call where id = ?", InboundCalls::row, id).stream().findFirst();
    }

    /** The row, locked until the transaction ends. */
    public Optional<InboundCall> lock(long id) {
        return jdbc.query("select * from inbound_call where id = ? for update", InboundCalls::row, id).stream()
                .findFirst();
    }

    public Optional<InboundCall> bySid(String callSid) {
        return jdbc.query("select * from inbound_call where call_sid = ?", InboundCalls::row, callSid).stream()
                .findFirst();
    }

    /** The key the caller pressed in the menu (null: no answer), counted as one more try. */
    public boolean pressed(long id, String key) {
        return jdbc.update("update inbound_call set menu_key = ?, menu_attempts = menu_attempts + 1 where id = ? "
                + "and status = 'IVR'", key, id) == 1;
    }

    /** The menu routed the caller to the team, by the option {@code menuKey}. */
    public void routed(long id, long teamId, String menuKey) {
        jdbc.update("update inbound_call set team_id = ?, menu_key = ? where id = ? and status = 'IVR'", teamId,
                menuKey, id);
    }

    /** The menu routed the caller to a ticket group, by the option {@code menuKey}. */
    public void routedToGroup(long id, String groupKey, String menuKey) {
        jdbc.update("update inbound_call set group_key = ?, menu_key = ? where id = ? and status = 'IVR'", groupKey,
                menuKey, id);
    }

    /** The caller's message is for this group's voicemail (a caller whose callback request found the queue full). */
    public void toVoicemail(long id, String groupKey) {
        jdbc.update("update inbound_call set group_key = ? where id = ?", groupKey, id);
    }

    /** The caller's voicemail was filed on this ticket. */
    public void voicemailFiled(long id, long ticketId) {
        jdbc.update("update inbound_call set ticket_id = ? where id = ?", ticketId, id);
    }

    /** Into the team's queue; its place is now. */
    public void enqueue(long id) {
        jdbc.update("update inbound_call set status = 'QUEUED', enqueued_at = ? where id = ? and status = 'IVR'",
                Timestamp.from(now()), id);
    }

    /** An agent was chosen for a queued caller. */
    public boolean assign(long id, String userId) {
        return jdbc.update("update inbound_call set status = 'ASSIGNING', assigned_to = ?, assigned_at = ? "
                + "where id = ? and status = 'QUEUED'", userId, Timestamp.from(now()), id) == 1;
    }

    /** Back to waiting, in the place it had. */
    public boolean withdraw(long id) {
        return jdbc.update("update inbound_call set status = 'QUEUED', assigned_to = null, assigned_at = null "
                + "where id = ? and status = 'ASSIGNING'", id) == 1;
    }

    /** The caller joined the agent's conference. */
    public boolean bridged(long id) {
        return jdbc.update("update inbound_call set status = 'ASSIGNED', answered_at = ? where id = ? "
                + "and status = 'ASSIGNING'", Timestamp.from(now()), id) == 1;
    }

    /** The call ended with {@code result}; a call already ended keeps its result. */
    public boolean ended(long id, Result result) {
        return jdbc.update("update inbound_call set status = 'ENDED', result = ?, ended_at = ? where id = ? "
                + "and status <> 'ENDED'", result.name(), Timestamp.from(now()), id) == 1;
    }

    /** The caller's callback (asked for, or made of a lost call), and the result that follows. */
    public void calledBack(long id, Long callbackId, Result result) {
        jdbc.update("update inbound_call set callback_id = ?, result = ? where id = ?", callbackId, result.name(), id);
    }

    public void matchedLead(long id, long leadId) {
        jdbc.update("update inbound_call set lead_id = ? where id = ?", leadId, id);
    }

    /** The team's waiting callers, longest waiting first. */
    public List<InboundCall> queue(long teamId) {
        return jdbc.query("select * from inbound_call where team_id = ? and status = 'QUEUED' "
                + "order by enqueued_at, id", InboundCalls::row, teamId);
    }

    /** Callers ahead of this one in its team's queue. */
    public int ahead(InboundCall call) {
        if (call.teamId() == null || call.enqueuedAt() == null) {
            return 0;
        }
        return jdbc.queryForObject("select count(*) from inbound_call where team_id = ? and status = 'QUEUED' "
                + "and (enqueued_at < ? or (enqueued_at = ? and id < ?))", Integer.class, call.teamId(),
                Timestamp.from(call.enqueuedAt()), Timestamp.from(call.enqueuedAt()), call.id());
    }

    /** The inbound call the agent is on, being connected or talking. */
    public Optional<InboundCall> currentOf(String userId) {
        return jdbc.query("select * from inbound_call where assigned_to = ? and status in ('ASSIGNING', 'ASSIGNED') "
                + "order by id desc", InboundCalls::row, userId).stream().findFirst();
    }

    private Instant now() {
        return clock.instant();
    }

    static InboundCall row(ResultSet rs, int n) throws SQLException {
        String result = rs.getString("result");
        return new InboundCall(rs.getLong("id"), rs.getString("call_sid"), rs.getLong("inbound_number_id"),
                rs.getString("from_number"), rs.getObject("lead_id", Long.class), Status.valueOf(rs.getString("status")),
                result == null ? null : Result.valueOf(result), rs.getInt("menu_attempts"), rs.getString("menu_key"),
                rs.getObject("team_id", Long.class), instant(rs, "enqueued_at"), rs.getString("assigned_to"),
                instant(rs, "assigned_at"), instant(rs, "answered_at"), rs.getObject("callback_id", Long.class),
                rs.getString("process_instance_id"), instant(rs, "started_at"), instant(rs, "ended_at"),
                rs.getString("group_key"), rs.getObject("ticket_id", Long.class));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
