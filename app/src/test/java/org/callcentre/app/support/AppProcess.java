package org.callcentre.app.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.callcentre.app.CallCentreApplication;

/**
 * The app in a JVM of its own, started as {@code java -jar} would start it: the main class (or the packaged jar
 * itself) and the given command line, nothing else. A second app inside the test JVM would share the engine's
 * static registry and the logging system with the end-to-end suite's app.
 */
public final class AppProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    public final int port;
    public final Path log;
    private final Process process;

    private AppProcess(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the app on a free port ({@code --server.port}, and {@code --app.public-base-url} to match) with
     * {@code arguments}, and waits until it takes connections.
     */
    public static AppProcess start(String name, List<String> arguments) throws IOException {
        return waitUntilItTakesConnections(launch(name, fromClasspath(), freePort(), arguments));
    }

    /** As {@link #start}, but {@code java -jar jar}: the packaged app, with only what the jar holds. */
    public static AppProcess startJar(String name, Path jar, List<String> arguments) throws IOException {
        return startJar(name, jar, freePort(), arguments);
    }

    private static AppProcess waitUntilItTakesConnections(AppProcess app) {
        Process process = app.process;
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the app stopped while starting:\n" + app.logTail());
                }
                return app.takesConnections();
            });
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    /**
     * Starts the app with {@code arguments} and expects it to stop before it takes a connection.
     *
     * @return what it logged
     */
    public static String failToStart(String name, List<String> arguments) throws IOException {
        try (AppProcess app = launch(name, fromClasspath(), freePort(), arguments)) {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (app.takesConnections()) {
                    throw new IllegalStateException("the app started and took a connection");
                }
                return !app.process.isAlive();
            });
            return Files.readString(app.log);
        }
    }

    private static List<String> fromClasspath() {
        return List.of("-cp", System.getProperty("java.class.path"), CallCentreApplication.class.getName());
    }

    /**
     * {@code --app.public-base-url} is this port's plain http URL unless {@code arguments} give one: a setting given
     * twice on the command line reaches Spring as both values joined by a comma.
     */
    private static AppProcess launch(String name, List<String> main, int port, List<String> arguments)
            throws IOException {
        Path log = Path.of("target", name + "-" + port + ".log").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.timezone=UTC", "-Xmx512m", "-XX:TieredStopAtLevel=1"));
        command.addAll(main);
        command.add("--server.port=" + port);
        if (arguments.stream().noneMatch(argument -> argument.startsWith("--app.public-base-url="))) {
            command.add("--app.public-base-url=http://127.0.0.1:" + port);
        }
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AppProcess(port, log, process);
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The app's JVM as the operating system sees it: this JVM's child, started without a shell between. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Kills the app's JVM at once, as a crash or a pulled plug stops a node: {@code SIGKILL} on Linux, so no shutdown
     * hook runs and nothing is closed in order. Waits until it is gone.
     *
     * @return its exit status (128 + the signal's number on Linux)
     */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private boolean takesConnections() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The repackaged jar of this build, for tests run after {@code package} (the plain one is {@code .jar.original}). */
    public static Path packagedJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(file -> file.getFileName().toString().matches("app-.*\\.jar")).toList();
            assertThat(jars).as("run after package: target/app-*.jar").hasSize(1);
            return jars.get(0);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * As {@link #startJar(String, Path, List)}, on {@code port}: a node started again in the place of one that was
     * killed, where the balancer expects it. {@code name} names the log file, so give each start its own.
     */
    public static AppProcess startJar(String name, Path jar, int port, List<String> arguments) throws IOException {
        return waitUntilItTakesConnections(launch(name, List.of("-jar", jar.toAbsolutePath().toString()), port,
                arguments));
    }
}
