package org.callcentre.dialler;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.callcentre.dialler.LeadHistory.Kind;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What placing a call reads from (and the two things it writes to) the rest of the dialler: users' devices, campaigns'
 * rules and caller IDs, leads' locks and numbers. Each method says which shared class owns the rule; they read the
 * same tables with the same meaning, in the caller's transaction.
 */
public class DiallerFacts {

    /** A lead's facts a call needs. */
    public record LeadFacts(long id, ZoneId timeZone, CallStatus lastCallStatus) {
    }

    /** One of the lead's numbers. */
    public record Number(String number, boolean invalid, boolean doNotCall) {
        public boolean dialable() {
            return !invalid && !doNotCall;
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final DiallerProperties properties;
    private final LeadHistory history;

    public DiallerFacts(JdbcTemplate jdbc, Clock clock, DiallerProperties properties, LeadHistory history) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
        this.history = history;
    }

    /** Where the user's phone rings ({@code CallCentreUsers}). */
    public Optional<String> device(String userId) {
        return jdbc.queryForList("select device from call_centre_user where user_id = ?", String.class, userId)
                .stream().filter(device -> device != null && !device.isBlank()).findFirst();
    }

    /** The campaign's dialling rules ({@code CampaignDialling.rules}). */
    public Optional<DiallingRules> rules(long campaignId) {
        return jdbc.query("select id, min_minutes_between_calls, max_attempts_in_8_hours, max_attempts_per_record, "
                + "calling_hours_start, calling_hours_end, default_time_zone, default_region from campaign where id = ?",
                (rs, n) -> new DiallingRules(rs.getLong("id"), rs.getInt("min_minutes_between_calls"),
                        rs.getInt("max_attempts_in_8_hours"), rs.getInt("max_attempts_per_record"),
                        LocalTime.parse(rs.getString("calling_hours_start")),
                        LocalTime.parse(rs.getString("calling_hours_end")), ZoneId.of(rs.getString("default_time_zone")),
                        rs.getString("default_region").trim()), campaignId).stream().findFirst();
    }

    /** Whether the user holds a live lock on the lead ({@code LeadLocks.heldBy}). */
    public boolean lockHeldBy(long leadId, String userId) {
        Timestamp idleSince = Timestamp.from(clock.instant().minusSeconds(60L * properties.lockIdleMinutes()));
        return jdbc.queryForObject("select count(*) from lead where id = ? and locked_by = ? and lock_touched_at > ?",
                Integer.class, leadId, userId, idleSince) == 1;
    }

    /** Activity on the lead by its holder: the lock's idle time starts again ({@code LeadLocks.touch}). */
    public void touchLock(long leadId, String userId) {
        jdbc.update("update lead set lock_touched_at = ? where id = ? and locked_by = ?", Timestamp.from(clock.instant()),
                leadId, userId);
    }

    public Optional<LeadFacts> lead(long leadId) {
        return jdbc.query("select id, time_zone, last_call_status from lead where id = ?", (rs, n) -> new LeadFacts(
                rs.getLong("id"), ZoneId.of(rs.getString("time_zone")), rs.getString("last_call_status") == null ? null
                        : CallStatus.valueOf(rs.getString("last_call_status"))), leadId).stream().findFirst();
    }

    /** The lead's numbers in their order, each with whether it is invalid or on the do-not-call list. */
    public List<Number> numbers(long leadId) {
        return jdbc.query("select p.number, p.invalid, case when d.number is null then false else true end as dnc "
                + "from lead_phone p left join do_not_call d on d.number = p.number where p.lead_id = ? "
                + "order by p.position", (rs, n) -> new Number(rs.getString("number"), rs.getBoolean("invalid"),
                        rs.getBoolean("dnc")), leadId);
    }

    /**
     * The campaign a call to the lead belongs to: of the lead's call lists, the one in the user's team with the
     * highest weighting, else the one the lead joined last.
     */
    public Optional<Long> campaignFor(long leadId, String userId) {
        List<Long> teamCampaigns = jdbc.queryForList("select cl.campaign_id from lead_call_list lcl "
                + "join call_list cl on cl.id = lcl.call_list_id "
                + "join team_call_list tcl on tcl.call_list_id = cl.id "
                + "join team_agent ta on ta.team_id = tcl.team_id and ta.user_id = ? "
                + "where lcl.lead_id = ? order by tcl.weighting desc, lcl.added_at desc, cl.id desc", Long.class,
                userId, leadId);
        if (!teamCampaigns.isEmpty()) {
            return Optional.of(teamCampaigns.get(0));
        }
        return jdbc.queryForList("select cl.campaign_id from lead_call_list lcl join call_list cl on cl.id = "
                + "lcl.call_list_id where lcl.lead_id = ? order by lcl.added_at desc, cl.id desc", Long.class, leadId)
                .stream().findFirst();
    }

    /**
     * The caller ID to place a call from ({@code CallerIds.takeLeastUsed}): the campaign's number used least today
     * (in the campaign's time zone) that is not spam-flagged; its use is counted. Empty when there is none.
     */
    public Optional<String> takeLeastUsed(long campaignId) {
        Optional<DiallingRules> rules = rules(campaignId);
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        Date today = Date.valueOf(LocalDate.now(clock.withZone(rules.get().defaultTimeZone())));
        List<String> numbers = jdbc.queryForList("select number from caller_id where campaign_id = ? "
                + "and spam_flagged = false order by case when used_on = ? then used_count else 0 end, number "
                + "for update", String.class, campaignId, today);
        if (numbers.isEmpty()) {
            return Optional.empty();
        }
        String number = numbers.get(0);
        jdbc.update("update caller_id set used_count = case when used_on = ? then used_count + 1 else 1 end, "
                + "used_on = ? where campaign_id = ? and number = ?", today, today, campaignId, number);
        return Optional.of(number);
    }

    /**
     * Twilio refused the number ({@code Leads.markInvalid}): never dialled again, and the lead is no longer dialable
     * when no number is left.
     */
    public void markInvalid(long leadId, String number, String reason) {
        if (jdbc.update("update lead_phone set invalid = true where lead_id = ? and number = ? and invalid = false",
                leadId, number) == 0) {
            return;
        }
        jdbc.update("update lead set dialable = false where id = ? and not exists (select 1 from lead_phone p "
                + "where p.lead_id = lead.id and p.invalid = false and p.number not in (select number from do_not_call))",
                leadId);
        history.record(leadId, null, Kind.NUMBER_INVALID, number + ": " + reason);
    }
}
