package org.callcentre.bench;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** A person's pause between two actions, drawn evenly between {@code min} and {@code max}; none at saturation. */
public record Think(Duration min, Duration max) {

    public static final Think NONE = new Think(Duration.ZERO, Duration.ZERO);

    public Think {
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("think time: the most (" + max + ") is below the least (" + min + ")");
        }
    }

    /** The mean pause. */
    public Duration mean() {
        return min.plus(max).dividedBy(2);
    }

    public void pause() {
        if (max.isZero()) {
            return;
        }
        AppProcess.pause(draw());
    }

    /** One pause's length. */
    public Duration draw() {
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(min.toMillis(), max.toMillis() + 1));
    }
}
