package org.callcentre.emulator.twilio;

import java.net.URI;
import java.net.URISyntaxException;

/** How Twilio reads TwiML attribute values: lenient numbers, GET or POST, URLs relative to the document. */
final class TwimlAttributes {

    private TwimlAttributes() {
    }

    static String normaliseMethod(String method) {
        return method != null && "GET".equalsIgnoreCase(method.strip()) ? "GET" : "POST";
    }

    /** Resolves a TwiML URL against the document URL; null when it cannot be resolved. */
    static String resolve(String base, String ref) {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        try {
            URI r = new URI(ref.strip());
            if (r.isAbsolute()) {
                return r.toString();
            }
            if (base == null) {
                return null;
            }
            return new URI(base).resolve(r).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    static int parseInt(String s, int fallback) {
        if (s == null || s.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static double parseDouble(String s, double fallback) {
        if (s == null || s.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
