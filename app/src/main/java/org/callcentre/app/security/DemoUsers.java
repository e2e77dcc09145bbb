package org.callcentre.app.security;

import static org.callcentre.processes.Groups.AGENTS;
import static org.callcentre.processes.Groups.AGENT_ADMINS;

import java.sql.Timestamp;
import java.time.Clock;

import org.callcentre.user.Role;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo run's users: an agent and an agent admin with their call-centre profiles, in the groups that {@link CallCentreRoles} creates in every
 * profile. Exists only with {@code app.demo.enabled} (the demo profile); production has no users but the ones its
 * administrators create. Idempotent: a restart on the same database adds nothing twice.
 */
@Component
@ConditionalOnProperty(name = "app.demo.enabled", havingValue = "true")
public class DemoUsers {

    public static final String AGENT = "agent";
    public static final String AGENT_ADMIN = "agentadmin";

    private final IdentityService identity;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String password;

    public DemoUsers(IdentityService identity, JdbcTemplate jdbc, Clock clock,
            @Value("${app.demo.password}") String password) {
        this.identity = identity;
        this.jdbc = jdbc;
        this.clock = clock;
        this.password = password;
    }

    @EventListener
    @Order(1)
    @Transactional
    public void onApplicationReady(ApplicationReadyEvent ready) {
        user(AGENT, "Alex", "Agent", AGENTS);
        user(AGENT_ADMIN, "Sam", "Supervisor", AGENT_ADMINS);
        profile(AGENT, Role.AGENT);
        profile(AGENT_ADMIN, Role.AGENT_ADMIN);
    }

    /** The call-centre profile: the role and a browser phone ({@code client:<id>}) the demo's users answer. */
    private void profile(String id, Role role) {
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.queryForObject("select count(*) from call_centre_user where user_id = ?", Integer.class, id) == 0) {
            jdbc.update("insert into call_centre_user (user_id, role, restricted, device, created_at, updated_at) "
                    + "values (?, ?, false, ?, ?, ?)", id, role.name(), "client:" + id, now, now);
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
}
