package org.callcentre.app.ticket;

import java.time.DayOfWeek;
import java.util.List;

import org.callcentre.ticket.UserSettings;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in user's own settings for tickets: initials, and the days of new-Donations-ticket emails. */
@RestController
public class UserSettingsController {

    public record SettingsView(String initials, List<DayOfWeek> donationsNotificationDays) {

        static SettingsView of(UserSettings.Settings settings) {
            return new SettingsView(settings.initials(), settings.donationsNotificationDays());
        }
    }

    public record SettingsRequest(String initials, List<String> donationsNotificationDays) {
    }

    private final UserSettings settings;

    public UserSettingsController(UserSettings settings) {
        this.settings = settings;
    }

    @GetMapping("/api/users/me/settings")
    @Transactional(readOnly = true)
    public SettingsView mine(Authentication user) {
        return SettingsView.of(settings.of(user.getName()));
    }

    @PutMapping("/api/users/me/settings")
    @Transactional
    public SettingsView replace(@RequestBody SettingsRequest body, Authentication user) {
        return SettingsView.of(settings.replace(user.getName(), body == null ? null : body.initials(),
                body == null ? null : body.donationsNotificationDays()));
    }
}
