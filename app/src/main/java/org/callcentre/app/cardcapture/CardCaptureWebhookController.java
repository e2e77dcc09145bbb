package org.callcentre.app.cardcapture;

import java.util.function.Supplier;

import org.callcentre.cardcapture.CardCaptureConversation;
import org.callcentre.cardcapture.CardCaptureRefusedException;
import org.callcentre.cardcapture.CardCaptureUrls;
import org.callcentre.cardcapture.DonorStep;
import org.callcentre.cardcapture.EntryNotAwaitedException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The donor's side of card capture: Twilio's webhooks (already signature-checked) answered with TwiML. Each
 * answer is the TwiML of the step the conversation is at after the request, so a duplicate or late webhook
 * simply hears where things stand, and nothing here ever answers a 5xx to Twilio for a known capture.
 */
@RestController
@RequestMapping(value = CardCaptureUrls.BASE + "{captureId}", produces = MediaType.APPLICATION_XML_VALUE)
public class CardCaptureWebhookController {

    private static final Logger log = LoggerFactory.getLogger(CardCaptureWebhookController.class);
    private static final int ATTEMPTS = 3;

    private final CardCaptureConversation conversation;
    private final CardCaptureTwiml twiml;

    public CardCaptureWebhookController(CardCaptureConversation conversation, CardCaptureTwiml twiml) {
        this.conversation = conversation;
        this.twiml = twiml;
    }

    @PostMapping("/voice")
    public String voice(@PathVariable String captureId, @RequestParam(defaultValue = "0") int hold) {
        return answer(() -> twiml.render(conversation.currentStep(captureId), Math.max(0, hold)));
    }

    @PostMapping("/digits")
    public String digits(@PathVariable String captureId, @RequestParam int step,
            @RequestParam(required = false) String prompt,
            @RequestParam(name = "Digits", required = false) String digits,
            @RequestParam(name = "FinishedOnKey", required = false) String finishedOnKey) {
        return answer(() -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    return twiml.render(conversation.enterDigits(captureId, step, prompt, digits, finishedOnKey), 0);
                } catch (EntryNotAwaitedException notWaiting) {
                    // The engine is not at the prompt this answers (the agent brought the donor back at the same
                    // moment, say); the entry was rolled back with everything else. Answer where things stand.
                    log.info("Entry for capture {} answers a prompt the conversation is no longer at; re-prompting",
                            captureId);
                    return twiml.render(conversation.currentStep(captureId), 0);
                } catch (OptimisticLockingException raced) {
                    // Another webhook or a job moved the instance at the same moment; the entry was rolled back
                    // with everything else. Try again, then answer from wherever the conversation is.
                    if (attempt == ATTEMPTS) {
                        log.info("Entry for capture {} not taken after {} attempts ({}); re-prompting", captureId,
                                ATTEMPTS, raced.getClass().getSimpleName());
                        return twiml.render(conversation.currentStep(captureId), 0);
                    }
                }
            }
        });
    }

    @PostMapping("/return")
    public String returnToAgent(@PathVariable String captureId) {
        return answer(() -> twiml.renderReturn(conversation.returnDonor(captureId)));
    }

    private String answer(Supplier<String> render) {
        try {
            return render.get();
        } catch (CardCaptureRefusedException unknown) {
            return twiml.renderUnknown();
        }
    }

    /**
     * Whatever went wrong, Twilio gets TwiML (a 5xx would make the donor hear "an application error has
     * occurred" and hang up): the current step if it can still be read, else a polite goodbye. The log names
     * the capture only, never the request's parameters, which can hold card digits.
     */
    @ExceptionHandler(RuntimeException.class)
    public ResponseEntity<String> failed(RuntimeException e, @PathVariable String captureId) {
        log.error("Card capture {}: webhook failed ({}); answering from the current step", captureId,
                e.getClass().getName());
        String body;
        try {
            body = twiml.render(conversation.currentStep(captureId), 0);
        } catch (RuntimeException unreadable) {
            body = twiml.renderUnknown();
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(body);
    }
}
