package org.callcentre.recording;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.callcentre.support.GeneratedIds;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rows a recording stands on, written straight into the tables as the dialler, the users API and card capture
 * would leave them: a campaign, leads, calls with their sids, users' profiles, captures.
 */
final class RecordingRows {

    private static final Timestamp CREATED = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final JdbcTemplate jdbc;

    RecordingRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long campaign() {
        return insert("insert into campaign (name, currency, locale, instant_payment, tokens_enabled, payment_first, "
                + "created_at) values (?, 'GBP', 'en-GB', true, false, false, ?)", "Campaign " + NAMES.incrementAndGet(),
                CREATED);
    }

    long lead(String firstName, String lastName) {
        return insert("insert into lead (first_name, last_name, time_zone, first_phone, created_at) "
                + "values (?, ?, 'Europe/London', ?, ?)", firstName, lastName,
                "+4477009" + String.format("%05d", NAMES.incrementAndGet()), CREATED);
    }

    void user(String userId, boolean active) {
        jdbc.update("insert into call_centre_user (user_id, role, restricted, device, active, created_at, updated_at) "
                + "values (?, 'AGENT', false, ?, ?, ?, ?)", userId, "client:" + userId, active, CREATED, CREATED);
    }

    /** A call Twilio placed for the user to the lead, recorded or not; answers its sid. */
    String call(long campaignId, long leadId, String userId, boolean recorded) {
        String sid = newSid("CA");
        insert("insert into outbound_call (lead_id, user_id, campaign_id, conference_name, call_sid, to_number, "
                + "status, recorded, placed_at) values (?, ?, ?, ?, ?, '+447700900001', 'in-progress', ?, ?)", leadId,
                userId, campaignId, "agent-" + userId, sid, recorded, CREATED);
        return sid;
    }

    /** The dialler's row of a call Twilio created with recording. */
    void recordedCall(long campaignId, long leadId, String userId, String callSid) {
        insert("insert into outbound_call (lead_id, user_id, campaign_id, conference_name, call_sid, to_number, "
                + "status, recorded, placed_at) values (?, ?, ?, ?, ?, '+447700900123', 'in-progress', true, ?)",
                leadId, userId, campaignId, "agent-" + userId, callSid, CREATED);
    }

    long callId(String callSid) {
        return jdbc.queryForObject("select id from outbound_call where call_sid = ?", Long.class, callSid);
    }

    /** A card capture running on the call (status IN_PROGRESS, donor still in the IVR); answers its id. */
    String capture(long campaignId, long leadId, String callSid) {
        long pledge = insert("insert into pledge (campaign_id, donor_name, donor_phone, amount_minor, currency, "
                + "frequency, paid, created_at, lead_id) values (?, 'Dana Donor', '+447700900001', 2000, 'GBP', "
                + "'ONE_OFF', false, ?, ?)", campaignId, CREATED, leadId);
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into card_capture (id, pledge_id, running_pledge_id, call_sid, conference_name, agent_id, "
                + "status, step, failures, declines, donor_hung_up, donor_returned, started_at, payment_path, "
                + "amount_minor, currency) values (?, ?, ?, ?, 'agent-a', 'a', 'IN_PROGRESS', 0, 0, 0, false, false, "
                + "?, 'CHARGE_ONLY', 2000, 'GBP')", id, pledge, pledge, callSid, CREATED);
        return id;
    }

    void captureEnded(String captureId, String status) {
        jdbc.update("update card_capture set status = ?, running_pledge_id = null where id = ?", status, captureId);
    }

    void donorReturned(String captureId) {
        jdbc.update("update card_capture set donor_returned = true where id = ?", captureId);
    }

    static String newSid(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    private long insert(String sql, Object... arguments) {
        return GeneratedIds.insert(jdbc, sql, arguments);
    }
}
