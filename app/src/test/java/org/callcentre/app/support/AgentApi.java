package org.callcentre.app.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The agent console's side of the tests: JSON over HTTP with Basic auth, every response recorded. */
public final class AgentApi {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String user;
    private final String authorization;

    public AgentApi(String base, String user, String password) {
        this.base = base;
        this.user = user;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public AgentApi as(String user, String password) {
        return new AgentApi(base, user, password);
    }

    /** The user this API logs in as; null when anonymous. */
    public String user() {
        return user;
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply post(String path, Object body) {
        return send("POST", path, body);
    }

    public Reply put(String path, Object body) {
        return send("PUT", path, body);
    }

    public Reply delete(String path) {
        return send("DELETE", path, null);
    }

    /** Posts a CSV file ({@code text/csv}), as a lead or do-not-call import does. */
    public Reply postCsv(String path, String csv) {
        return send("POST", path, csv, "text/csv");
    }

    public Reply send(String method, String path, Object body) {
        return send(method, path, body, "application/json");
    }

    private Reply send(String method, String path, Object body, String contentType) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            String json = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            if (json != null) {
                request.header("Content-Type", contentType);
            }
            request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            RecordedResponses.record(method + " " + path + " -> " + response.statusCode(), response.body());
            return new Reply(response.statusCode(), response.body(), response.headers().firstValue("Content-Type")
                    .orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A response: status, body, and the body as JSON. */
    public record Reply(int status, String body, String contentType) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }
}
