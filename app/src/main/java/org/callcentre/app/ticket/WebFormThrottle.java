package org.callcentre.app.ticket;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The web form's submissions counted per client address in fixed windows: an address's first submission starts a
 * window, and past {@link WebFormProperties#maxPerWindow()} in it the address waits for the window to end. Counts
 * live in this node's memory, bounded in number, and are forgotten once their window is over.
 */
@Component
public class WebFormThrottle {

    private record Window(Instant start, int count) {
    }

    private final WebFormProperties settings;
    private final Cache<String, Window> windows;
    private volatile Clock clock;

    public WebFormThrottle(WebFormProperties settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.windows = Caffeine.newBuilder()
                .maximumSize(settings.maxTracked())
                .expireAfterWrite(settings.window())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(this.clock.millis()))
                .build();
    }

    /** Counts one submission from {@code address}: empty if it may go on, else how long until the address may. */
    public Optional<Duration> take(String address) {
        Instant now = clock.instant();
        Window window = windows.asMap().compute(address, (key, known) ->
                known == null || !now.isBefore(known.start().plus(settings.window())) ? new Window(now, 1)
                        : new Window(known.start(), Math.min(known.count(), settings.maxPerWindow()) + 1));
        if (window.count() <= settings.maxPerWindow()) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, window.start().plus(settings.window())));
    }

    /** Tests in this package move time with this instead of waiting; the app keeps the clock it was given. */
    void useClock(Clock clock) {
        this.clock = clock;
    }

    Clock clock() {
        return clock;
    }
}
