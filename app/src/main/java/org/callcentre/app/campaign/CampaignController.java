package org.callcentre.app.campaign;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.invalid;

import java.net.URI;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.app.campaign.CampaignApi.NewCampaign;
import org.callcentre.app.web.Created;
import org.callcentre.campaign.CampaignBook;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/** Campaigns and their payment settings. */
@RestController
@RequestMapping("/api/campaigns")
public class CampaignController {

    private final CampaignBook campaigns;

    public CampaignController(CampaignBook campaigns) {
        this.campaigns = campaigns;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Created> createCampaign(@Valid @RequestBody NewCampaign body) {
        Currency currency = currency(body.currency());
        Locale locale = Locale.forLanguageTag(body.locale());
        if (!body.instantPayment() && !body.tokensEnabled() && body.paymentFirst()) {
            throw invalid("paymentFirst needs instant payment and tokens enabled");
        }
        if (campaigns.campaignByName(body.name()).isPresent()) {
            throw conflict("a campaign named " + body.name() + " already exists");
        }
        long id;
        try {
            id = campaigns.addCampaign(body.name(), currency, locale, body.instantPayment(), body.tokensEnabled(),
                    body.paymentFirst(), Boolean.TRUE.equals(body.chargeOnCardUpdate()));
        } catch (DuplicateKeyException raced) {
            throw conflict("a campaign named " + body.name() + " already exists");
        }
        return ResponseEntity.created(URI.create("/api/campaigns/" + id)).body(new Created(id));
    }

    /** The currency of an ISO 4217 code, or a refusal that says so. */
    public static Currency currency(String code) {
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw invalid(code + " is not an ISO 4217 currency");
        }
    }
}
