package org.callcentre.app.support;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every HTTP response body the tests received from the app, for the leak test to scan afterwards. */
public final class RecordedResponses {

    private static final ConcurrentLinkedQueue<String> BODIES = new ConcurrentLinkedQueue<>();

    private RecordedResponses() {
    }

    public static void record(String description, String body) {
        BODIES.add(description + "\n" + body);
    }

    public static List<String> all() {
        return List.copyOf(BODIES);
    }
}
