package org.callcentre.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the benchmark starts and measures: the app, or the engine-only ceiling. Its CPU time is read from the
 * operating system, and while the other side is measured it is suspended ({@code SIGSTOP}), so that neither JVM's
 * after-work (H2's background compaction, above all, and its JIT) is charged to the other's measurement.
 */
abstract class ChildJvm implements AutoCloseable {

    /** The collector's settings the README's run commands use, for every JVM the benchmark measures. */
    static final List<String> COLLECTOR = List.of("-XX:MaxGCPauseMillis=20", "-Xmn384m");

    protected final Process process;
    private boolean suspended;

    protected ChildJvm(Process process) {
        this.process = process;
    }

    /** CPU time the JVM has used so far, all threads. */
    Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElseThrow(
                () -> new IllegalStateException("this platform does not report a child process's CPU time"));
    }

    /** CPU time the JVM's JIT compiler threads have used so far ({@link ProcCpu#compilerCpuTime}). */
    Duration compilerCpuTime() {
        return ProcCpu.compilerCpuTime(process.pid());
    }

    /** CPU time H2's background threads in the JVM have used so far ({@link ProcCpu#h2BackgroundCpuTime}). */
    Duration h2BackgroundCpuTime() {
        return ProcCpu.h2BackgroundCpuTime(process.pid());
    }

    /** How long the JVM's threads have waited for a core while ready to run ({@link ProcCpu#runQueueWait}). */
    Duration runQueueWait() {
        return ProcCpu.runQueueWait(process.pid());
    }

    /** Stops every thread of the JVM until {@link #resume()}; its sockets stay open, nothing it holds is lost. */
    void suspend() {
        signal("STOP");
        suspended = true;
    }

    void resume() {
        signal("CONT");
        suspended = false;
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal the JVM " + process.pid() + " (is kill on the PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The start of a child JVM's command: the java binary, the collector's settings, UTC. */
    static List<String> javaCommand() {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(COLLECTOR);
        command.add("-Duser.timezone=UTC");
        return command;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        if (suspended) {
            resume();
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
