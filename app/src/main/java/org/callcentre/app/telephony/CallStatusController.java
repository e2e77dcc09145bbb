package org.callcentre.app.telephony;

import java.util.Set;

import org.callcentre.cardcapture.CardCaptureConversation;
import org.callcentre.cardcapture.CardCaptureUrls;
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
            conversation.callEnded(callSid);
        }
        return ResponseEntity.noContent().build();
    }
}
