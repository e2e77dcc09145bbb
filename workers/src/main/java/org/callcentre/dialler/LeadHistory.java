package org.callcentre.dialler;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/** Who did what to a lead and when: one row per event, in the caller's transaction, read oldest first. */
public class LeadHistory {

    /** What happened. */
    public enum Kind {
        IMPORTED, ADDED_TO_LIST, LOCKED, LOCK_OVERRIDDEN, LOCK_RELEASED, CALL_PLACED, CALL_ENDED, CALL_FAILED,
        NUMBER_INVALID, STATUS_RECORDED, STATUS_EDITED,
        /** The dialling compliance refused a call: the rule and why (see {@link DiallingCompliance}). */
        DIAL_REFUSED,
        /** What the call-outcome decision did after a status ("Busy: retry in 15 minutes"). */
        OUTCOME_APPLIED,
        /** What an edited status's decision had done, taken back before the new status's decision applies. */
        OUTCOME_UNDONE,
        /** A callback's life: scheduled, changed (rescheduled or reassigned), due, opened to the team. */
        CALLBACK_SCHEDULED, CALLBACK_CHANGED, CALLBACK_DUE, CALLBACK_OPENED_TO_TEAM,
        /** Next Lead offered the callback; a call was placed that serves it. */
        CALLBACK_OFFERED, CALLBACK_CALLED,
        /** How a callback ended, or that it is due again after a call that did not reach anyone. */
        CALLBACK_DONE, CALLBACK_RETRY, CALLBACK_FAILED, CALLBACK_NEGLECTED, CALLBACK_CANCELLED,
        /** The person called in: a lead made for a caller no lead matched, or a call an agent served. */
        CALLED_IN,
        /** An agent-first callback call could not be made (no device, say). */
        CALLBACK_CALL_REFUSED
    }

    /** One event; {@code userId} is null for what the system did on its own (Twilio's final status, say). */
    public record Event(Instant at, String userId, Kind kind, String detail) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public LeadHistory(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(long leadId, String userId, Kind kind, String detail) {
        jdbc.update("insert into lead_history (lead_id, at, user_id, kind, detail) values (?, ?, ?, ?, ?)", leadId,
                Timestamp.from(clock.instant()), userId, kind.name(), detail);
    }

    public List<Event> events(long leadId) {
        return jdbc.query("select at, user_id, kind, detail from lead_history where lead_id = ? order by id",
                (rs, n) -> new Event(rs.getTimestamp("at").toInstant(), rs.getString("user_id"),
                        Kind.valueOf(rs.getString("kind")), rs.getString("detail")), leadId);
    }
}
