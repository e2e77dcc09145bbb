package org.callcentre.app.security;

import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * How the agent console's session reaches {@code /api/**} beside HTTP Basic. A request with an
 * {@code Authorization} header is judged by that header alone (HTTP Basic, stateless, as every API client); a
 * request without one is judged by the console's session, which the API reads but never creates, and must carry the
 * session's CSRF token in a header when it changes anything. A cross-site page can make a browser send the session
 * cookie but can neither add an {@code Authorization} header nor read the token.
 */
final class ConsoleSessions {

    /** The console's CSRF tokens, one a session, shared by {@code /console/**} (sign-in, sign-out) and the API. */
    static final CsrfTokenRepository CSRF_TOKENS = new HttpSessionCsrfTokenRepository();

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private ConsoleSessions() {
    }

    /**
     * An API request that would act through an existing session: no {@code Authorization} header, a method that
     * changes state, and a live session. Without a session there is nothing to forge (the request is answered 401),
     * and asking for a token would only create a session for it.
     */
    static final RequestMatcher CHANGES_THROUGH_SESSION = request -> !SAFE_METHODS.contains(request.getMethod())
            && request.getHeader(HttpHeaders.AUTHORIZATION) == null && request.getSession(false) != null;

    /** The signed-in console user of a request without an {@code Authorization} header; never creates a session. */
    static SecurityContextRepository apiSecurityContext() {
        HttpSessionSecurityContextRepository sessions = new HttpSessionSecurityContextRepository();
        sessions.setAllowSessionCreation(false);
        return new SessionUnlessAuthorizationHeader(sessions);
    }

    private static final class SessionUnlessAuthorizationHeader implements SecurityContextRepository {

        private final SecurityContextRepository sessions;
        /** Where HTTP Basic keeps its user: this request only. */
        private final SecurityContextRepository thisRequest = new RequestAttributeSecurityContextRepository();

        SessionUnlessAuthorizationHeader(SecurityContextRepository sessions) {
            this.sessions = sessions;
        }

        @Override
        public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
            return hasAuthorizationHeader(request) ? thisRequest.loadDeferredContext(request)
                    : sessions.loadDeferredContext(request);
        }

        @Override
        @Deprecated
        public SecurityContext loadContext(HttpRequestResponseHolder requestResponseHolder) {
            return loadDeferredContext(requestResponseHolder.getRequest()).get();
        }

        /** The API signs nobody in: HTTP Basic keeps its user for the request only, the console signs in itself. */
        @Override
        public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        }

        @Override
        public boolean containsContext(HttpServletRequest request) {
            return !hasAuthorizationHeader(request) && sessions.containsContext(request);
        }

        private static boolean hasAuthorizationHeader(HttpServletRequest request) {
            return request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        }
    }
}
