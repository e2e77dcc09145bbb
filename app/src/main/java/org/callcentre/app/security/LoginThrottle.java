package org.callcentre.app.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Failed logins, counted per client address and user name, with a refusal that always expires. The engine's own
 * protection locks a user for everyone, and for good after ten failures, so anyone could lock out every agent;
 * here only the address that keeps guessing waits, for a time that doubles with each further failure up to a
 * cap, while the same user logs in from anywhere else. A success forgets the pair. The counts live in this
 * node's memory, bounded in number, and are forgotten some time after the last failure.
 */
public class LoginThrottle {

    /** One client address trying one user name (names compared without case, as some databases do). */
    public record LoginAttempt(String address, String user) {
        public LoginAttempt {
            user = user.toLowerCase(Locale.ROOT);
        }
    }

    private record Failures(int count, Instant refusedUntil) {
    }

    private final LoginThrottleProperties settings;
    private final Cache<LoginAttempt, Failures> failures;
    private volatile Clock clock;

    public LoginThrottle(LoginThrottleProperties settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.failures = Caffeine.newBuilder()
                .maximumSize(settings.maxTracked())
                .expireAfterWrite(settings.forgetAfter())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(this.clock.millis()))
                .build();
    }

    /** How long this pair must still wait, if it is refused now; its password is then not checked at all. */
    public Optional<Duration> refusal(LoginAttempt attempt) {
        Failures known = failures.getIfPresent(attempt);
        Instant now = clock.instant();
        if (known == null || known.refusedUntil() == null || !known.refusedUntil().isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, known.refusedUntil()));
    }

    public void failed(LoginAttempt attempt) {
        Instant now = clock.instant();
        failures.asMap().compute(attempt, (pair, known) -> {
            int count = known == null ? 1 : known.count() + 1;
            return new Failures(count, count < settings.freeFailures() ? null : now.plus(delay(count)));
        });
    }

    public void succeeded(LoginAttempt attempt) {
        failures.invalidate(attempt);
    }

    private Duration delay(int failureCount) {
        int doublings = Math.min(failureCount - settings.freeFailures(), 30);
        Duration delay = settings.firstDelay().multipliedBy(1L << doublings);
        return delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay;
    }

    /** Tests in this package move time with this instead of waiting; the app keeps the clock it was given. */
    void useClock(Clock clock) {
        this.clock = clock;
    }

    Clock clock() {
        return clock;
    }
}
