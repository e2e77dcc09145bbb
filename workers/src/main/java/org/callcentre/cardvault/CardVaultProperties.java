package org.callcentre.cardvault;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param key        Base64 of a 256-bit AES key shared by every node of a cluster. Unset, each start makes
 *                   its own key: fine on one node, where a restart only loses conversations in flight.
 * @param timeToLive how long an entry may live at most; a sweeper erases older ones whatever happened
 */
@ConfigurationProperties(prefix = "app.card-vault")
public record CardVaultProperties(String key, Duration timeToLive) {

    public CardVaultProperties {
        if (timeToLive == null) {
            timeToLive = Duration.ofMinutes(15);
        }
    }
}
