package org.callcentre.bench.cardcapture;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The agent console's API calls the card-capture benchmark needs. */
final class AgentClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    AgentClient(String base, String user, String password) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A campaign with instant payment and tokens, payment first: the path "charge, then tokenise". */
    long createCampaign(String name) {
        return post("/api/campaigns", Map.of("name", name, "currency", "GBP", "locale", "en-GB",
                "instantPayment", true, "tokensEnabled", true, "paymentFirst", true), 201);
    }

    /** A pledge of £25.00 monthly. */
    long createPledge(long campaignId, int n) {
        return post("/api/pledges", Map.of("campaignId", campaignId, "donorName", "Bench Donor " + n,
                "donorPhone", "+447700900123", "amount", "25.00", "currency", "GBP", "frequency", "MONTHLY"), 201);
    }

    void startCapture(long pledgeId, String callSid, String conference) {
        post("/api/pledges/" + pledgeId + "/card-capture", Map.of("callSid", callSid, "conferenceName", conference),
                202);
    }

    private long post(String path, Map<String, Object> body, int expected) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            var answer = JSON.readTree(response.body());
            return answer.has("id") ? answer.get("id").asLong() : 0;
        } catch (IOException e) {
            throw new IllegalStateException(path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
