package org.callcentre.ticket;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.callcentre.telephony.TwilioProperties;

/**
 * The media (photos) of a message sent to one of the account's numbers, on Twilio: fetched with the account's
 * credentials, at most a given number of bytes, and deleted once kept. Only URLs of the message's own Media resources
 * under the account's API base are asked for, so a webhook cannot point the app anywhere else. Twilio may answer a
 * media URL with a redirect to its file store: that one hop is followed without the credentials.
 */
public class TwilioMedia {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String accountMessages;
    private final String authorization;

    public TwilioMedia(TwilioProperties twilio) {
        String base = twilio.apiBaseUrl().endsWith("/") ? twilio.apiBaseUrl().substring(0,
                twilio.apiBaseUrl().length() - 1) : twilio.apiBaseUrl();
        this.accountMessages = base + "/2010-04-01/Accounts/" + twilio.accountSid() + "/Messages/";
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((twilio.accountSid() + ":"
                + twilio.authToken()).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code url} is one of this message's Media resources on the account. */
    public boolean ofMessage(String url, String messageSid) {
        String prefix = accountMessages + messageSid + "/Media/";
        return url != null && messageSid != null && messageSid.matches("[A-Za-z0-9]{34}") && url.startsWith(prefix)
                && url.substring(prefix.length()).matches("[A-Za-z0-9]{34}");
    }

    /**
     * The media's bytes, at most {@code maxBytes + 1} of them (more than {@code maxBytes}: too large to keep); empty
     * when Twilio has no file there or cannot be reached.
     */
    public Optional<byte[]> fetch(String url, long maxBytes) {
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                response.body().close();
                URI store = URI.create(url).resolve(response.headers().firstValue("Location").get());
                if (!"https".equals(store.getScheme()) && !store.getScheme().equals(URI.create(url).getScheme())) {
                    return Optional.empty();
                }
                response = http.send(HttpRequest.newBuilder(store).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                status = response.statusCode();
            }
            try (InputStream body = response.body()) {
                if (status != 200) {
                    return Optional.empty();
                }
                return Optional.of(body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)));
            }
        } catch (IOException | IllegalArgumentException unreachable) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Deletes the media from Twilio; false if Twilio did not confirm it. */
    public boolean delete(String url) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url.endsWith(".json") ? url
                    : url + ".json")).timeout(TIMEOUT).header("Authorization", authorization).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 204 || response.statusCode() == 200 || response.statusCode() == 404;
        } catch (IOException | IllegalArgumentException unreachable) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
