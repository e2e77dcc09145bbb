package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineThreadsTest {

    @Test
    void theEngineOnlyRunsAtEachThreadCountGiven() {
        assertThat(CardCaptureBenchmark.engineThreads(Map.of("engine-threads", "1, 3,10"))).containsExactly(1, 3, 10);
        assertThat(CardCaptureBenchmark.engineThreads(Map.of())).containsExactly(2, 4, 6, 10, 50);
    }

    @Test
    void aThreadCountBelowOneIsRefused() {
        assertThatThrownBy(() -> CardCaptureBenchmark.engineThreads(Map.of("engine-threads", "4,0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 is not a thread count");
        assertThatThrownBy(() -> CardCaptureBenchmark.engineThreads(Map.of("engine-threads", "four")))
                .isInstanceOf(NumberFormatException.class);
    }

    @Test
    void theRatioIsTheMedianOfEachRoundsRatio() {
        assertThat(CardCaptureBenchmark.ratio(List.of(40.0, 30.0, 45.0), List.of(80.0, 100.0, 90.0)))
                .isEqualTo("0.50 (0.30–0.50)");
    }
}
