package org.callcentre.journey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.callcentre.journey.Activity.Kind;
import org.callcentre.journey.Activity.Link;
import org.callcentre.journey.Activity.Relation;
import org.callcentre.journey.Activity.Status;
import org.springframework.jdbc.core.JdbcTemplate;

/** The customer's outbound calls: every call to one of their numbers, or to their lead. */
public class OutboundCallActivities implements JourneySource {

    private final JdbcTemplate jdbc;

    public OutboundCallActivities(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Activity> activities(Customer customer) {
        return jdbc.query("select id, placed_at, status, final, error_code, error_message, user_id, callback_id "
                + "from outbound_call where " + customer.condition("to_number", "lead_id"), this::activity,
                customer.arguments());
    }

    private Activity activity(ResultSet rs, int n) throws SQLException {
        long id = rs.getLong("id");
        String twilioStatus = rs.getString("status");
        Integer errorCode = rs.getObject("error_code", Integer.class);
        Status status = status(twilioStatus, rs.getBoolean("final"), errorCode);
        return new Activity(Kind.OUTBOUND_CALL, id, rs.getTimestamp("placed_at").toInstant(), status,
                detail(twilioStatus, errorCode, rs.getString("error_message")), rs.getString("user_id"),
                links(id, rs.getObject("callback_id", Long.class)));
    }

    /**
     * Not ended and not answered: the customer's phone is being reached (ASSIGNING); answered: ASSIGNED; ended:
     * FAILED when Twilio failed or refused it, else ENDED.
     */
    static Status status(String twilioStatus, boolean isFinal, Integer errorCode) {
        if (!isFinal) {
            return "in-progress".equals(twilioStatus) ? Status.ASSIGNED : Status.ASSIGNING;
        }
        return "failed".equals(twilioStatus) || errorCode != null ? Status.FAILED : Status.ENDED;
    }

    /** Twilio's status, with its code and message when it refused the call. */
    static String detail(String twilioStatus, Integer errorCode, String errorMessage) {
        return twilioStatus + (errorCode == null ? "" : " (Twilio error " + errorCode
                + (errorMessage == null ? "" : ": " + errorMessage) + ")");
    }

    /**
     * The callback the call served and where that callback came from, and the callbacks promised on it. Also used by
     * the call's own journey.
     */
    List<Link> links(long id, Long callbackId) {
        List<Link> links = new ArrayList<>();
        if (callbackId != null) {
            links.add(new Link(Kind.CALLBACK, callbackId, Relation.SERVED_CALLBACK));
            jdbc.query("select origin_call_id, origin_inbound_call_id from callback where id = ?", rs -> {
                Long call = rs.getObject("origin_call_id", Long.class);
                Long inbound = rs.getObject("origin_inbound_call_id", Long.class);
                if (call != null) {
                    links.add(new Link(Kind.OUTBOUND_CALL, call, Relation.CALLBACK_ORIGIN));
                }
                if (inbound != null) {
                    links.add(new Link(Kind.INBOUND_CALL, inbound, Relation.CALLBACK_ORIGIN));
                }
            }, callbackId);
        }
        for (long promised : jdbc.queryForList("select id from callback where origin_call_id = ? order by id",
                Long.class, id)) {
            links.add(new Link(Kind.CALLBACK, promised, Relation.CALLBACK));
        }
        return List.copyOf(links);
    }
}
