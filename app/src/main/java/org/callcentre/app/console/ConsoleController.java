package org.callcentre.app.console;

import org.callcentre.app.security.CallCentreAuthorities;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the agent console's page asks first: who is signed in in this browser's session, and the session's CSRF
 * token, which the page sends back in a header with every request that changes something (signing in included).
 * Signing in and out are Spring Security's ({@code POST /console/login}, {@code POST /console/logout}).
 */
@RestController
public class ConsoleController {

    /**
     * {@code GET /console/session}. Signed out, {@code userId} and {@code role} are null; the token is the one the
     * sign-in form must carry.
     *
     * @param role {@code AGENT}, {@code AGENT_ADMIN} or {@code ADMIN_OPS}, as {@code GET /api/agents/me} says it
     */
    public record ConsoleSession(boolean signedIn, String userId, String role, Csrf csrf) {
    }

    /** The header the token goes in, and the token. */
    public record Csrf(String headerName, String token) {
    }

    @GetMapping("/console/session")
    public ConsoleSession session(Authentication user, CsrfToken csrf) {
        Csrf token = new Csrf(csrf.getHeaderName(), csrf.getToken());
        if (user == null || user instanceof AnonymousAuthenticationToken || !user.isAuthenticated()) {
            return new ConsoleSession(false, null, null, token);
        }
        return new ConsoleSession(true, user.getName(), role(user), token);
    }

    private static String role(Authentication user) {
        if (CallCentreAuthorities.isAdminOps(user)) {
            return "ADMIN_OPS";
        }
        return CallCentreAuthorities.isAgentAdmin(user) ? "AGENT_ADMIN" : "AGENT";
    }
}
