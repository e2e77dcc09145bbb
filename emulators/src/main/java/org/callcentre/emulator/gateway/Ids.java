package org.callcentre.emulator.gateway;

import java.security.SecureRandom;

/** Stripe-looking object ids: a prefix and 24 random alphanumerics. */
final class Ids {

    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String next(String prefix) {
        StringBuilder sb = new StringBuilder(prefix.length() + 25).append(prefix).append('_');
        for (int i = 0; i < 24; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
