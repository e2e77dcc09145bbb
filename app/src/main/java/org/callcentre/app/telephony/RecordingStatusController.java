package org.callcentre.app.telephony;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.callcentre.recording.CallRecordings;
import org.callcentre.telephony.CallStatusUpdate;
import org.callcentre.telephony.TelephonyUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The one recording status callback of every recorded call (signed like every webhook: TwilioSignatureFilter). Each
 * callback's metadata (recording sid, call, status, duration, media URL, start time) is stored against the call,
 * once, its status never moving backwards ({@link CallRecordings}), so Twilio's retries and late callbacks change
 * nothing. Answered 204; a callback that cannot be used is logged and answered too, since Twilio has nothing to do
 * with the answer.
 */
@RestController
public class RecordingStatusController {

    private static final Logger log = LoggerFactory.getLogger(RecordingStatusController.class);
    private static final String RECORDING_SID = "RE[0-9a-fA-F]{32}";
    private static final String CALL_SID = "CA[0-9a-fA-F]{32}";

    private final CallRecordings recordings;

    public RecordingStatusController(CallRecordings recordings) {
        this.recordings = recordings;
    }

    @PostMapping(TelephonyUrls.RECORDING_STATUS)
    public ResponseEntity<Void> status(@RequestParam("CallSid") String callSid,
            @RequestParam("RecordingSid") String recordingSid,
            @RequestParam("RecordingStatus") String status,
            @RequestParam(name = "RecordingDuration", required = false) String duration,
            @RequestParam(name = "RecordingUrl", required = false) String mediaUrl,
            @RequestParam(name = "RecordingStartTime", required = false) String startTime) {
        if (!recordingSid.matches(RECORDING_SID) || !callSid.matches(CALL_SID) || !CallRecordings.knownStatus(status)) {
            log.warn("Recording status callback for call {} not recorded: it names no recording or status this app "
                    + "knows", callSid.matches(CALL_SID) ? callSid : "(malformed)");
            return ResponseEntity.noContent().build();
        }
        recordings.report(new CallRecordings.Report(recordingSid, callSid, status, CallStatusUpdate.durationOf(duration),
                mediaUrl, instantOf(startTime)));
        return ResponseEntity.noContent().build();
    }

    /** Twilio's RecordingStartTime (RFC 2822, "Mon, 22 Aug 2011 15:00:00 +0000"); null when missing or unreadable. */
    static Instant instantOf(String startTime) {
        if (startTime == null || startTime.isBlank()) {
            return null;
        }
        try {
            return ZonedDateTime.parse(startTime.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A missing parameter, or a recording that could not be stored: empty TwiML, logged at ERROR. */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<String> failed(Exception e) {
        log.error("Recording status callback failed ({}); answered with empty TwiML", WebhookFailures.describe(e));
        return Twiml.ok(Twiml.EMPTY);
    }
}
