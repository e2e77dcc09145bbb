package org.callcentre.journey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.callcentre.callback.Callback;
import org.callcentre.journey.Activity.Kind;
import org.callcentre.journey.Activity.Link;
import org.callcentre.journey.Activity.Relation;
import org.callcentre.journey.Activity.Status;
import org.springframework.jdbc.core.JdbcTemplate;

/** The customer's callbacks: every callback to one of their numbers, or of their lead. */
public class CallbackActivities implements JourneySource {

    private final JdbcTemplate jdbc;

    public CallbackActivities(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Activity> activities(Customer customer) {
        return jdbc.query("select c.id, c.created_at, c.status, c.outcome, c.origin, c.created_by, c.owner_user_id, "
                + "c.offered_to, c.origin_call_id, c.origin_inbound_call_id, c.served_by_call_id, "
                + "c.served_by_inbound_call_id, s.user_id served_by_user, i.assigned_to neglected_by_user "
                + "from callback c left join outbound_call s on s.id = c.served_by_call_id "
                + "left join inbound_call i on i.id = c.served_by_inbound_call_id where "
                + customer.condition("c.phone", "c.lead_id"), this::activity, customer.arguments());
    }

    private Activity activity(ResultSet rs, int n) throws SQLException {
        long id = rs.getLong("id");
        Callback.Status state = Callback.Status.valueOf(rs.getString("status"));
        Status status = switch (state) {
            case SCHEDULED, DUE -> Status.WAITING;
            case OFFERED -> Status.ASSIGNING;
            case IN_CALL -> Status.ASSIGNED;
            case DONE, NEGLECTED, CANCELLED -> Status.ENDED;
            case FAILED -> Status.FAILED;
        };
        Long originCall = rs.getObject("origin_call_id", Long.class);
        Long originInbound = rs.getObject("origin_inbound_call_id", Long.class);
        String origin = switch (rs.getString("origin")) {
            case "IVR" -> "asked for while waiting in the queue (inbound call " + originInbound + ")";
            case "LOST_CALL" -> "made of lost inbound call " + originInbound;
            default -> "scheduled by " + rs.getString("created_by") + (originCall == null ? ""
                    : " on call " + originCall);
        };
        String outcome = rs.getString("outcome");
        String detail = origin + "; " + state.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + (outcome == null ? "" : ": " + outcome);
        String agent = firstOf(rs.getString("served_by_user"), rs.getString("neglected_by_user"),
                rs.getString("offered_to"), rs.getString("owner_user_id"));
        return new Activity(Kind.CALLBACK, id, rs.getTimestamp("created_at").toInstant(), status, detail, agent,
                links(id, originCall, originInbound, rs.getObject("served_by_inbound_call_id", Long.class)));
    }

    /** Where the callback came from, every call that served it, and the inbound call that made it Neglected. */
    private List<Link> links(long id, Long originCall, Long originInbound, Long neglectedBy) {
        List<Link> links = new ArrayList<>();
        if (originCall != null) {
            links.add(new Link(Kind.OUTBOUND_CALL, originCall, Relation.ORIGIN));
        }
        if (originInbound != null) {
            links.add(new Link(Kind.INBOUND_CALL, originInbound, Relation.ORIGIN));
        }
        for (long again : jdbc.queryForList("select id from inbound_call where callback_id = ? order by id",
                Long.class, id)) {
            if (originInbound == null || again != originInbound) {
                links.add(new Link(Kind.INBOUND_CALL, again, Relation.ASKED_AGAIN_IN));
            }
        }
        for (long served : jdbc.queryForList("select id from outbound_call where callback_id = ? order by id",
                Long.class, id)) {
            links.add(new Link(Kind.OUTBOUND_CALL, served, Relation.SERVED_BY));
        }
        if (neglectedBy != null) {
            links.add(new Link(Kind.INBOUND_CALL, neglectedBy, Relation.NEGLECTED_BY));
        }
        return List.copyOf(links);
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
