package org.callcentre.campaign;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/** Campaigns and their payment settings, in the application's own table. */
public class CampaignBook {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public CampaignBook(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public long addCampaign(String name, Currency currency, Locale locale, boolean instantPayment,
            boolean tokensEnabled, boolean paymentFirst) {
        return addCampaign(name, currency, locale, instantPayment, tokensEnabled, paymentFirst, false);
    }

    public long addCampaign(String name, Currency currency, Locale locale, boolean instantPayment,
            boolean tokensEnabled, boolean paymentFirst, boolean chargeOnCardUpdate) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var ps = c.prepareStatement("insert into campaign (name, currency, locale, instant_payment, tokens_enabled, "
                    + "payment_first, created_at, charge_on_card_update) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    new String[] {"id"});
            ps.setString(1, name);
            ps.setString(2, currency.getCurrencyCode());
            ps.setString(3, locale.toLanguageTag());
            ps.setBoolean(4, instantPayment);
            ps.setBoolean(5, tokensEnabled);
            ps.setBoolean(6, paymentFirst);
            ps.setTimestamp(7, Timestamp.from(clock.instant()));
            ps.setBoolean(8, chargeOnCardUpdate);
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    public Optional<Campaign> campaign(long id) {
        return jdbc.query("select * from campaign where id = ?", CampaignBook::campaign, id).stream().findFirst();
    }

    public Optional<Campaign> campaignByName(String name) {
        return jdbc.query("select * from campaign where name = ?", CampaignBook::campaign, name).stream().findFirst();
    }

    /** Maps a campaign row; {@code prefix} is prepended to the id, name, currency and locale columns of a join. */
    public static Campaign campaign(ResultSet rs, String prefix) throws SQLException {
        return new Campaign(rs.getLong(prefix + "id"), rs.getString(prefix + "name"),
                Currency.getInstance(rs.getString(prefix + "currency")),
                Locale.forLanguageTag(rs.getString(prefix + "locale")), rs.getBoolean("instant_payment"),
                rs.getBoolean("tokens_enabled"), rs.getBoolean("payment_first"), rs.getBoolean("charge_on_card_update"));
    }

    private static Campaign campaign(ResultSet rs, int row) throws SQLException {
        return campaign(rs, "");
    }
}
