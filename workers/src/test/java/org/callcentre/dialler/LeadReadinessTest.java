package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;

/**
 * The readiness marks Next Lead's index steps over: set by the writers of a lead's next call time and dialable flag,
 * cleared by the sweep once the wait is over, and never hiding a lead Next Lead may offer.
 */
class LeadReadinessTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    private static final String LONDON = "Europe/London";

    private final MovableClock clock = new MovableClock(T0);
    private DiallerRows rows;
    private LeadReadiness readiness;
    private LeadLocks locks;
    private Leads leads;
    private NextLeadQuery nextLead;
    private StoreDatabase database;
    private long campaign;
    private long list;

    @BeforeEach
    void open(StoreDatabase database) {
        this.database = database;
        clock.set(T0);
        rows = new DiallerRows(database.jdbc());
        LeadHistory history = new LeadHistory(database.jdbc(), clock);
        DiallerProperties properties = new DiallerProperties(15);
        var transactions = database.transaction().getTransactionManager();
        readiness = new LeadReadiness(database.jdbc(), clock);
        locks = new LeadLocks(database.jdbc(), clock, properties, history, transactions);
        leads = new Leads(database.jdbc(), clock, properties, history);
        nextLead = new NextLeadQuery(List.of(new TeamCallListTier(database.jdbc(), locks, history)), locks,
                transactions);
        campaign = rows.campaign();
        long team = rows.team("ann", "bob");
        list = rows.callList(campaign);
        rows.works(team, list, 1);
    }

    @OnEachDatabase
    void aCalledLeadIsNotReadyUntilItsGapIsOverAndTheSweepHasRun(StoreDatabase database) {
        long older = rows.lead(LONDON, list);
        long called = rows.lead(LONDON, list);
        rows.placed(called, campaign, T0);
        database.transaction().executeWithoutResult(tx -> readiness.sync(called));

        assertThat(entry(called)).isEqualTo(new Entry(false, T0.plus(Duration.ofMinutes(60))));
        assertThat(nextLead.claim("ann")).contains(older);

        clock.advance(Duration.ofMinutes(60));
        assertThat(sweep()).isEqualTo(1);
        assertThat(entry(called)).isEqualTo(new Entry(true, null));
        assertThat(nextLead.claim("bob")).contains(called);
    }

    @OnEachDatabase
    void theSweepLeavesWaitingAndUndialableLeadsAlone(StoreDatabase database) {
        long waiting = rows.lead(LONDON, list);
        rows.placed(waiting, campaign, T0);
        long blocked = rows.lead(LONDON, list);
        database.transaction().executeWithoutResult(tx -> {
            readiness.sync(waiting);
            leads.recordStatus(blocked, CallStatus.COMPLETE, null, null, "admin", false);
        });

        clock.advance(Duration.ofMinutes(59));
        assertThat(sweep()).isZero();
        assertThat(entry(waiting).ready()).isFalse();
        assertThat(entry(blocked)).isEqualTo(new Entry(false, null));
        assertThat(nextLead.claim("ann")).isEmpty();
    }

    @OnEachDatabase
    void editingABlockingStatusMakesTheLeadReadyAtOnce(StoreDatabase database) {
        long lead = rows.lead(LONDON, list);
        database.transaction().executeWithoutResult(tx -> leads.recordStatus(lead, CallStatus.REMOVE, null, null,
                "admin", false));
        assertThat(entry(lead).ready()).isFalse();

        database.transaction().executeWithoutResult(tx -> leads.editLatestStatus(lead, CallStatus.NO_ANSWER, "admin",
                false));

        assertThat(entry(lead)).isEqualTo(new Entry(true, null));
        assertThat(nextLead.claim("ann")).contains(lead);
    }

    @OnEachDatabase
    void aNumberLeavingTheDoNotCallListMakesItsLeadsReady(StoreDatabase database) {
        long lead = rows.lead(LONDON, list);
        String number = database.jdbc().queryForObject("select number from lead_phone where lead_id = ?",
                String.class, lead);
        database.jdbc().update("insert into do_not_call (number, added_at) values (?, ?)", number,
                Timestamp.from(T0));
        database.transaction().executeWithoutResult(tx -> leads.recomputeDialableForNumbers(List.of(number)));
        assertThat(entry(lead)).isEqualTo(new Entry(false, null));

        database.jdbc().update("delete from do_not_call where number = ?", number);
        database.transaction().executeWithoutResult(tx -> leads.recomputeDialableForNumbers(List.of(number)));

        assertThat(entry(lead)).isEqualTo(new Entry(true, null));
    }

    private int sweep() {
        Integer changed = database.transaction().execute(tx -> readiness.sweep());
        return changed;
    }

    private record Entry(boolean ready, Instant readyAt) {
    }

    private Entry entry(long leadId) {
        return database.jdbc().queryForObject("select ready, ready_at from lead_call_list where lead_id = ?",
                (rs, n) -> new Entry(rs.getBoolean("ready"), rs.getTimestamp("ready_at") == null ? null
                        : rs.getTimestamp("ready_at").toInstant()), leadId);
    }
}
