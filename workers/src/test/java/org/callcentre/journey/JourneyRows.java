package org.callcentre.journey;

import java.sql.Timestamp;
import java.time.Instant;

import org.callcentre.support.GeneratedIds;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Calls and callbacks written straight into their tables, as the inbound, dialler and callback capabilities leave
 * them: what a journey test reads, without the models that write them.
 */
final class JourneyRows {

    private static final Timestamp CREATED = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));

    private final JdbcTemplate jdbc;
    private int names;

    JourneyRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long campaign() {
        return insert("insert into campaign (name, currency, locale, instant_payment, tokens_enabled, payment_first, "
                + "created_at) values (?, 'GBP', 'en-GB', true, true, false, ?)", "Campaign " + (++names), CREATED);
    }

    long team(String name, String... agents) {
        long team = insert("insert into team (name, created_at) values (?, ?)", name, CREATED);
        for (String agent : agents) {
            jdbc.update("insert into team_agent (user_id, team_id) values (?, ?)", agent, team);
        }
        return team;
    }

    void user(String userId, String device) {
        jdbc.update("insert into call_centre_user (user_id, role, device, created_at, updated_at) "
                + "values (?, 'AGENT', ?, ?, ?)", userId, device, CREATED, CREATED);
    }

    /** A lead with these numbers, in order. */
    long lead(String firstName, String lastName, String... numbers) {
        long lead = insert("insert into lead (first_name, last_name, time_zone, first_phone, created_at) "
                + "values (?, ?, 'Europe/London', ?, ?)", firstName, lastName, numbers[0], CREATED);
        for (int i = 0; i < numbers.length; i++) {
            jdbc.update("insert into lead_phone (lead_id, position, number) values (?, ?, ?)", lead, i + 1,
                    numbers[i]);
        }
        return lead;
    }

    void lockedBy(long leadId, String userId, Instant at) {
        jdbc.update("update lead set locked_by = ?, locked_at = ?, lock_touched_at = ? where id = ?", userId,
                Timestamp.from(at), Timestamp.from(at), leadId);
    }

    long inboundNumber(String number, long campaignId) {
        return insert("insert into inbound_number (number, locale, greeting, campaign_id, created_at, updated_at) "
                + "values (?, 'en-GB', 'Hello', ?, ?, ?)", number, campaignId, CREATED, CREATED);
    }

    /** An inbound call from {@code from} that started at {@code startedAt}, still in the menu. */
    long inboundCall(long inboundNumberId, String from, Long leadId, Instant startedAt) {
        return insert("insert into inbound_call (call_sid, inbound_number_id, from_number, lead_id, status, "
                + "started_at) values (?, ?, ?, ?, 'IVR', ?)", "CA-in-" + (++names), inboundNumberId, from, leadId,
                Timestamp.from(startedAt));
    }

    void queued(long inboundCallId, long teamId, Instant at) {
        jdbc.update("update inbound_call set status = 'QUEUED', team_id = ?, menu_key = '1', enqueued_at = ? "
                + "where id = ?", teamId, Timestamp.from(at), inboundCallId);
    }

    void putThrough(long inboundCallId, String userId, Instant assignedAt, Instant answeredAt) {
        jdbc.update("update inbound_call set status = 'ASSIGNED', assigned_to = ?, assigned_at = ?, answered_at = ? "
                + "where id = ?", userId, Timestamp.from(assignedAt), Timestamp.from(answeredAt), inboundCallId);
    }

    void inboundEnded(long inboundCallId, String result, Instant at, Long callbackId) {
        jdbc.update("update inbound_call set status = 'ENDED', result = ?, ended_at = ?, callback_id = ? where id = ?",
                result, Timestamp.from(at), callbackId, inboundCallId);
    }

    /** A call the agent placed to {@code to} at {@code placedAt}, not yet answered. */
    long outboundCall(long leadId, long campaignId, String userId, String from, String to, Instant placedAt) {
        return insert("insert into outbound_call (lead_id, user_id, campaign_id, conference_name, call_sid, "
                + "from_number, to_number, status, placed_at) values (?, ?, ?, ?, ?, ?, ?, 'queued', ?)", leadId,
                userId, campaignId, "agent-" + userId, "CA-out-" + (++names), from, to, Timestamp.from(placedAt));
    }

    /** The call moved to {@code status} at {@code at}, as Twilio's callbacks move it; a final one ends it. */
    void status(long callId, String status, Instant at, boolean isFinal) {
        jdbc.update("insert into outbound_call_status (call_id, status, recorded_at) values (?, ?, ?)", callId, status,
                Timestamp.from(at));
        jdbc.update("update outbound_call set status = ?, final = ?, ended_at = ? where id = ?", status, isFinal,
                isFinal ? Timestamp.from(at) : null, callId);
    }

    void refused(long callId, int code, String message, Instant at) {
        jdbc.update("update outbound_call set call_sid = null, error_code = ?, error_message = ? where id = ?", code,
                message, callId);
        status(callId, "failed", at, true);
    }

    void outcome(long leadId, long callId, String status, Instant at) {
        jdbc.update("insert into lead_call_status (lead_id, status, call_id, user_id, recorded_at) "
                + "values (?, ?, ?, 'ann', ?)", leadId, status, callId, Timestamp.from(at));
    }

    /** A Call Back Queue callback for a caller (origin IVR or LOST_CALL) made at {@code at}. */
    long callerCallback(long leadId, String phone, long teamId, long campaignId, String origin, long inboundCallId,
            Instant at) {
        return insert("insert into callback (lead_id, phone, mode, team_id, campaign_id, reason, due_at, due_local, "
                + "time_zone, status, created_by, origin, origin_inbound_call_id, created_at, updated_at) "
                + "values (?, ?, 'QUEUE', ?, ?, 'called in', ?, '2026-06-01T10:00', 'Europe/London', 'SCHEDULED', "
                + "'system', ?, ?, ?, ?)", leadId, phone, teamId, campaignId, Timestamp.from(at), origin,
                inboundCallId, Timestamp.from(at), Timestamp.from(at));
    }

    /** A Call Back Agent callback the agent promised on a call, made at {@code at}. */
    long agentCallback(long leadId, String phone, long teamId, long campaignId, String owner, Long originCallId,
            Instant at) {
        return insert("insert into callback (lead_id, phone, mode, owner_user_id, team_id, campaign_id, reason, "
                + "due_at, due_local, time_zone, status, created_by, origin, origin_call_id, created_at, updated_at) "
                + "values (?, ?, 'AGENT', ?, ?, ?, 'call me on my other number', ?, '2026-06-01T12:00', "
                + "'Europe/London', 'SCHEDULED', ?, 'AGENT', ?, ?, ?)", leadId, phone, owner, teamId, campaignId,
                Timestamp.from(at), owner, originCallId, Timestamp.from(at), Timestamp.from(at));
    }

    /** The call serves the callback, as Next Lead's offer and the call's placing leave them. */
    void serves(long callId, long callbackId, String userId) {
        jdbc.update("update callback set status = 'IN_CALL', offered_to = ?, served_by_call_id = ? where id = ?",
                userId, callId, callbackId);
        jdbc.update("update outbound_call set callback_id = ? where id = ?", callbackId, callId);
    }

    void closed(long callbackId, String status, String outcome, Instant at) {
        jdbc.update("update callback set status = ?, outcome = ?, closed_at = ?, updated_at = ? where id = ?", status,
                outcome, Timestamp.from(at), Timestamp.from(at), callbackId);
    }

    /** An inbound call that served the callback's number made it Neglected. */
    void neglectedBy(long callbackId, long inboundCallId, Instant at) {
        jdbc.update("update callback set served_by_inbound_call_id = ? where id = ?", inboundCallId, callbackId);
        closed(callbackId, "NEGLECTED", "the caller called in again and was served (inbound call " + inboundCallId
                + ")", at);
    }

    private long insert(String sql, Object... arguments) {
        return GeneratedIds.insert(jdbc, sql, arguments);
    }
}
