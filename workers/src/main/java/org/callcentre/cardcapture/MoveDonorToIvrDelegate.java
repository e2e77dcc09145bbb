package org.callcentre.cardcapture;

import org.callcentre.processes.cardcapture.CardCaptureProcess.Errors;
import org.callcentre.telephony.CallNotInProgressException;
import org.callcentre.telephony.TwilioCalls;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Redirects the donor's call leg from the agent's conference into the card-capture IVR. */
@Component("moveDonorToIvrDelegate")
public class MoveDonorToIvrDelegate implements JavaDelegate {

    private final CardCaptureStore captures;
    private final TwilioCalls calls;
    private final CardCaptureUrls urls;

    public MoveDonorToIvrDelegate(CardCaptureStore captures, TwilioCalls calls, CardCaptureUrls urls) {
        this.captures = captures;
        this.calls = calls;
        this.urls = urls;
    }

    @Override
    public void execute(DelegateExecution execution) {
        // Locked until this job commits: Twilio fetches the first prompt while the redirect is still being made,
        // and the donor's first entry must wait until the instance is really waiting for it.
        CardCapture capture = captures.lockForInstance(execution.getProcessInstanceId());
        try {
            calls.redirect(capture.callSid(), urls.voice(capture.id()));
        } catch (CallNotInProgressException ended) {
            throw new BpmnError(Errors.CALL_ENDED, ended.getMessage());
        }
    }
}
