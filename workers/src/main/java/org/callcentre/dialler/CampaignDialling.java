package org.callcentre.dialler;

import static org.callcentre.problem.RefusedException.invalid;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;

/** Each campaign's dialling rules, in the campaign table. */
public class CampaignDialling {

    private final JdbcTemplate jdbc;

    public CampaignDialling(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<DiallingRules> rules(long campaignId) {
        return jdbc.query("select id, min_minutes_between_calls, max_attempts_in_8_hours, max_attempts_per_record, "
                + "calling_hours_start, calling_hours_end, default_time_zone, default_region, record_calls, "
                + "allowed_countries from campaign where id = ?",
                (rs, n) -> new DiallingRules(rs.getLong("id"), rs.getInt("min_minutes_between_calls"),
                        rs.getInt("max_attempts_in_8_hours"), rs.getInt("max_attempts_per_record"),
                        LocalTime.parse(rs.getString("calling_hours_start")),
                        LocalTime.parse(rs.getString("calling_hours_end")), ZoneId.of(rs.getString("default_time_zone")),
                        rs.getString("default_region").trim(), rs.getBoolean("record_calls"),
                        countries(rs.getString("allowed_countries"))), campaignId).stream()
                .findFirst();
    }

    /** The campaign's allowed countries: empty for every country or when there is no such campaign. */
    public Set<String> allowedCountries(long campaignId) {
        return jdbc.queryForList("select allowed_countries from campaign where id = ?", String.class, campaignId)
                .stream().findFirst().map(CampaignDialling::countries).orElse(Set.of());
    }

    /** Replaces the campaign's rules; false when there is no such campaign. */
    public boolean update(DiallingRules rules) {
        if (rules.minMinutesBetweenCalls() < 0 || rules.maxAttemptsIn8Hours() < 1 || rules.maxAttemptsPerRecord() < 1) {
            throw invalid("minMinutesBetweenCalls must be at least 0, the maximum attempts at least 1");
        }
        rules.allowedCountries().stream().filter(country -> !PhoneNumbers.knownRegion(country)).sorted().findFirst()
                .ifPresent(country -> {
                    throw invalid("allowedCountries: " + country + " is not an ISO 3166 alpha-2 country with a "
                            + "telephone numbering plan (such as GB)");
                });
        return jdbc.update("update campaign set min_minutes_between_calls = ?, max_attempts_in_8_hours = ?, "
                + "max_attempts_per_record = ?, calling_hours_start = ?, calling_hours_end = ?, default_time_zone = ?, "
                + "default_region = ?, record_calls = ?, allowed_countries = ? where id = ?",
                rules.minMinutesBetweenCalls(), rules.maxAttemptsIn8Hours(), rules.maxAttemptsPerRecord(),
                hhmm(rules.callingHoursStart()), hhmm(rules.callingHoursEnd()), rules.defaultTimeZone().getId(),
                rules.defaultRegion(), rules.recordCalls(),
                rules.allowedCountries().stream().sorted().collect(Collectors.joining(",")), rules.campaignId()) == 1;
    }

    private static Set<String> countries(String column) {
        return column == null || column.isBlank() ? Set.of()
                : Arrays.stream(column.split(",")).map(String::trim).collect(Collectors.toUnmodifiableSet());
    }

    private static String hhmm(LocalTime time) {
        return String.format("%02d:%02d", time.getHour(), time.getMinute());
    }
}
