package org.callcentre.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The engine-only ceiling in a JVM of its own, with the app's collector settings, driven by lines on its standard
 * input. In the benchmark's own JVM its 15,000 warm-up conversations made that JVM's JIT recompile the load generator
 * in the first saturation round (a third of a core), and its H2 database went on compacting in the background while
 * the app was measured.
 *
 * <p>The protocol: the child prints {@value #READY} once its engine is built; {@code run N C} answers
 * {@value #RATE} and the conversations per second; {@code stats} prints H2's statement statistics and then
 * {@value #DONE}; {@code quit} (or the end of its input) closes the engine.
 */
final class EngineOnlyProcess extends ChildJvm {

    /** The benchmark's first argument that makes its JVM the engine-only child. */
    static final String CHILD = "--engine-only-child";
    static final String READY = "@@ready";
    static final String RATE = "@@rate ";
    static final String DONE = "@@done";

    private final BufferedReader answers;
    private final PrintWriter commands;
    private final Path log;

    private EngineOnlyProcess(Process process, Path log) {
        super(process);
        this.log = log;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
                true);
    }

    static EngineOnlyProcess start(String jdbcUrl, String user, String driver, Path log) throws IOException {
        List<String> command = javaCommand("BENCH_ENGINE_JVM_OPTS");
        command.addAll(thisProgram());
        command.addAll(List.of(CHILD, jdbcUrl, user, driver));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        EngineOnlyProcess engine = new EngineOnlyProcess(process, log);
        engine.awaitLine(READY);
        return engine;
    }

    /** Runs {@code conversations} at {@code concurrency} in the child; answers conversations per second. */
    double run(int conversations, int concurrency) {
        commands.println("run " + conversations + " " + concurrency);
        return Double.parseDouble(awaitLine(RATE).substring(RATE.length()));
    }

    /** Prints the child's H2 statement statistics (with {@code --query-stats}). */
    void printQueryStats() {
        commands.println("stats");
        String line;
        while (!(line = readLine()).equals(DONE)) {
            System.out.println(line);
        }
    }

    private String awaitLine(String prefix) {
        String line;
        while (!(line = readLine()).startsWith(prefix)) {
            System.out.println("   engine-only: " + line);
        }
        return line;
    }

    private String readLine() {
        try {
            String line = answers.readLine();
            if (line == null) {
                throw new IllegalStateException("the engine-only JVM exited; see " + log);
            }
            return line;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read from the engine-only JVM; see " + log, e);
        }
    }

    /** How to start this benchmark's own program again: its jar, or its class path and main class. */
    private static List<String> thisProgram() {
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)) {
            return List.of("-jar", classPath);
        }
        return List.of("-cp", classPath, CardCaptureBenchmark.class.getName());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            resume();
            commands.println("quit");
            try {
                // Let it close its engine and database before the operating system is asked to end it.
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.close();
    }
}
