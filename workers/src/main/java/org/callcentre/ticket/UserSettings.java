package org.callcentre.ticket;

import static org.callcentre.problem.RefusedException.invalid;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.callcentre.user.CallCentreUser;
import org.callcentre.user.CallCentreUsers;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A user's own settings for tickets ({@code ticket_user_settings}), in the caller's transaction: the initials shown
 * on the tickets they own (from their name until they choose), and the days on which they get an email for each new
 * Donations ticket (none until they choose).
 */
public class UserSettings {

    private static final Pattern INITIALS = Pattern.compile("\\p{Lu}{1,4}");

    /** The settings: {@code donationsNotificationDays} in week order. */
    public record Settings(String initials, List<DayOfWeek> donationsNotificationDays) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CallCentreUsers users;

    public UserSettings(JdbcTemplate jdbc, Clock clock, CallCentreUsers users) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.users = users;
    }

    public Settings of(String userId) {
        return jdbc.query("select * from ticket_user_settings where user_id = ?", (rs, n) -> new Settings(
                rs.getString("initials"), days(rs.getString("donations_notification_days"))), userId).stream()
                .findFirst().orElseGet(() -> new Settings(defaultInitials(userId), List.of()));
    }

    /** Replaces the user's settings; {@code initials} upper-case letters (1 to 4), days each named once. */
    public Settings replace(String userId, String initials, List<String> days) {
        String chosen = initials == null ? "" : initials.strip().toUpperCase(Locale.ROOT);
        if (!INITIALS.matcher(chosen).matches()) {
            throw invalid("initials are 1 to 4 letters");
        }
        if (days == null) {
            throw invalid("donationsNotificationDays is required: the days (MONDAY…SUNDAY) to get an email for each "
                    + "new Donations ticket, or an empty list");
        }
        Set<DayOfWeek> chosenDays = EnumSet.noneOf(DayOfWeek.class);
        for (String day : days) {
            DayOfWeek parsed = Arrays.stream(DayOfWeek.values()).filter(d -> d.name().equalsIgnoreCase(
                    day == null ? "" : day.strip())).findFirst().orElseThrow(() -> invalid("'" + day
                            + "' is not a day of the week (MONDAY…SUNDAY)"));
            if (!chosenDays.add(parsed)) {
                throw invalid(parsed + " is named twice");
            }
        }
        String stored = chosenDays.stream().map(DayOfWeek::name).collect(Collectors.joining(","));
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.update("update ticket_user_settings set initials = ?, donations_notification_days = ?, "
                + "updated_at = ? where user_id = ?", chosen, stored, now, userId) == 0) {
            jdbc.update("insert into ticket_user_settings (user_id, initials, donations_notification_days, "
                    + "updated_at) values (?, ?, ?, ?)", userId, chosen, stored, now);
        }
        return of(userId);
    }

    /** The first letters of the user's first and last names, else of the id. */
    String defaultInitials(String userId) {
        String initials = users.user(userId).map(UserSettings::initialsOf).orElse("");
        if (initials.isEmpty()) {
            initials = userId.isEmpty() ? "?" : userId.substring(0, 1).toUpperCase(Locale.ROOT);
        }
        return initials;
    }

    private static String initialsOf(CallCentreUser user) {
        StringBuilder initials = new StringBuilder();
        for (String name : new String[] {user.firstName(), user.lastName()}) {
            if (name != null && !name.isBlank() && Character.isLetter(name.strip().charAt(0))) {
                initials.append(Character.toUpperCase(name.strip().charAt(0)));
            }
        }
        return initials.toString();
    }

    private static List<DayOfWeek> days(String stored) {
        return stored == null || stored.isBlank() ? List.of()
                : Arrays.stream(stored.split(",")).map(DayOfWeek::valueOf).sorted().toList();
    }
}
