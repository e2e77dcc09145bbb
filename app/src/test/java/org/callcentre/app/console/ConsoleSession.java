package org.callcentre.app.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.RecordedResponses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A browser's session with the agent console as its JavaScript keeps it: the session cookie, the CSRF token from
 * {@code GET /console/session} sent back in its header on every request that changes something, and
 * {@code X-Requested-With} on every request. Cookies are kept by hand, with the attributes of the last Set-Cookie.
 */
final class ConsoleSession {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String csrfHeader;
    private String csrfToken;
    /** The Set-Cookie headers of the last answer. */
    private List<String> lastSetCookies = List.of();
    private java.net.http.HttpHeaders lastHeaders;

    private ConsoleSession(String base) {
        this.base = base;
    }

    /** A browser that opened the console: a session, signed out, with its CSRF token. */
    static ConsoleSession open(String base) {
        ConsoleSession session = new ConsoleSession(base);
        session.refresh();
        return session;
    }

    /** {@code GET /console/session}, keeping its CSRF token. */
    JsonNode refresh() {
        AgentApi.Reply reply = send("GET", "/console/session", null, null, false);
        if (reply.status() != 200) {
            throw new AssertionError("GET /console/session: " + reply);
        }
        JsonNode session = reply.json();
        csrfHeader = session.get("csrf").get("headerName").asText();
        csrfToken = session.get("csrf").get("token").asText();
        return session;
    }

    /** The sign-in form, with the CSRF token; then the session's new token, when signed in. */
    AgentApi.Reply signIn(String user, String password) {
        AgentApi.Reply reply = signInForm(user, password, true);
        if (reply.status() == 204) {
            refresh();
        }
        return reply;
    }

    AgentApi.Reply signInForm(String user, String password, boolean withToken) {
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return send("POST", "/console/login", form, "application/x-www-form-urlencoded", withToken);
    }

    AgentApi.Reply signOut() {
        return send("POST", "/console/logout", null, null, true);
    }

    AgentApi.Reply get(String path) {
        return send("GET", path, null, null, false);
    }

    /** A request as the console sends it: JSON, with the CSRF token. */
    AgentApi.Reply send(String method, String path, Object body) {
        return send(method, path, json(body), body == null ? null : "application/json", true);
    }

    /** A request without the CSRF token, as a forged one from another site would come. */
    AgentApi.Reply sendWithoutToken(String method, String path, Object body) {
        return send(method, path, json(body), body == null ? null : "application/json", false);
    }

    /** A request with a token of the attacker's choosing. */
    AgentApi.Reply sendWithToken(String method, String path, String token) {
        String real = csrfToken;
        csrfToken = token;
        try {
            return send(method, path, null, null, true);
        } finally {
            csrfToken = real;
        }
    }

    /** The cookie header this browser sends. */
    String cookieHeader() {
        return cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining("; "));
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    List<String> lastSetCookies() {
        return lastSetCookies;
    }

    String csrfHeader() {
        return csrfHeader;
    }

    String csrfToken() {
        return csrfToken;
    }

    /** A header of the last answer, or null. */
    String lastHeader(String name) {
        return lastHeaders == null ? null : lastHeaders.firstValue(name).orElse(null);
    }

    private static String json(Object body) {
        try {
            return body == null ? null : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private AgentApi.Reply send(String method, String path, String body, String contentType, boolean withToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("X-Requested-With", "XMLHttpRequest")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookieHeader());
        }
        if (withToken && csrfToken != null) {
            request.header(csrfHeader, csrfToken);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            lastHeaders = response.headers();
            lastSetCookies = response.headers().allValues("Set-Cookie");
            for (String setCookie : lastSetCookies) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
            }
            RecordedResponses.record("console " + method + " " + path + " -> " + response.statusCode(),
                    response.body());
            return new AgentApi.Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
