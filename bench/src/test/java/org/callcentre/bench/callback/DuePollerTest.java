package org.callcentre.bench.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.callcentre.bench.callback.DueLags.Lag;
import org.junit.jupiter.api.Test;

class DuePollerTest {

    @Test
    void thePollerFiresTheRowsThatFellDueAndLeavesTheOthers() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:due-" + UUID.randomUUID(), "sa", "")) {
            connection.setAutoCommit(false);
            DuePoller.create(connection, false);
            DuePoller.fill(connection, List.of(now.minusSeconds(2), now.minusSeconds(1), now.minusSeconds(1),
                    now.plus(Duration.ofDays(1))), false);

            boolean fired;
            try (DuePoller poller = DuePoller.start(connection, Duration.ofMillis(10), 3)) {
                fired = poller.awaitAllFired(Duration.ofSeconds(10));
                assertThat(poller.fired()).isEqualTo(3);
                assertThat(poller.cpuTime()).isPositive();
            }

            assertThat(fired).isTrue();
            List<Lag> lags = DuePoller.lags(connection);
            assertThat(lags).hasSize(3).allSatisfy(lag -> {
                assertThat(lag.at()).isAfterOrEqualTo(lag.due()).isBefore(Instant.now());
                assertThat(lag.lag()).isLessThan(Duration.ofSeconds(10));
            });
            assertThat(lags).extracting(Lag::due).containsExactlyInAnyOrder(now.minusSeconds(2), now.minusSeconds(1),
                    now.minusSeconds(1));
        }
    }
}
