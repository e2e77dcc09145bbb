package org.callcentre.app.dialler;

import static org.callcentre.app.security.EngineUserAuthenticationProvider.authority;
import static org.callcentre.processes.Groups.ADMIN_OPS;
import static org.callcentre.processes.Groups.AGENT_ADMINS;
import static org.callcentre.processes.Groups.CAMUNDA_ADMIN;

import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** What the caller's groups mean for leads. */
final class CallerRoles {

    private static final Set<String> WITHOUT_LOCKS = Set.of(authority(ADMIN_OPS), authority(CAMUNDA_ADMIN),
            authority(AGENT_ADMINS));

    private CallerRoles() {
    }

    /** Only agents lock leads: Admin Operations and Agent Admin users work on them without a lock. */
    static boolean mustHoldLock(Authentication caller) {
        return caller.getAuthorities().stream().map(GrantedAuthority::getAuthority).noneMatch(WITHOUT_LOCKS::contains);
    }
}
