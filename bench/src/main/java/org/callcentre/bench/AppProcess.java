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
import java.util.List;
import java.util.Map;

/** The app jar running in its own JVM, as a user would run it, pointed at the benchmark's emulators. */
final class AppProcess extends ChildJvm {

    final String baseUrl;

    private AppProcess(Process process, String baseUrl) {
        super(process);
        this.baseUrl = baseUrl;
    }

    static AppProcess start(Path jar, int port, Map<String, String> properties, Path log) throws IOException {
        return start(jar, port, properties, log, List.of());
    }

    /** Started with {@code jvmOptions} as well (a JFR recording, say). */
    static AppProcess start(Path jar, int port, Map<String, String> properties, Path log, List<String> jvmOptions)
            throws IOException {
        // The JVM's default heap, and the collector's settings the README's run commands use.
        List<String> command = javaCommand();
        command.addAll(jvmOptions);
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

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
