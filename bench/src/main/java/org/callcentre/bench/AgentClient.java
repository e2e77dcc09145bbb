package org.callcentre.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The agent console's API calls the benchmark needs. */
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

    long createCampaign(String name, boolean instantPayment, boolean tokensEnabled, boolean paymentFirst) {
        return post("/api/campaigns", "{\"name\":\"" + name + "\",\"currency\":\"GBP\",\"locale\":\"en-GB\","
                + "\"instantPayment\":" + instantPayment + ",\"tokensEnabled\":" + tokensEnabled + ",\"paymentFirst\":"
                + paymentFirst + "}", 201);
    }

    long createPledge(long campaignId, int n) {
        return post("/api/pledges", "{\"campaignId\":" + campaignId + ",\"donorName\":\"Bench Donor " + n
                + "\",\"donorPhone\":\"+447700900123\",\"amount\":\"25.00\",\"currency\":\"GBP\","
                + "\"frequency\":\"MONTHLY\"}", 201);
    }

    void startCapture(long pledgeId, String callSid, String conference) {
        post("/api/pledges/" + pledgeId + "/card-capture", "{\"callSid\":\"" + callSid + "\",\"conferenceName\":\""
                + conference + "\"}", 202);
    }

    private long post(String path, String json, int expected) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            var body = JSON.readTree(response.body());
            return body.has("id") ? body.get("id").asLong() : 0;
        } catch (IOException e) {
            throw new IllegalStateException(path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
