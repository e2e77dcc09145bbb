package org.callcentre.app.cardcapture;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The JSON shapes of the agent's card-capture API. */
public final class CardCaptureApi {

    private CardCaptureApi() {
    }

    /** {@code conferenceName} is optional: the donor's call names the agent's conference. */
    public record StartCardCapture(
            @NotBlank String callSid,
            @Size(min = 1, max = 128) String conferenceName) {
    }

    public record CaptureStarted(String captureId, String status) {
    }
}
