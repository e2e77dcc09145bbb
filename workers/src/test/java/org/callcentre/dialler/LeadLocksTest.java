package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.callcentre.dialler.LeadHistory.Kind;
import org.callcentre.problem.RefusedException;
import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;

/** Agents' locks on the real schema, on H2 and on PostgreSQL. */
class LeadLocksTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    private final MovableClock clock = new MovableClock(T0);
    private DiallerRows rows;
    private LeadHistory history;
    private LeadLocks locks;
    private long lead;

    @BeforeEach
    void openLocks(StoreDatabase database) {
        clock.set(T0);
        rows = new DiallerRows(database.jdbc());
        history = new LeadHistory(database.jdbc(), clock);
        locks = new LeadLocks(database.jdbc(), clock, new DiallerProperties(15), history,
                database.transaction().getTransactionManager());
        lead = rows.lead("Europe/London", rows.callList(rows.campaign()));
    }

    @OnEachDatabase
    void aFreeLeadIsLockedToTheAgentWhoOpensIt(StoreDatabase database) {
        assertThat(locks.open(lead, "ann", false)).isEqualTo(new LeadView.Lock("ann", T0));

        assertThat(locks.holder(lead)).contains(new LeadView.Lock("ann", T0));
        assertThat(locks.heldBy(lead, "ann")).isTrue();
        assertThat(locks.heldBy(lead, "bob")).isFalse();
        assertThat(kinds()).containsExactly(Kind.LOCKED);
    }

    @OnEachDatabase
    void openingOnesOwnLockAgainKeepsItsStartAndRestartsItsIdleTime(StoreDatabase database) {
        locks.open(lead, "ann", false);
        clock.advance(Duration.ofMinutes(10));

        assertThat(locks.open(lead, "ann", false)).isEqualTo(new LeadView.Lock("ann", T0));
        clock.advance(Duration.ofMinutes(10));
        assertThat(locks.heldBy(lead, "ann")).as("20 minutes after opening, 10 after the last activity").isTrue();
        assertThat(kinds()).containsExactly(Kind.LOCKED);
    }

    @OnEachDatabase
    void aLeadAnotherAgentHoldsIsRefusedWithTheHolderAndNothingChanges(StoreDatabase database) {
        locks.open(lead, "ann", false);
        clock.advance(Duration.ofMinutes(3));

        assertThatThrownBy(() -> locks.open(lead, "bob", false)).isInstanceOfSatisfying(LeadLockedException.class,
                refused -> {
                    assertThat(refused.reason()).isEqualTo(RefusedException.Reason.CONFLICT);
                    assertThat(refused.lockedBy()).isEqualTo("ann");
                    assertThat(refused.since()).isEqualTo(T0);
                });

        assertThat(locks.holder(lead)).contains(new LeadView.Lock("ann", T0));
        assertThat(database.jdbc().queryForObject("select lock_touched_at from lead where id = ?", Instant.class,
                lead)).as("bob's attempt is no activity of ann's").isEqualTo(T0);
        assertThat(kinds()).containsExactly(Kind.LOCKED);
    }

    @OnEachDatabase
    void anOverrideTakesTheLeadAndTheHistoryNamesBothAgents(StoreDatabase database) {
        locks.open(lead, "ann", false);
        clock.advance(Duration.ofMinutes(3));

        assertThat(locks.open(lead, "bob", true)).isEqualTo(new LeadView.Lock("bob", T0.plusSeconds(180)));

        assertThat(locks.heldBy(lead, "bob")).isTrue();
        assertThat(locks.heldBy(lead, "ann")).isFalse();
        List<LeadHistory.Event> events = history.events(lead);
        assertThat(events).extracting(LeadHistory.Event::kind).containsExactly(Kind.LOCKED, Kind.LOCK_OVERRIDDEN);
        assertThat(events.get(1).userId()).isEqualTo("bob");
        assertThat(events.get(1).detail()).contains("bob", "ann");
    }

    @OnEachDatabase
    void anOverrideOfAFreeLeadIsAPlainLock(StoreDatabase database) {
        locks.open(lead, "bob", true);

        assertThat(kinds()).containsExactly(Kind.LOCKED);
    }

    @OnEachDatabase
    void aLockExpiresAfterTheIdleMinutesAndActivityByTheHolderKeepsItAlive(StoreDatabase database) {
        locks.open(lead, "ann", false);
        clock.advance(Duration.ofMinutes(14));
        locks.touch(lead, "ann");
        locks.touch(lead, "bob");
        clock.advance(Duration.ofMinutes(14));
        assertThat(locks.heldBy(lead, "ann")).as("14 minutes after ann's last activity").isTrue();

        clock.advance(Duration.ofMinutes(1));
        assertThat(locks.holder(lead)).as("15 minutes idle").isEmpty();
        locks.touch(lead, "ann");
        assertThat(locks.holder(lead)).as("an expired lock is not revived").isEmpty();

        Instant later = clock.instant();
        assertThat(locks.open(lead, "bob", false)).isEqualTo(new LeadView.Lock("bob", later));
        assertThat(kinds()).containsExactly(Kind.LOCKED, Kind.LOCKED);
    }

    @OnEachDatabase
    void onlyTheHolderReleasesALock(StoreDatabase database) {
        locks.open(lead, "ann", false);

        locks.release(lead, "bob");
        assertThat(locks.heldBy(lead, "ann")).isTrue();

        locks.release(lead, "ann");
        assertThat(locks.holder(lead)).isEmpty();
        assertThat(database.jdbc().queryForObject("select count(*) from lead where id = ? and locked_by is null "
                + "and locked_at is null and lock_touched_at is null", Integer.class, lead)).isOne();
        assertThat(kinds()).containsExactly(Kind.LOCKED, Kind.LOCK_RELEASED);
    }

    @OnEachDatabase
    void releasingAllOfAnAgentsLocksLeavesOthersLocksAlone(StoreDatabase database) {
        long second = rows.lead("Europe/London");
        long bobs = rows.lead("Europe/London");
        locks.open(lead, "ann", false);
        locks.open(second, "ann", false);
        locks.open(bobs, "bob", false);

        assertThat(locks.releaseAllOf("ann")).containsExactlyInAnyOrder(lead, second);

        assertThat(locks.holder(lead)).isEmpty();
        assertThat(locks.holder(second)).isEmpty();
        assertThat(locks.heldBy(bobs, "bob")).isTrue();
    }

    @OnEachDatabase
    void anUnknownLeadIsNotFoundAndNothingIsWritten(StoreDatabase database) {
        assertThatThrownBy(() -> locks.open(9999, "ann", false)).isInstanceOfSatisfying(RefusedException.class,
                refused -> assertThat(refused.reason()).isEqualTo(RefusedException.Reason.NOT_FOUND));
        assertThatThrownBy(() -> locks.release(9999, "ann")).isInstanceOfSatisfying(RefusedException.class,
                refused -> assertThat(refused.reason()).isEqualTo(RefusedException.Reason.NOT_FOUND));
        assertThat(database.jdbc().queryForObject("select count(*) from lead_history", Integer.class)).isZero();
    }

    private List<Kind> kinds() {
        return history.events(lead).stream().map(LeadHistory.Event::kind).toList();
    }
}
