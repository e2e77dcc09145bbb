package org.callcentre.callback;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.springframework.jdbc.core.JdbcTemplate;

/** A callback in the words agents read in Tasklist. */
public class CallbackWords {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.UK);

    private final JdbcTemplate jdbc;

    public CallbackWords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** "Call back Jane Donor", or the number when the lead has no name. */
    public String taskName(Callback callback) {
        String name = jdbc.queryForObject("select trim(concat(coalesce(first_name, ''), ' ', coalesce(last_name, ''))) "
                + "from lead where id = ?", String.class, callback.leadId());
        return "Call back " + (name == null || name.isBlank() ? callback.phone() : name);
    }

    /** "+44 7700 900123 at Mon 8 Mar 14:30 (Europe/London), Call Back Queue: wants to talk to her partner first". */
    public String taskDescription(Callback callback) {
        return callback.phone() + " at " + callback.dueAt().atZone(ZoneId.of(callback.timeZone())).format(WHEN) + " ("
                + callback.timeZone() + "), " + (callback.mode() == Callback.Mode.AGENT ? "Call Back Agent"
                        : "Call Back Queue") + ": " + callback.reason();
    }
}
