package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class DiallingRulesTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static DiallingRules hours(String start, String end) {
        return new DiallingRules(1, 60, 3, 10, LocalTime.parse(start), LocalTime.parse(end), LONDON, "GB");
    }

    @Test
    void theSameInstantIsInsideTheHoursInOneZoneAndOutsideInAnother() {
        Instant fivePmInLondon = Instant.parse("2026-06-10T16:00:00Z");
        DiallingRules rules = hours("09:00", "21:00");
        assertThat(rules.withinCallingHours(LONDON, fivePmInLondon)).isTrue();
        // Noon in New York is inside, 8 am is not.
        assertThat(rules.withinCallingHours(NEW_YORK, fivePmInLondon)).isTrue();
        assertThat(rules.withinCallingHours(NEW_YORK, Instant.parse("2026-06-10T12:00:00Z"))).isFalse();
    }

    @Test
    void theStartIsInsideAndTheEndIsOutside() {
        DiallingRules rules = hours("09:00", "21:00");
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-01-10T09:00:00Z"))).isTrue();
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-01-10T08:59:59Z"))).isFalse();
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-01-10T21:00:00Z"))).isFalse();
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-01-10T20:59:59Z"))).isTrue();
    }

    @Test
    void theHoursFollowTheWallClockAcrossADaylightSavingChange() {
        DiallingRules rules = hours("09:00", "21:00");
        // Saturday 28 March 2026, GMT: 08:30 UTC is 08:30 in London, before the hours.
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-03-28T08:30:00Z"))).isFalse();
        // Monday 30 March 2026, BST (clocks went forward on the 29th): 08:30 UTC is 09:30 in London.
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-03-30T08:30:00Z"))).isTrue();
        // And back on 25 October: 20:30 UTC is 21:30 BST on the 24th (outside), 20:30 GMT on the 26th (inside).
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-10-24T20:30:00Z"))).isFalse();
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-10-26T20:30:00Z"))).isTrue();
    }

    @Test
    void hoursThatRunPastMidnightWrapAround() {
        DiallingRules rules = hours("18:00", "02:00");
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-01-10T23:00:00Z"))).isTrue();
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-01-10T01:59:00Z"))).isTrue();
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-01-10T02:00:00Z"))).isFalse();
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-01-10T12:00:00Z"))).isFalse();
    }

    @Test
    void equalStartAndEndMeanAllDay() {
        DiallingRules rules = hours("00:00", "00:00");
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-01-10T03:00:00Z"))).isTrue();
        assertThat(rules.withinCallingHours(LONDON, Instant.parse("2026-01-10T23:59:59Z"))).isTrue();
    }
}
