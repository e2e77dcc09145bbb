package org.callcentre.dialler;

import java.util.Optional;

/** A campaign's caller IDs and how much each was used today. */
public class CallerIds {

    /**
     * Chooses the number to place a call from: the least used today of the campaign's numbers that are not
     * spam-flagged, and counts the use, in the caller's transaction. Empty when the campaign has no such number.
     */
    public Optional<String> takeLeastUsed(long campaignId) {
        throw new UnsupportedOperationException("not built yet");
    }
}
