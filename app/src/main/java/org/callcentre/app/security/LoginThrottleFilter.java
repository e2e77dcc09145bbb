package org.callcentre.app.security;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import org.callcentre.app.security.LoginThrottle.LoginAttempt;
import org.callcentre.app.web.ProblemResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Every door that checks a password, in front of whatever checks it: HTTP Basic on {@code /api} (Spring
 * Security) and {@code /engine-rest} (the engine's filter), the webapps' login form and the agent console's sign-in
 * form ({@code POST /console/login}). A pair of address and user that {@link LoginThrottle} refuses gets 429 with
 * {@code Retry-After}, and its password is not checked. Otherwise the answer tells the outcome: 401 is a failed
 * login; anything else means the password was right, unless the door marked the request
 * {@link #PASSWORD_NOT_CHECKED} (refused before the password was looked at, say for a missing CSRF token), which
 * counts as neither.
 */
public class LoginThrottleFilter extends OncePerRequestFilter {

    /** The webapps' login: {@code POST /camunda/api/admin/auth/user/{engine}/login/{app}}, a small form. */
    private static final Pattern WEBAPP_LOGIN = Pattern.compile("/camunda/api/admin/auth/user/[^/]+/login/[^/]+");
    /** The agent console's sign-in: a small form Spring Security reads with {@code getParameter}. */
    static final String CONSOLE_LOGIN = "/console/login";
    /** A request attribute a door sets when it refuses a login without checking the password. */
    public static final String PASSWORD_NOT_CHECKED = LoginThrottleFilter.class.getName() + ".PASSWORD_NOT_CHECKED";
    private static final int LOGIN_FORM_LIMIT = 4 * 1024;
    private static final String BASIC = "basic ";

    private final LoginThrottle throttle;

    public LoginThrottleFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpServletRequest forwarded = request;
        String user = basicUser(request);
        if (user == null && isWebappLogin(request)) {
            CachedBodyRequest form;
            try {
                form = CachedBodyRequest.read(request, LOGIN_FORM_LIMIT);
            } catch (CachedBodyRequest.TooLarge e) {
                ProblemResponses.send(response, HttpStatus.PAYLOAD_TOO_LARGE,
                        "a login form has at most " + LOGIN_FORM_LIMIT + " bytes");
                return;
            }
            forwarded = form;
            user = formField(form.body(), "username");
        } else if (user == null && isConsoleLogin(request)) {
            // Tomcat parses the form (within server.tomcat.max-http-form-post-size) and keeps it for Spring Security.
            user = request.getParameter("username");
        }
        if (user == null) {
            chain.doFilter(request, response);
            return;
        }
        LoginAttempt attempt = new LoginAttempt(request.getRemoteAddr(), user);
        Optional<Duration> wait = throttle.refusal(attempt);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            ProblemResponses.send(response, HttpStatus.TOO_MANY_REQUESTS, "too many failed logins for this user "
                    + "from your address; try again in " + seconds + " s");
            return;
        }
        FailureRecordingResponse recording = new FailureRecordingResponse(response, attempt);
        chain.doFilter(forwarded, recording);
        if (response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
            recording.recordFailure();
        } else if (request.getAttribute(PASSWORD_NOT_CHECKED) == null) {
            throttle.succeeded(attempt);
        }
    }

    /**
     * Counts a failed login the moment the door sets 401, before a byte of the answer leaves: a client that has read
     * its 401 and tries again at once must find the failure already counted.
     */
    private final class FailureRecordingResponse extends HttpServletResponseWrapper {

        private final LoginAttempt attempt;
        private boolean recorded;

        FailureRecordingResponse(HttpServletResponse response, LoginAttempt attempt) {
            super(response);
            this.attempt = attempt;
        }

        @Override
        public void setStatus(int status) {
            if (status == HttpStatus.UNAUTHORIZED.value()) {
                recordFailure();
            }
            super.setStatus(status);
        }

        @Override
        public void sendError(int status) throws IOException {
            if (status == HttpStatus.UNAUTHORIZED.value()) {
                recordFailure();
            }
            super.sendError(status);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            if (status == HttpStatus.UNAUTHORIZED.value()) {
                recordFailure();
            }
            super.sendError(status, message);
        }

        void recordFailure() {
            if (!recorded) {
                recorded = true;
                throttle.failed(attempt);
            }
        }
    }

    /** The user name of an HTTP Basic header, or null without one (the door then refuses with no check). */
    private static String basicUser(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return null;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = credentials.indexOf(':');
        return colon < 0 ? null : credentials.substring(0, colon);
    }

    private static boolean isWebappLogin(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && WEBAPP_LOGIN.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches();
    }

    private static boolean isConsoleLogin(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && CONSOLE_LOGIN.equals(request.getRequestURI().substring(request.getContextPath().length()));
    }

    private static String formField(byte[] body, String name) {
        for (String pair : new String(body, StandardCharsets.ISO_8859_1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (name.equals(key)) {
                try {
                    return URLDecoder.decode(equals < 0 ? "" : pair.substring(equals + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return null;
                }
            }
        }
        return null;
    }
}
