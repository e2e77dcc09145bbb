package org.callcentre.app.cardcapture;

import org.callcentre.app.cardcapture.CardCaptureApi.CaptureStarted;
import org.callcentre.app.cardcapture.CardCaptureApi.StartCardCapture;
import org.callcentre.app.security.CallCentreAuthorities;
import org.callcentre.cardcapture.CardCaptureConversation;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/** The agent moves the donor of a pledge into the card-capture IVR, and can bring them back. */
@RestController
@RequestMapping("/api/pledges/{id}/card-capture")
public class CardCaptureController {

    private final CardCaptureConversation conversation;

    public CardCaptureController(CardCaptureConversation conversation) {
        this.conversation = conversation;
    }

    @PostMapping
    public ResponseEntity<CaptureStarted> startCardCapture(@PathVariable long id,
            @Valid @RequestBody StartCardCapture body, Authentication user) {
        String captureId = conversation.start(id, body.callSid(), body.conferenceName(), user.getName(),
                CallCentreAuthorities.isAdminOps(user));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new CaptureStarted(captureId, Outcome.IN_PROGRESS.name()));
    }

    @DeleteMapping
    public ResponseEntity<Void> bringDonorBack(@PathVariable long id) {
        conversation.cancelByAgent(id);
        return ResponseEntity.accepted().build();
    }
}
