package org.callcentre.dialler;

import java.sql.Timestamp;
import java.time.Instant;
import org.callcentre.support.GeneratedIds;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dialler's rows written straight into the tables, as the imports and the teams API would leave them: what a
 * Next Lead test needs to stand on, without the capabilities that own those writes.
 */
final class DiallerRows {

    private static final Timestamp CREATED = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));

    private final JdbcTemplate jdbc;
    private int names;

    DiallerRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A campaign with the schema's default dialling rules (09:00 to 21:00, 60 minutes apart, 3 in 8 hours, 10). */
    long campaign() {
        return insert("insert into campaign (name, currency, locale, instant_payment, tokens_enabled, payment_first, "
                + "created_at) values (?, 'GBP', 'en-GB', true, true, false, ?)", "Campaign " + (++names), CREATED);
    }

    void callingHours(long campaignId, String start, String end) {
        jdbc.update("update campaign set calling_hours_start = ?, calling_hours_end = ? where id = ?", start, end,
                campaignId);
    }

    void maxAttemptsPerRecord(long campaignId, int max) {
        jdbc.update("update campaign set max_attempts_per_record = ? where id = ?", max, campaignId);
    }

    long callList(long campaignId) {
        return insert("insert into call_list (name, campaign_id, created_at) values (?, ?, ?)", "List " + (++names),
                campaignId, CREATED);
    }

    long team(String... agents) {
        long team = insert("insert into team (name, created_at) values (?, ?)", "Team " + (++names), CREATED);
        for (String agent : agents) {
            jdbc.update("insert into team_agent (user_id, team_id) values (?, ?)", agent, team);
        }
        return team;
    }

    void works(long teamId, long callListId, int weighting) {
        jdbc.update("insert into team_call_list (team_id, call_list_id, weighting) values (?, ?, ?)", teamId,
                callListId, weighting);
    }

    /** A new lead in {@code time_zone}, in the given lists; ids grow, so a later lead is a newer one. */
    long lead(String timeZone, long... callListIds) {
        String phone = "+4477009" + String.format("%05d", ++names);
        long lead = insert("insert into lead (time_zone, first_phone, created_at) values (?, ?, ?)", timeZone, phone,
                CREATED);
        jdbc.update("insert into lead_phone (lead_id, position, number) values (?, 1, ?)", lead, phone);
        if (jdbc.queryForObject("select count(*) from lead_time_zone where time_zone = ?", Integer.class,
                timeZone) == 0) {
            jdbc.update("insert into lead_time_zone (time_zone) values (?)", timeZone);
        }
        for (long list : callListIds) {
            addToList(lead, list);
        }
        return lead;
    }

    void addToList(long leadId, long callListId) {
        jdbc.update("insert into lead_call_list (call_list_id, lead_id, added_at) values (?, ?, ?)", callListId,
                leadId, CREATED);
    }

    /**
     * Calls placed to the lead, as the calls capability records them: attempts, the last call, and next_call_at from
     * the campaign's minimum gap and its cap on calls in 8 hours.
     */
    void placed(long leadId, long campaignId, Instant... placedAt) {
        int gap = jdbc.queryForObject("select min_minutes_between_calls from campaign where id = ?", Integer.class,
                campaignId);
        int cap = jdbc.queryForObject("select max_attempts_in_8_hours from campaign where id = ?", Integer.class,
                campaignId);
        Instant last = placedAt[placedAt.length - 1];
        Instant next = last.plusSeconds(60L * gap);
        int inWindow = 0;
        Instant oldestInWindow = last;
        for (Instant at : placedAt) {
            if (!at.isBefore(last.minusSeconds(8 * 3600))) {
                inWindow++;
                oldestInWindow = at.isBefore(oldestInWindow) ? at : oldestInWindow;
            }
        }
        if (inWindow >= cap && oldestInWindow.plusSeconds(8 * 3600).isAfter(next)) {
            next = oldestInWindow.plusSeconds(8 * 3600);
        }
        jdbc.update("update lead set attempts = attempts + ?, last_call_at = ?, next_call_at = ? where id = ?",
                placedAt.length, Timestamp.from(last), Timestamp.from(next), leadId);
    }

    /** The agent's most recent status, with dialable kept as the leads capability keeps it. */
    void status(long leadId, CallStatus status) {
        jdbc.update("update lead set last_call_status = ?, last_status_at = ?, dialable = ? where id = ?",
                status.name(), CREATED, !status.blocksCalling(), leadId);
    }

    /** Another number of the lead, after its others. */
    String anotherNumber(long leadId) {
        String phone = "+4477008" + String.format("%05d", ++names);
        jdbc.update("insert into lead_phone (lead_id, position, number) values (?, (select max(position) + 1 from "
                + "lead_phone where lead_id = ?), ?)", leadId, leadId, phone);
        return phone;
    }

    /** A call Twilio placed to {@code to} and that ended with {@code status}, as the calls capability records it. */
    long call(long leadId, long campaignId, String to, String status) {
        return insert("insert into outbound_call (lead_id, user_id, campaign_id, conference_name, to_number, call_sid, "
                + "status, final, placed_at, ended_at) values (?, 'ann', ?, 'agent-ann', ?, ?, ?, true, ?, ?)", leadId,
                campaignId, to, "CA" + (++names), status, CREATED, CREATED);
    }

    void notDialable(long leadId) {
        jdbc.update("update lead set dialable = false where id = ?", leadId);
    }

    void lockedBy(long leadId, String userId, Instant touchedAt) {
        jdbc.update("update lead set locked_by = ?, locked_at = ?, lock_touched_at = ? where id = ?", userId,
                Timestamp.from(touchedAt), Timestamp.from(touchedAt), leadId);
    }

    private long insert(String sql, Object... arguments) {
        return GeneratedIds.insert(jdbc, sql, arguments);
    }
}
