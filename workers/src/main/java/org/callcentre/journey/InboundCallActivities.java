package org.callcentre.journey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.callcentre.inbound.InboundCall.Result;
import org.callcentre.journey.Activity.Kind;
import org.callcentre.journey.Activity.Link;
import org.callcentre.journey.Activity.Relation;
import org.callcentre.journey.Activity.Status;
import org.springframework.jdbc.core.JdbcTemplate;

/** The customer's inbound calls: every call from one of their numbers, or matched to their lead. */
public class InboundCallActivities implements JourneySource {

    private final JdbcTemplate jdbc;

    public InboundCallActivities(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Activity> activities(Customer customer) {
        return jdbc.query("select c.id, c.started_at, c.status, c.result, c.assigned_to, c.callback_id, n.number, "
                + "t.name team from inbound_call c join inbound_number n on n.id = c.inbound_number_id "
                + "left join team t on t.id = c.team_id where " + customer.condition("c.from_number", "c.lead_id"),
                this::activity, customer.arguments());
    }

    private Activity activity(ResultSet rs, int n) throws SQLException {
        long id = rs.getLong("id");
        String state = rs.getString("status");
        String resultName = rs.getString("result");
        Result result = resultName == null ? null : Result.valueOf(resultName);
        String agent = rs.getString("assigned_to");
        Status status = switch (state) {
            case "IVR", "QUEUED" -> Status.WAITING;
            case "ASSIGNING" -> Status.ASSIGNING;
            case "ASSIGNED" -> Status.ASSIGNED;
            default -> result == Result.FAILED ? Status.FAILED : Status.ENDED;
        };
        String detail = "called " + rs.getString("number") + ": " + (result != null && "ENDED".equals(state)
                ? ended(result, agent) : going(state, rs.getString("team"), agent));
        return new Activity(Kind.INBOUND_CALL, id, rs.getTimestamp("started_at").toInstant(), status, detail, agent,
                links(id, rs.getObject("callback_id", Long.class)));
    }

    /** How the call ended, in words. */
    static String ended(Result result, String agent) {
        return switch (result) {
            case SERVED -> "served" + (agent == null ? "" : " by " + agent);
            case LOST -> "lost (hung up while waiting)";
            case CALLBACK -> "callback asked for";
            case MISSED -> "missed (asked for a callback when the queue's callback requests were full)";
            case ABANDONED -> "abandoned in the menu";
            case FAILED -> "failed";
            case VOICEMAIL -> "to a group's voicemail";
            case REFERRED -> "told to use the website form";
        };
    }

    private static String going(String state, String team, String agent) {
        return switch (state) {
            case "IVR" -> "in the menu";
            case "QUEUED" -> "waiting in the queue" + (team == null ? "" : " of " + team);
            case "ASSIGNING" -> "being put through to " + agent;
            case "ASSIGNED" -> "talking to " + agent;
            default -> state.toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * The callback the call asked for or became (and the calls that served it), and the callbacks it made Neglected.
     * Also used by the call's own journey.
     */
    List<Link> links(long id, Long callbackId) {
        List<Link> links = new ArrayList<>();
        if (callbackId != null) {
            links.add(new Link(Kind.CALLBACK, callbackId, Relation.CALLBACK));
        }
        for (long other : jdbc.queryForList("select id from callback where origin_inbound_call_id = ? order by id",
                Long.class, id)) {
            if (callbackId == null || other != callbackId) {
                links.add(new Link(Kind.CALLBACK, other, Relation.CALLBACK));
            }
        }
        if (callbackId != null) {
            for (long served : jdbc.queryForList("select id from outbound_call where callback_id = ? order by id",
                    Long.class, callbackId)) {
                links.add(new Link(Kind.OUTBOUND_CALL, served, Relation.CALLBACK_SERVED_BY));
            }
        }
        for (long neglected : jdbc.queryForList("select id from callback where served_by_inbound_call_id = ? "
                + "order by id", Long.class, id)) {
            links.add(new Link(Kind.CALLBACK, neglected, Relation.NEGLECTED_CALLBACK));
        }
        return List.copyOf(links);
    }
}
