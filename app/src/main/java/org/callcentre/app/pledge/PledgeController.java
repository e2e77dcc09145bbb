package org.callcentre.app.pledge;

import java.net.URI;
import java.security.Principal;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.app.pledge.PledgeApi.CaptureStarted;
import org.callcentre.app.pledge.PledgeApi.CardCaptureView;
import org.callcentre.app.pledge.PledgeApi.Created;
import org.callcentre.app.pledge.PledgeApi.NewCampaign;
import org.callcentre.app.pledge.PledgeApi.NewPledge;
import org.callcentre.app.pledge.PledgeApi.PaymentView;
import org.callcentre.app.pledge.PledgeApi.PledgeView;
import org.callcentre.app.pledge.PledgeApi.StartCardCapture;
import org.callcentre.cardcapture.CardCaptureConversation;
import org.callcentre.cardcapture.CardCaptureRefusedException;
import org.callcentre.cardcapture.CardCaptureStore;
import org.callcentre.payment.Money;
import org.callcentre.pledge.Campaign;
import org.callcentre.pledge.Pledge;
import org.callcentre.pledge.PledgeBook;
import org.callcentre.processes.CardCaptureProcess.Outcome;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/** The agent console's API for campaigns, pledges and card capture. */
@RestController
@RequestMapping("/api")
public class PledgeController {

    private final PledgeBook pledges;
    private final CardCaptureStore captures;
    private final CardCaptureConversation conversation;

    public PledgeController(PledgeBook pledges, CardCaptureStore captures, CardCaptureConversation conversation) {
        this.pledges = pledges;
        this.captures = captures;
        this.conversation = conversation;
    }

    @PostMapping("/campaigns")
    @Transactional
    public ResponseEntity<Created> createCampaign(@Valid @RequestBody NewCampaign body) {
        Currency currency = currency(body.currency());
        Locale locale = Locale.forLanguageTag(body.locale());
        if (!body.instantPayment() && !body.tokensEnabled() && body.paymentFirst()) {
            throw invalid("paymentFirst needs instant payment and tokens enabled");
        }
        if (pledges.campaignByName(body.name()).isPresent()) {
            throw new CardCaptureRefusedException(CardCaptureRefusedException.Reason.CONFLICT,
                    "a campaign named " + body.name() + " already exists");
        }
        long id;
        try {
            id = pledges.addCampaign(body.name(), currency, locale, body.instantPayment(), body.tokensEnabled(),
                    body.paymentFirst(), Boolean.TRUE.equals(body.chargeOnCardUpdate()));
        } catch (DuplicateKeyException raced) {
            throw new CardCaptureRefusedException(CardCaptureRefusedException.Reason.CONFLICT,
                    "a campaign named " + body.name() + " already exists");
        }
        return ResponseEntity.created(URI.create("/api/campaigns/" + id)).body(new Created(id));
    }

    @PostMapping("/pledges")
    @Transactional
    public ResponseEntity<Created> createPledge(@Valid @RequestBody NewPledge body) {
        Campaign campaign = pledges.campaign(body.campaignId())
                .orElseThrow(() -> new CardCaptureRefusedException(CardCaptureRefusedException.Reason.INVALID,
                        "no campaign " + body.campaignId()));
        Currency currency = currency(body.currency());
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
        long id = pledges.addPledge(campaign.id(), body.donorName().strip(), body.donorPhone(), amount, body.frequency());
        return ResponseEntity.created(URI.create("/api/pledges/" + id)).body(new Created(id));
    }

    @GetMapping("/pledges/{id}")
    @Transactional(readOnly = true)
    public PledgeView pledge(@PathVariable long id) {
        Pledge pledge = pledges.pledge(id).orElseThrow(() -> new CardCaptureRefusedException(
                CardCaptureRefusedException.Reason.NOT_FOUND, "no pledge " + id));
        CardCaptureView capture = captures.latest(id)
                .map(c -> new CardCaptureView(c.id(), c.status().name(), c.maskedCard(),
                        c.declineReason() == null || c.status() == Outcome.SUCCEEDED ? null : c.declineReason().name(),
                        c.startedAt(), c.endedAt()))
                .orElse(null);
        return new PledgeView(pledge.id(), pledge.campaignId(), pledge.donorName(), pledge.donorPhone(),
                pledge.amount().amount(), pledge.amount().currency().getCurrencyCode(), pledge.frequency(), pledge.paid(),
                pledge.maskedCard(), pledge.tokenRef() != null, capture,
                pledges.payments(id).stream().map(p -> new PaymentView(p.gatewayReference(), p.amount().amount(),
                        p.amount().currency().getCurrencyCode(), p.maskedCard(), p.createdAt())).toList());
    }

    @PostMapping("/pledges/{id}/card-capture")
    public ResponseEntity<CaptureStarted> startCardCapture(@PathVariable long id,
            @Valid @RequestBody StartCardCapture body, Principal agent) {
        String captureId = conversation.start(id, body.callSid(), body.conferenceName(), agent.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new CaptureStarted(captureId, Outcome.IN_PROGRESS.name()));
    }

    @DeleteMapping("/pledges/{id}/card-capture")
    public ResponseEntity<Void> bringDonorBack(@PathVariable long id) {
        conversation.cancelByAgent(id);
        return ResponseEntity.accepted().build();
    }

    private static Currency currency(String code) {
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw invalid(code + " is not an ISO 4217 currency");
        }
    }

    private static CardCaptureRefusedException invalid(String message) {
        return new CardCaptureRefusedException(CardCaptureRefusedException.Reason.INVALID, message);
    }
}
