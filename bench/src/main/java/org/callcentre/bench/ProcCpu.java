package org.callcentre.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Linux's CPU accounting from {@code /proc}: the whole machine's counters ({@code /proc/stat}) and a JVM's JIT
 * compiler threads and H2's background threads ({@code /proc/<pid>/task/<tid>/stat}). Elsewhere the readings are
 * null or zero.
 */
final class ProcCpu {

    /** Linux's USER_HZ, the unit of {@code /proc}'s CPU times: 100 on every mainstream architecture. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final Path STAT = Path.of("/proc/stat");

    private ProcCpu() {
    }

    /** {total, idle} jiffies over all cores; null where there is no /proc/stat. */
    static long[] machine() {
        try {
            String[] fields = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]); // idle + iowait
            return new long[] {total, idle};
        } catch (IOException | RuntimeException unavailable) {
            return null;
        }
    }

    /**
     * The share of all cores that was busy since {@code before} (a {@link #machine()} reading), from 0 to 1; NaN
     * where there is no /proc/stat.
     */
    static double busySince(long[] before) {
        return busyBetween(before, machine());
    }

    /**
     * The share of all cores that was busy between two {@link #machine()} readings, from 0 to 1; NaN where either
     * is missing or no time passed between them.
     */
    static double busyBetween(long[] before, long[] after) {
        if (before == null || after == null || after[0] == before[0]) {
            return Double.NaN;
        }
        return 1 - (double) (after[1] - before[1]) / (after[0] - before[0]);
    }

    /**
     * CPU time the JIT compiler threads of the JVM {@code pid} have used so far; zero where there is no
     * {@code /proc}. Compiler threads that have ended (HotSpot may stop extra idle ones) are no longer counted, so
     * compare readings taken close together.
     */
    static Duration compilerCpuTime(long pid) {
        return threadsCpuTime(pid, name -> name.contains("CompilerThre"));
    }

    /**
     * CPU time H2's background threads in the JVM {@code pid} have used so far: the MVStore's background writer
     * (which also compacts the file) and the threads that serialise and save its pages; zero where there is no
     * {@code /proc} or no H2 in that JVM.
     */
    static Duration h2BackgroundCpuTime(long pid) {
        return threadsCpuTime(pid, name -> name.startsWith("MVStore") || name.startsWith("H2-"));
    }

    /**
     * CPU time used so far by every process whose command is {@code command} ({@code postgres}: the server and its
     * backends); zero where there is no {@code /proc}. A process that has ended is no longer counted, so compare
     * readings of long-lived processes (a connection pool's backends).
     */
    static Duration processesCpuTime(String command) {
        return processesCpuTime(command, null);
    }

    /**
     * As {@link #processesCpuTime(String)}, counting only the processes whose command line contains
     * {@code commandLinePart} (null: all): a PostgreSQL server's backends name their database in theirs
     * ({@code postgres: user database host(port) state}), so the server's work for one database can be told from its
     * work for others on a shared server.
     */
    static Duration processesCpuTime(String command, String commandLinePart) {
        long ticks = 0;
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.equals(command) && (commandLinePart == null
                        || commandLine(process).contains(commandLinePart))) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
        } catch (IOException noProc) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
    }

    /**
     * How long the threads of the JVM {@code pid} have waited so far for a core while ready to run (the scheduler's
     * run-queue delay, {@code /proc/<pid>/task/<tid>/schedstat}'s second field); zero where there is none. On a machine
     * whose cores are all busy this is the time a request spends neither running nor waiting for anything but a core.
     */
    static Duration runQueueWait(long pid) {
        long nanos = 0;
        try (var threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    nanos += Long.parseLong(Files.readString(thread.resolve("schedstat")).trim().split("\\s+")[1]);
                } catch (IOException | RuntimeException ended) {
                    // a thread that ended meanwhile, or no schedstat
                }
            }
        } catch (IOException noProc) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(nanos);
    }

    private static String commandLine(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline"))).replace('\0', ' ');
        } catch (IOException ended) {
            return "";
        }
    }

    /** The CPU time of the threads of {@code pid} whose name (as {@code /proc} has it: 15 characters) matches. */
    private static Duration threadsCpuTime(long pid, Predicate<String> named) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long ticks = 0;
        try (var threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (named.test(name)) {
                    // After the name: state is field 3 of stat, utime and stime fields 14 and 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
        } catch (IOException noProc) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
    }
}
