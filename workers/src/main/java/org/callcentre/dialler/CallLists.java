package org.callcentre.dialler;

import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/** Call lists: named sets of leads, each for one campaign. */
public class CallLists {

    /** A call list. */
    public record CallList(long id, String name, long campaignId) {
    }

    /**
     * A call list that holds a lead, with what a pledge taken on the lead needs from its campaign.
     *
     * @param currency the campaign's ISO 4217 code: a pledge in the campaign is in it
     */
    public record LeadCallList(long id, String name, long campaignId, String campaignName, String currency) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public CallLists(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Creates an empty call list for the campaign; an unknown campaign is refused as not found. */
    public long create(String name, long campaignId) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw invalid("name is required, at most 200 characters");
        }
        Integer campaigns = jdbc.queryForObject("select count(*) from campaign where id = ?", Integer.class,
                campaignId);
        if (campaigns == 0) {
            throw notFound("no campaign " + campaignId);
        }
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var ps = c.prepareStatement("insert into call_list (name, campaign_id, created_at) values (?, ?, ?)",
                    new String[] {"id"});
            ps.setString(1, name.strip());
            ps.setLong(2, campaignId);
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    public Optional<CallList> callList(long id) {
        return jdbc.query("select id, name, campaign_id from call_list where id = ?",
                (rs, n) -> new CallList(rs.getLong("id"), rs.getString("name"), rs.getLong("campaign_id")), id)
                .stream().findFirst();
    }

    /** The call lists that hold the lead, with their campaigns, by list id; empty for an unknown lead. */
    public List<LeadCallList> ofLead(long leadId) {
        return jdbc.query("select l.id, l.name, c.id as campaign_id, c.name as campaign_name, c.currency "
                + "from lead_call_list m join call_list l on l.id = m.call_list_id "
                + "join campaign c on c.id = l.campaign_id where m.lead_id = ? order by l.id",
                (rs, n) -> new LeadCallList(rs.getLong("id"), rs.getString("name"), rs.getLong("campaign_id"),
                        rs.getString("campaign_name"), rs.getString("currency").strip()), leadId);
    }
}
