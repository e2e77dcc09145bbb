package org.callcentre.app.dialler;

import java.util.List;
import java.util.Set;

import org.callcentre.dialler.CallLists.CallList;
import org.callcentre.dialler.DiallingRules;
import org.callcentre.dialler.Teams.Team;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The JSON shapes of the dialler's set-up: dialling rules, caller IDs, call lists and teams. */
public final class DiallerSetupApi {

    private static final String HH_MM = "([01][0-9]|2[0-3]):[0-5][0-9]";

    private DiallerSetupApi() {
    }

    /**
     * A campaign's dialling rules; times are HH:mm in each lead's own time zone. {@code recordCalls} (false when left
     * out): Twilio records the calls placed from now on. {@code allowedCountries} (every country when empty or left
     * out): the ISO 3166 alpha-2 countries whose numbers the campaign dials; the company's allow list adds numbers.
     */
    public record DiallingSettings(
            @NotNull @Min(0) Integer minMinutesBetweenCalls,
            @NotNull @Min(1) Integer maxAttemptsIn8Hours,
            @NotNull @Min(1) Integer maxAttemptsPerRecord,
            @NotNull @Pattern(regexp = HH_MM, message = "must be a time HH:mm") String callingHoursStart,
            @NotNull @Pattern(regexp = HH_MM, message = "must be a time HH:mm") String callingHoursEnd,
            @NotBlank @Size(max = 64) String defaultTimeZone,
            @NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be an ISO country such as GB") String defaultRegion,
            Boolean recordCalls,
            @Size(max = 300) List<@NotNull @Pattern(regexp = "[A-Z]{2}", message = "must be ISO 3166 alpha-2 "
                    + "countries such as GB") String> allowedCountries) {

        static DiallingSettings of(DiallingRules rules) {
            return new DiallingSettings(rules.minMinutesBetweenCalls(), rules.maxAttemptsIn8Hours(),
                    rules.maxAttemptsPerRecord(), rules.callingHoursStart().toString(),
                    rules.callingHoursEnd().toString(), rules.defaultTimeZone().getId(), rules.defaultRegion(),
                    rules.recordCalls(), rules.allowedCountries().stream().sorted().toList());
        }

        /** The allowed countries as given: none when left out. */
        Set<String> allowedCountriesOrNone() {
            return allowedCountries == null ? Set.of() : Set.copyOf(allowedCountries);
        }
    }

    public record CallerIdNumbers(@NotNull @Size(max = 1000) List<@NotNull String> numbers) {
    }

    public record NewCallList(@NotBlank @Size(max = 200) String name, @NotNull Long campaignId) {
    }

    public record CallListView(long id, String name, long campaignId) {

        static CallListView of(CallList list) {
            return new CallListView(list.id(), list.name(), list.campaignId());
        }
    }

    /** A team as written: its agents by user id, its call lists with their weightings (1 when left out). */
    public record TeamSettings(
            @NotBlank @Size(max = 200) String name,
            @Size(max = 10_000) List<@NotNull String> agents,
            @Size(max = 1000) List<@NotNull @Valid TeamCallListSetting> callLists) {
    }

    public record TeamCallListSetting(@NotNull Long callListId, @Min(1) Integer weighting) {

        int weightingOrDefault() {
            return weighting == null ? 1 : weighting;
        }
    }

    public record TeamView(long id, String name, List<String> agents, List<TeamCallListView> callLists) {

        static TeamView of(Team team) {
            return new TeamView(team.id(), team.name(), team.agents(), team.callLists().stream()
                    .map(list -> new TeamCallListView(list.callListId(), list.weighting())).toList());
        }
    }

    public record TeamCallListView(long callListId, int weighting) {
    }
}
