package org.callcentre.pledge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

import org.callcentre.campaign.Campaign;
import org.callcentre.campaign.CampaignBook;
import org.callcentre.payment.Money;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/** Pledges and their payments, in the application's own tables. */
public class PledgeBook {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public PledgeBook(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public long addPledge(long campaignId, String donorName, String donorPhone, Money amount, Frequency frequency) {
        return addPledge(campaignId, null, donorName, donorPhone, amount, frequency);
    }

    /** A pledge taken on a call of {@code leadId} (null: without a call). */
    public long addPledge(long campaignId, Long leadId, String donorName, String donorPhone, Money amount,
            Frequency frequency) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var ps = c.prepareStatement("insert into pledge (campaign_id, donor_name, donor_phone, amount_minor, currency, "
                    + "frequency, paid, created_at, lead_id) values (?, ?, ?, ?, ?, ?, false, ?, ?)", new String[] {"id"});
            ps.setLong(1, campaignId);
            ps.setString(2, donorName);
            ps.setString(3, donorPhone);
            ps.setLong(4, amount.minorUnits());
            ps.setString(5, amount.currency().getCurrencyCode());
            ps.setString(6, frequency.name());
            ps.setTimestamp(7, Timestamp.from(clock.instant()));
            ps.setObject(8, leadId, Types.BIGINT);
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    public Optional<Pledge> pledge(long id) {
        return jdbc.query("select * from pledge where id = ?", PledgeBook::pledge, id).stream().findFirst();
    }

    /** A pledge with its campaign, in one query (every webhook of a conversation needs both). */
    public Optional<PledgeInCampaign> pledgeInCampaign(long pledgeId) {
        return jdbc.query("select p.*, c.id as c_id, c.name as c_name, c.currency as c_currency, c.locale as c_locale, "
                + "c.instant_payment, c.tokens_enabled, c.payment_first, c.charge_on_card_update from pledge p join campaign c on c.id = p.campaign_id "
                + "where p.id = ?", (rs, row) -> new PledgeInCampaign(pledge(rs, row), CampaignBook.campaign(rs, "c_")),
                pledgeId)
                .stream().findFirst();
    }

    public record PledgeInCampaign(Pledge pledge, Campaign campaign) {
    }

    /** A pledge row locked for the rest of the transaction, so two requests cannot start two captures. */
    public Optional<Pledge> pledgeForUpdate(long id) {
        return jdbc.query("select * from pledge where id = ? for update", PledgeBook::pledge, id).stream().findFirst();
    }

    public List<Payment> payments(long pledgeId) {
        return jdbc.query("select * from payment where pledge_id = ? order by id", PledgeBook::payment, pledgeId);
    }

    /**
     * Records a confirmed charge and marks the pledge paid. A replayed charge (same gateway reference, from a
     * retried job) is recognised and recorded once.
     */
    public void recordCharge(long pledgeId, String captureId, Money amount, String gatewayReference, String maskedCard) {
        Integer known = jdbc.queryForObject("select count(*) from payment where gateway_reference = ?", Integer.class,
                gatewayReference);
        if (known != null && known > 0) {
            return;
        }
        jdbc.update("insert into payment (pledge_id, capture_id, amount_minor, currency, gateway_reference, masked_card, "
                + "created_at) values (?, ?, ?, ?, ?, ?, ?)", pledgeId, captureId, amount.minorUnits(),
                amount.currency().getCurrencyCode(), gatewayReference, maskedCard, Timestamp.from(clock.instant()));
        jdbc.update("update pledge set paid = true where id = ?", pledgeId);
    }

    /** The new card succeeded: it becomes the pledge's card, and its token (if any) replaces the old one. */
    public void adoptCard(long pledgeId, String maskedCard, String newTokenRef) {
        if (newTokenRef != null) {
            jdbc.update("update pledge set masked_card = ?, token_ref = ? where id = ?", maskedCard, newTokenRef, pledgeId);
        } else {
            jdbc.update("update pledge set masked_card = ? where id = ?", maskedCard, pledgeId);
        }
    }

    private static Pledge pledge(ResultSet rs, int row) throws SQLException {
        return new Pledge(rs.getLong("id"), rs.getLong("campaign_id"), rs.getString("donor_name"),
                rs.getString("donor_phone"),
                new Money(rs.getLong("amount_minor"), Currency.getInstance(rs.getString("currency"))),
                Frequency.valueOf(rs.getString("frequency")), rs.getString("masked_card"), rs.getString("token_ref"),
                rs.getBoolean("paid"), rs.getTimestamp("created_at").toInstant(), rs.getObject("lead_id", Long.class));
    }

    private static Payment payment(ResultSet rs, int row) throws SQLException {
        return new Payment(rs.getLong("id"), rs.getLong("pledge_id"), rs.getString("capture_id"),
                new Money(rs.getLong("amount_minor"), Currency.getInstance(rs.getString("currency"))),
                rs.getString("gateway_reference"), rs.getString("masked_card"), rs.getTimestamp("created_at").toInstant());
    }
}
