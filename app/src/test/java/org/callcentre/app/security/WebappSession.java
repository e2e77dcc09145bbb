package org.callcentre.app.security;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.RecordedResponses;

/**
 * A user logged in to the webapps as Tasklist does it: a session cookie, and the XSRF token from the
 * {@code XSRF-TOKEN} cookie sent back as the {@code X-XSRF-TOKEN} header. Cookies are kept by hand, so a
 * {@code Secure} cookie still travels over the tests' plain HTTP.
 */
final class WebappSession {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    private WebappSession(String base) {
        this.base = base;
    }

    /** No login at all. */
    static WebappSession anonymous(String base) {
        WebappSession session = new WebappSession(base);
        session.send("GET", "/camunda/api/engine/engine/", null, null);
        return session;
    }

    static WebappSession logIn(String base, String user, String password) {
        WebappSession session = anonymous(base);
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        AgentApi.Reply login = session.send("POST", "/camunda/api/admin/auth/user/default/login/tasklist", form,
                "application/x-www-form-urlencoded");
        if (login.status() != 200) {
            throw new AssertionError("webapp login of " + user + ": " + login);
        }
        if (!session.cookies.containsKey("XSRF-TOKEN")) {
            session.send("GET", "/camunda/api/engine/engine/", null, null);
        }
        return session;
    }

    AgentApi.Reply send(String method, String path, String json) {
        return send(method, path, json, json == null ? null : "application/json");
    }

    private AgentApi.Reply send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        if (cookies.containsKey("XSRF-TOKEN")) {
            request.header("X-XSRF-TOKEN", cookies.get("XSRF-TOKEN"));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
            }
            RecordedResponses.record("webapp " + method + " " + path + " -> " + response.statusCode(), response.body());
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
