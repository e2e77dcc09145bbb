package org.callcentre.dialler;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.callcentre.user.CallCentreUser;
import org.callcentre.user.CallCentreUsers;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What placing a call reads from the rest of the dialler, in one place: users' devices, campaigns' rules and caller
 * IDs, leads' locks and numbers. Each rule stays with its owner ({@link CallCentreUsers}, {@link CampaignDialling},
 * {@link CallerIds}, {@link LeadLocks}, {@link Leads}); the reads only the call needs are here. All in the caller's
 * transaction.
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
    private final CallCentreUsers users;
    private final CampaignDialling dialling;
    private final CallerIds callerIds;
    private final LeadLocks locks;
    private final Leads leads;

    public DiallerFacts(JdbcTemplate jdbc, CallCentreUsers users, CampaignDialling dialling, CallerIds callerIds,
            LeadLocks locks, Leads leads) {
        this.jdbc = jdbc;
        this.users = users;
        this.dialling = dialling;
        this.callerIds = callerIds;
        this.locks = locks;
        this.leads = leads;
    }

    /** Where the user's phone rings. */
    public Optional<String> device(String userId) {
        return users.user(userId).map(CallCentreUser::device).filter(device -> !device.isBlank());
    }

    public Optional<DiallingRules> rules(long campaignId) {
        return dialling.rules(campaignId);
    }

    public boolean lockHeldBy(long leadId, String userId) {
        return locks.heldBy(leadId, userId);
    }

    public void touchLock(long leadId, String userId) {
        locks.touch(leadId, userId);
    }

    public Optional<LeadFacts> lead(long leadId) {
        return jdbc.query("select id, time_zone, last_call_status from lead where id = ?", (rs, n) -> new LeadFacts(
                rs.getLong("id"), ZoneId.of(rs.getString("time_zone")), rs.getString("last_call_status") == null ? null
                        : CallStatus.valueOf(rs.getString("last_call_status"))), leadId).stream().findFirst();
    }

    /**
     * The lead's numbers in the order a call tries them, each with whether it is invalid or on the do-not-call list:
     * the lead's next number first when a call-outcome decision chose one ({@code lead.next_number}), then the
     * numbers in their order.
     */
    public List<Number> numbers(long leadId) {
        return jdbc.query("select p.number, p.invalid, case when d.number is null then false else true end as dnc "
                + "from lead_phone p join lead l on l.id = p.lead_id left join do_not_call d on d.number = p.number "
                + "where p.lead_id = ? order by case when p.number = l.next_number then 0 else 1 end, p.position",
                (rs, n) -> new Number(rs.getString("number"), rs.getBoolean("invalid"), rs.getBoolean("dnc")), leadId);
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

    public Optional<String> takeLeastUsed(long campaignId) {
        return callerIds.takeLeastUsed(campaignId);
    }

    public void markInvalid(long leadId, String number, String reason) {
        leads.markInvalid(leadId, number, reason);
    }
}
