package org.callcentre.app.cardcapture;

import java.util.Map;
import java.util.function.Supplier;

import org.callcentre.app.cardcapture.CardCaptureFallback.Endpoint;
import org.callcentre.app.telephony.Twiml;
import org.callcentre.cardcapture.CardCaptureConversation;
import org.callcentre.cardcapture.CardCaptureUrls;
import org.callcentre.problem.RefusedException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerMapping;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The donor's side of card capture: Twilio's webhooks (already signature-checked) answered with TwiML. Each
 * answer is the TwiML of the step the conversation is at after the request, so a duplicate or late webhook
 * simply hears where things stand. Nothing here answers Twilio with an error status: whatever fails, including
 * the binding of the request's parameters, the donor hears what {@link CardCaptureFallback} can still say.
 */
@RestController
@RequestMapping(CardCaptureUrls.BASE + "{captureId}")
public class CardCaptureWebhookController {

    private final CardCaptureConversation conversation;
    private final CardCaptureTwiml twiml;
    private final CardCaptureFallback fallback;

    public CardCaptureWebhookController(CardCaptureConversation conversation, CardCaptureTwiml twiml,
            CardCaptureFallback fallback) {
        this.conversation = conversation;
        this.twiml = twiml;
        this.fallback = fallback;
    }

    @PostMapping("/voice")
    public ResponseEntity<String> voice(@PathVariable String captureId, @RequestParam(defaultValue = "0") int hold) {
        int holdPolls = Math.max(0, hold);
        return answer(Endpoint.VOICE, captureId, holdPolls, 0,
                () -> twiml.render(conversation.currentStep(captureId), holdPolls));
    }

    @PostMapping("/digits")
    public ResponseEntity<String> digits(@PathVariable String captureId, @RequestParam int step,
            @RequestParam(required = false) String prompt,
            @RequestParam(name = "Digits", required = false) String digits,
            @RequestParam(name = "FinishedOnKey", required = false) String finishedOnKey) {
        // A raced or unawaited entry is retried or answered with the current step inside the conversation.
        return answer(Endpoint.DIGITS, captureId, 0, 0,
                () -> twiml.render(conversation.enterDigits(captureId, step, prompt, digits, finishedOnKey), 0));
    }

    /**
     * The way back to the agent. {@code attempt} counts the tries made through the fallback's hold-and-redirect
     * answer, when an earlier webhook could not read the capture at all.
     */
    @PostMapping("/return")
    public ResponseEntity<String> returnToAgent(@PathVariable String captureId,
            @RequestParam(defaultValue = "0") int attempt) {
        return answer(Endpoint.RETURN, captureId, 0, Math.max(0, attempt),
                () -> twiml.renderReturn(conversation.returnDonor(captureId)));
    }

    private ResponseEntity<String> answer(Endpoint endpoint, String captureId, int holdPolls, int attempt,
            Supplier<String> render) {
        try {
            return Twiml.ok(render.get());
        } catch (RefusedException unknown) {
            return Twiml.ok(twiml.renderUnknown());
        } catch (RuntimeException failed) {
            return Twiml.ok(fallback.answer(endpoint, captureId, failed, holdPolls, attempt));
        }
    }

    /**
     * Failures before a handler method runs (a parameter that does not bind, say) land here; the request itself
     * is not trusted beyond the capture id in its path.
     */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<String> failed(Exception e, HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String captureId = variables instanceof Map<?, ?> map && map.get("captureId") instanceof String id ? id : null;
        String path = request.getRequestURI();
        Endpoint endpoint = path.endsWith("/voice") ? Endpoint.VOICE
                : path.endsWith("/digits") ? Endpoint.DIGITS
                : path.endsWith("/return") ? Endpoint.RETURN : Endpoint.OTHER;
        return Twiml.ok(fallback.answer(endpoint, captureId, e, 0, 0));
    }
}
