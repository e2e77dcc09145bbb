package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.EndToEndTest;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code /api/users/me/settings}: each user's own initials and Donations notification days, and their refusals. */
class UserSettingsEndToEndTest extends EndToEndTest {

    @Test
    void aUserStartsWithTheirNamesInitialsAndNoDaysAndChangesOnlyTheirOwn() {
        AgentApi user = CallCentreStaff.create(admin, "settings", "AGENT", false);
        JsonNode initial = user.get("/api/users/me/settings").json();
        // CallCentreStaff names every user "Test <prefix>".
        assertThat(initial.get("initials").asText()).isEqualTo("TS");
        assertThat(initial.get("donationsNotificationDays")).isEmpty();

        Reply changed = user.put("/api/users/me/settings", Map.of("initials", "jd", "donationsNotificationDays",
                List.of("friday", "MONDAY", "Wednesday")));

        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("initials").asText()).isEqualTo("JD");
        assertThat(days(user.get("/api/users/me/settings").json())).containsExactly("MONDAY", "WEDNESDAY", "FRIDAY");
        assertThat(agentAdmin.get("/api/users/me/settings").json().get("initials").asText())
                .as("another user's are their own").isNotEqualTo("JD");

        assertThat(user.put("/api/users/me/settings", Map.of("initials", "J", "donationsNotificationDays",
                List.of())).json().get("donationsNotificationDays")).isEmpty();
        assertThat(anonymous.get("/api/users/me/settings").status()).isEqualTo(401);
    }

    @Test
    void badSettingsAreRefusedAndChangeNothing() {
        AgentApi user = CallCentreStaff.create(admin, "badsettings", "AGENT", false);
        assertThat(user.put("/api/users/me/settings", Map.of("initials", "AB", "donationsNotificationDays",
                List.of("TUESDAY"))).status()).isEqualTo(200);

        assertProblem(user.put("/api/users/me/settings", Map.of("initials", "ABCDE", "donationsNotificationDays",
                List.of())), 400, "1 to 4 letters");
        assertProblem(user.put("/api/users/me/settings", Map.of("initials", "A1", "donationsNotificationDays",
                List.of())), 400, "1 to 4 letters");
        assertProblem(user.put("/api/users/me/settings", Map.of("initials", "AB", "donationsNotificationDays",
                List.of("Funday"))), 400, "'Funday' is not a day of the week");
        assertProblem(user.put("/api/users/me/settings", Map.of("initials", "AB", "donationsNotificationDays",
                List.of("MONDAY", "monday"))), 400, "MONDAY is named twice");
        assertProblem(user.put("/api/users/me/settings", Map.of("initials", "AB")), 400,
                "donationsNotificationDays is required");

        JsonNode kept = user.get("/api/users/me/settings").json();
        assertThat(kept.get("initials").asText()).isEqualTo("AB");
        assertThat(days(kept)).containsExactly("TUESDAY");
    }

    private static List<String> days(JsonNode settings) {
        String[] days = new String[settings.get("donationsNotificationDays").size()];
        for (int i = 0; i < days.length; i++) {
            days[i] = settings.get("donationsNotificationDays").get(i).asText();
        }
        return Arrays.asList(days);
    }
}
