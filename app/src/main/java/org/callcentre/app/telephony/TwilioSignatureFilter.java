package org.callcentre.app.telephony;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.callcentre.app.web.ProblemResponses;
import org.callcentre.telephony.PublicUrls;
import org.callcentre.telephony.TwilioProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import com.twilio.security.RequestValidator;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every request under {@code /twilio/} must carry a valid {@code X-Twilio-Signature}, checked with the SDK's
 * {@link RequestValidator} against the URL Twilio was given ({@code app.public-base-url} plus path and query,
 * not the URL this app sees behind a proxy) and the POSTed form parameters. Anything else gets 403 before
 * any handler runs, so it changes nothing. Without {@code twilio.auth-token} the app does not start.
 */
public class TwilioSignatureFilter extends OncePerRequestFilter {

    public static final String SIGNATURE_HEADER = "X-Twilio-Signature";
    private static final Logger log = LoggerFactory.getLogger(TwilioSignatureFilter.class);

    private final RequestValidator validator;
    private final PublicUrls publicUrls;

    public TwilioSignatureFilter(TwilioProperties twilio, PublicUrls publicUrls) {
        if (twilio.authToken() == null || twilio.authToken().isBlank()) {
            throw new IllegalStateException("twilio.auth-token must be set: every webhook is checked with it (the demo "
                    + "profile sets the emulator's)");
        }
        this.validator = new RequestValidator(twilio.authToken());
        this.publicUrls = publicUrls;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String signature = request.getHeader(SIGNATURE_HEADER);
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String url = publicUrls.of(path + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
        if (signature == null || !validator.validate(url, formParameters(request), signature)) {
            // Never log the parameters: a gather's Digits can be a card number.
            log.warn("Refused a request to {} with a {} Twilio signature", path, signature == null ? "missing" : "wrong");
            ProblemResponses.write(response, HttpStatus.FORBIDDEN, "missing or invalid X-Twilio-Signature");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The POST body's parameters: all request parameters except those that came in the query string. */
    private static Map<String, String> formParameters(HttpServletRequest request) {
        Set<String> queryNames = new HashSet<>();
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                queryNames.add(URLDecoder.decode(name, StandardCharsets.UTF_8));
            }
        }
        Map<String, String> form = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!queryNames.contains(name) && values.length > 0) {
                form.put(name, values[0]);
            }
        });
        return form;
    }
}
