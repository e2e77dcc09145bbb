package org.callcentre.app.cardcapture;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.campaign.CampaignBook;
import org.callcentre.payment.Money;
import org.callcentre.pledge.Frequency;
import org.callcentre.pledge.PledgeBook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo run's campaigns, one per payment path, each with a pledge, so card capture can be tried at once. Exists
 * only with {@code app.demo.enabled} (the demo profile). Idempotent: a restart on the same database adds nothing twice.
 */
@Component
@ConditionalOnProperty(name = "app.demo.enabled", havingValue = "true")
public class CardCaptureDemoData {

    private static final Logger log = LoggerFactory.getLogger(CardCaptureDemoData.class);

    private final CampaignBook campaigns;
    private final PledgeBook pledges;

    public CardCaptureDemoData(CampaignBook campaigns, PledgeBook pledges) {
        this.campaigns = campaigns;
        this.pledges = pledges;
    }

    @EventListener
    @Transactional
    public void onApplicationReady(ApplicationReadyEvent ready) {
        if (campaigns.campaignByName("Spring Appeal").isPresent()) {
            return;
        }
        Currency gbp = Currency.getInstance("GBP");
        Locale uk = Locale.forLanguageTag("en-GB");
        long payThenSave = campaigns.addCampaign("Spring Appeal", gbp, uk, true, true, true);
        long saveThenPay = campaigns.addCampaign("Regular Giving", gbp, uk, true, true, false);
        long payOnly = campaigns.addCampaign("Emergency Appeal", gbp, uk, true, false, false);
        long saveOnly = campaigns.addCampaign("Monthly Supporters", gbp, uk, false, true, false);
        pledges.addPledge(payThenSave, "Jane Donor", "+447700900001", Money.of(new BigDecimal("25.00"), gbp), Frequency.MONTHLY);
        pledges.addPledge(saveThenPay, "John Giver", "+447700900002", Money.of(new BigDecimal("10.50"), gbp), Frequency.WEEKLY);
        pledges.addPledge(payOnly, "Priya Patel", "+447700900003", Money.of(new BigDecimal("50"), gbp), Frequency.ONE_OFF);
        pledges.addPledge(saveOnly, "Tom Smith", "+447700900004", Money.of(new BigDecimal("15"), gbp), Frequency.MONTHLY);
        log.info("Demo data: campaigns {} (pay then save), {} (save then pay), {} (pay only), {} (save only)",
                payThenSave, saveThenPay, payOnly, saveOnly);
    }
}
