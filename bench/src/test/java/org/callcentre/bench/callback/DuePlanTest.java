package org.callcentre.bench.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class DuePlanTest {

    private static final Instant FROM = Instant.parse("2026-12-06T10:00:00.700Z");

    @Test
    void theSteadyStreamHasOneCallbackInEachSlotAndTheBurstFollowsItsLastSlot() {
        DuePlan plan = DuePlan.of(FROM, 10, Duration.ofMinutes(3), 10_000);

        assertThat(plan.steadyFrom()).as("to the whole second").isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(plan.steadyCount()).isEqualTo(1800);
        assertThat(plan.steadyUntil()).isEqualTo(Instant.parse("2026-12-06T10:03:00Z"));
        assertThat(plan.burstAt()).isEqualTo(plan.steadyUntil().plus(DuePlan.GAP));
        List<Instant> steady = plan.steady();
        for (int k = 0; k < steady.size(); k++) {
            Instant slot = plan.steadyFrom().plus(Duration.ofMillis(100L * k));
            assertThat(steady.get(k)).isBetween(slot, slot.plusMillis(99));
        }
        assertThat(steady).isSorted();
    }

    @Test
    void theSteadyCallbacksFallAtEveryPointOfTheirSlots() {
        List<Instant> steady = DuePlan.of(FROM, 10, Duration.ofSeconds(10), 1).steady();

        Set<Long> offsets = steady.stream().map(due -> due.toEpochMilli() % 100).collect(Collectors.toSet());
        assertThat(offsets).as("a poll every 100 ms meets them at every phase").hasSize(100);
    }

    @Test
    void everyDueTimeIsTheSteadyStreamsThenTheBurstsAndMovingThePlanKeepsThem() {
        DuePlan plan = DuePlan.of(FROM, 10, Duration.ofSeconds(2), 5);
        DuePlan moved = plan.startingAt(FROM.plus(Duration.ofHours(1)));

        assertThat(plan.all()).hasSize(25).endsWith(plan.burstAt(), plan.burstAt(), plan.burstAt());
        assertThat(plan.size()).isEqualTo(25);
        assertThat(plan.inBurst(plan.burstAt())).isTrue();
        assertThat(plan.steady()).noneMatch(plan::inBurst);
        assertThat(moved.all()).containsExactlyElementsOf(plan.all().stream()
                .map(due -> due.plus(Duration.ofHours(1))).toList());
    }

    @Test
    void aDueTimeIsSentAsAUtcLocalTimeToTheMillisecond() {
        assertThat(CallbackClient.dueAt(Instant.parse("2026-12-06T10:00:00.370Z")))
                .isEqualTo("2026-12-06T10:00:00.37");
        assertThat(CallbackClient.dueAt(Instant.parse("2026-12-06T10:00:00Z"))).isEqualTo("2026-12-06T10:00:00");
    }
}
