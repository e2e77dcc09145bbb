package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The dialler's settings as Spring binds them from the configuration. */
class DiallerPropertiesTest {

    @Test
    void withNothingSetLocksLastFifteenIdleMinutesAndTheConsoleCountsDownTwentySeconds() {
        DiallerProperties settings = bind(Map.of());

        assertThat(settings.lockIdleMinutes()).isEqualTo(15);
        assertThat(settings.nextLeadCountdownSeconds()).isEqualTo(20);
    }

    @Test
    void theCountdownIsSetOrSwitchedOff() {
        assertThat(bind(Map.of("dialler.next-lead-countdown-seconds", "5")).nextLeadCountdownSeconds()).isEqualTo(5);
        assertThat(bind(Map.of("dialler.next-lead-countdown-seconds", "0")).nextLeadCountdownSeconds()).isZero();
        assertThatThrownBy(() -> bind(Map.of("dialler.next-lead-countdown-seconds", "-1")))
                .isInstanceOf(BindException.class)
                .hasRootCauseMessage("dialler.next-lead-countdown-seconds must be 0 (off) or more");
    }

    private static DiallerProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("dialler",
                DiallerProperties.class);
    }
}
