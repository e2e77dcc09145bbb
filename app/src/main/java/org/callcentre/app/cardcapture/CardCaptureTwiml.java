package org.callcentre.app.cardcapture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.callcentre.app.telephony.IvrMessages;
import org.callcentre.app.telephony.Speech;
import org.callcentre.cardcapture.CardCapture;
import org.callcentre.cardcapture.CardCapturePromptProperties;
import org.callcentre.cardcapture.CardCaptureUrls;
import org.callcentre.cardcapture.DonorStep;
import org.callcentre.cardcapture.EntryError;
import org.callcentre.cardvault.CardBrand;
import org.callcentre.pledge.Pledge;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.springframework.stereotype.Component;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Conference;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;

/**
 * Turns where the donor is ({@link DonorStep}) into TwiML. Every word comes from the {@code i18n/card-capture}
 * bundle (then the shared telephony one, through {@link IvrMessages}) in the campaign's locale, so prompts are
 * edited without touching Java.
 */
@Component
public class CardCaptureTwiml {

    /**
     * Hold polls (one a second) before a donor stuck behind a failing step is sent back to the agent: a gateway step
     * may take three attempts of up to 30 s each (payment.gateway.timeout) with 2 s between them.
     */
    static final int MAX_HOLD_POLLS = 100;
    /** Seconds the donor holds before a webhook that failed is tried again through the return endpoint. */
    static final int RETRY_PAUSE_SECONDS = 2;

    static {
        // Twilio's TwiML.toXml() asks JAXP for a new DocumentBuilderFactory and TransformerFactory on every call.
        // Without these properties JAXP scans every jar of the classpath for a service provider each time, which
        // cost more CPU than the webhook's engine work. Naming the JDK's own implementations skips the scan.
        defaultTo("javax.xml.parsers.DocumentBuilderFactory",
                "com.sun.org.apache.xerces.internal.jaxp.DocumentBuilderFactoryImpl");
        defaultTo("javax.xml.transform.TransformerFactory",
                "com.sun.org.apache.xalan.internal.xsltc.trax.TransformerFactoryImpl");
    }

    private static void defaultTo(String property, String implementation) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, implementation);
        }
    }

    private final CardCaptureUrls urls;
    private final CardCapturePromptProperties promptSettings;
    private final IvrMessages messages = new IvrMessages("i18n/card-capture");

    public CardCaptureTwiml(CardCaptureUrls urls, CardCapturePromptProperties promptSettings) {
        this.urls = urls;
        this.promptSettings = promptSettings;
    }

    /** TwiML for the step the donor is at; {@code holdPolls} counts the hold loop's redirects so far. */
    public String render(DonorStep step, int holdPolls) {
        Speech speech = messages.in(step.campaign().locale());
        CardCapture capture = step.capture();
        VoiceResponse.Builder twiml = new VoiceResponse.Builder();
        switch (step.kind()) {
            case CARD_NUMBER -> {
                List<Say> intro = new ArrayList<>();
                if (capture.entryError() != null) {
                    intro.add(speech.say("error." + capture.entryError()));
                } else if (capture.declines() > 0) {
                    intro.add(speech.say("declined." + capture.declineReason()));
                    intro.add(speech.say("declined.tryAnother"));
                } else if (step.pledge().frequency().isRecurring()) {
                    intro.add(speech.say("payment.summary", paymentSummary(step.pledge(), speech)));
                }
                intro.add(speech.say("prompt.cardNumber"));
                twiml.gather(gather(step, intro));
            }
            case EXPIRY -> twiml.gather(gather(step, withError(capture, speech, speech.say("prompt.expiry"))));
            case SECURITY_CODE -> {
                int length = (capture.cardBrand() == null ? CardBrand.OTHER : capture.cardBrand()).securityCodeLength();
                twiml.gather(gather(step, withError(capture, speech, speech.say("prompt.securityCode", length))));
            }
            case HOLD -> {
                if (holdPolls >= MAX_HOLD_POLLS) {
                    twiml.say(speech.say("hold.tooLong"));
                    returnToAgent(twiml, capture, speech);
                    break;
                }
                if (holdPolls == 0) {
                    twiml.say(speech.say("hold.payment"));
                }
                twiml.pause(new Pause.Builder().length(1).build());
                twiml.redirect(new Redirect.Builder(urls.hold(capture.id(), holdPolls + 1)).method(HttpMethod.POST).build());
            }
            case FINISHED -> {
                outcome(twiml, capture, speech);
                if (capture.status() == Outcome.DECLINED && capture.declineReason() != null) {
                    twiml.say(speech.say("declined." + capture.declineReason()));
                }
                returnToAgent(twiml, capture, speech);
            }
        }
        return twiml.build().toXml();
    }

    /** The answer to the return redirect: straight back into the agent's conference. */
    public String renderReturn(DonorStep step) {
        Speech speech = messages.in(step.campaign().locale());
        VoiceResponse.Builder twiml = new VoiceResponse.Builder();
        CardCapture capture = step.capture();
        if (capture.status() != Outcome.IN_PROGRESS) {
            outcome(twiml, capture, speech);
        }
        returnToAgent(twiml, capture, speech);
        return twiml.build().toXml();
    }

    /**
     * After a webhook failed and its step could not be read: an apology and the way back into the agent's
     * conference. The campaign's locale could not be read either, so it is said in English.
     */
    public String renderWayBack(String conferenceName) {
        Speech speech = messages.in(Locale.ENGLISH);
        VoiceResponse.Builder twiml = new VoiceResponse.Builder().say(speech.say("failure.apology"));
        return dialConference(twiml, conferenceName, speech).build().toXml();
    }

    /**
     * After a webhook failed and not even the agent's conference could be read (the database is unreachable, say):
     * an apology, a short hold, and the return endpoint again, which gives the way back once the capture can be read.
     * Past {@code attempts} tries the call cannot go on: an apology, and it ends.
     */
    public String renderRetry(String captureId, int attempt, int attempts) {
        Speech speech = messages.in(Locale.ENGLISH);
        if (attempt > attempts) {
            return renderUnknown();
        }
        return new VoiceResponse.Builder()
                .say(speech.say("failure.apology"))
                .say(speech.say("failure.hold"))
                .pause(new Pause.Builder().length(RETRY_PAUSE_SECONDS).build())
                .redirect(new Redirect.Builder(urls.returnToAgent(captureId) + "?attempt=" + attempt)
                        .method(HttpMethod.POST).build())
                .build().toXml();
    }

    /** For a webhook about a capture this app does not know: say so and end the call politely. */
    public String renderUnknown() {
        Speech speech = messages.in(Locale.ENGLISH);
        return new VoiceResponse.Builder().say(speech.say("unknown.call")).hangup(new Hangup.Builder().build()).build()
                .toXml();
    }

    private void returnToAgent(VoiceResponse.Builder twiml, CardCapture capture, Speech speech) {
        dialConference(twiml, capture.conferenceName(), speech);
    }

    private static VoiceResponse.Builder dialConference(VoiceResponse.Builder twiml, String conferenceName,
            Speech speech) {
        twiml.say(speech.say("return.toAgent"));
        return twiml.dial(new Dial.Builder().conference(new Conference.Builder(conferenceName).build()).build());
    }

    /** How the capture ended, in words; a donor who went silent hears why they are going back. */
    private static void outcome(VoiceResponse.Builder twiml, CardCapture capture, Speech speech) {
        if (capture.status() == Outcome.RETURNED_TO_AGENT && capture.entryError() == EntryError.SILENCE) {
            twiml.say(speech.say("silence.returnToAgent"));
        }
        speech.optional("outcome." + capture.status()).ifPresent(twiml::say);
    }

    /** A re-prompt says why: the last entry was refused, or the prompt timed out without a key. */
    private static List<Say> withError(CardCapture capture, Speech speech, Say prompt) {
        return capture.entryError() != null ? List.of(speech.say("error." + capture.entryError()), prompt)
                : List.of(prompt);
    }

    /**
     * Every entry ends with # (or the timeout), never on a digit count: a donor who keys the # the prompt asks for
     * after a complete entry must not have it land on the next prompt, where a lone # means "back to my agent".
     */
    private Gather gather(DonorStep step, List<Say> prompts) {
        Gather.Builder gather = new Gather.Builder()
                .inputs(Gather.Input.DTMF)
                .action(urls.digits(step.capture().id(), step.capture().step(), step.kind()))
                .method(HttpMethod.POST)
                .finishOnKey("#")
                .timeout(promptSettings.gatherTimeoutSeconds())
                .actionOnEmptyResult(true);
        prompts.forEach(gather::say);
        return gather.build();
    }

    private static Object[] paymentSummary(Pledge pledge, Speech speech) {
        return new Object[] {speech.amount(pledge.amount()), speech.text("frequency." + pledge.frequency())};
    }
}
