package org.callcentre.app.security;

import static org.callcentre.app.security.EngineUserAuthenticationProvider.authority;
import static org.callcentre.processes.Groups.ADMIN_OPS;
import static org.callcentre.processes.Groups.AGENTS;
import static org.callcentre.processes.Groups.AGENT_ADMINS;
import static org.callcentre.processes.Groups.CAMUNDA_ADMIN;

import java.io.IOException;
import java.util.Set;

import org.callcentre.app.web.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Signing in to the agent console: the engine's users and passwords, as everywhere, and only the roles that work
 * leads from the console: agents, agent admins and Admin Operations (the engine's administrators count as Admin
 * Operations). The answers are for the console's JavaScript: 204 signed in; 401 unknown user or wrong password
 * (counted by the login throttle); 403 a right password of a user of another role, who stays signed out.
 */
final class ConsoleSignIn implements AuthenticationProvider {

    static final Set<String> CONSOLE_ROLES = Set.of(authority(AGENTS), authority(AGENT_ADMINS), authority(ADMIN_OPS),
            authority(CAMUNDA_ADMIN));

    private final EngineUserAuthenticationProvider users;

    ConsoleSignIn(EngineUserAuthenticationProvider users) {
        this.users = users;
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        Authentication user = users.authenticate(attempt);
        if (user.getAuthorities().stream().map(GrantedAuthority::getAuthority).noneMatch(CONSOLE_ROLES::contains)) {
            throw new NotAConsoleRole(user.getName());
        }
        return user;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return users.supports(authentication);
    }

    /** 204: the session now holds the user; the page asks {@code GET /console/session} for its new CSRF token. */
    static AuthenticationSuccessHandler signedIn() {
        return (request, response, user) -> response.setStatus(HttpStatus.NO_CONTENT.value());
    }

    static AuthenticationFailureHandler refused() {
        return ConsoleSignIn::refuse;
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof NotAConsoleRole) {
            ProblemResponses.write(response, HttpStatus.FORBIDDEN, e.getMessage());
        } else {
            ProblemResponses.write(response, HttpStatus.UNAUTHORIZED, "unknown user or wrong password");
        }
    }

    /** A right password of a user whose roles have no use for the console. */
    static final class NotAConsoleRole extends AuthenticationException {
        NotAConsoleRole(String user) {
            super("the agent console is for agents, agent admins and Admin Operations; " + user + " is none of them");
        }
    }
}
