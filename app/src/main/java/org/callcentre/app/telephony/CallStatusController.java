package org.callcentre.app.telephony;

import org.callcentre.telephony.CallStatusListener;
import org.callcentre.telephony.CallStatusLog;
import org.callcentre.telephony.CallStatusUpdate;
import org.callcentre.telephony.TelephonyUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The one status callback of every call this app places or redirects. Each callback is first recorded
 * ({@link CallStatusLog}: once per sequence number, the call's status never moving backwards), whether or not any
 * capability knows the call, then handed to every {@link CallStatusListener}; the capability that owns the call acts
 * on it, the others ignore it. A listener that fails is logged at ERROR and neither undoes the record nor keeps the
 * next listener from hearing it: the answer is still 204, since Twilio has nothing to do with a status callback's
 * answer.
 */
@RestController
public class CallStatusController {

    private static final Logger log = LoggerFactory.getLogger(CallStatusController.class);

    private final CallStatusLog statuses;
    private final ObjectProvider<CallStatusListener> listeners;

    public CallStatusController(CallStatusLog statuses, ObjectProvider<CallStatusListener> listeners) {
        this.statuses = statuses;
        this.listeners = listeners;
    }

    @PostMapping(TelephonyUrls.CALL_STATUS)
    public ResponseEntity<Void> status(@RequestParam("CallSid") String callSid,
            @RequestParam("CallStatus") String callStatus,
            @RequestParam(name = "SequenceNumber", required = false) String sequenceNumber,
            @RequestParam(name = "CallDuration", required = false) String callDuration) {
        CallStatusUpdate update = statuses.record(callSid, callStatus, CallStatusUpdate.sequenceOf(sequenceNumber))
                .withDuration(CallStatusUpdate.durationOf(callDuration));
        listeners.orderedStream().forEach(listener -> {
            try {
                listener.onCallStatus(update);
            } catch (RuntimeException e) {
                log.error("Call status callback failed in {} ({}); the status {} of call {} is recorded",
                        listener.getClass().getSimpleName(), WebhookFailures.describe(e), update.status(), callSid);
            }
        });
        return ResponseEntity.noContent().build();
    }

    /**
     * Failures before the listeners: a missing CallSid or CallStatus, or a status that could not be recorded. Answered
     * with an empty TwiML document, logged at ERROR: an error status would only fill Twilio's debugger with alerts.
     */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<String> failed(Exception e) {
        log.error("Call status callback failed ({}); answered with empty TwiML", WebhookFailures.describe(e));
        return Twiml.ok(Twiml.EMPTY);
    }
}
