package org.callcentre.app.support;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every HTTP response body the tests received from the app, for the leak test to scan afterwards. */
public final class RecordedResponses {

    /**
     * One answer: {@code request} names what the test asked (method, path, status) and is not scanned, since a
     * path can hold an id that happens to equal a test security code; {@code body} is what the app answered.
     */
    public record Response(String request, String body) {
    }

    private static final ConcurrentLinkedQueue<Response> BODIES = new ConcurrentLinkedQueue<>();

    private RecordedResponses() {
    }

    public static void record(String request, String body) {
        BODIES.add(new Response(request, body));
    }

    public static List<Response> all() {
        return List.copyOf(BODIES);
    }
}
