package org.callcentre.dialler;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.callcentre.dialler.LeadHistory.Kind;
import org.callcentre.telephony.CallStatusUpdate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * The outbound calls ({@code outbound_call} and the statuses each moved through), in the caller's transaction. A
 * status only moves a call forward (queued, initiated, ringing, in-progress, then one final status) and a call ends
 * once: both are conditional updates, so concurrent and repeated callbacks cannot undo or repeat them.
 */
public class OutboundCalls {

    /** The statuses before the end, in the order a call moves through them. */
    static final List<String> PROGRESS = List.of("queued", "initiated", "ringing", "in-progress");

    /** What applying a status did to the call. */
    public enum Change {
        /** Nothing: not a call of ours, older than what is known, a repeat, or the call had already ended. */
        NONE,
        /** The call moved to a later status before the end. */
        PROGRESSED,
        /** The call ended now (this was its first final status). */
        ENDED
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final LeadHistory history;
    private final LeadReadiness readiness;

    public OutboundCalls(JdbcTemplate jdbc, Clock clock, LeadHistory history) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.history = history;
        this.readiness = new LeadReadiness(jdbc, clock);
    }

    /** A new call, {@code queued}, not yet placed. */
    public long open(long leadId, String userId, long campaignId, String conferenceName, String to,
            boolean overrideCallingHours) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        Timestamp now = now();
        jdbc.update(connection -> {
            var insert = connection.prepareStatement("insert into outbound_call (lead_id, user_id, campaign_id, "
                    + "conference_name, to_number, status, override_calling_hours, placed_at) "
                    + "values (?, ?, ?, ?, ?, 'queued', ?, ?)", new String[] {"id"});
            insert.setLong(1, leadId);
            insert.setString(2, userId);
            insert.setLong(3, campaignId);
            insert.setString(4, conferenceName);
            insert.setString(5, to);
            insert.setBoolean(6, overrideCallingHours);
            insert.setTimestamp(7, now);
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    public void recordProcessInstance(long callId, String processInstanceId) {
        jdbc.update("update outbound_call set process_instance_id = ? where id = ?", processInstanceId, callId);
    }

    public Optional<OutboundCall> call(long callId) {
        return jdbc.query("select * from outbound_call where id = ?", this::row, callId).stream().findFirst();
    }

    /** The call, its row locked until the transaction ends: the create job and a hang-up wait for each other. */
    public Optional<OutboundCall> lock(long callId) {
        return jdbc.query("select * from outbound_call where id = ? for update", this::row, callId).stream()
                .findFirst();
    }

    /**
     * Locks the row of the call that the process instance runs, if it runs one, until the transaction ends: what
     * finishes the call's Talk task (the console, a Tasklist form) takes this lock first, so they never overlap.
     */
    public Optional<Long> lockOfProcess(String processInstanceId) {
        return jdbc.queryForList("select id from outbound_call where process_instance_id = ? for update", Long.class,
                processInstanceId).stream().findFirst();
    }

    public Optional<Long> idOfSid(String callSid) {
        return jdbc.queryForList("select id from outbound_call where call_sid = ?", Long.class, callSid).stream()
                .findFirst();
    }

    /** The user's call that has not ended, if any. */
    public Optional<Long> liveCallOf(String userId) {
        return jdbc.queryForList("select id from outbound_call where user_id = ? and final = false", Long.class,
                userId).stream().findFirst();
    }

    public void callerIdChosen(long callId, String from) {
        jdbc.update("update outbound_call set from_number = ? where id = ?", from, callId);
    }

    /**
     * Twilio created the call: it is an attempt on the lead. The lead's attempts, last call and the earliest next
     * call follow the campaign's minimum gap and its cap on calls in 8 hours, counted from the calls placed.
     */
    public void placed(long callId, String callSid, int minMinutesBetweenCalls, int maxAttemptsIn8Hours) {
        OutboundCall call = call(callId).orElseThrow();
        Instant now = clock.instant();
        jdbc.update("update outbound_call set call_sid = ?, placed_at = ? where id = ?", callSid, Timestamp.from(now),
                callId);
        Instant next = now.plus(Duration.ofMinutes(minMinutesBetweenCalls));
        List<Instant> recent = jdbc.query("select placed_at from outbound_call where lead_id = ? "
                + "and call_sid is not null and placed_at > ? order by placed_at",
                (rs, n) -> rs.getTimestamp(1).toInstant(), call.leadId(), Timestamp.from(now.minus(Duration.ofHours(8))));
        if (maxAttemptsIn8Hours > 0 && recent.size() >= maxAttemptsIn8Hours) {
            Instant capEnds = recent.get(recent.size() - maxAttemptsIn8Hours).plus(Duration.ofHours(8));
            if (capEnds.isAfter(next)) {
                next = capEnds;
            }
        }
        jdbc.update("update lead set attempts = attempts + 1, last_call_at = ?, next_call_at = ? where id = ?",
                Timestamp.from(now), Timestamp.from(next), call.leadId());
        readiness.sync(call.leadId());
        history.record(call.leadId(), call.userId(), Kind.CALL_PLACED, "call " + callId + " from " + call.from()
                + " to " + call.to() + (call.overrideCallingHours() ? ", outside calling hours by override" : ""));
    }

    /** Twilio was asked to record the call: a card capture on it must pause the recording first. */
    public void markRecorded(long callId) {
        jdbc.update("update outbound_call set recorded = true where id = ?", callId);
    }

    /** Twilio refused to place the call: its code and message, kept until the call is recorded as failed. */
    public void refused(long callId, int code, String message) {
        jdbc.update("update outbound_call set error_code = ?, error_message = ? where id = ?", code,
                truncate(message, 500), callId);
    }

    /**
     * The dialling compliance refused the call before Twilio was asked: why, kept (without a Twilio code) until the
     * call is recorded as failed.
     */
    public void refusedByCompliance(long callId, String message) {
        jdbc.update("update outbound_call set error_code = null, error_message = ? where id = ?",
                truncate(message, 500), callId);
    }

    /** The call ended before Twilio placed it: failed, not billable, not an attempt. False if it had ended. */
    public boolean failedBeforePlacing(long callId, String reason) {
        OutboundCall call = call(callId).orElseThrow();
        Timestamp now = now();
        if (jdbc.update("update outbound_call set status = 'failed', final = true, billable = false, ended_at = ? "
                + "where id = ? and final = false", now, callId) != 1) {
            return false;
        }
        jdbc.update("insert into outbound_call_status (call_id, status, sequence_number, recorded_at) "
                + "values (?, 'failed', null, ?)", callId, now);
        history.record(call.leadId(), null, Kind.CALL_FAILED, "call " + callId + " to " + call.to() + " failed: "
                + reason);
        return true;
    }

    /**
     * Applies one of Twilio's statuses to the call with that sid. A status before the end moves the call only to a
     * later one; a final status ends it once, billable only when {@code completed}.
     */
    public Change apply(String callSid, String status, Integer sequenceNumber, Integer durationSeconds) {
        Optional<Long> id = idOfSid(callSid);
        if (id.isEmpty()) {
            return Change.NONE;
        }
        long callId = id.get();
        Timestamp now = now();
        if (CallStatusUpdate.isEnded(status)) {
            if (jdbc.update("update outbound_call set status = ?, sequence_number = coalesce(?, sequence_number), "
                    + "final = true, billable = ?, duration_seconds = ?, ended_at = ? where id = ? and final = false",
                    status, sequenceNumber, "completed".equals(status), durationSeconds, now, callId) != 1) {
                return Change.NONE;
            }
            recordStatus(callId, status, sequenceNumber, now);
            OutboundCall call = call(callId).orElseThrow();
            history.record(call.leadId(), null, Kind.CALL_ENDED, "call " + callId + " to " + call.to() + " ended "
                    + status + (durationSeconds == null ? "" : " after " + durationSeconds + " s")
                    + ("completed".equals(status) ? " (billable)" : ""));
            return Change.ENDED;
        }
        int rank = PROGRESS.indexOf(status);
        if (rank <= 0) {
            return Change.NONE;
        }
        String earlier = PROGRESS.subList(0, rank).stream().collect(Collectors.joining("', '", "('", "')"));
        if (jdbc.update("update outbound_call set status = ?, sequence_number = coalesce(?, sequence_number) "
                + "where id = ? and final = false and status in " + earlier, status, sequenceNumber, callId) != 1) {
            // Older than the call's status: the call does not move back, but Twilio did report it (a status caught
            // up after a later one was applied), so the history keeps it once.
            jdbc.update("insert into outbound_call_status (call_id, status, sequence_number, recorded_at) "
                    + "select ?, ?, ?, ? from outbound_call where id = ? and not exists (select 1 from "
                    + "outbound_call_status where call_id = ? and status = ?)", callId, status, sequenceNumber, now,
                    callId, callId, status);
            return Change.NONE;
        }
        recordStatus(callId, status, sequenceNumber, now);
        return Change.PROGRESSED;
    }

    /** When the call last changed: its last status, or when it was placed. */
    public Instant lastHeardOf(long callId) {
        Timestamp last = jdbc.queryForObject("select max(recorded_at) from outbound_call_status where call_id = ?",
                Timestamp.class, callId);
        return last != null ? last.toInstant() : call(callId).orElseThrow().placedAt();
    }

    private void recordStatus(long callId, String status, Integer sequenceNumber, Timestamp now) {
        jdbc.update("insert into outbound_call_status (call_id, status, sequence_number, recorded_at) "
                + "values (?, ?, ?, ?)", callId, status, sequenceNumber, now);
    }

    private List<OutboundCall.StatusChange> statusHistory(long callId) {
        // In Twilio's order where it numbered the statuses; a status caught up late is then in its place.
        return jdbc.query("select status, sequence_number, recorded_at from outbound_call_status where call_id = ? "
                + "order by sequence_number nulls last, id", (rs, n) -> new OutboundCall.StatusChange(rs.getString("status"),
                        rs.getObject("sequence_number", Integer.class), rs.getTimestamp("recorded_at").toInstant()),
                callId);
    }

    private OutboundCall row(ResultSet rs, int n) throws SQLException {
        long id = rs.getLong("id");
        Timestamp ended = rs.getTimestamp("ended_at");
        return new OutboundCall(id, rs.getLong("lead_id"), rs.getString("user_id"), rs.getLong("campaign_id"),
                rs.getString("conference_name"), rs.getString("call_sid"), rs.getString("from_number"),
                rs.getString("to_number"), rs.getString("status"), rs.getObject("sequence_number", Integer.class),
                rs.getBoolean("final"), rs.getBoolean("billable"), rs.getObject("duration_seconds", Integer.class),
                rs.getObject("error_code", Integer.class), rs.getString("error_message"),
                rs.getBoolean("override_calling_hours"), rs.getTimestamp("placed_at").toInstant(),
                ended == null ? null : ended.toInstant(), statusHistory(id));
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static String truncate(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
