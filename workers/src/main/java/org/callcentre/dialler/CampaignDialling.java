package org.callcentre.dialler;

import static org.callcentre.problem.RefusedException.invalid;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/** Each campaign's dialling rules, in the campaign table. */
public class CampaignDialling {

    private final JdbcTemplate jdbc;

    public CampaignDialling(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<DiallingRules> rules(long campaignId) {
        return jdbc.query("select id, min_minutes_between_calls, max_attempts_in_8_hours, max_attempts_per_record, "
                + "calling_hours_start, calling_hours_end, default_time_zone, default_region, record_calls from campaign "
                + "where id = ?",
                (rs, n) -> new DiallingRules(rs.getLong("id"), rs.getInt("min_minutes_between_calls"),
                        rs.getInt("max_attempts_in_8_hours"), rs.getInt("max_attempts_per_record"),
                        LocalTime.parse(rs.getString("calling_hours_start")),
                        LocalTime.parse(rs.getString("calling_hours_end")), ZoneId.of(rs.getString("default_time_zone")),
                        rs.getString("default_region").trim(), rs.getBoolean("record_calls")), campaignId).stream()
                .findFirst();
    }

    /** Replaces the campaign's rules; false when there is no such campaign. */
    public boolean update(DiallingRules rules) {
        if (rules.minMinutesBetweenCalls() < 0 || rules.maxAttemptsIn8Hours() < 1 || rules.maxAttemptsPerRecord() < 1) {
            throw invalid("minMinutesBetweenCalls must be at least 0, the maximum attempts at least 1");
        }
        return jdbc.update("update campaign set min_minutes_between_calls = ?, max_attempts_in_8_hours = ?, "
                + "max_attempts_per_record = ?, calling_hours_start = ?, calling_hours_end = ?, default_time_zone = ?, "
                + "default_region = ?, record_calls = ? where id = ?", rules.minMinutesBetweenCalls(),
                rules.maxAttemptsIn8Hours(), rules.maxAttemptsPerRecord(), hhmm(rules.callingHoursStart()),
                hhmm(rules.callingHoursEnd()), rules.defaultTimeZone().getId(), rules.defaultRegion(),
                rules.recordCalls(), rules.campaignId()) == 1;
    }

    private static String hhmm(LocalTime time) {
        return String.format("%02d:%02d", time.getHour(), time.getMinute());
    }
}
