package org.callcentre.app.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How failed logins are throttled, per client address and user name.
 *
 * @param freeFailures failures of one address for one user before that pair is refused for a while
 * @param firstDelay   how long the pair is refused after its {@code freeFailures}th failure; each further failure
 *                     doubles it
 * @param maxDelay     the longest a pair is ever refused
 * @param forgetAfter  a pair's failures are forgotten this long after its last one
 * @param maxTracked   pairs remembered at most (each node keeps its own, in memory)
 */
@ConfigurationProperties("app.login-throttle")
public record LoginThrottleProperties(
        @DefaultValue("5") int freeFailures,
        @DefaultValue("1s") Duration firstDelay,
        @DefaultValue("60s") Duration maxDelay,
        @DefaultValue("15m") Duration forgetAfter,
        @DefaultValue("100000") long maxTracked) {

    public LoginThrottleProperties {
        if (freeFailures < 1 || firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0
                || forgetAfter.compareTo(maxDelay) < 0 || maxTracked < 1) {
            throw new IllegalArgumentException("app.login-throttle needs free-failures >= 1 and "
                    + "first-delay <= max-delay <= forget-after, and max-tracked >= 1");
        }
    }
}
