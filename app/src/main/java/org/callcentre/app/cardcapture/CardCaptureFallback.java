package org.callcentre.app.cardcapture;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.callcentre.app.telephony.WebhookFailures;
import org.callcentre.cardcapture.CardCaptureConversation;
import org.callcentre.problem.RefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the donor hears when a card-capture webhook fails unexpectedly. Twilio must get TwiML whatever happens: an
 * error status makes the donor hear "an application error has occurred" and hangs up the call. In order, as far as
 * things can still be read:
 * <ol>
 * <li>the current step again (the prompt, the hold, or the way back), read afresh;</li>
 * <li>an apology and the way back into the agent's conference, read on its own;</li>
 * <li>an apology, a short hold and the return endpoint again, a few times, for a database that is briefly away;</li>
 * <li>an apology, and the call ends.</li>
 * </ol>
 * The failure is logged at ERROR with the capture and the exception classes only, never a message or the request's
 * parameters, which can hold card digits.
 */
@Component
public class CardCaptureFallback {

    /** Returns tried through the hold-and-redirect answer before the call is given up. */
    static final int RETURN_ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(CardCaptureFallback.class);
    private static final Pattern CAPTURE_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The webhook that failed, which decides what "the current step" sounds like. */
    public enum Endpoint {
        VOICE, DIGITS, RETURN, OTHER
    }

    private final CardCaptureConversation conversation;
    private final CardCaptureTwiml twiml;

    public CardCaptureFallback(CardCaptureConversation conversation, CardCaptureTwiml twiml) {
        this.conversation = conversation;
        this.twiml = twiml;
    }

    /**
     * @param holdPolls the hold loop's count so far (0 unless the voice webhook polled while the donor held)
     * @param attempt   how many fallback returns were tried before this request (0 unless it is one)
     */
    public String answer(Endpoint endpoint, String captureId, Throwable failure, int holdPolls, int attempt) {
        String capture = captureId != null && CAPTURE_ID.matcher(captureId).matches() ? captureId : null;
        if (capture == null) {
            log.error("Card capture webhook ({}) for no known capture failed: {}; the call ends politely", endpoint,
                    WebhookFailures.describe(failure));
            return twiml.renderUnknown();
        }
        StringBuilder failures = new StringBuilder(WebhookFailures.describe(failure));
        try {
            String current = endpoint == Endpoint.RETURN
                    ? twiml.renderReturn(conversation.returnDonor(capture))
                    : twiml.render(conversation.currentStep(capture), holdPolls);
            logFailure(endpoint, capture, failures, "the current step again");
            return current;
        } catch (RefusedException unknown) {
            logFailure(endpoint, capture, failures, "a goodbye (no such capture)");
            return twiml.renderUnknown();
        } catch (RuntimeException stepUnreadable) {
            failures.append("; reading the step: ").append(WebhookFailures.describe(stepUnreadable));
        }
        try {
            Optional<String> conference = conversation.conferenceOf(capture);
            if (conference.isPresent()) {
                logFailure(endpoint, capture, failures, "an apology and the way back to the agent");
                return twiml.renderWayBack(conference.get());
            }
        } catch (RuntimeException conferenceUnreadable) {
            failures.append("; reading the conference: ").append(WebhookFailures.describe(conferenceUnreadable));
        }
        logFailure(endpoint, capture, failures, attempt < RETURN_ATTEMPTS
                ? "an apology and another try at the way back (" + (attempt + 1) + " of " + RETURN_ATTEMPTS + ")"
                : "an apology; the call ends");
        return twiml.renderRetry(capture, attempt + 1, RETURN_ATTEMPTS);
    }

    /** For a call whose flow is unknown here: an apology, and the call ends. */
    public String goodbye() {
        return twiml.renderUnknown();
    }

    private static void logFailure(Endpoint endpoint, String captureId, CharSequence failures, String answer) {
        log.error("Card capture {}: the {} webhook failed ({}); the donor hears {}", captureId,
                endpoint.name().toLowerCase(Locale.ROOT), failures, answer);
    }
}
