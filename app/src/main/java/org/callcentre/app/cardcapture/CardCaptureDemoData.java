package org.callcentre.app.cardcapture;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.callcentre.app.dialler.DiallerDemoData;
import org.callcentre.campaign.CampaignBook;
import org.callcentre.payment.Money;
import org.callcentre.pledge.Frequency;
import org.callcentre.pledge.PledgeBook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo run's campaigns, one per payment path, each with a pledge taken on a donor of the demo call list
 * ({@link DiallerDemoData}), so card capture can be tried on a dialler call at once. Exists only with
 * {@code app.demo.enabled} (the demo profile). Idempotent: a restart on the same database adds nothing twice. Runs
 * after {@code DemoUsers}, since the demo team holds the demo agent.
 */
@Component
@ConditionalOnProperty(name = "app.demo.enabled", havingValue = "true")
public class CardCaptureDemoData {

    private static final Logger log = LoggerFactory.getLogger(CardCaptureDemoData.class);

    private final CampaignBook campaigns;
    private final PledgeBook pledges;
    private final DiallerDemoData dialler;

    public CardCaptureDemoData(CampaignBook campaigns, PledgeBook pledges, DiallerDemoData dialler) {
        this.campaigns = campaigns;
        this.pledges = pledges;
        this.dialler = dialler;
    }

    @EventListener
    @Order(3)
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
        Map<String, Long> donors = dialler.setUp(List.of(payThenSave, saveThenPay, payOnly, saveOnly), payThenSave);
        pledge(payThenSave, donors, DiallerDemoData.JANE, "Jane Donor", Money.of(new BigDecimal("25.00"), gbp), Frequency.MONTHLY);
        pledge(saveThenPay, donors, DiallerDemoData.JOHN, "John Giver", Money.of(new BigDecimal("10.50"), gbp), Frequency.WEEKLY);
        pledge(payOnly, donors, DiallerDemoData.PRIYA, "Priya Patel", Money.of(new BigDecimal("50"), gbp), Frequency.ONE_OFF);
        pledge(saveOnly, donors, DiallerDemoData.TOM, "Tom Smith", Money.of(new BigDecimal("15"), gbp), Frequency.MONTHLY);
        log.info("Demo data: campaigns {} (pay then save), {} (save then pay), {} (pay only), {} (save only)",
                payThenSave, saveThenPay, payOnly, saveOnly);
    }

    private void pledge(long campaignId, Map<String, Long> donors, String phone, String name, Money amount,
            Frequency frequency) {
        pledges.addPledge(campaignId, donors.get(phone), name, phone, amount, frequency);
    }
}
