package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class ProcCpuTest {

    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void theProcessesCountedCanBeNarrowedByTheirCommandLine() {
        assumeTrue(Files.exists(Path.of("/proc/self/stat")), "Linux's /proc");
        String ownCommand = Files.exists(Path.of("/proc/self/comm")) ? read("/proc/" + SELF + "/comm") : "java";

        assertThat(ProcCpu.processesCpuTime(ownCommand, Long.toString(SELF) + "-no-such-part")).isZero();
        assertThat(ProcCpu.processesCpuTime(ownCommand, null)).isGreaterThanOrEqualTo(
                ProcCpu.processesCpuTime(ownCommand, "-jar"));
    }

    @Test
    void aJvmsThreadsHaveWaitedForACore() {
        assumeTrue(Files.exists(Path.of("/proc/self/schedstat")), "the scheduler's statistics");

        Duration waited = ProcCpu.runQueueWait(SELF);

        assertThat(waited).isPositive();
        assertThat(ProcCpu.runQueueWait(SELF)).isGreaterThanOrEqualTo(waited);
        assertThat(ProcCpu.runQueueWait(Long.MAX_VALUE)).as("no such process").isZero();
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path)).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
