package org.callcentre.cardcapture;

import org.callcentre.telephony.PublicUrls;
import org.springframework.stereotype.Component;

/** The webhook URLs of a card-capture conversation, as Twilio is given them. */
@Component
public class CardCaptureUrls {

    public static final String BASE = "/twilio/card-capture/";

    private final PublicUrls urls;

    public CardCaptureUrls(PublicUrls urls) {
        this.urls = urls;
    }

    /** TwiML for wherever the conversation is now. */
    public String voice(String captureId) {
        return urls.of(BASE + captureId + "/voice");
    }

    /** Polled while the donor holds; {@code polls} counts them. */
    public String hold(String captureId, int polls) {
        return urls.of(BASE + captureId + "/voice?hold=" + polls);
    }

    /**
     * The action of the gather asked at {@code step}, for the {@code prompt} it asks: the answer says which entry it
     * is without asking the engine where the conversation stands (the engine still refuses a message it is not
     * waiting for).
     */
    public String digits(String captureId, int step, DonorStep.Kind prompt) {
        return urls.of(BASE + captureId + "/digits?step=" + step + "&prompt=" + prompt);
    }

    public String returnToAgent(String captureId) {
        return urls.of(BASE + captureId + "/return");
    }
}
