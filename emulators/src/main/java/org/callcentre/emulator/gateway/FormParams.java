package org.callcentre.emulator.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parameters of one request in Stripe's flattened bracket notation ({@code metadata[pledge_id]=42},
 * {@code payment_method_data[card][number]=...}). Keys are kept flat, exactly as sent.
 *
 * <p>Instances hold raw card data for the duration of one request only; {@link #toString()} never
 * prints values, and {@link #digest(String, String)} is what the idempotency store keeps.
 */
final class FormParams {

    private final List<Map.Entry<String, String>> pairs;
    private final Map<String, String> last;

    private FormParams(List<Map.Entry<String, String>> pairs) {
        this.pairs = pairs;
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : pairs) {
            m.put(p.getKey(), p.getValue());
        }
        this.last = m;
    }

    static FormParams empty() {
        return new FormParams(List.of());
    }

    /** Parses {@code application/x-www-form-urlencoded} text (a body or a raw query string). */
    static FormParams parse(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return empty();
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (String part : encoded.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String rawKey = eq < 0 ? part : part.substring(0, eq);
            String rawValue = eq < 0 ? "" : part.substring(eq + 1);
            String key;
            String value;
            try {
                key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
                value = URLDecoder.decode(rawValue, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // Deliberately does not echo the offending text: it may be card data.
                throw ApiException.invalidRequest(400, null, null, "Invalid form encoding in the request.");
            }
            if (!key.isEmpty()) {
                pairs.add(Map.entry(key, value));
            }
        }
        return new FormParams(Collections.unmodifiableList(pairs));
    }

    /** The last value sent for {@code key}, or null. */
    String get(String key) {
        return last.get(key);
    }

    /** The value for {@code key}, null when absent or blank. */
    String nonBlank(String key) {
        String v = last.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    boolean has(String key) {
        return last.containsKey(key);
    }

    /** Every distinct key, in first-seen order. */
    Iterable<String> keys() {
        return last.keySet();
    }

    /**
     * The sub-map below {@code prefix}: for prefix "metadata", {@code metadata[a]=1} yields {@code a -> 1}.
     * Only one level is unwrapped; nested keys stay in their bracketed tail. Empty values are dropped
     * (Stripe treats {@code metadata[x]=} as "unset").
     */
    Map<String, String> subMap(String prefix) {
        String open = prefix + "[";
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : last.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(open)) {
                int close = k.indexOf(']', open.length());
                if (close == k.length() - 1 && !e.getValue().isEmpty()) {
                    out.put(k.substring(open.length(), close), e.getValue());
                }
            }
        }
        return out;
    }

    /** The top-level name of a flattened key: {@code payment_method_data[card][cvc]} → {@code payment_method_data}. */
    static String topLevel(String key) {
        int b = key.indexOf('[');
        return b < 0 ? key : key.substring(0, b);
    }

    /**
     * SHA-256 over the method, the path and the parameters sorted by key then value. This is all the
     * idempotency store keeps of a request; card data never leaves the request in readable form.
     */
    String digest(String method, String path) {
        List<Map.Entry<String, String>> sorted = new ArrayList<>(pairs);
        sorted.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue(Comparator.naturalOrder())));
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            feed(md, method);
            feed(md, path);
            for (Map.Entry<String, String> p : sorted) {
                feed(md, p.getKey());
                feed(md, p.getValue());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static void feed(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        // Length-prefixed so that ("ab","c") and ("a","bc") digest differently.
        md.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
        md.update(b);
    }

    @Override
    public String toString() {
        return "FormParams" + last.keySet(); // keys only, never values
    }
}
