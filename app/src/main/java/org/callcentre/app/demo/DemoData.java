package org.callcentre.app.demo;

import static org.callcentre.app.security.Groups.AGENTS;
import static org.callcentre.app.security.Groups.AGENT_ADMINS;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.payment.Money;
import org.callcentre.pledge.Frequency;
import org.callcentre.pledge.PledgeBook;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo run's users and data: an agent and an agent admin in their roles (which {@code CallCentreRoles}
 * creates in every profile), and a campaign per payment path with a pledge in each, so card capture can be tried
 * at once. Exists only with {@code app.demo.enabled} (the demo profile); production has none of it. Idempotent: a
 * restart on the same database adds nothing twice.
 */
@Component
@ConditionalOnProperty(name = "app.demo.enabled", havingValue = "true")
public class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    public static final String AGENT = "agent";
    public static final String AGENT_ADMIN = "agentadmin";

    private final IdentityService identity;
    private final PledgeBook pledges;
    private final String password;

    public DemoData(IdentityService identity, PledgeBook pledges, @Value("${app.demo.password}") String password) {
        this.identity = identity;
        this.pledges = pledges;
        this.password = password;
    }

    @EventListener
    @Transactional
    public void onApplicationReady(ApplicationReadyEvent ready) {
        user(AGENT, "Alex", "Agent", AGENTS);
        user(AGENT_ADMIN, "Sam", "Supervisor", AGENT_ADMINS);
        campaigns();
    }

    private void campaigns() {
        if (pledges.campaignByName("Spring Appeal").isPresent()) {
            return;
        }
        Currency gbp = Currency.getInstance("GBP");
        Locale uk = Locale.forLanguageTag("en-GB");
        long payThenSave = pledges.addCampaign("Spring Appeal", gbp, uk, true, true, true);
        long saveThenPay = pledges.addCampaign("Regular Giving", gbp, uk, true, true, false);
        long payOnly = pledges.addCampaign("Emergency Appeal", gbp, uk, true, false, false);
        long saveOnly = pledges.addCampaign("Monthly Supporters", gbp, uk, false, true, false);
        pledges.addPledge(payThenSave, "Jane Donor", "+447700900001", Money.of(new BigDecimal("25.00"), gbp), Frequency.MONTHLY);
        pledges.addPledge(saveThenPay, "John Giver", "+447700900002", Money.of(new BigDecimal("10.50"), gbp), Frequency.WEEKLY);
        pledges.addPledge(payOnly, "Priya Patel", "+447700900003", Money.of(new BigDecimal("50"), gbp), Frequency.ONE_OFF);
        pledges.addPledge(saveOnly, "Tom Smith", "+447700900004", Money.of(new BigDecimal("15"), gbp), Frequency.MONTHLY);
        log.info("Demo data: campaigns {} (pay then save), {} (save then pay), {} (pay only), {} (save only)",
                payThenSave, saveThenPay, payOnly, saveOnly);
    }

    private void user(String id, String first, String last, String groupId) {
        if (identity.createUserQuery().userId(id).count() == 0) {
            User user = identity.newUser(id);
            user.setFirstName(first);
            user.setLastName(last);
            user.setPassword(password);
            user.setEmail(id + "@demo.invalid");
            identity.saveUser(user);
            identity.createMembership(id, groupId);
        }
    }
}
