package org.callcentre.cardvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CardVaultPropertiesTest {

    @Test
    void defaults() {
        CardVaultProperties defaults = new CardVaultProperties(null, null, null, null, null);
        assertThat(defaults.timeToLive()).isEqualTo(Duration.ofMinutes(15));
        assertThat(defaults.retiredKeys()).isEmpty();
        assertThat(defaults.maxOpenEntries()).isEqualTo(20_000);
    }
}
