package org.callcentre.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.dao.DuplicateKeyException;

class CampaignBookTest {

    private static final Instant T0 = Instant.parse("2025-06-01T10:00:00.123456Z");
    private static final Currency GBP = Currency.getInstance("GBP");
    private static final Currency CHF = Currency.getInstance("CHF");

    private StoreDatabase database;
    private CampaignBook campaigns;

    @BeforeEach
    void openBook(StoreDatabase database) {
        this.database = database;
        campaigns = new CampaignBook(database.jdbc(), Clock.fixed(T0, ZoneOffset.UTC));
    }

    @OnEachDatabase
    void aCampaignComesBackAsItWentIn() {
        long id = campaigns.addCampaign("Winter appeal", GBP, Locale.UK, true, true, false, true);

        Campaign expected = new Campaign(id, "Winter appeal", GBP, Locale.UK, true, true, false, true);
        assertThat(campaigns.campaign(id)).contains(expected);
        assertThat(campaigns.campaignByName("Winter appeal")).contains(expected);
    }

    @OnEachDatabase
    void eachSettingIsKeptOnItsOwn() {
        long first = campaigns.addCampaign("Instant only", CHF, Locale.forLanguageTag("de-CH"), true, false, true);
        long second = campaigns.addCampaign("Tokens only", GBP, Locale.forLanguageTag("cy-GB"), false, true, false);

        assertThat(first).isNotEqualTo(second);
        assertThat(campaigns.campaign(first)).contains(
                new Campaign(first, "Instant only", CHF, Locale.forLanguageTag("de-CH"), true, false, true, false));
        assertThat(campaigns.campaign(second)).contains(
                new Campaign(second, "Tokens only", GBP, Locale.forLanguageTag("cy-GB"), false, true, false, false));
    }

    @OnEachDatabase
    void withoutTheSettingACardUpdateDoesNotCharge() {
        long id = campaigns.addCampaign("Spring appeal", GBP, Locale.UK, false, true, false);

        assertThat(campaigns.campaign(id)).get().extracting(Campaign::chargeOnCardUpdate).isEqualTo(false);
    }

    @OnEachDatabase
    void aSecondCampaignWithTheSameNameIsRefused() {
        long id = campaigns.addCampaign("Winter appeal", GBP, Locale.UK, true, false, false);

        assertThatThrownBy(() -> campaigns.addCampaign("Winter appeal", CHF, Locale.GERMANY, false, true, false))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(campaigns.campaignByName("Winter appeal")).get().extracting(Campaign::id).isEqualTo(id);
        assertThat(database.jdbc().queryForObject("select count(*) from campaign", Integer.class)).isOne();
    }

    @OnEachDatabase
    void anUnknownCampaignIsEmpty() {
        assertThat(campaigns.campaign(42)).isEmpty();
        assertThat(campaigns.campaignByName("Nobody's appeal")).isEmpty();
    }

    @OnEachDatabase
    void theCreationTimeIsKeptInUtc() {
        long id = campaigns.addCampaign("Winter appeal", GBP, Locale.UK, true, false, false);

        // The column has no zone: it holds UTC's wall clock, as the engine's own timestamps do.
        assertThat(database.jdbc().queryForObject("select created_at from campaign where id = ?", LocalDateTime.class,
                id)).isEqualTo(LocalDateTime.ofInstant(T0, ZoneOffset.UTC));
    }
}
