package org.callcentre.cardvault;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A field's value as stored: {@code v1.<master key id>.<generation>.<Base64 of IV, ciphertext and GCM tag>}.
 * The key id and generation say which master key and which data key open it; both are also bound into the key
 * derivation and the associated data, so a relabelled value does not open.
 */
record SealedValue(String keyId, long generation, byte[] sealed) {

    static final int IV_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final String VERSION = "v1";

    static boolean isCurrentFormat(String stored) {
        return stored.startsWith(VERSION + ".");
    }

    /** Throws {@link IllegalArgumentException} when {@code stored} is not a value this vault wrote. */
    static SealedValue parse(String stored) {
        String[] parts = stored.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0]) || !MasterKeys.KEY_ID.matcher(parts[1]).matches()
                || !parts[2].matches("[1-9][0-9]{0,17}")) {
            throw new IllegalArgumentException("not a sealed card vault value");
        }
        byte[] sealed = Base64.getDecoder().decode(parts[3]);
        if (sealed.length < IV_BYTES + TAG_BYTES) {
            throw new IllegalArgumentException("not a sealed card vault value");
        }
        return new SealedValue(parts[1], Long.parseLong(parts[2]), sealed);
    }

    String format() {
        return VERSION + "." + keyId + "." + generation + "." + Base64.getEncoder().encodeToString(sealed);
    }

    /**
     * What the value is bound to: the capture, the field, the master key id and the generation. Used as the key
     * derivation's context and as the cipher's associated data.
     */
    static byte[] context(String captureId, String field, String keyId, long generation) {
        return String.join("\0", "callcentre card vault " + VERSION, captureId, field, keyId, Long.toString(generation))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SealedValue[" + keyId + "." + generation + "]";
    }
}
