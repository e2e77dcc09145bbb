package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

import org.callcentre.dialler.DialRefusals.Refusal;
import org.callcentre.dialler.DiallingCompliance.Rule;
import org.callcentre.dialler.DiallingCompliance.Verdict;
import org.callcentre.dialler.DiallingLists.Entry;
import org.callcentre.dialler.DiallingLists.Kind;
import org.callcentre.dialler.DiallingLists.Which;
import org.callcentre.problem.RefusedException;
import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;

/** The block and allow lists, the campaign's allowed countries, and the compliance check that reads them, in order. */
class DiallingComplianceTest {

    private static final String UK = "+447400123456";
    private static final String OTHER_UK = "+447400654321";
    private static final String US = "+12015550123";

    private StoreDatabase database;
    private MovableClock clock;
    private DiallingLists lists;
    private CampaignDialling dialling;
    private DiallingCompliance compliance;
    private DialRefusals refusals;
    private LeadHistory history;
    private long campaign;
    private long lead;

    @BeforeEach
    void open(StoreDatabase database) {
        this.database = database;
        clock = new MovableClock(Instant.parse("2026-03-01T10:00:00Z"));
        lists = new DiallingLists(database.jdbc(), clock);
        dialling = new CampaignDialling(database.jdbc());
        compliance = new DiallingCompliance(database.jdbc(), lists, dialling);
        history = new LeadHistory(database.jdbc(), clock);
        refusals = new DialRefusals(database.jdbc(), clock, history, database.transaction().getTransactionManager());
        DiallerRows rows = new DiallerRows(database.jdbc());
        campaign = rows.campaign();
        lead = rows.lead("Europe/London", rows.callList(campaign));
    }

    @OnEachDatabase
    void everyNumberIsAllowedWhenNoRuleSaysOtherwise() {
        assertThat(compliance.check(campaign, UK).allowed()).isTrue();
        assertThat(compliance.check(campaign, US)).isEqualTo(Verdict.ALLOWED);
    }

    @OnEachDatabase
    void aNumberOnTheDoNotCallListIsRefusedFirst() {
        doNotCall(UK);
        lists.add(Which.BLOCK, UK, Kind.NUMBER, "premium", "ops");

        Verdict verdict = compliance.check(campaign, UK);

        assertThat(verdict.rule()).isEqualTo(Rule.DO_NOT_CALL);
        assertThat(verdict.detail()).isEqualTo(UK + " is on the do-not-call list");
        assertThat(compliance.check(campaign, OTHER_UK).allowed()).isTrue();
    }

    @OnEachDatabase
    void aBlockedNumberOrPrefixIsRefused() {
        lists.add(Which.BLOCK, UK, Kind.NUMBER, "asked twice", "ops");
        lists.add(Which.BLOCK, "+1201", Kind.PREFIX, "New Jersey is not ours", "ops");
        lists.add(Which.BLOCK, "+1900", Kind.PREFIX, "premium rate", "ops");

        assertThat(compliance.check(campaign, UK)).isEqualTo(new Verdict(Rule.BLOCK_LIST, UK
                + " is on the block list: asked twice"));
        assertThat(compliance.check(campaign, US)).isEqualTo(new Verdict(Rule.BLOCK_LIST, US
                + " is on the block list (prefix +1201): New Jersey is not ours"));
        assertThat(compliance.check(campaign, OTHER_UK).allowed()).as("a longer number than an entry").isTrue();
        assertThat(compliance.check(campaign, "+12125550123").allowed()).as("another prefix").isTrue();
    }

    @OnEachDatabase
    void onlyTheCampaignsCountriesAreDialledAndEmptyMeansEvery() {
        allow("GB", "IE");

        assertThat(compliance.check(campaign, UK).allowed()).isTrue();
        Verdict refused = compliance.check(campaign, US);
        assertThat(refused.rule()).isEqualTo(Rule.COUNTRY_NOT_ALLOWED);
        assertThat(refused.detail()).isEqualTo(US + " is a number of US, and campaign " + campaign
                + " dials only numbers of GB, IE (the allow list does not hold it)");

        allow();
        assertThat(compliance.check(campaign, US).allowed()).isTrue();
    }

    @OnEachDatabase
    void theAllowListBeatsTheCountryButNotTheBlockListOrTheDoNotCallList() {
        allow("GB");
        lists.add(Which.ALLOW, "+1201", Kind.PREFIX, "our US office's area", "ops");
        assertThat(compliance.check(campaign, US).allowed()).as("by prefix").isTrue();
        assertThat(compliance.check(campaign, "+12125550123").rule()).isEqualTo(Rule.COUNTRY_NOT_ALLOWED);

        lists.add(Which.BLOCK, US, Kind.NUMBER, "complained", "ops");
        assertThat(compliance.check(campaign, US).rule()).isEqualTo(Rule.BLOCK_LIST);

        lists.add(Which.ALLOW, "+12125550123", Kind.NUMBER, "a donor in New York", "ops");
        assertThat(compliance.check(campaign, "+12125550123").allowed()).as("by number").isTrue();
        doNotCall("+12125550123");
        assertThat(compliance.check(campaign, "+12125550123").rule()).isEqualTo(Rule.DO_NOT_CALL);
    }

    @OnEachDatabase
    void theListsKeepWhoAddedWhatAndWhenNewestFirst() {
        Entry first = lists.add(Which.BLOCK, "+1900", Kind.PREFIX, "premium rate", "ops");
        clock.advance(java.time.Duration.ofMinutes(1));
        Entry second = lists.add(Which.BLOCK, UK, Kind.NUMBER, "asked twice", "admin");
        lists.add(Which.ALLOW, UK, Kind.NUMBER, "another list, same number", "admin");

        assertThat(first).isEqualTo(new Entry(first.id(), "+1900", Kind.PREFIX, "premium rate", "ops",
                Instant.parse("2026-03-01T10:00:00Z")));
        assertThat(lists.entries(Which.BLOCK)).containsExactly(second, first);
        assertThat(lists.entries(Which.ALLOW)).extracting(Entry::entry).containsExactly(UK);
    }

    @OnEachDatabase
    void aDuplicateIsRefusedAndChangesNothing() {
        lists.add(Which.BLOCK, "+1900", Kind.PREFIX, "premium rate", "ops");

        assertThatThrownBy(() -> lists.add(Which.BLOCK, "+1900", Kind.NUMBER, "again", "admin"))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RefusedException.Reason.CONFLICT);
                    assertThat(e.getMessage()).isEqualTo("+1900 is already on the block list");
                });
        assertThat(lists.entries(Which.BLOCK)).extracting(Entry::reason).containsExactly("premium rate");
    }

    @OnEachDatabase
    void anEntryTakenOffNoLongerRefuses() {
        lists.add(Which.BLOCK, "+44", Kind.PREFIX, "no UK calls today", "ops");
        assertThat(compliance.check(campaign, UK).rule()).isEqualTo(Rule.BLOCK_LIST);

        assertThat(lists.remove(Which.BLOCK, "+44")).isTrue();
        assertThat(lists.remove(Which.BLOCK, "+44")).isFalse();
        assertThat(lists.remove(Which.ALLOW, UK)).isFalse();

        assertThat(compliance.check(campaign, UK).allowed()).isTrue();
    }

    @OnEachDatabase
    void aRefusalRecordedApartStaysWhenTheCallersTransactionRollsBack() {
        Refusal refusal = new Refusal(lead, campaign, US, Rule.BLOCK_LIST, US + " is on the block list: x", "ann",
                null);

        assertThatThrownBy(() -> database.transaction().executeWithoutResult(tx -> {
            database.jdbc().update("update lead set first_phone = 'rolled back' where id = ?", lead);
            refusals.recordApart(refusal);
            throw new IllegalStateException("the request fails");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(refusals.of(lead)).singleElement().satisfies(recorded -> {
            assertThat(recorded.number()).isEqualTo(US);
            assertThat(recorded.campaignId()).isEqualTo(campaign);
            assertThat(recorded.rule()).isEqualTo(Rule.BLOCK_LIST);
            assertThat(recorded.detail()).isEqualTo(US + " is on the block list: x");
            assertThat(recorded.userId()).isEqualTo("ann");
            assertThat(recorded.callId()).isNull();
            assertThat(recorded.refusedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        });
        assertThat(history.events(lead)).singleElement().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(LeadHistory.Kind.DIAL_REFUSED);
            assertThat(event.userId()).isEqualTo("ann");
            assertThat(event.detail()).isEqualTo("BLOCK_LIST: " + US + " is on the block list: x");
        });
        assertThat(database.jdbc().queryForObject("select first_phone from lead where id = ?", String.class, lead))
                .isNotEqualTo("rolled back");
    }

    private void doNotCall(String number) {
        database.jdbc().update("insert into do_not_call (number, added_at, added_by) values (?, ?, 'ops')", number,
                Timestamp.from(clock.instant()));
    }

    private void allow(String... countries) {
        DiallingRules rules = dialling.rules(campaign).orElseThrow();
        assertThat(dialling.update(new DiallingRules(campaign, rules.minMinutesBetweenCalls(),
                rules.maxAttemptsIn8Hours(), rules.maxAttemptsPerRecord(), LocalTime.of(9, 0), LocalTime.of(21, 0),
                ZoneId.of("Europe/London"), "GB", false, Set.of(countries)))).isTrue();
    }
}
