package org.callcentre.app.cardcapture;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The JSON shapes of the agent's card-capture API. */
public final class CardCaptureApi {

    private CardCaptureApi() {
    }

    public record StartCardCapture(
            @NotBlank String callSid,
            @NotBlank @Size(max = 128) String conferenceName) {
    }

    public record CaptureStarted(String captureId, String status) {
    }
}
