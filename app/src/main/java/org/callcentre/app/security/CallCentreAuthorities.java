package org.callcentre.app.security;

import static org.callcentre.app.security.EngineUserAuthenticationProvider.authority;

import org.callcentre.processes.Groups;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** What a signed-in user's roles allow, for the rules that need more than a URL (the role matrix's data rules). */
public final class CallCentreAuthorities {

    private CallCentreAuthorities() {
    }

    /** An Admin Operations user, or an engine administrator (who is one in every profile). */
    public static boolean isAdminOps(Authentication user) {
        return has(user, Groups.ADMIN_OPS) || has(user, Groups.CAMUNDA_ADMIN);
    }

    public static boolean isAgentAdmin(Authentication user) {
        return has(user, Groups.AGENT_ADMINS);
    }

    /** An agent and nothing more: the role that locks leads and needs a lock to call or take a card. */
    public static boolean isAgentOnly(Authentication user) {
        return has(user, Groups.AGENTS) && !isAdminOps(user) && !isAgentAdmin(user);
    }

    private static boolean has(Authentication user, String group) {
        String wanted = authority(group);
        for (GrantedAuthority granted : user.getAuthorities()) {
            if (wanted.equals(granted.getAuthority())) {
                return true;
            }
        }
        return false;
    }
}
