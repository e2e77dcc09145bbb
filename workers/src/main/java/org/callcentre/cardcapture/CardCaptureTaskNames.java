package org.callcentre.cardcapture;

import java.util.Optional;

import org.callcentre.pledge.PledgeBook;
import org.callcentre.pledge.PledgeBook.PledgeInCampaign;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.stereotype.Component;

/**
 * Names each card-capture user task, when it is created, after the donor and the pledge, and gives the task the
 * capture in words ({@code captureDescription}, on the task alone) for its form to show. Both come from our tables,
 * found by the process instance's id, which nobody can change.
 * <p>
 * The model's name stays the analyst's: "the donor" in it becomes the donor's name followed by what they pledged
 * ("Tokenise the card with the donor" becomes "Tokenise the card with Jane Donor: £25.00 monthly"); any other name
 * is followed by both ("Card capture in progress: Jane Donor, £25.00 monthly").
 */
@Component("cardCaptureTaskNames")
public class CardCaptureTaskNames implements TaskListener {

    static final String THE_DONOR = "the donor";

    private final CardCaptureStore captures;
    private final PledgeBook pledges;
    private final CardCaptureInWords words;

    public CardCaptureTaskNames(CardCaptureStore captures, PledgeBook pledges, CardCaptureInWords words) {
        this.captures = captures;
        this.pledges = pledges;
        this.words = words;
    }

    @Override
    public void notify(DelegateTask task) {
        Optional<CardCapture> capture = captures.findForInstance(task.getProcessInstanceId());
        if (capture.isEmpty()) {
            // An instance an administrator started by hand, without a capture: the model's name is all there is.
            return;
        }
        PledgeInCampaign pledge = pledges.pledgeInCampaign(capture.get().pledgeId()).orElseThrow();
        task.setName(name(task.getName(), pledge));
        Variables.CAPTURE_DESCRIPTION.setLocal(task, words.outcome(capture.get()));
    }

    static String name(String modelName, PledgeInCampaign pledge) {
        int donor = modelName.indexOf(THE_DONOR);
        if (donor >= 0) {
            return modelName.substring(0, donor) + CardCaptureInWords.donor(pledge.pledge())
                    + modelName.substring(donor + THE_DONOR.length()) + ": "
                    + CardCaptureInWords.terms(pledge.pledge(), pledge.campaign());
        }
        return modelName + ": " + CardCaptureInWords.donorAndPledge(pledge.pledge(), pledge.campaign());
    }
}
