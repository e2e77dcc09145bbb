package org.callcentre.dialler;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.campaign.CampaignBook;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/** Campaigns and call lists made by a lead test for itself, straight in the tables. */
final class ListFixtures {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ListFixtures(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A campaign reading national numbers for {@code region}, with {@code zone} for leads imported without one. */
    long campaign(String name, String region, String zone) {
        long id = new CampaignBook(jdbc, clock).addCampaign(name, Currency.getInstance("GBP"), Locale.UK, true, false,
                false);
        jdbc.update("update campaign set default_region = ?, default_time_zone = ? where id = ?", region, zone, id);
        return id;
    }

    long callList(String name, long campaignId) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var ps = c.prepareStatement("insert into call_list (name, campaign_id, created_at) values (?, ?, ?)",
                    new String[] {"id"});
            ps.setString(1, name);
            ps.setLong(2, campaignId);
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }
}
