package org.callcentre.app.telephony;

import java.util.Set;

import org.callcentre.cardcapture.CardCaptureConversation;
import org.callcentre.cardcapture.CardCaptureUrls;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's status callbacks for calls this app redirected. They can come twice and out of order; only the
 * end of a call matters here, and acting on it twice changes nothing. A failure still answers 200 with an
 * empty TwiML document, logged at ERROR: Twilio has nothing to say to the caller here, and an error status
 * would only fill its debugger with alerts.
 */
@RestController
public class CallStatusController {

    private static final Logger log = LoggerFactory.getLogger(CallStatusController.class);
    private static final Set<String> ENDED = Set.of("completed", "busy", "failed", "no-answer", "canceled");

    private final CardCaptureConversation conversation;

    public CallStatusController(CardCaptureConversation conversation) {
        this.conversation = conversation;
    }

    @PostMapping(CardCaptureUrls.CALL_STATUS)
    public ResponseEntity<String> status(@RequestParam("CallSid") String callSid,
            @RequestParam(name = "CallStatus", required = false) String callStatus) {
        try {
            if (callStatus != null && ENDED.contains(callStatus)) {
                callEnded(callSid);
            }
        } catch (RuntimeException e) {
            return failed(e);
        }
        return ResponseEntity.noContent().build();
    }

    private void callEnded(String callSid) {
        for (int attempt = 1; ; attempt++) {
            try {
                conversation.callEnded(callSid);
                return;
            } catch (OptimisticLockingException raced) {
                // Entries, the move job and the agent's cancel wait for the capture's row lock instead, so only
                // another job can have moved the instance at that moment; the hang-up still counts.
                if (attempt == 3) {
                    throw raced;
                }
            }
        }
    }

    /** Also for failures before the handler runs (a missing CallSid, say). */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<String> failed(Exception e) {
        log.error("Call status callback failed ({}); answered with empty TwiML", WebhookFailures.describe(e));
        return Twiml.ok(Twiml.EMPTY);
    }
}
