package org.callcentre.bench;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one capability's benchmark adds to the harness: how to set up the running app for it, how to play one
 * conversation over HTTP, which of a conversation's steps have targets, and (optionally) the same conversation on the
 * engine alone for the ceiling. The harness starts the app and the emulators, warms up, runs the load, measures and
 * prints; a new capability's benchmark is a new implementation, registered in {@link Bench#SCENARIOS}.
 */
public interface Scenario {

    /** The name {@code --scenario=} picks it by, and the table's title. */
    String name();

    /** Once, on the started app, before any conversation: what its conversations need (a campaign, say). */
    void setUp(RunningApp app) throws Exception;

    /**
     * One conversation's data, made before its timing starts (a pledge, say); the harness runs what it answers,
     * at once or later, on any thread.
     */
    Conversation prepare() throws Exception;

    /** How many think times one paced conversation holds: the paced phase starts its lines over one conversation. */
    int thinkTimesPerConversation();

    /** The steps whose paced p99 has a target, checked and printed as PASS or MISS. */
    List<StepTarget> stepTargets();

    /** The same conversation on the engine alone, for the ceiling; empty if this scenario has none. */
    Optional<EngineOnlyModel> engineOnly();

    /** One conversation, ready to run. */
    interface Conversation {
        /** Plays it to its end, pausing {@code think} between a person's actions; answers its timed steps. */
        List<Step> run(Think think) throws Exception;
    }

    /**
     * A timed step of a conversation: its name (the harness prints steps sorted by it), its duration, and when it
     * began on {@link System#nanoTime()} (the paced phase counts only steps that began in its measured window).
     */
    record Step(String name, long nanos, long startNanos) {
    }

    /** A step's paced p99 must be at most {@code p99}. */
    record StepTarget(String step, String description, Duration p99) {
    }
}
