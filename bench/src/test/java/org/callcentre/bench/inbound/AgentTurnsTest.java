package org.callcentre.bench.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.callcentre.bench.inbound.AgentTurns.Caller;
import org.callcentre.bench.inbound.AgentTurns.Turn;
import org.assertj.core.groups.Tuple;
import org.callcentre.emulator.twilio.EmulatedCall.ConferenceJoin;
import org.junit.jupiter.api.Test;

class AgentTurnsTest {

    private static final Instant T = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void anAgentsFirstCallerCountsFromTheAvailabilityAndEachNextFromTheHangUpAnswered() {
        var result = AgentTurns.of(List.of(
                caller("CA2", "agent-b", 9_000, 12_000),
                caller("CA1", "agent-a", 250, 3_000),
                caller("CA3", "agent-a", 3_400, 6_000)),
                Map.of("agent-a", at(100), "agent-b", at(8_000)));

        assertThat(result.turns()).extracting(Turn::callSid, Turn::lag, Turn::first).containsExactly(
                turn("CA1", 150, true), turn("CA3", 390, false), turn("CA2", 1_000, true));
        assertThat(result.lagNanos(false)).containsExactly(Duration.ofMillis(390).toNanos());
        assertThat(result.neverJoined()).isEmpty();
        assertThat(result.joinedTwice()).isEmpty();
        assertThat(result.overlapping()).isEmpty();
    }

    @Test
    void aCallerInNoConferenceInTwoOrJoiningBeforeThePreviousLeftIsFound() {
        Caller twice = new Caller("CA2", List.of(new ConferenceJoin("agent-a", at(200)),
                new ConferenceJoin("agent-b", at(5_000))), at(6_010), at(6_000));
        var result = AgentTurns.of(List.of(caller("CA1", "agent-a", 100, 3_000), twice,
                new Caller("CA3", List.of(), at(1_010), at(1_000))), Map.of("agent-a", at(50)));

        assertThat(result.neverJoined()).containsExactly("CA3");
        assertThat(result.joinedTwice()).containsExactly("CA2");
        assertThat(result.overlapping()).as("joined agent-a while CA1 was still there").containsExactly("CA2");
    }

    /** A caller who joined {@code conference} at {@code joinMs} and hung up at {@code endMs}, answered 10 ms later. */
    private static Caller caller(String sid, String conference, long joinMs, long endMs) {
        return new Caller(sid, List.of(new ConferenceJoin(conference, at(joinMs))), at(endMs + 10), at(endMs));
    }

    private static Instant at(long ms) {
        return T.plusMillis(ms);
    }

    private static Tuple turn(String sid, long lagMs, boolean first) {
        return Tuple.tuple(sid, Duration.ofMillis(lagMs), first);
    }
}
