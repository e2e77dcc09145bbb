package org.callcentre.dialler;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collections;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps {@code lead_call_list.ready} and {@code ready_at} in step with the lead: Next Lead's index over a list reaches
 * the newest lead that may be offered without reading the leads that wait out their gap between calls, cannot be
 * dialled or wait for their open callback. Whoever changes {@code lead.dialable}, {@code lead.next_call_at} or
 * {@code lead.open_callback_id} calls {@link #sync} in the same transaction; {@link #sweep} makes leads ready again
 * once their {@code ready_at} has passed.
 */
public class LeadReadiness {

    private static final String SET_FROM_LEAD = "update lead_call_list set "
            + "ready = (select l.dialable and l.open_callback_id is null "
            + "and (l.next_call_at is null or l.next_call_at <= ?) from lead l "
            + "where l.id = lead_call_list.lead_id), "
            + "ready_at = (select case when l.dialable and l.open_callback_id is null and l.next_call_at > ? "
            + "then l.next_call_at end from lead l "
            + "where l.id = lead_call_list.lead_id) ";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public LeadReadiness(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The lead's rows in every list follow its dialable flag and its next call time. */
    public void sync(long leadId) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(SET_FROM_LEAD + "where lead_id = ?", now, now, leadId);
    }

    /** As {@link #sync(long)} for every lead holding one of {@code numbers} (at most a few thousand at a time). */
    public void syncHolders(List<String> numbers) {
        if (numbers.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        Object[] arguments = new Object[numbers.size() + 2];
        arguments[0] = now;
        arguments[1] = now;
        for (int i = 0; i < numbers.size(); i++) {
            arguments[i + 2] = numbers.get(i);
        }
        jdbc.update(SET_FROM_LEAD + "where lead_id in (select lead_id from lead_phone where number in ("
                + String.join(", ", Collections.nCopies(numbers.size(), "?")) + "))", arguments);
    }

    /** Leads whose wait is over are ready again; answers how many rows changed. */
    public int sweep() {
        return jdbc.update("update lead_call_list set ready = true, ready_at = null where ready = false "
                + "and ready_at <= ?", Timestamp.from(clock.instant()));
    }
}
