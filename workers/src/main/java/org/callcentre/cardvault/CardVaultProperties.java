package org.callcentre.cardvault;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The vault's master keys and limits. The master keys alone decrypt nothing: every field is sealed under a key
 * derived from a master key and a random data key kept only in a table that is never durable (DataKeys). Every
 * node of a cluster needs the same keys.
 *
 * @param key            Base64 of the 256-bit master key that seals new entries. Unset, each start makes its own
 *                       (the demo and test runs).
 * @param keyId          a short name for {@code key} (lower-case letters, digits and {@code -}, at most 32), written
 *                       with every sealed value, so the key can be rotated; required with {@code key}
 * @param retiredKeys    older master keys by id, still accepted to open values sealed before a rotation
 * @param timeToLive     how long an entry may live at most; a sweeper erases older ones whatever happened
 * @param maxOpenEntries how many entries the vault holds open at most; a capture beyond it is refused
 */
@ConfigurationProperties(prefix = "app.card-vault")
public record CardVaultProperties(String key, String keyId, Map<String, String> retiredKeys, Duration timeToLive,
        Integer maxOpenEntries) {

    public CardVaultProperties {
        if (retiredKeys == null) {
            retiredKeys = Map.of();
        }
        if (timeToLive == null) {
            timeToLive = Duration.ofMinutes(15);
        }
        if (maxOpenEntries == null) {
            maxOpenEntries = 20_000;
        }
    }
}
