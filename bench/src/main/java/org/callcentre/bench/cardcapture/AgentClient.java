package org.callcentre.bench.cardcapture;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The agent console's API calls the card-capture benchmark needs, as one user. */
final class AgentClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String user;
    private final String authorization;

    AgentClient(String base, String user, String password) {
        this.base = base;
        this.user = user;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    String user() {
        return user;
    }

    /** A campaign with instant payment and tokens, payment first: the path "charge, then tokenise". */
    long createCampaign(String name) {
        return send("POST", "/api/campaigns", Map.of("name", name, "currency", "GBP", "locale", "en-GB",
                "instantPayment", true, "tokensEnabled", true, "paymentFirst", true), 201).path("id").asLong();
    }

    /** The campaign's calls go out from this number. */
    void callerIds(long campaignId, String number) {
        send("PUT", "/api/campaigns/" + campaignId + "/caller-ids", Map.of("numbers", List.of(number)), 200);
    }

    /** The newest lead of the call list. */
    long leadOf(long callListId) {
        return send("GET", "/api/leads?callListId=" + callListId + "&size=1", null, 200).path("items").path(0)
                .path("id").asLong();
    }

    /** Rings the user's device; the emulator answers it and the phone counts once Twilio says in-progress. */
    void connectPhone() {
        send("POST", "/api/agents/me/phone", null, 202);
    }

    boolean phoneConnected() {
        return send("GET", "/api/agents/me", null, 200).path("phone").path("connected").asBoolean();
    }

    /** Opens the lead (already the user's: the same lock, touched). */
    void lock(long leadId) {
        send("POST", "/api/leads/" + leadId + "/lock", null, 200);
    }

    /** Calls the lead; answers the call's id. Twilio is asked in the job executor, so the sid comes later. */
    long placeCall(long leadId) {
        return send("POST", "/api/leads/" + leadId + "/calls", Map.of(), 201).path("id").asLong();
    }

    /** The call as {@code GET /api/calls/{id}} shows it. */
    JsonNode call(long callId) {
        return send("GET", "/api/calls/" + callId, null, 200);
    }

    /** A pledge of £25.00 monthly, taken on the lead. */
    long createPledge(long campaignId, long leadId, String donorPhone, int n) {
        return send("POST", "/api/pledges", Map.of("campaignId", campaignId, "leadId", leadId,
                "donorName", "Bench Donor " + n, "donorPhone", donorPhone, "amount", "25.00", "currency", "GBP",
                "frequency", "MONTHLY"), 201).path("id").asLong();
    }

    void startCapture(long pledgeId, String callSid) {
        send("POST", "/api/pledges/" + pledgeId + "/card-capture", Map.of("callSid", callSid), 202);
    }

    private JsonNode send(String method, String path, Object body, int expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", authorization);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " as " + user + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            String text = response.body();
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
