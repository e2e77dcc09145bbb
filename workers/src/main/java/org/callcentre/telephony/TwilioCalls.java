package org.callcentre.telephony;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.call.Recording;
import com.twilio.type.PhoneNumber;

/**
 * The calls this app makes to Twilio's REST API, through Twilio's Java SDK. In the demo run and the tests
 * the SDK talks to the emulator: {@link #rebasingClient} sends its requests to {@code twilio.api-base-url}
 * instead of api.twilio.com, so the same SDK code path is exercised.
 */
public class TwilioCalls {

    private static final int CALL_NOT_IN_PROGRESS = 21220;
    private static final int NOT_FOUND = 20404;

    private static final List<String> STATUS_EVENTS = List.of("initiated", "ringing", "answered", "completed");
    /** A recording's start, its end with the file ready, and an end with no file (too short or silent). */
    private static final List<String> RECORDING_EVENTS = List.of("in-progress", "completed", "absent");
    /** Twilio leaves what is said while a recording is paused out of the file, instead of recording silence. */
    private static final String PAUSE_SKIPS = "skip";

    /**
     * Twilio's errors on creating a call that are about the numbers, not about Twilio: 21211 invalid To, 21214 To
     * cannot be reached, 21217 To does not look valid, 13224 invalid number, 21401 invalid number format; 21210 From
     * not verified, 21212 invalid From, 21215 no permission to call that region, 21216 the account may not call the
     * number, 21219 To not verified (a trial account).
     */
    private static final Set<Integer> REFUSALS = Set.of(21211, 21214, 21217, 13224, 21401, 21210, 21212, 21215,
            21216, 21219);
    /** The refusals that condemn the number called. */
    private static final Set<Integer> INVALID_NUMBER = Set.of(21211, 21214, 21217, 13224, 21401);

    private final TwilioRestClient client;
    private final String statusCallbackUrl;
    private final String recordingStatusCallbackUrl;

    /** {@code statusCallbackUrl}: the one status-callback endpoint ({@link TelephonyUrls#callStatus()}). */
    public TwilioCalls(TwilioProperties properties, String statusCallbackUrl) {
        this(properties, statusCallbackUrl, null);
    }

    /**
     * {@code recordingStatusCallbackUrl}: the one recording status endpoint ({@link TelephonyUrls#recordingStatus()});
     * without it no call is recorded.
     */
    public TwilioCalls(TwilioProperties properties, String statusCallbackUrl, String recordingStatusCallbackUrl) {
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
        this.recordingStatusCallbackUrl = recordingStatusCallbackUrl;
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

    /**
     * Places a call: Twilio dials {@code to} from {@code from} and, once answered, fetches {@code twimlUrl} (POST).
     * Every status from initiated to the end is reported to the one shared status endpoint.
     *
     * @return the new call's sid
     * @throws CallRefusedException        Twilio refused this call for a reason of its own (an invalid or unreachable
     *                                     number, a caller ID the account may not use): a business outcome
     * @throws TwilioUnavailableException  anything else: retrying may help
     */
    public String create(String to, String from, String twimlUrl, int timeoutSeconds) {
        return create(to, from, twimlUrl, timeoutSeconds, false);
    }

    /**
     * Places a call as {@link #create(String, String, String, int)} does; with {@code record}, Twilio records it from
     * the moment it is answered ({@code Record=true}) and reports the recording's start, its end and an absent file to
     * the one shared recording status endpoint.
     */
    public String create(String to, String from, String twimlUrl, int timeoutSeconds, boolean record) {
        if (record && recordingStatusCallbackUrl == null) {
            throw new IllegalStateException("no recording status endpoint is configured, so calls cannot be recorded");
        }
        try {
            var creator = Call.creator(new PhoneNumber(to), new PhoneNumber(from),
                            URI.create(twimlUrl))
                    .setMethod(com.twilio.http.HttpMethod.POST)
                    .setStatusCallback(URI.create(statusCallbackUrl))
                    .setStatusCallbackMethod(com.twilio.http.HttpMethod.POST)
                    .setStatusCallbackEvent(STATUS_EVENTS)
                    .setTimeout(timeoutSeconds);
            if (record) {
                creator.setRecord(true)
                        .setRecordingStatusCallback(recordingStatusCallbackUrl)
                        .setRecordingStatusCallbackMethod(com.twilio.http.HttpMethod.POST)
                        .setRecordingStatusCallbackEvent(RECORDING_EVENTS);
            }
            Call call = creator.create(client);
            return call.getSid();
        } catch (ApiException e) {
            Integer code = e.getCode();
            if (code != null && REFUSALS.contains(code)) {
                throw new CallRefusedException(code, e.getMessage());
            }
            throw new TwilioUnavailableException("Twilio refused to create a call: HTTP " + e.getStatusCode()
                    + ", code " + code);
        } catch (RuntimeException e) {
            throw new TwilioUnavailableException("Twilio could not be reached to create a call: "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * Ends a call: {@code canceled} while it has not been answered (it may still be ringing), {@code completed} once
     * it has. A call that has already ended is left as it is.
     */
    public void hangUp(String callSid, boolean answered) {
        try {
            Call.updater(callSid)
                    .setStatus(answered ? Call.UpdateStatus.COMPLETED : Call.UpdateStatus.CANCELED)
                    .update(client);
        } catch (ApiException e) {
            Integer code = e.getCode();
            if (code != null && (code == CALL_NOT_IN_PROGRESS || code == NOT_FOUND)) {
                return;
            }
            throw new TwilioUnavailableException("Twilio refused to end call " + callSid + ": HTTP "
                    + e.getStatusCode() + ", code " + code);
        } catch (RuntimeException e) {
            throw new TwilioUnavailableException("Twilio could not be reached to end call " + callSid + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /** The call's status and duration as Twilio has them now ("fetch call"); empty if Twilio does not know it. */
    public Optional<CallFacts> fetch(String callSid) {
        try {
            Call call = Call.fetcher(callSid).fetch(client);
            String duration = call.getDuration();
            return Optional.of(new CallFacts(callSid, call.getStatus().toString(),
                    duration == null || !duration.matches("[0-9]{1,9}") ? null : Integer.valueOf(duration)));
        } catch (ApiException e) {
            if (e.getCode() != null && e.getCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw new TwilioUnavailableException("Twilio refused to show call " + callSid + ": HTTP "
                    + e.getStatusCode() + ", code " + e.getCode());
        } catch (RuntimeException e) {
            throw new TwilioUnavailableException("Twilio could not be reached to show call " + callSid + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /**
     * Pauses a recording of a live call, leaving what is said meanwhile out of the file ({@code PauseBehavior=skip}).
     * Pausing a paused recording leaves it paused.
     *
     * @throws RecordingNotActiveException if Twilio has no such recording running (it ended, or the call did)
     * @throws TwilioUnavailableException  anything else
     */
    public void pauseRecording(String callSid, String recordingSid) {
        updateRecording(callSid, recordingSid, Recording.Status.PAUSED, "pause");
    }

    /**
     * Records again after a pause; a recording that is not paused is left as it is.
     *
     * @throws RecordingNotActiveException if Twilio has no such recording running (it ended, or the call did)
     * @throws TwilioUnavailableException  anything else
     */
    public void resumeRecording(String callSid, String recordingSid) {
        updateRecording(callSid, recordingSid, Recording.Status.IN_PROGRESS, "resume");
    }

    private void updateRecording(String callSid, String recordingSid, Recording.Status status, String what) {
        try {
            var updater = Recording.updater(callSid, recordingSid, status);
            if (status == Recording.Status.PAUSED) {
                updater.setPauseBehavior(PAUSE_SKIPS);
            }
            updater.update(client);
        } catch (ApiException e) {
            Integer code = e.getCode();
            if ((code != null && (code == NOT_FOUND || code == CALL_NOT_IN_PROGRESS))
                    || (e.getStatusCode() != null && e.getStatusCode() == 404)) {
                throw new RecordingNotActiveException(recordingSid);
            }
            throw new TwilioUnavailableException("Twilio refused to " + what + " recording " + recordingSid + ": HTTP "
                    + e.getStatusCode() + ", code " + code);
        } catch (RuntimeException e) {
            throw new TwilioUnavailableException("Twilio could not be reached to " + what + " recording "
                    + recordingSid + ": " + e.getClass().getSimpleName());
        }
    }

    /** Twilio has no such recording running: it has ended, or its call has. */
    public static class RecordingNotActiveException extends RuntimeException {
        public RecordingNotActiveException(String recordingSid) {
            super("recording " + recordingSid + " is not running");
        }
    }

    /** A call as Twilio reports it; {@code durationSeconds} is null until it has ended. */
    public record CallFacts(String callSid, String status, Integer durationSeconds) {
    }

    /**
     * Twilio would not place the call, for a reason that retrying does not change: the number is invalid or cannot be
     * reached, or the caller ID is not one the account may use. A business outcome, never an incident.
     */
    public static class CallRefusedException extends RuntimeException {

        private final int code;

        public CallRefusedException(int code, String message) {
            super(message);
            this.code = code;
        }

        /** Twilio's error code. */
        public int code() {
            return code;
        }

        /** The number called is at fault (not the caller ID or the account): it should not be dialled again. */
        public boolean invalidNumber() {
            return TwilioCalls.invalidNumber(code);
        }
    }

    /** Whether Twilio's error code on creating a call condemns the number called. */
    public static boolean invalidNumber(int code) {
        return INVALID_NUMBER.contains(code);
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
