package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.callcentre.dialler.LeadHistory.Kind;
import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;

/** Next Lead's order and filters on the real schema, on H2 and on PostgreSQL. */
class NextLeadQueryTest {

    /** 11:00 in London (BST), 06:00 in New York (EDT). */
    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    private static final String LONDON = "Europe/London";
    private static final String NEW_YORK = "America/New_York";

    private final MovableClock clock = new MovableClock(T0);
    private StoreDatabase database;
    private DiallerRows rows;
    private LeadHistory history;
    private LeadLocks locks;
    private NextLeadQuery nextLead;
    private long campaign;
    private long team;
    private long list;

    @BeforeEach
    void openQuery(StoreDatabase database) {
        this.database = database;
        clock.set(T0);
        rows = new DiallerRows(database.jdbc());
        history = new LeadHistory(database.jdbc(), clock);
        locks = new LeadLocks(database.jdbc(), clock, new DiallerProperties(15), history,
                database.transaction().getTransactionManager());
        nextLead = new NextLeadQuery(List.of(new TeamCallListTier(database.jdbc(), locks, history)), locks,
                database.transaction().getTransactionManager());
        campaign = rows.campaign();
        team = rows.team("ann", "bob", "cy", "di");
        list = rows.callList(campaign);
        rows.works(team, list, 1);
    }

    @OnEachDatabase
    void theNewestLeadComesFirstAndIsLockedToTheAgent(StoreDatabase database) {
        rows.lead(LONDON, list);
        long newest = rows.lead(LONDON, list);

        assertThat(nextLead.next("ann")).isEqualTo(NextLead.offered(newest));

        assertThat(locks.holder(newest)).contains(new LeadView.Lock("ann", T0));
        assertThat(history.events(newest)).extracting(LeadHistory.Event::kind).containsExactly(Kind.LOCKED);
    }

    @OnEachDatabase
    void aHigherWeightingComesBeforeANewerLead(StoreDatabase database) {
        long heavy = rows.callList(campaign);
        rows.works(team, heavy, 3);
        long olderHeavy = rows.lead(LONDON, heavy);
        long newerHeavy = rows.lead(LONDON, heavy);
        long light = rows.lead(LONDON, list);

        assertThat(claims("ann", "bob", "cy")).containsExactly(newerHeavy, olderHeavy, light);
    }

    @OnEachDatabase
    void theNewestAcrossListsOfOneWeightingComesFirst(StoreDatabase database) {
        long other = rows.callList(campaign);
        rows.works(team, other, 1);
        long a = rows.lead(LONDON, list);
        long b = rows.lead(LONDON, other);
        long c = rows.lead(LONDON, list);
        long d = rows.lead(LONDON, other);

        assertThat(claims("ann", "bob", "cy", "di")).containsExactly(d, c, b, a);
    }

    @OnEachDatabase
    void aLeadInSeveralListsTakesTheHighestWeighting(StoreDatabase database) {
        long heavy = rows.callList(campaign);
        rows.works(team, heavy, 5);
        long inBoth = rows.lead(LONDON, list);
        rows.addToList(inBoth, heavy);
        long newer = rows.lead(LONDON, list);

        assertThat(claims("ann", "bob")).containsExactly(inBoth, newer);
    }

    @OnEachDatabase
    void theMinimumTimeBetweenCallsIsRespected(StoreDatabase database) {
        long called = rows.lead(LONDON, list);
        rows.placed(called, campaign, T0.minus(Duration.ofMinutes(59)));

        assertThat(nextLead.next("ann")).isEqualTo(NextLead.nothing(NextLead.Reason.NONE_LEFT));
        clock.advance(Duration.ofMinutes(1));
        assertThat(nextLead.claim("bob")).contains(called);
    }

    @OnEachDatabase
    void theMaximumAttemptsInEightHoursIsRespected(StoreDatabase database) {
        long called = rows.lead(LONDON, list);
        Instant first = T0.minus(Duration.ofHours(4));
        rows.placed(called, campaign, first, first.plus(Duration.ofHours(1)), first.plus(Duration.ofHours(2)));

        clock.set(first.plus(Duration.ofHours(8)).minusSeconds(1));
        assertThat(nextLead.claim("ann")).as("three calls within 8 hours, the gap long past").isEmpty();
        clock.set(first.plus(Duration.ofHours(8)));
        assertThat(nextLead.claim("ann")).contains(called);
    }

    @OnEachDatabase
    void theMaximumAttemptsPerRecordIsRespected(StoreDatabase database) {
        rows.maxAttemptsPerRecord(campaign, 2);
        long once = rows.lead(LONDON, list);
        rows.placed(once, campaign, T0.minus(Duration.ofDays(2)));
        long twice = rows.lead(LONDON, list);
        rows.placed(twice, campaign, T0.minus(Duration.ofDays(3)), T0.minus(Duration.ofDays(2)));

        assertThat(nextLead.claim("ann")).contains(once);
        assertThat(nextLead.next("bob")).isEqualTo(NextLead.nothing(NextLead.Reason.NONE_LEFT));
    }

    @OnEachDatabase
    void aLeadWhoseLatestStatusBlocksCallingIsNeverOffered(StoreDatabase database) {
        long callBack = rows.lead(LONDON, list);
        rows.status(callBack, CallStatus.CALL_BACK);
        for (CallStatus blocking : CallStatus.BLOCKING) {
            rows.status(rows.lead(LONDON, list), blocking);
        }

        assertThat(nextLead.claim("ann")).contains(callBack);
        assertThat(nextLead.next("bob")).isEqualTo(NextLead.nothing(NextLead.Reason.NONE_LEFT));
    }

    @OnEachDatabase
    void aLeadWithNoDialableNumberIsNeverOffered(StoreDatabase database) {
        long dialable = rows.lead(LONDON, list);
        rows.notDialable(rows.lead(LONDON, list));

        assertThat(nextLead.claim("ann")).contains(dialable);
        assertThat(nextLead.claim("bob")).isEmpty();
    }

    @OnEachDatabase
    void callingHoursAreReadInEachLeadsOwnTimeZone(StoreDatabase database) {
        long newYork = rows.lead(NEW_YORK, list);
        long london = rows.lead(LONDON, list);

        clock.set(Instant.parse("2026-06-01T20:30:00Z"));
        assertThat(nextLead.claim("ann")).as("21:30 in London, 16:30 in New York").contains(newYork);
        assertThat(nextLead.claim("bob")).isEmpty();

        clock.set(Instant.parse("2026-06-01T12:30:00Z"));
        assertThat(nextLead.claim("bob")).as("13:30 in London, 08:30 in New York").contains(london);
        assertThat(nextLead.next("ann")).isEqualTo(NextLead.nothing(NextLead.Reason.NONE_LEFT));
    }

    @OnEachDatabase
    void callingHoursFollowTheClocksAcrossDaylightSavingChanges(StoreDatabase database) {
        long london = rows.lead(LONDON, list);

        assertThat(offeredAt("2026-03-28T08:30:00Z")).as("08:30 GMT, the day before the clocks go forward").isEmpty();
        assertThat(offeredAt("2026-03-29T08:30:00Z")).as("09:30 BST").contains(london);
        assertThat(offeredAt("2026-03-28T20:30:00Z")).as("20:30 GMT").contains(london);
        assertThat(offeredAt("2026-03-29T20:30:00Z")).as("21:30 BST").isEmpty();
        assertThat(offeredAt("2026-10-24T08:30:00Z")).as("09:30 BST, the day before the clocks go back")
                .contains(london);
        assertThat(offeredAt("2026-10-25T08:30:00Z")).as("08:30 GMT").isEmpty();
        assertThat(offeredAt("2026-10-25T20:30:00Z")).as("20:30 GMT").contains(london);
    }

    @OnEachDatabase
    void everyLeadOutsideCallingHoursSaysSo(StoreDatabase database) {
        rows.lead(LONDON, list);
        rows.lead(NEW_YORK, list);
        clock.set(Instant.parse("2026-06-01T02:00:00Z"));

        assertThat(nextLead.next("ann")).isEqualTo(NextLead.nothing(NextLead.Reason.OUTSIDE_CALLING_HOURS));
    }

    @OnEachDatabase
    void callingHoursMayRunPastMidnight(StoreDatabase database) {
        rows.callingHours(campaign, "20:00", "02:00");
        long london = rows.lead(LONDON, list);

        assertThat(offeredAt("2026-06-01T23:30:00Z")).as("00:30 BST").contains(london);
        assertThat(offeredAt("2026-06-01T10:00:00Z")).as("11:00 BST").isEmpty();
    }

    @OnEachDatabase
    void aLeadLockedBySomeoneElseIsOfferedOnlyOnceTheLockExpired(StoreDatabase database) {
        long held = rows.lead(LONDON, list);
        rows.lockedBy(held, "carol", T0.minus(Duration.ofMinutes(14)));

        assertThat(nextLead.claim("ann")).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(nextLead.claim("ann")).contains(held);
        assertThat(locks.holder(held)).contains(new LeadView.Lock("ann", clock.instant()));
    }

    @OnEachDatabase
    void nextLeadLetsGoOfThePreviousLeadAndDoesNotOfferItStraightBack(StoreDatabase database) {
        long older = rows.lead(LONDON, list);
        long newer = rows.lead(LONDON, list);
        long opened = rows.lead(LONDON);
        locks.open(opened, "ann", false);

        assertThat(nextLead.claim("ann")).contains(newer);
        assertThat(locks.holder(opened)).isEmpty();
        assertThat(history.events(opened)).extracting(LeadHistory.Event::kind)
                .containsExactly(Kind.LOCKED, Kind.LOCK_RELEASED);

        assertThat(nextLead.claim("ann")).as("passed over: the next one").contains(older);
        assertThat(locks.holder(newer)).isEmpty();
        assertThat(nextLead.claim("ann")).as("the one passed over before").contains(newer);
        assertThat(database.jdbc().queryForObject("select count(*) from lead where locked_by = 'ann'", Integer.class))
                .isOne();
    }

    @OnEachDatabase
    void withoutATeamOrCallListsTheAnswerSaysWhy(StoreDatabase database) {
        rows.lead(LONDON, list);
        rows.team("dan");

        assertThat(nextLead.next("erin")).isEqualTo(NextLead.nothing(NextLead.Reason.NO_TEAM));
        assertThat(nextLead.next("dan")).isEqualTo(NextLead.nothing(NextLead.Reason.NO_CALL_LISTS));
    }

    @OnEachDatabase
    void leadsOfListsTheTeamDoesNotWorkAreNotOffered(StoreDatabase database) {
        long otherTeamsList = rows.callList(campaign);
        rows.works(rows.team("carol"), otherTeamsList, 9);
        rows.lead(LONDON, otherTeamsList);

        assertThat(nextLead.next("ann")).isEqualTo(NextLead.nothing(NextLead.Reason.NONE_LEFT));
    }

    private Optional<Long> offeredAt(String instant) {
        clock.set(Instant.parse(instant));
        Optional<Long> offered = nextLead.claim("ann");
        offered.ifPresent(lead -> locks.release(lead, "ann"));
        return offered;
    }

    /** Each agent in turn presses Next Lead and keeps the lead: what each got, in order. */
    private List<Long> claims(String... agents) {
        List<Long> offered = new ArrayList<>();
        for (String agent : agents) {
            offered.add(nextLead.claim(agent).orElseThrow(() -> new AssertionError(agent + " got nothing")));
        }
        return offered;
    }
}
