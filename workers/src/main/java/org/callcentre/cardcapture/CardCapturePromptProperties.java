package org.callcentre.cardcapture;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * How long the IVR waits for a silent donor, and how often.
 *
 * @param gatherTimeout how long a prompt waits for the next key (Twilio's {@code <Gather timeout>}, in whole
 *                      seconds; a bare number means seconds): a donor reading digits off a card needs time
 *                      between presses
 * @param silentPrompts how many times in a row a prompt that timed out without a key is asked again; the next
 *                      silence sends the donor back to the agent
 */
@ConfigurationProperties(prefix = "app.card-capture")
public record CardCapturePromptProperties(@DurationUnit(ChronoUnit.SECONDS) Duration gatherTimeout,
        Integer silentPrompts) {

    public CardCapturePromptProperties {
        if (gatherTimeout == null) {
            gatherTimeout = Duration.ofSeconds(10);
        }
        if (silentPrompts == null) {
            silentPrompts = 3;
        }
        if (gatherTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("app.card-capture.gather-timeout must be at least one second");
        }
        if (silentPrompts < 0) {
            throw new IllegalArgumentException("app.card-capture.silent-prompts must not be negative");
        }
    }

    /** Defaults, for code built without Spring's binding. */
    public static CardCapturePromptProperties defaults() {
        return new CardCapturePromptProperties(null, null);
    }

    /** The gather's {@code timeout} attribute. */
    public int gatherTimeoutSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, gatherTimeout.toSeconds());
    }
}
