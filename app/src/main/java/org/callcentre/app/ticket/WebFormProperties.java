package org.callcentre.app.ticket;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The public web form's rate limit, per client address (the address Tomcat gives, so behind a trusted proxy the
 * forwarded one).
 *
 * @param maxPerWindow submissions one address may make in a window; the next is refused with 429 until it ends
 * @param window       a window starts with an address's first submission after the last window ended
 * @param maxTracked   addresses remembered at most (each node keeps its own, in memory)
 */
@ConfigurationProperties("tickets.web-form")
public record WebFormProperties(@DefaultValue("5") int maxPerWindow, @DefaultValue("10m") Duration window,
        @DefaultValue("100000") long maxTracked) {

    public WebFormProperties {
        if (maxPerWindow < 1 || window.isNegative() || window.isZero() || maxTracked < 1) {
            throw new IllegalArgumentException("tickets.web-form needs max-per-window >= 1, a window longer than 0 "
                    + "and max-tracked >= 1");
        }
    }
}
