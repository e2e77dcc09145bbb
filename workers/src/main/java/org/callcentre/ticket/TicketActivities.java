package org.callcentre.ticket;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.callcentre.journey.Activity;
import org.callcentre.journey.Activity.Kind;
import org.callcentre.journey.Activity.Link;
import org.callcentre.journey.Activity.Relation;
import org.callcentre.journey.Activity.Status;
import org.callcentre.journey.Customer;
import org.callcentre.journey.JourneySource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The customer's tickets: every ticket whose end-user has one of their numbers. A journey names the ticket's group
 * and status only, not its title: whoever may see a caller's journey need not be in the ticket's group.
 */
public class TicketActivities implements JourneySource {

    private final JdbcTemplate jdbc;

    public TicketActivities(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Activity> activities(Customer customer) {
        // A ticket has no lead: only its end-user's number joins it to a customer.
        return jdbc.query("select id, group_key, owner_user_id, status, origin, merged_into, created_at from ticket "
                + "where " + customer.condition("end_user_phone", "cast(null as bigint)"), this::activity,
                customer.arguments());
    }

    private Activity activity(ResultSet rs, int n) throws SQLException {
        long id = rs.getLong("id");
        TicketStatus state = TicketStatus.valueOf(rs.getString("status"));
        String owner = rs.getString("owner_user_id");
        Status status = state == TicketStatus.CLOSED ? Status.ENDED : owner == null ? Status.WAITING : Status.ASSIGNED;
        String detail = "ticket of " + rs.getString("group_key") + " from a "
                + rs.getString("origin").toLowerCase(Locale.ROOT).replace('_', ' ') + "; "
                + state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        List<Link> links = new ArrayList<>();
        Long mergedInto = rs.getObject("merged_into", Long.class);
        if (mergedInto != null) {
            links.add(new Link(Kind.TICKET, mergedInto, Relation.MERGED_INTO));
        }
        for (long from : jdbc.queryForList("select id from ticket where merged_into = ? order by id", Long.class,
                id)) {
            links.add(new Link(Kind.TICKET, from, Relation.MERGED_FROM));
        }
        return new Activity(Kind.TICKET, id, rs.getTimestamp("created_at").toInstant(), status, detail, owner,
                List.copyOf(links));
    }
}
