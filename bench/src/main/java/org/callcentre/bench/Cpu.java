package org.callcentre.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import com.sun.management.OperatingSystemMXBean;

/**
 * CPU time used during a phase, per conversation: by the measured JVM (the app, or the engine-only ceiling's), and
 * by this JVM (the load generator: the emulators and the scenario's people), and how busy the machine's cores were.
 */
record Cpu(ChildJvm jvm, Duration jvmStart, Duration compilerStart, Duration h2Start, long ownStartNanos,
        long[] machine) {

    static Cpu start(ChildJvm jvm) {
        return new Cpu(jvm, jvm.cpuTime(), jvm.compilerCpuTime(), jvm.h2BackgroundCpuTime(), ownCpuNanos(),
                ProcCpu.machine());
    }

    /** The share of the machine's cores that was busy (both JVMs, the database server, anything else). */
    double machineBusy() {
        return ProcCpu.busySince(machine);
    }

    double jvmMillis(int conversations) {
        return jvm.cpuTime().minus(jvmStart).toNanos() / 1e6 / conversations;
    }

    /** The measured JVM's JIT compiler threads, per conversation. */
    double jvmCompilerMillis(int conversations) {
        return jvm.compilerCpuTime().minus(compilerStart).toNanos() / 1e6 / conversations;
    }

    /** The measured JVM's H2 background threads (page writing and compaction), per conversation. */
    double jvmH2Millis(int conversations) {
        return jvm.h2BackgroundCpuTime().minus(h2Start).toNanos() / 1e6 / conversations;
    }

    /** This JVM, the load generator, per conversation. */
    double ownMillis(int conversations) {
        return (ownCpuNanos() - ownStartNanos) / 1e6 / conversations;
    }

    private static long ownCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
