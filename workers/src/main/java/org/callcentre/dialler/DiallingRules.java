package org.callcentre.dialler;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

/**
 * A campaign's dialling rules.
 *
 * @param callingHoursStart the first minute a lead may be called, in the lead's own time zone
 * @param callingHoursEnd   the minute calling stops (exclusive), in the lead's own time zone; before the start for
 *                          hours that run past midnight, equal to it for all day
 * @param defaultTimeZone   the time zone of a lead imported without one
 * @param defaultRegion     the ISO country of numbers written without +
 * @param recordCalls       Twilio records the campaign's calls (a call placed keeps the setting it was placed with)
 * @param allowedCountries  the ISO 3166 alpha-2 countries whose numbers the campaign may dial; empty for every country
 *                          (the company's allow list may add numbers, see {@link DiallingCompliance})
 */
public record DiallingRules(long campaignId, int minMinutesBetweenCalls, int maxAttemptsIn8Hours,
        int maxAttemptsPerRecord, LocalTime callingHoursStart, LocalTime callingHoursEnd, ZoneId defaultTimeZone,
        String defaultRegion, boolean recordCalls, Set<String> allowedCountries) {

    public DiallingRules {
        allowedCountries = Set.copyOf(allowedCountries);
    }

    /** Rules of a campaign that may dial every country. */
    public DiallingRules(long campaignId, int minMinutesBetweenCalls, int maxAttemptsIn8Hours,
            int maxAttemptsPerRecord, LocalTime callingHoursStart, LocalTime callingHoursEnd, ZoneId defaultTimeZone,
            String defaultRegion, boolean recordCalls) {
        this(campaignId, minMinutesBetweenCalls, maxAttemptsIn8Hours, maxAttemptsPerRecord, callingHoursStart,
                callingHoursEnd, defaultTimeZone, defaultRegion, recordCalls, Set.of());
    }

    /** Rules of a campaign that does not record its calls and may dial every country. */
    public DiallingRules(long campaignId, int minMinutesBetweenCalls, int maxAttemptsIn8Hours,
            int maxAttemptsPerRecord, LocalTime callingHoursStart, LocalTime callingHoursEnd, ZoneId defaultTimeZone,
            String defaultRegion) {
        this(campaignId, minMinutesBetweenCalls, maxAttemptsIn8Hours, maxAttemptsPerRecord, callingHoursStart,
                callingHoursEnd, defaultTimeZone, defaultRegion, false, Set.of());
    }

    /** Whether the campaign may dial numbers of {@code country} (null when the number's country is not known). */
    public boolean allowsCountry(String country) {
        return allowedCountries.isEmpty() || country != null && allowedCountries.contains(country);
    }

    /** Whether {@code now}, read on the wall clock of {@code zone} (daylight saving included), is inside the hours. */
    public boolean withinCallingHours(ZoneId zone, Instant now) {
        LocalTime local = now.atZone(zone).toLocalTime();
        if (callingHoursEnd.equals(callingHoursStart)) {
            return true;
        }
        if (callingHoursEnd.isAfter(callingHoursStart)) {
            return !local.isBefore(callingHoursStart) && local.isBefore(callingHoursEnd);
        }
        return !local.isBefore(callingHoursStart) || local.isBefore(callingHoursEnd);
    }
}
