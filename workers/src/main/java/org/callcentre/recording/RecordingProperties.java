package org.callcentre.recording;

import java.net.URI;
import java.time.Duration;
import java.time.Period;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Call recordings' settings.
 *
 * @param archiveAfter        recordings that started longer ago than this are archived by the daily run (default two
 *                            months)
 * @param restoreBaseUrl      where operations put the audio of a restored recording: a restored location must be a
 *                            URL under it, since the app fetches it (no other address is ever fetched). Without it
 *                            no restore can be completed
 * @param resumeSweepInterval how often recordings left paused after a card capture are resumed again
 * @param mediaTimeout        how long the app waits for Twilio (or the restore store) to start sending a recording's
 *                            audio
 */
@ConfigurationProperties(prefix = "app.recording")
public record RecordingProperties(Period archiveAfter, URI restoreBaseUrl, Duration resumeSweepInterval,
        Duration mediaTimeout) {

    public RecordingProperties {
        if (archiveAfter == null) {
            archiveAfter = Period.ofMonths(2);
        }
        if (resumeSweepInterval == null) {
            resumeSweepInterval = Duration.ofSeconds(5);
        }
        if (mediaTimeout == null) {
            mediaTimeout = Duration.ofSeconds(30);
        }
        if (archiveAfter.isNegative() || archiveAfter.isZero()) {
            throw new IllegalArgumentException("app.recording.archive-after must be a positive period, such as P2M");
        }
        if (restoreBaseUrl != null) {
            RestoreLocations.requireBase(restoreBaseUrl);
        }
    }

    /** Defaults, for code built without Spring's binding. */
    public static RecordingProperties defaults() {
        return new RecordingProperties(null, null, null, null);
    }
}
