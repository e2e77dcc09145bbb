package org.callcentre.app.security;

import static org.callcentre.processes.Groups.AGENTS;
import static org.callcentre.processes.Groups.AGENT_ADMINS;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo run's users: an agent and an agent admin, in the groups that {@link CallCentreRoles} creates in every
 * profile. Exists only with {@code app.demo.enabled} (the demo profile); production has no users but the ones its
 * administrators create. Idempotent: a restart on the same database adds nothing twice.
 */
@Component
@ConditionalOnProperty(name = "app.demo.enabled", havingValue = "true")
public class DemoUsers {

    public static final String AGENT = "agent";
    public static final String AGENT_ADMIN = "agentadmin";

    private final IdentityService identity;
    private final String password;

    public DemoUsers(IdentityService identity, @Value("${app.demo.password}") String password) {
        this.identity = identity;
        this.password = password;
    }

    @EventListener
    @Transactional
    public void onApplicationReady(ApplicationReadyEvent ready) {
        user(AGENT, "Alex", "Agent", AGENTS);
        user(AGENT_ADMIN, "Sam", "Supervisor", AGENT_ADMINS);
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
