package org.callcentre.processes.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;

import org.callcentre.processes.callback.CallbackTimes.UnschedulableTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rule that turns the local time an agent asks for into the one instant a callback is due, around the
 * daylight-saving changes of 2027 in London (clocks forward at 01:00 on 28 March, back at 02:00 on 31 October) and
 * New York.
 */
class CallbackTimesTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @ParameterizedTest(name = "{0} in {1} is {2}")
    @CsvSource({
            "2027-01-15T09:00, Europe/London, 2027-01-15T09:00:00Z",
            "2027-03-28T00:59, Europe/London, 2027-03-28T00:59:00Z",
            "2027-03-28T02:00, Europe/London, 2027-03-28T01:00:00Z",
            "2027-03-28T09:00, Europe/London, 2027-03-28T08:00:00Z",
            "2027-07-01T14:30, America/New_York, 2027-07-01T18:30:00Z"})
    void aLocalTimeThatExistsOnceIsThatInstant(String local, String zone, String instant) {
        assertThat(CallbackTimes.resolve(local, ZoneId.of(zone))).isEqualTo(Instant.parse(instant));
    }

    @Test
    void aTimeInTheSpringGapIsRefusedNamingTheGap() {
        assertThatThrownBy(() -> CallbackTimes.resolve("2027-03-28T01:30", LONDON))
                .isInstanceOf(UnschedulableTime.class)
                .hasMessage("2027-03-28T01:30:00 does not exist in Europe/London: the clocks go forward from 01:00"
                        + " to 02:00 that day; choose a time outside the gap");
        assertThatThrownBy(() -> CallbackTimes.resolve("2027-03-14T02:30", NEW_YORK))
                .isInstanceOf(UnschedulableTime.class)
                .hasMessageContaining("America/New_York").hasMessageContaining("from 02:00 to 03:00");
    }

    @Test
    void aTimeInTheAutumnOverlapIsTheFirstOfTheTwo() {
        assertThat(CallbackTimes.resolve("2027-10-31T01:30", LONDON)).isEqualTo(Instant.parse("2027-10-31T00:30:00Z"));
        assertThat(CallbackTimes.resolve("2027-11-07T01:30", NEW_YORK))
                .isEqualTo(Instant.parse("2027-11-07T05:30:00Z"));
    }

    @Test
    void anOffsetTheZoneHasPicksOneOfTheTwo() {
        assertThat(CallbackTimes.resolve("2027-10-31T01:30+01:00", LONDON))
                .isEqualTo(Instant.parse("2027-10-31T00:30:00Z"));
        assertThat(CallbackTimes.resolve("2027-10-31T01:30+00:00", LONDON))
                .isEqualTo(Instant.parse("2027-10-31T01:30:00Z"));
        assertThat(CallbackTimes.resolve("2027-06-01T10:00+01:00", LONDON))
                .isEqualTo(Instant.parse("2027-06-01T09:00:00Z"));
    }

    @Test
    void anOffsetTheZoneDoesNotHaveIsRefused() {
        assertThatThrownBy(() -> CallbackTimes.resolve("2027-06-01T10:00+00:00", LONDON))
                .isInstanceOf(UnschedulableTime.class)
                .hasMessage("the offset Z is not Europe/London's at 2027-06-01T10:00");
        assertThatThrownBy(() -> CallbackTimes.resolve("2027-10-31T01:30+02:00", LONDON))
                .isInstanceOf(UnschedulableTime.class).hasMessageContaining("+02:00");
        assertThatThrownBy(() -> CallbackTimes.resolve("2027-03-28T01:30+00:00", LONDON))
                .as("an offset does not make a time in the gap exist")
                .isInstanceOf(UnschedulableTime.class).hasMessageContaining("does not exist");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomorrow at ten", "2027-02-30T10:00", "28/03/2027 09:00", "2027-03-28", "09:00",
            "2027-03-28T09:00Z[Europe/London]"})
    void unreadableTextIsRefused(String text) {
        assertThatThrownBy(() -> CallbackTimes.resolve(text, LONDON))
                .isInstanceOf(UnschedulableTime.class)
                .hasMessage("dueAt '" + text + "' is not a local date-time such as 2027-03-28T14:30");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void aMissingTimeIsRefused(String text) {
        assertThatThrownBy(() -> CallbackTimes.resolve(text, LONDON))
                .isInstanceOf(UnschedulableTime.class).hasMessageStartingWith("dueAt is required");
    }

    @Test
    void aZoneIsReadByItsIanaName() {
        assertThat(CallbackTimes.zone("Europe/London")).isEqualTo(LONDON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus_Mons", "London", ""})
    void anUnknownZoneIsRefusedNamingIt(String name) {
        assertThatThrownBy(() -> CallbackTimes.zone(name))
                .isInstanceOf(UnschedulableTime.class)
                .hasMessage("unknown time zone '" + name + "': use an IANA zone such as Europe/London");
    }
}
