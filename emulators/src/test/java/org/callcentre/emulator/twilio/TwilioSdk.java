package org.callcentre.emulator.twilio;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;

/** The real Twilio Java SDK, pointed at the emulator instead of https://api.twilio.com. */
final class TwilioSdk {

    private TwilioSdk() {
    }

    static TwilioRestClient client(TwilioEmulator emulator) {
        return client(emulator, emulator.accountSid(), emulator.authToken());
    }

    static TwilioRestClient client(TwilioEmulator emulator, String username, String password) {
        return new TwilioRestClient.Builder(username, password)
                .httpClient(new EmulatorHttpClient(URI.create(emulator.baseUrl())))
                .build();
    }

    /** Sends every SDK request to the emulator: same path and query, the emulator's scheme, host and port. */
    static final class EmulatorHttpClient extends NetworkHttpClient {
        private final URI target;

        EmulatorHttpClient(URI target) {
            this.target = target;
        }

        @Override
        public Response makeRequest(Request original) {
            Request rewritten = new Request(original.getMethod(), original.getUrl()) {
                @Override
                public URL constructURL() {
                    URL u = super.constructURL();
                    try {
                        return new URL(target.getScheme(), target.getHost(), target.getPort(), u.getFile());
                    } catch (MalformedURLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            if (original.getAuthStrategy() != null) {
                rewritten.setAuth(original.getAuthStrategy());
            }
            if (original.getUsername() != null) {
                rewritten.setAuth(original.getUsername(), original.getPassword());
            }
            original.getQueryParams().forEach((k, vs) -> vs.forEach(v -> rewritten.addQueryParam(k, v)));
            original.getPostParams().forEach((k, vs) -> vs.forEach(v -> rewritten.addPostParam(k, v)));
            original.getHeaderParams().forEach((k, vs) -> vs.forEach(v -> rewritten.addHeaderParam(k, v)));
            if (original.getContentType() != null) {
                rewritten.setContentType(original.getContentType());
            }
            if (original.getBody() != null) {
                rewritten.setBody(original.getBody());
            }
            rewritten.setUserAgentExtensions(original.getUserAgentExtensions());
            return super.makeRequest(rewritten);
        }
    }
}
