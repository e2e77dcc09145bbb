package org.callcentre.bench.inbound;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.emulator.twilio.EmulatedCall.ConferenceJoin;

/**
 * The emulator's view of a queue draining into agents' conferences: for each agent, the callers in the order they
 * joined the agent's conference. From it, how long each agent was free before the next caller joined (from the
 * moment the app answered the previous caller's hang-up, or for an agent's first caller the moment its
 * availability was answered), and the checks that every caller joined one conference once and no conference held two
 * callers at once.
 */
public final class AgentTurns {

    /**
     * One caller as the emulator saw them: the conferences they joined, when the app answered their hang-up (their
     * final status callback) and when their call ended; the last two null for a caller who has not hung up.
     */
    public record Caller(String callSid, List<ConferenceJoin> joins, Instant hangUpAnswered, Instant ended) {
    }

    /** An agent's wait for their next caller: free at {@code freeAt}, the caller joined {@code lag} later. */
    public record Turn(String conference, String callSid, Instant freeAt, Duration lag, boolean first) {
    }

    /**
     * The turns, and the callers who joined no conference, joined more than once, and joined a conference while
     * another caller was still in it.
     */
    public record Result(List<Turn> turns, List<String> neverJoined, List<String> joinedTwice,
            List<String> overlapping) {

        public List<Long> lagNanos(boolean first) {
            return turns.stream().filter(t -> t.first() == first).map(t -> t.lag().toNanos()).toList();
        }

        public List<Long> allLagNanos() {
            return turns.stream().map(t -> t.lag().toNanos()).toList();
        }
    }

    private AgentTurns() {
    }

    /**
     * @param callers     every caller of the round
     * @param availableAt by agent conference, when the agent's availability was answered
     */
    public static Result of(List<Caller> callers, Map<String, Instant> availableAt) {
        List<String> neverJoined = new ArrayList<>();
        List<String> joinedTwice = new ArrayList<>();
        Map<String, List<Caller>> byConference = new HashMap<>();
        for (Caller caller : callers) {
            if (caller.joins().isEmpty()) {
                neverJoined.add(caller.callSid());
                continue;
            }
            if (caller.joins().size() > 1) {
                joinedTwice.add(caller.callSid());
            }
            byConference.computeIfAbsent(caller.joins().get(0).conference(), c -> new ArrayList<>()).add(caller);
        }
        List<Turn> turns = new ArrayList<>();
        List<String> overlapping = new ArrayList<>();
        byConference.forEach((conference, joined) -> {
            joined.sort(Comparator.comparing(c -> c.joins().get(0).at()));
            Caller previous = null;
            for (Caller caller : joined) {
                Instant joinedAt = caller.joins().get(0).at();
                if (previous != null && (previous.ended() == null || previous.ended().isAfter(joinedAt))) {
                    overlapping.add(caller.callSid());
                }
                Instant freeAt = previous == null ? availableAt.get(conference) : previous.hangUpAnswered();
                if (freeAt != null) {
                    turns.add(new Turn(conference, caller.callSid(), freeAt, Duration.between(freeAt, joinedAt),
                            previous == null));
                }
                previous = caller;
            }
        });
        turns.sort(Comparator.comparing(Turn::freeAt));
        return new Result(turns, neverJoined, joinedTwice, overlapping);
    }
}
