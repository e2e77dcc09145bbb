package org.callcentre.callback;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The callbacks' settings.
 *
 * @param maxOpenPerAgent        open Call Back Agent callbacks one agent may own; scheduling another is refused
 * @param openToTeamAfterMinutes a Call Back Agent callback its owner has not taken this long after it fell due is
 *                               offered to the whole team
 * @param maxAttempts            calls that may serve one callback; a callback not reached after the last one fails
 * @param retryAfterMinutes      when the call-outcome decision gives no retry time, a callback not reached is due
 *                               again this long after the call's outcome
 */
@ConfigurationProperties("callbacks")
public record CallbackProperties(@DefaultValue("50") int maxOpenPerAgent,
        @DefaultValue("30") int openToTeamAfterMinutes, @DefaultValue("3") int maxAttempts,
        @DefaultValue("15") int retryAfterMinutes) {

    public CallbackProperties {
        if (maxOpenPerAgent < 1 || openToTeamAfterMinutes < 1 || maxAttempts < 1 || retryAfterMinutes < 1) {
            throw new IllegalArgumentException("callbacks.* settings must each be at least 1");
        }
    }
}
