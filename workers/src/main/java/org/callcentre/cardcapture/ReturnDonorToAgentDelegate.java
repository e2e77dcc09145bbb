package org.callcentre.cardcapture;

import org.callcentre.recording.RecordingPauses;
import org.callcentre.telephony.CallNotInProgressException;
import org.callcentre.telephony.TwilioCalls;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Redirects the donor's call back into the agent's conference. Not needed when the donor hung up, or when
 * the IVR already answered the donor's own webhook with the way back. Either way the donor can no longer hear a card
 * prompt, so a recording paused for the capture records again; a resume that fails is left to the sweeper and never
 * holds up the donor's return.
 */
@Component("returnDonorToAgentDelegate")
public class ReturnDonorToAgentDelegate implements JavaDelegate {

    private final CardCaptureStore captures;
    private final TwilioCalls calls;
    private final CardCaptureUrls urls;
    private final RecordingPauses recordingPauses;

    public ReturnDonorToAgentDelegate(CardCaptureStore captures, TwilioCalls calls, CardCaptureUrls urls,
            RecordingPauses recordingPauses) {
        this.captures = captures;
        this.calls = calls;
        this.urls = urls;
        this.recordingPauses = recordingPauses;
    }

    @Override
    public void execute(DelegateExecution execution) {
        CardCapture capture = captures.forInstance(execution.getProcessInstanceId());
        if (!capture.donorHungUp() && !capture.donorReturned()) {
            try {
                calls.redirect(capture.callSid(), urls.returnToAgent(capture.id()));
            } catch (CallNotInProgressException ended) {
                captures.markDonorHungUp(capture.id());
            }
        }
        recordingPauses.resumeAfterCardCapture(capture.id());
    }
}
