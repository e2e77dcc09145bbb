package org.callcentre.app.pledge;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;

import java.net.URI;
import java.util.Currency;

import org.callcentre.app.campaign.CampaignController;
import org.callcentre.app.pledge.PledgeApi.CardCaptureView;
import org.callcentre.app.pledge.PledgeApi.NewPledge;
import org.callcentre.app.pledge.PledgeApi.PaymentView;
import org.callcentre.app.pledge.PledgeApi.PledgeView;
import org.callcentre.app.security.CallCentreAuthorities;
import org.callcentre.app.web.Created;
import org.callcentre.campaign.Campaign;
import org.callcentre.campaign.CampaignBook;
import org.callcentre.cardcapture.CardCaptureInWords;
import org.callcentre.cardcapture.CardCaptureStore;
import org.callcentre.dialler.LeadLocks;
import org.callcentre.payment.Money;
import org.callcentre.pledge.Pledge;
import org.callcentre.pledge.PledgeBook;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/** Pledges: what a donor promised, whether it is paid, and its latest card capture. */
@RestController
@RequestMapping("/api/pledges")
public class PledgeController {

    private final PledgeBook pledges;
    private final CampaignBook campaigns;
    private final CardCaptureStore captures;
    private final CardCaptureInWords captureWords;
    private final LeadLocks locks;

    public PledgeController(PledgeBook pledges, CampaignBook campaigns, CardCaptureStore captures,
            CardCaptureInWords captureWords, LeadLocks locks) {
        this.locks = locks;
        this.pledges = pledges;
        this.campaigns = campaigns;
        this.captures = captures;
        this.captureWords = captureWords;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Created> createPledge(@Valid @RequestBody NewPledge body, Authentication user) {
        Campaign campaign = campaigns.campaign(body.campaignId())
                .orElseThrow(() -> invalid("no campaign " + body.campaignId()));
        Currency currency = CampaignController.currency(body.currency());
        if (!currency.equals(campaign.currency())) {
            throw invalid("campaign " + campaign.name() + " takes " + campaign.currency().getCurrencyCode() + ", not "
                    + currency.getCurrencyCode());
        }
        Money amount;
        try {
            amount = Money.of(body.amount(), currency);
        } catch (IllegalArgumentException | ArithmeticException e) {
            // PlainAmount bounds the digits, so the amount is short enough to repeat.
            throw invalid("amount " + body.amount().toPlainString() + " is not a valid " + currency.getCurrencyCode()
                    + " amount: " + e.getMessage());
        }
        if (body.leadId() != null && CallCentreAuthorities.isAgentOnly(user)
                && !locks.heldBy(body.leadId(), user.getName())) {
            throw conflict("open lead " + body.leadId() + " first: an agent takes a pledge on a lead they hold");
        }
        long id;
        try {
            id = pledges.addPledge(campaign.id(), body.leadId(), body.donorName().strip(), body.donorPhone(), amount,
                    body.frequency());
        } catch (DataIntegrityViolationException unknownLead) {
            throw invalid("no lead " + body.leadId());
        }
        return ResponseEntity.created(URI.create("/api/pledges/" + id)).body(new Created(id));
    }

    @GetMapping("/{id}")
    @Transactional(readOnly = true)
    public PledgeView pledge(@PathVariable long id) {
        Pledge pledge = pledges.pledge(id).orElseThrow(() -> notFound("no pledge " + id));
        CardCaptureView capture = captures.latest(id)
                .map(c -> new CardCaptureView(c.id(), c.status().name(), c.maskedCard(),
                        c.declineReason() == null || c.status() == Outcome.SUCCEEDED ? null : c.declineReason().name(),
                        c.startedAt(), c.endedAt(), captureWords.outcome(c)))
                .orElse(null);
        return new PledgeView(pledge.id(), pledge.campaignId(), pledge.leadId(), pledge.donorName(), pledge.donorPhone(),
                pledge.amount().amount(), pledge.amount().currency().getCurrencyCode(), pledge.frequency(), pledge.paid(),
                pledge.maskedCard(), pledge.tokenRef() != null, capture,
                pledges.payments(id).stream().map(p -> new PaymentView(p.gatewayReference(), p.amount().amount(),
                        p.amount().currency().getCurrencyCode(), p.maskedCard(), p.createdAt())).toList());
    }
}
