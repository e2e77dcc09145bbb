package org.callcentre.cardvault;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured master keys by id: the current one seals, the current and the retired ones open. A value names
 * the id of the key it was sealed with, so a key can be rotated while entries sealed under the old one are in
 * flight; an id that is not configured opens nothing.
 */
final class MasterKeys {

    private static final Logger log = LoggerFactory.getLogger(MasterKeys.class);
    /** Lower case only: ids are also map keys in configuration, where environment variables lose case and '_'. */
    static final Pattern KEY_ID = Pattern.compile("[a-z0-9-]{1,32}");
    private static final String RUN_KEY_ID = "run";

    /** A master key and its id. */
    record MasterKey(String id, byte[] bytes) {

        @Override
        public String toString() {
            return "MasterKey[" + id + "]";
        }
    }

    private final MasterKey current;
    private final Map<String, MasterKey> byId;

    private MasterKeys(MasterKey current, Map<String, MasterKey> byId) {
        this.current = current;
        this.byId = byId;
    }

    static MasterKeys from(CardVaultProperties properties, SecureRandom random) {
        MasterKey current;
        if (properties.key() == null || properties.key().isBlank()) {
            log.warn("app.card-vault.key is not set: using a master key made for this run only. Set it (Base64 of 32 "
                    + "random bytes) and app.card-vault.key-id in production.");
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String id = properties.keyId() == null || properties.keyId().isBlank() ? RUN_KEY_ID : properties.keyId().trim();
            current = new MasterKey(checkedId("app.card-vault.key-id", id), bytes);
        } else {
            if (properties.keyId() == null || properties.keyId().isBlank()) {
                throw new IllegalStateException("app.card-vault.key-id must be set with app.card-vault.key: every "
                        + "sealed value names the key it was sealed with, so the key can be rotated");
            }
            current = new MasterKey(checkedId("app.card-vault.key-id", properties.keyId().trim()),
                    decode("app.card-vault.key", properties.key()));
        }
        Map<String, MasterKey> byId = new LinkedHashMap<>();
        byId.put(current.id(), current);
        properties.retiredKeys().forEach((rawId, base64) -> {
            String id = checkedId("app.card-vault.retired-keys", rawId.trim());
            if (byId.containsKey(id)) {
                throw new IllegalStateException("app.card-vault.retired-keys." + id
                        + " has the id of the current key (app.card-vault.key-id); give each key its own id");
            }
            byId.put(id, new MasterKey(id, decode("app.card-vault.retired-keys." + id, base64)));
        });
        return new MasterKeys(current, Map.copyOf(byId));
    }

    MasterKey current() {
        return current;
    }

    Optional<MasterKey> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    private static String checkedId(String property, String id) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalStateException(property + " must be 1 to 32 lower-case letters, digits or '-'");
        }
        return id;
    }

    private static byte[] decode(String property, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
        } catch (IllegalArgumentException e) {
            // The value itself is a secret: not in the message.
            throw new IllegalStateException(property + " must be Base64 of 32 bytes (256 bits)");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(property + " must be 32 bytes (256 bits), Base64-encoded");
        }
        return bytes;
    }
}
