package org.callcentre.processes.callback;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;

/**
 * When a callback is due: the local date-time the agent asked for, in the callback's zone, as one instant. Every
 * callback is stored in UTC and scheduled in its zone by this rule, so that a daylight-saving change never moves it:
 * <ul>
 * <li>a local time that exists once is that instant;</li>
 * <li>a local time inside a spring-forward gap (01:30 on the morning clocks jump from 01:00 to 02:00) does not exist
 * and is refused, naming the gap, so the agent picks a time the donor will see on the clock;</li>
 * <li>a local time inside a fall-back overlap (01:30 on the morning 02:00 goes back to 01:00) happens twice: the
 * first (the earlier instant, still on summer time) is taken, unless the request gives the offset itself
 * ({@code 2027-10-31T01:30+00:00} picks the second).</li>
 * </ul>
 */
public final class CallbackTimes {

    private CallbackTimes() {
    }

    /** A local time that cannot be scheduled: the message says why, for a problem detail. */
    public static final class UnschedulableTime extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnschedulableTime(String message) {
            super(message);
        }
    }

    /**
     * @param dueAt a local date-time ({@code 2027-03-28T14:30}), or one with an offset to pick one of the two
     *              instants of a repeated hour
     * @param zone  the callback's zone
     * @throws UnschedulableTime if it cannot be read, does not exist in the zone, or its offset is not one the zone
     *                           has at that local time
     */
    public static Instant resolve(String dueAt, ZoneId zone) {
        if (dueAt == null || dueAt.isBlank()) {
            throw new UnschedulableTime("dueAt is required: a local date-time such as 2027-03-28T14:30");
        }
        LocalDateTime local;
        ZoneOffset asked = null;
        try {
            local = LocalDateTime.parse(dueAt);
        } catch (DateTimeParseException notLocal) {
            try {
                OffsetDateTime withOffset = OffsetDateTime.parse(dueAt);
                local = withOffset.toLocalDateTime();
                asked = withOffset.getOffset();
            } catch (DateTimeParseException unreadable) {
                throw new UnschedulableTime("dueAt '" + dueAt + "' is not a local date-time such as "
                        + "2027-03-28T14:30");
            }
        }
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        if (offsets.isEmpty()) {
            ZoneOffsetTransition gap = zone.getRules().getTransition(local);
            throw new UnschedulableTime(local.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + " does not exist in "
                    + zone.getId() + ": the clocks go forward from " + gap.getDateTimeBefore().toLocalTime()
                    + " to " + gap.getDateTimeAfter().toLocalTime() + " that day; choose a time outside the gap");
        }
        if (asked != null) {
            if (!offsets.contains(asked)) {
                throw new UnschedulableTime("the offset " + asked + " is not " + zone.getId() + "'s at " + local);
            }
            return local.toInstant(asked);
        }
        // A repeated hour has two offsets: the earlier instant is the first time the clock shows it.
        final LocalDateTime at = local;
        return offsets.stream().map(at::toInstant).min(Instant::compareTo).orElseThrow();
    }

    /** The zone named, or a refusal naming it. */
    public static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException unknown) {
            throw new UnschedulableTime("unknown time zone '" + name + "': use an IANA zone such as Europe/London");
        }
    }
}
