package org.callcentre.app.telephony;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.callcentre.app.cardcapture.CardCaptureFallback;
import org.callcentre.app.cardcapture.CardCaptureFallback.Endpoint;
import org.callcentre.cardcapture.CardCaptureUrls;
import org.callcentre.telephony.TelephonyUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The last net under every Twilio webhook (inside the signature check, so a forged request is still refused):
 * whatever escapes a controller's own fallback, an exception or an error status (an unknown path, a method not
 * allowed, a problem detail), becomes 200 with TwiML. The answer is held until the chain is done (TwiML is small),
 * so an error can be replaced before anything reaches Twilio. A card-capture webhook hears what {@link CardCaptureFallback} can still say, a
 * status callback an empty document, anything else a polite goodbye.
 */
public class TwimlFallbackFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(TwimlFallbackFilter.class);

    private final CardCaptureFallback cardCapture;

    public TwimlFallbackFilter(CardCaptureFallback cardCapture) {
        this.cardCapture = cardCapture;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HeldResponse held = new HeldResponse(response);
        Exception failure = null;
        try {
            chain.doFilter(request, held);
        } catch (IOException | ServletException | RuntimeException e) {
            failure = e;
        }
        int error = held.error != 0 ? held.error : response.getStatus() >= 400 ? response.getStatus() : 0;
        if (failure == null && error == 0) {
            held.copyBodyToResponse();
            return;
        }
        if (response.isCommitted()) {
            // Part of an answer is on its way already; nothing sensible can follow it.
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure != null) {
                throw failure instanceof ServletException servlet ? servlet : new ServletException(failure);
            }
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (failure == null) {
            log.error("Twilio webhook {} was answered with status {}; TwiML answers instead", path, error);
            failure = new ErrorStatus(error);
        }
        String twiml = answer(path, failure);
        response.reset();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(Twiml.TEXT_XML.toString());
        response.getOutputStream().write(twiml.getBytes(StandardCharsets.UTF_8));
    }

    private String answer(String path, Exception failure) {
        if (path.startsWith(CardCaptureUrls.BASE)) {
            String rest = path.substring(CardCaptureUrls.BASE.length());
            String captureId = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            return cardCapture.answer(Endpoint.OTHER, captureId, failure, 0, 0);
        }
        boolean callback = path.equals(TelephonyUrls.CALL_STATUS) || path.equals(TelephonyUrls.RECORDING_STATUS);
        log.error("Twilio webhook {} failed ({}); answered with {}", path, WebhookFailures.describe(failure),
                callback ? "empty TwiML" : "a goodbye");
        return callback ? Twiml.EMPTY : cardCapture.goodbye();
    }

    /** An error status the chain sent instead of an answer; its class name and status say what happened. */
    static final class ErrorStatus extends RuntimeException {
        ErrorStatus(int status) {
            super("HTTP " + status, null, false, false);
        }
    }

    /**
     * Holds the answer back until the chain is done, so that an error (a status of 400 or more, or an error page
     * asked for with {@code sendError}) can still be replaced with TwiML.
     */
    private static final class HeldResponse extends ContentCachingResponseWrapper {
        int error;

        HeldResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void sendError(int status) {
            error = status;
        }

        @Override
        public void sendError(int status, String message) {
            error = status;
        }
    }
}
