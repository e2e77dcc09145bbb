package org.callcentre.app.telephony;

import java.util.Set;

import org.callcentre.cardcapture.CardCaptureConversation;
import org.callcentre.cardcapture.CardCaptureUrls;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Twilio's status callbacks for calls this app redirected. They can come twice and out of order; only the
 * end of a call matters here, and acting on it twice changes nothing.
 */
@RestController
public class CallStatusController {

    private static final Set<String> ENDED = Set.of("completed", "busy", "failed", "no-answer", "canceled");

    private final CardCaptureConversation conversation;

    public CallStatusController(CardCaptureConversation conversation) {
        this.conversation = conversation;
    }

    @PostMapping(CardCaptureUrls.CALL_STATUS)
    public ResponseEntity<Void> status(@RequestParam("CallSid") String callSid,
            @RequestParam(name = "CallStatus", required = false) String callStatus) {
        if (callStatus != null && ENDED.contains(callStatus)) {
            for (int attempt = 1; ; attempt++) {
                try {
                    conversation.callEnded(callSid);
                    break;
                } catch (OptimisticLockingException raced) {
                    // Entries, the move job and the agent's cancel wait for the capture's row lock instead, so only
                    // another job can have moved the instance at that moment; the hang-up still counts.
                    if (attempt == 3) {
                        throw raced;
                    }
                }
            }
        }
        return ResponseEntity.noContent().build();
    }
}
