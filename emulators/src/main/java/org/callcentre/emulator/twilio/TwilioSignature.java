package org.callcentre.emulator.twilio;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature, as documented for webhook security:
 * {@code Base64(HMAC-SHA1(authToken, url + name1 + value1 + name2 + value2 ...))} where the POST
 * parameters are sorted by name. For a GET request the parameters are part of the URL and the
 * parameter map is empty.
 */
public final class TwilioSignature {

    /** The header Twilio puts the signature in. */
    public static final String HEADER = "X-Twilio-Signature";

    private static final String HMAC_SHA1 = "HmacSHA1";

    private TwilioSignature() {
    }

    /**
     * Computes the signature of a request.
     *
     * @param authToken the account's auth token (the HMAC key)
     * @param url       the full URL the request is sent to, including any query string
     * @param params    the POST parameters (empty or null for GET)
     * @return the Base64 signature
     */
    public static String compute(String authToken, String url, Map<String, String> params) {
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(url, "url");
        StringBuilder data = new StringBuilder(url);
        if (params != null && !params.isEmpty()) {
            for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
                data.append(e.getKey());
                if (e.getValue() != null) {
                    data.append(e.getValue());
                }
            }
        }
        try {
            Mac mac = Mac.getInstance(HMAC_SHA1);
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), HMAC_SHA1));
            byte[] digest = mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is not available", e);
        }
    }

    /** Checks a signature in constant time. */
    public static boolean validate(String authToken, String url, Map<String, String> params, String signature) {
        if (signature == null) {
            return false;
        }
        byte[] expected = compute(authToken, url, params).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
    }
}
