package org.callcentre.dialler;

import java.util.List;
import java.util.Optional;

/** Teams of agents and the call lists each works, with their weightings. */
public class Teams {

    /** A call list a team works, with its campaign and its weighting (higher is offered first). */
    public record TeamCallList(long callListId, long campaignId, int weighting) {
    }

    /** The team the agent belongs to, if any. */
    public Optional<Long> teamOf(String userId) {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The team's call lists, highest weighting first. */
    public List<TeamCallList> callLists(long teamId) {
        throw new UnsupportedOperationException("not built yet");
    }
}
