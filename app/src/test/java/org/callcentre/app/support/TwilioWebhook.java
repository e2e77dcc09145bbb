package org.callcentre.app.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.callcentre.emulator.twilio.TwilioSignature;

/** Sends a webhook as Twilio would (or forged), for the tests that poke the webhook edge directly. */
public final class TwilioWebhook {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TwilioWebhook() {
    }

    /** POSTs form parameters to {@code url}, signed with {@code authToken} (null: no signature header). */
    public static AgentApi.Reply post(String url, Map<String, String> params, String authToken) {
        return post(url, params, authToken == null ? null : TwilioSignature.compute(authToken, url, params), true);
    }

    public static AgentApi.Reply post(String url, Map<String, String> params, String signature, boolean record) {
        String body = new TreeMap<>(params).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header(TwilioSignature.HEADER, signature);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (record) {
                RecordedResponses.record("POST " + url + " -> " + response.statusCode(), response.body());
            }
            return new AgentApi.Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
