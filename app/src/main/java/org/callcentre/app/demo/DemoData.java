package org.callcentre.app.demo;

import static org.callcentre.app.security.Groups.ADMIN_OPS;
import static org.callcentre.app.security.Groups.AGENTS;
import static org.callcentre.app.security.Groups.AGENT_ADMINS;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.payment.Money;
import org.callcentre.pledge.Frequency;
import org.callcentre.pledge.PledgeBook;
import org.callcentre.processes.CardCaptureProcess;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
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
 * The demo run's users, roles and data: a campaign per payment path and a pledge in each, so card capture can
 * be tried at once. Exists only with {@code app.demo.enabled} (the demo profile); production has none of it.
 * Idempotent: a restart on the same database adds nothing twice.
 */
@Component
@ConditionalOnProperty(name = "app.demo.enabled", havingValue = "true")
public class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    public static final String AGENT = "agent";
    public static final String AGENT_ADMIN = "agentadmin";

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final FilterService filters;
    private final PledgeBook pledges;
    private final String password;
    private final String adminUser;

    public DemoData(IdentityService identity, AuthorizationService authorizations, FilterService filters,
            PledgeBook pledges, @Value("${app.demo.password}") String password,
            @Value("${camunda.bpm.admin-user.id:admin}") String adminUser) {
        this.identity = identity;
        this.authorizations = authorizations;
        this.filters = filters;
        this.pledges = pledges;
        this.password = password;
        this.adminUser = adminUser;
    }

    @EventListener
    @Transactional
    public void onApplicationReady(ApplicationReadyEvent ready) {
        group(AGENTS, "Agents");
        group(AGENT_ADMINS, "Agent admins");
        group(ADMIN_OPS, "Admin operations");
        user(AGENT, "Alex", "Agent", AGENTS);
        user(AGENT_ADMIN, "Sam", "Supervisor", AGENT_ADMINS);
        if (identity.createUserQuery().userId(adminUser).count() == 1
                && identity.createUserQuery().userId(adminUser).memberOfGroup(ADMIN_OPS).count() == 0) {
            identity.createMembership(adminUser, ADMIN_OPS);
        }
        for (String group : new String[] {AGENTS, AGENT_ADMINS, ADMIN_OPS}) {
            grant(group, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
            grant(group, Resources.PROCESS_DEFINITION, CardCaptureProcess.PROCESS_KEY, Permissions.READ);
            Filter allTasks = filters.createFilterQuery().filterName("All tasks").singleResult();
            if (allTasks != null) {
                // Tasklist shows each user only the tasks they are authorized for: their own and their groups'.
                grant(group, Resources.FILTER, allTasks.getId(), Permissions.READ);
            }
        }
        grant(AGENT_ADMINS, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
        grant(AGENT_ADMINS, Resources.PROCESS_INSTANCE, "*", Permissions.READ);
        grant(AGENT_ADMINS, Resources.PROCESS_DEFINITION, CardCaptureProcess.PROCESS_KEY, Permissions.READ_INSTANCE,
                Permissions.READ_HISTORY);
        grant(ADMIN_OPS, Resources.APPLICATION, "*", Permissions.ALL);
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

    private void group(String id, String name) {
        if (identity.createGroupQuery().groupId(id).count() == 0) {
            Group group = identity.newGroup(id);
            group.setName(name);
            group.setType("WORKFLOW");
            identity.saveGroup(group);
        }
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

    private void grant(String groupId, Resource resource, String resourceId, Permission... permissions) {
        if (authorizations.createAuthorizationQuery().groupIdIn(groupId).resourceType(resource).resourceId(resourceId)
                .count() > 0) {
            return;
        }
        Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        grant.setGroupId(groupId);
        grant.setResource(resource);
        grant.setResourceId(resourceId);
        for (Permission permission : permissions) {
            grant.addPermission(permission);
        }
        authorizations.saveAuthorization(grant);
    }
}
