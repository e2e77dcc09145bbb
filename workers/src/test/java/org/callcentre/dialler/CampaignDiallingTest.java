package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;

import org.callcentre.campaign.CampaignBook;
import org.callcentre.problem.RefusedException;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;

class CampaignDiallingTest {

    private StoreDatabase database;
    private CampaignDialling dialling;
    private long campaign;

    @BeforeEach
    void open(StoreDatabase database) {
        this.database = database;
        dialling = new CampaignDialling(database.jdbc());
        campaign = new CampaignBook(database.jdbc(), Clock.fixed(Instant.parse("2025-06-01T10:00:00Z"),
                ZoneOffset.UTC)).addCampaign("Winter appeal", Currency.getInstance("GBP"), Locale.UK, true, false, false);
    }

    @OnEachDatabase
    void aNewCampaignHasTheDefaultRules() {
        assertThat(dialling.rules(campaign)).contains(new DiallingRules(campaign, 60, 3, 10, LocalTime.of(9, 0),
                LocalTime.of(21, 0), ZoneId.of("Europe/London"), "GB"));
    }

    @OnEachDatabase
    void equalStartAndEndAreKeptAsAllDay() {
        DiallingRules allDay = new DiallingRules(campaign, 60, 3, 10, LocalTime.MIDNIGHT, LocalTime.MIDNIGHT,
                ZoneId.of("UTC"), "GB");

        assertThat(dialling.update(allDay)).isTrue();

        DiallingRules read = dialling.rules(campaign).orElseThrow();
        assertThat(read).isEqualTo(allDay);
        assertThat(read.withinCallingHours(ZoneId.of("Pacific/Auckland"), Instant.parse("2026-06-01T13:37:00Z")))
                .isTrue();
    }

    @OnEachDatabase
    void aCampaignRecordsItsCallsOnlyWhenSetTo() {
        assertThat(dialling.rules(campaign).orElseThrow().recordCalls()).as("by default").isFalse();
        DiallingRules recorded = new DiallingRules(campaign, 60, 3, 10, LocalTime.of(9, 0), LocalTime.of(21, 0),
                ZoneId.of("Europe/London"), "GB", true);

        assertThat(dialling.update(recorded)).isTrue();
        assertThat(dialling.rules(campaign)).contains(recorded);

        assertThat(dialling.update(new DiallingRules(campaign, 60, 3, 10, LocalTime.of(9, 0), LocalTime.of(21, 0),
                ZoneId.of("Europe/London"), "GB"))).isTrue();
        assertThat(dialling.rules(campaign).orElseThrow().recordCalls()).isFalse();
    }

    @OnEachDatabase
    void rulesComeBackAsTheyWentIn() {
        DiallingRules rules = new DiallingRules(campaign, 0, 2, 5, LocalTime.of(20, 30), LocalTime.of(2, 15),
                ZoneId.of("America/New_York"), "US");

        assertThat(dialling.update(rules)).isTrue();

        assertThat(dialling.rules(campaign)).contains(rules);
        assertThat(database.jdbc().queryForObject("select calling_hours_start from campaign where id = ?",
                String.class, campaign)).isEqualTo("20:30");
    }

    @OnEachDatabase
    void anUnknownCampaignHasNoRulesAndIsNotUpdated() {
        assertThat(dialling.rules(campaign + 1)).isEmpty();
        assertThat(dialling.update(new DiallingRules(campaign + 1, 0, 2, 5, LocalTime.of(9, 0), LocalTime.of(17, 0),
                ZoneId.of("UTC"), "GB"))).isFalse();
    }

    @OnEachDatabase
    void rulesThatCouldNeverCallAreRefused() {
        DiallingRules before = dialling.rules(campaign).orElseThrow();
        for (DiallingRules bad : new DiallingRules[] {
            new DiallingRules(campaign, -1, 2, 5, LocalTime.of(9, 0), LocalTime.of(17, 0), ZoneId.of("UTC"), "GB"),
            new DiallingRules(campaign, 0, 0, 5, LocalTime.of(9, 0), LocalTime.of(17, 0), ZoneId.of("UTC"), "GB"),
            new DiallingRules(campaign, 0, 2, 0, LocalTime.of(9, 0), LocalTime.of(17, 0), ZoneId.of("UTC"), "GB")}) {
            assertThatThrownBy(() -> dialling.update(bad)).isInstanceOfSatisfying(RefusedException.class,
                    e -> assertThat(e.reason()).isEqualTo(RefusedException.Reason.INVALID));
        }
        assertThat(dialling.rules(campaign)).contains(before);
    }

    @OnEachDatabase
    void allowedCountriesComeBackAsTheyWentInAndEmptyMeansEveryCountry() {
        assertThat(dialling.rules(campaign).orElseThrow().allowedCountries()).as("by default").isEmpty();
        assertThat(dialling.rules(campaign).orElseThrow().allowsCountry("US")).isTrue();
        DiallingRules british = new DiallingRules(campaign, 60, 3, 10, LocalTime.of(9, 0), LocalTime.of(21, 0),
                ZoneId.of("Europe/London"), "GB", false, Set.of("IE", "GB"));

        assertThat(dialling.update(british)).isTrue();

        assertThat(dialling.rules(campaign)).contains(british);
        assertThat(dialling.allowedCountries(campaign)).containsExactlyInAnyOrder("GB", "IE");
        assertThat(dialling.rules(campaign).orElseThrow().allowsCountry("US")).isFalse();
        assertThat(dialling.rules(campaign).orElseThrow().allowsCountry(null)).isFalse();
        assertThat(database.jdbc().queryForObject("select allowed_countries from campaign where id = ?",
                String.class, campaign)).isEqualTo("GB,IE");
    }

    @OnEachDatabase
    void anUnknownCountryIsRefusedAndChangesNothing() {
        DiallingRules before = dialling.rules(campaign).orElseThrow();
        for (String bad : new String[] {"XX", "gb", "GBR"}) {
            assertThatThrownBy(() -> dialling.update(new DiallingRules(campaign, 0, 2, 5, LocalTime.of(9, 0),
                    LocalTime.of(17, 0), ZoneId.of("UTC"), "GB", false, Set.of("GB", bad))))
                    .isInstanceOfSatisfying(RefusedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(RefusedException.Reason.INVALID);
                        assertThat(e.getMessage()).contains(bad + " is not an ISO 3166 alpha-2 country");
                    });
        }
        assertThat(dialling.rules(campaign)).contains(before);
    }
}
