package org.callcentre.telephony;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;

/**
 * The calls this app makes to Twilio's REST API, through Twilio's Java SDK. In the demo run and the tests
 * the SDK talks to the emulator: {@link #rebasingClient} sends its requests to {@code twilio.api-base-url}
 * instead of api.twilio.com, so the same SDK code path is exercised.
 */
public class TwilioCalls {

    private static final int CALL_NOT_IN_PROGRESS = 21220;
    private static final int NOT_FOUND = 20404;

    private final TwilioRestClient client;
    private final String statusCallbackUrl;

    /** {@code statusCallbackUrl}: the one status-callback endpoint ({@link TelephonyUrls#callStatus()}). */
    public TwilioCalls(TwilioProperties properties, String statusCallbackUrl) {
        if (isBlank(properties.accountSid()) || isBlank(properties.authToken())) {
            throw new IllegalStateException("twilio.account-sid and twilio.auth-token must be set (the demo profile "
                    + "sets the emulator's)");
        }
        TwilioRestClient.Builder builder = new TwilioRestClient.Builder(properties.accountSid(), properties.authToken());
        if (!TwilioProperties.TWILIO_API.equals(properties.apiBaseUrl())) {
            builder.httpClient(rebasingClient(URI.create(properties.apiBaseUrl())));
        }
        this.client = builder.build();
        this.statusCallbackUrl = statusCallbackUrl;
    }

    /**
     * Points a live call at new TwiML ("update call"): Twilio stops whatever the call is doing and fetches
     * {@code twimlUrl}. The call's status callback is (re)set to the one shared endpoint, never to a capability's
     * own: it records every status and hands it to whichever capability owns the call, so a redirect by one capability
     * cannot take the callbacks from another (a dialler that placed the call, say), and a hang-up is heard either way.
     *
     * @throws CallNotInProgressException if the call has already ended
     */
    public void redirect(String callSid, String twimlUrl) {
        try {
            Call.updater(callSid)
                    .setUrl(URI.create(twimlUrl))
                    .setMethod(com.twilio.http.HttpMethod.POST)
                    .setStatusCallback(URI.create(statusCallbackUrl))
                    .setStatusCallbackMethod(com.twilio.http.HttpMethod.POST)
                    .update(client);
        } catch (ApiException e) {
            Integer code = e.getCode();
            if (code != null && (code == CALL_NOT_IN_PROGRESS || code == NOT_FOUND)) {
                throw new CallNotInProgressException(callSid);
            }
            throw new TwilioUnavailableException("Twilio refused to update call " + callSid + ": HTTP "
                    + e.getStatusCode() + ", code " + code);
        } catch (RuntimeException e) {
            // Network failures and the like; in our words, since the SDK's message may quote the request.
            throw new TwilioUnavailableException("Twilio could not be reached to update call " + callSid + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /** Thrown for any failure that is not a business outcome: the job executor retries, then raises an incident. */
    public static class TwilioUnavailableException extends RuntimeException {
        public TwilioUnavailableException(String message) {
            super(message);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static HttpClient rebasingClient(URI apiBase) {
        return new NetworkHttpClient() {
            @Override
            public Response makeRequest(Request request) {
                URI original = URI.create(request.constructURL().toString());
                String rebased = apiBase.getScheme() + "://" + apiBase.getAuthority() + original.getRawPath();
                Request copy = new Request(request.getMethod(), rebased);
                copy(request.getPostParams(), copy::addPostParam);
                copy(request.getQueryParams(), copy::addQueryParam);
                copy(request.getHeaderParams(), copy::addHeaderParam);
                if (request.getUsername() != null) {
                    copy.setAuth(request.getUsername(), request.getPassword());
                }
                if (request.getContentType() != null) {
                    copy.setContentType(request.getContentType());
                }
                return super.makeRequest(copy);
            }
        };
    }

    private static void copy(Map<String, List<String>> from, java.util.function.BiConsumer<String, String> to) {
        from.forEach((name, values) -> values.forEach(value -> to.accept(name, value)));
    }
}
