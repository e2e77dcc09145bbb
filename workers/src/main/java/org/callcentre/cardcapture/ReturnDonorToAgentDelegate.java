package org.callcentre.cardcapture;

import org.callcentre.telephony.CallNotInProgressException;
import org.callcentre.telephony.TwilioCalls;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Redirects the donor's call back into the agent's conference. Not needed when the donor hung up, or when
 * the IVR already answered the donor's own webhook with the way back.
 */
@Component("returnDonorToAgentDelegate")
public class ReturnDonorToAgentDelegate implements JavaDelegate {

    private final CardCaptureStore captures;
    private final TwilioCalls calls;
    private final CardCaptureUrls urls;

    public ReturnDonorToAgentDelegate(CardCaptureStore captures, TwilioCalls calls, CardCaptureUrls urls) {
        this.captures = captures;
        this.calls = calls;
        this.urls = urls;
    }

    @Override
    public void execute(DelegateExecution execution) {
        CardCapture capture = captures.forInstance(execution.getProcessInstanceId());
        if (capture.donorHungUp() || capture.donorReturned()) {
            return;
        }
        try {
            calls.redirect(capture.callSid(), urls.returnToAgent(capture.id()));
        } catch (CallNotInProgressException ended) {
            captures.markDonorHungUp(capture.id());
        }
    }
}
