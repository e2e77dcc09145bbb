package org.callcentre.bench.dialler;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The dialler's API as the benchmark uses it: one user's calls, JSON over HTTP with Basic auth. */
public final class DiallerClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What a lead import answered. */
    public record Imported(long imported, long addedToList, int rejected) {
    }

    /** What Next Lead answered: the lead now locked to the agent, or none and why. */
    public record NextLead(Long leadId, String reason) {
    }

    /** A team's call list and its weighting. */
    public record TeamList(long callListId, int weighting) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    public DiallerClient(String base, String user, String password) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public long createCampaign(String name) {
        return send("POST", "/api/campaigns", Map.of("name", name, "currency", "GBP", "locale", "en-GB",
                "instantPayment", true, "tokensEnabled", true, "paymentFirst", true), 201).path("id").asLong();
    }

    /** Dialling rules wide open: all day (equal start and end) in UTC, the seeds' limits on attempts. */
    public void openDialling(long campaignId) {
        Map<String, Object> rules = new LinkedHashMap<>();
        rules.put("minMinutesBetweenCalls", 60);
        rules.put("maxAttemptsIn8Hours", 3);
        rules.put("maxAttemptsPerRecord", 10);
        rules.put("callingHoursStart", "00:00");
        rules.put("callingHoursEnd", "00:00");
        rules.put("defaultTimeZone", "UTC");
        rules.put("defaultRegion", "GB");
        send("PUT", "/api/campaigns/" + campaignId + "/dialling", rules, 200);
    }

    public long createCallList(String name, long campaignId) {
        return send("POST", "/api/call-lists", Map.of("name", name, "campaignId", campaignId), 201).path("id")
                .asLong();
    }

    /** An agent whose phone is a Twilio Client identity (no call is placed in this benchmark). */
    public void createAgent(String id, String password) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", id);
        user.put("password", password);
        user.put("firstName", "Bench");
        user.put("lastName", "Agent " + id);
        user.put("email", id + "@bench.example");
        user.put("role", "AGENT");
        user.put("restricted", false);
        user.put("device", "client:" + id);
        send("POST", "/api/users", user, 201);
    }

    public long createTeam(String name, List<String> agents, List<TeamList> callLists) {
        List<Map<String, Object>> lists = new ArrayList<>();
        callLists.forEach(list -> lists.add(Map.of("callListId", list.callListId(), "weighting", list.weighting())));
        return send("POST", "/api/teams", Map.of("name", name, "agents", agents, "callLists", lists), 201)
                .path("id").asLong();
    }

    /** Imports a CSV file streamed from {@code csv} (all or nothing: any rejected row fails the benchmark). */
    public Imported importLeads(long callListId, Supplier<InputStream> csv) {
        HttpRequest request = request("/api/call-lists/" + callListId + "/leads").timeout(Duration.ofMinutes(30))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofInputStream(csv)).build();
        JsonNode answer = answer(request, 200);
        return new Imported(answer.path("imported").asLong(), answer.path("addedToList").asLong(),
                answer.path("rejected").size());
    }

    public NextLead nextLead() {
        JsonNode answer = send("POST", "/api/agents/me/next-lead", null, 200);
        JsonNode lead = answer.path("lead");
        return lead.isObject() ? new NextLead(lead.path("id").asLong(), null)
                : new NextLead(null, answer.path("reason").asText(null));
    }

    public void recordStatus(long leadId, String status) {
        send("POST", "/api/leads/" + leadId + "/call-statuses", Map.of("status", status), 201);
    }

    private JsonNode send(String method, String path, Object body, int expected) {
        HttpRequest.Builder request = request(path).timeout(TIMEOUT);
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return answer(request.build(), expected);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", authorization);
    }

    private JsonNode answer(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
                        + response.statusCode() + " (expected " + expected + "): " + response.body());
            }
            String text = response.body();
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
