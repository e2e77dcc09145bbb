package org.callcentre.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The app jar running in its own JVM, as a user would run it, pointed at the benchmark's emulators. */
final class AppProcess implements AutoCloseable {

    /** Linux's USER_HZ, the unit of {@code /proc}'s CPU times: 100 on every mainstream architecture. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Process process;
    final String baseUrl;

    private AppProcess(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    static AppProcess start(Path jar, int port, Map<String, String> properties, Path log) throws IOException {
        // The JVM's default heap, and the collector's settings the README's run commands use.
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:MaxGCPauseMillis=20", "-Xmn384m",
                "-Duser.timezone=UTC",
                "-Dsun.net.httpserver.nodelay=true"));
        String extra = System.getenv("BENCH_APP_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        command.add("--server.port=" + port);
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AppProcess app = new AppProcess(process, "http://127.0.0.1:" + port);
        app.awaitReady(Duration.ofMinutes(3), log);
        return app;
    }

    private void awaitReady(Duration timeout, Path log) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the app exited during start-up; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/camunda/app/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            // A child process's start-up, not the engine: polling it every 250 ms is what a load balancer does.
            pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException("the app did not start within " + timeout + "; see " + log);
    }

    /** CPU time the app's JVM has used so far, all threads. */
    Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElseThrow(
                () -> new IllegalStateException("this platform does not report a child process's CPU time"));
    }

    /** CPU time the app's JIT compiler threads have used so far ({@link #compilerCpuTime(long)}). */
    Duration compilerCpuTime() {
        return compilerCpuTime(process.pid());
    }

    /**
     * CPU time the JIT compiler threads of the JVM {@code pid} have used so far, from Linux's per-thread accounting
     * ({@code /proc/<pid>/task/<tid>/stat}); zero where there is no {@code /proc}. Compiler threads that have
     * ended (HotSpot may stop extra idle ones) are no longer counted, so compare readings taken close together.
     */
    static Duration compilerCpuTime(long pid) {
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
                if (name.contains("CompilerThre")) {
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

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path findAppJar() {
        File dir = new File("app/target");
        File[] jars = dir.listFiles((d, name) -> name.startsWith("app-") && name.endsWith(".jar")
                && !name.endsWith("-plain.jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no app jar in app/target: build it first (./mvnw -q -DskipTests package)");
        }
        return jars[0].toPath().toAbsolutePath();
    }
}
