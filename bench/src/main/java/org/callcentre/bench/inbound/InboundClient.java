package org.callcentre.bench.inbound;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.bench.JsonApi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The inbound calls' API as the benchmark uses it, as one user: a supervisor's inbound number, and an agent's phone
 * and availability. JSON over HTTP with Basic auth.
 */
public final class InboundClient {

    /** The key of the menu's one option, the team's queue. */
    public static final String TEAM_KEY = "1";
    /** The key a queued caller is offered for a callback (no benchmark caller presses it). */
    public static final String CALLBACK_KEY = "9";

    private final JsonApi api;

    public InboundClient(String base, String user, String password) {
        this.api = new JsonApi(base, user, password);
    }

    public String user() {
        return api.user();
    }

    /**
     * An inbound number whose menu's key 1 leads to the team's queue, with a callback offered in the queue (as soon
     * as an agent is free) and lost calls called back in the campaign; answers its id.
     */
    public long createInboundNumber(String number, long teamId, long campaignId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("number", number);
        body.put("locale", "en-GB");
        body.put("greeting", "Welcome to the benchmark.");
        body.put("options", List.of(Map.of("key", TEAM_KEY, "label", "donations", "teamId", teamId)));
        body.put("callbackOffer", Map.of("key", CALLBACK_KEY, "minutes", 0));
        body.put("lostCallsBecomeCallbacks", true);
        body.put("campaignId", campaignId);
        return send("POST", "/api/inbound-numbers", body, 201).path("id").asLong();
    }

    /** Rings the user's device; the emulator answers it and the phone counts once Twilio says in-progress. */
    public void connectPhone() {
        send("POST", "/api/agents/me/phone", null, 202);
    }

    public boolean phoneConnected() {
        return send("GET", "/api/agents/me", null, 200).path("phone").path("connected").asBoolean();
    }

    /** Sets the user (un)available for inbound calls; answers what the app now says. */
    public boolean setAvailable(boolean available) {
        return send("POST", "/api/agents/me/availability", Map.of("available", available), 200).path("available")
                .asBoolean();
    }

    /** Whether an inbound call is put through to the user now ({@code GET /api/agents/me/inbound}). */
    public boolean onCall() {
        return send("GET", "/api/agents/me/inbound", null, 200).path("call").isObject();
    }

    private JsonNode send(String method, String path, Object body, int expected) {
        return api.send(method, path, body, expected);
    }
}
