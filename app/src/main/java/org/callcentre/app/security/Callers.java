package org.callcentre.app.security;

import static org.callcentre.app.security.EngineUserAuthenticationProvider.authority;

import java.util.Set;
import java.util.stream.Collectors;

import org.callcentre.dialler.Caller;
import org.callcentre.processes.Groups;
import org.callcentre.user.Role;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** The signed-in user as the services judge requests: the strongest of the user's roles. */
public final class Callers {

    private Callers() {
    }

    public static Caller of(Authentication user) {
        Set<String> authorities = user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .collect(Collectors.toSet());
        Role role;
        if (authorities.contains(authority(Groups.ADMIN_OPS)) || authorities.contains(authority(Groups.CAMUNDA_ADMIN))) {
            role = Role.ADMIN_OPS;
        } else if (authorities.contains(authority(Groups.AGENT_ADMINS))) {
            role = Role.AGENT_ADMIN;
        } else {
            role = Role.AGENT;
        }
        return new Caller(user.getName(), role);
    }
}
