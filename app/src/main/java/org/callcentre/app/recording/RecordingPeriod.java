package org.callcentre.app.recording;

import static org.callcentre.problem.RefusedException.invalid;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The period of {@code ?from=&to=}: each a day ({@code 2026-06-01}, in UTC; {@code to} takes the whole day) or an
 * instant ({@code 2026-06-01T10:00:00Z}); {@code from} before {@code to}, at most a year and a day apart.
 *
 * @param from inclusive
 * @param to   exclusive
 */
record RecordingPeriod(Instant from, Instant to) {

    static final Duration LONGEST = Duration.ofDays(367);

    static RecordingPeriod of(String from, String to) {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw invalid("from and to are required: days (2026-06-01) or instants (2026-06-01T10:00:00Z)");
        }
        Instant start = instant("from", from, false);
        Instant end = instant("to", to, true);
        if (!start.isBefore(end)) {
            throw invalid("from must be before to");
        }
        if (Duration.between(start, end).compareTo(LONGEST) > 0) {
            throw invalid("from and to may be at most a year apart");
        }
        return new RecordingPeriod(start, end);
    }

    private static Instant instant(String name, String value, boolean endOfDay) {
        String text = value.strip();
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(name + " is neither a day (2026-06-01) nor an instant (2026-06-01T10:00:00Z)");
        }
    }
}
