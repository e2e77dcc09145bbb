package org.callcentre.cardvault;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869) of a field's key from the master key and the value's data key: extract with the master
 * key as salt and the data key as input, expand with the value's context. Neither key alone gives the field key,
 * so the configuration without the key table, or a data key without the configuration, opens nothing.
 */
final class FieldKeys {

    private static final String HMAC = "HmacSHA256";

    private FieldKeys() {
    }

    /** 32 bytes for AES-256; the caller zeroes them after use. */
    static byte[] derive(byte[] masterKey, byte[] dataKey, byte[] context) {
        byte[] pseudoRandomKey = null;
        try {
            Mac extract = Mac.getInstance(HMAC);
            extract.init(new SecretKeySpec(masterKey, HMAC));
            pseudoRandomKey = extract.doFinal(dataKey);
            Mac expand = Mac.getInstance(HMAC);
            expand.init(new SecretKeySpec(pseudoRandomKey, HMAC));
            expand.update(context);
            // T(1) = HMAC(PRK, info || 0x01): one block is the 32 bytes needed.
            expand.update((byte) 1);
            return expand.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no HMAC-SHA256 on this JVM", e);
        } finally {
            if (pseudoRandomKey != null) {
                Arrays.fill(pseudoRandomKey, (byte) 0);
            }
        }
    }
}
