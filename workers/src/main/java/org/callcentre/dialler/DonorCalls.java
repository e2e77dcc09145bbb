package org.callcentre.dialler;

import java.util.Optional;

import org.callcentre.telephony.CallStatusUpdate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The donor's leg of a call the dialler placed, as other capabilities see it: card capture starts only on a live
 * call of the pledge's lead.
 */
public class DonorCalls {

    /**
     * @param conferenceName the agent's conference the donor was joined to
     * @param ended          the call is over (its final status was recorded, on the call or by the status log)
     */
    public record DonorCall(long callId, long leadId, String agentId, String conferenceName, boolean ended) {
    }

    private final JdbcTemplate jdbc;

    public DonorCalls(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<DonorCall> byCallSid(String callSid) {
        return jdbc.query("select oc.id, oc.lead_id, oc.user_id, oc.conference_name, oc.final, tc.status "
                + "from outbound_call oc left join telephony_call tc on tc.call_sid = oc.call_sid where oc.call_sid = ?",
                (rs, n) -> new DonorCall(rs.getLong("id"), rs.getLong("lead_id"), rs.getString("user_id"),
                        rs.getString("conference_name"),
                        rs.getBoolean("final") || CallStatusUpdate.isEnded(rs.getString("status"))),
                callSid).stream().findFirst();
    }
}
