package org.callcentre.recording;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

import org.callcentre.telephony.TwilioProperties;

/**
 * Fetches a recording's audio for the app to pass on to the browser, which never sees Twilio's credentials or
 * addresses: from Twilio's API by the recording's sid (with the account's credentials, only ever sent to
 * {@code twilio.api-base-url}), or from the restore store at a location {@link RestoreLocations} accepted (without
 * credentials). Redirects are never followed.
 */
public class RecordingAudio {

    private static final Pattern RECORDING_SID = Pattern.compile("RE[0-9a-fA-F]{32}");

    private final HttpClient http;
    private final String apiBase;
    private final String accountSid;
    private final String authorization;
    private final RestoreLocations restoreLocations;
    private final Duration timeout;

    public RecordingAudio(TwilioProperties twilio, RestoreLocations restoreLocations, Duration timeout) {
        this.apiBase = twilio.apiBaseUrl().endsWith("/") ? twilio.apiBaseUrl().substring(0, twilio.apiBaseUrl().length()
                - 1) : twilio.apiBaseUrl();
        this.accountSid = twilio.accountSid();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((twilio.accountSid() + ":"
                + twilio.authToken()).getBytes(StandardCharsets.UTF_8));
        this.restoreLocations = restoreLocations;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** An audio stream being received; close it when done. */
    public record Audio(String contentType, long length, InputStream body) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /**
     * The recording's audio (WAV) from Twilio.
     *
     * @throws AudioUnavailableException when Twilio has no file for it or cannot be reached
     */
    public Audio fromTwilio(String recordingSid) {
        if (recordingSid == null || !RECORDING_SID.matcher(recordingSid).matches()) {
            throw new AudioUnavailableException("not a Twilio recording sid");
        }
        URI url = URI.create(apiBase + "/2010-04-01/Accounts/" + accountSid + "/Recordings/" + recordingSid + ".wav");
        return fetch(HttpRequest.newBuilder(url).header("Authorization", authorization), "Twilio");
    }

    /**
     * The audio put back at {@code location}, which is checked again here.
     *
     * @throws AudioUnavailableException when the store has no file there or cannot be reached
     */
    public Audio fromRestoreStore(String location) {
        URI url;
        try {
            url = restoreLocations.check(location);
        } catch (RestoreLocations.RefusedLocation refused) {
            throw new AudioUnavailableException("the restored location is not under the restore store's base");
        }
        return fetch(HttpRequest.newBuilder(url), "the restore store");
    }

    private Audio fetch(HttpRequest.Builder request, String source) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new AudioUnavailableException(source + " could not be reached (" + e.getClass().getSimpleName()
                    + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AudioUnavailableException("interrupted while asking " + source);
        }
        if (response.statusCode() != 200) {
            try {
                response.body().close();
            } catch (IOException ignored) {
                // nothing more to read
            }
            throw new AudioUnavailableException(source + " answered HTTP " + response.statusCode());
        }
        // Only an audio type is passed on: the app's own origin never serves what the store says is a page or script.
        String type = response.headers().firstValue("Content-Type").orElse("");
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new Audio(type.matches("audio/[A-Za-z0-9.+-]+") ? type : "application/octet-stream", length,
                response.body());
    }

    /** The audio could not be had; the message says from where and why, in our words. */
    public static class AudioUnavailableException extends RuntimeException {
        public AudioUnavailableException(String message) {
            super(message);
        }
    }
}
