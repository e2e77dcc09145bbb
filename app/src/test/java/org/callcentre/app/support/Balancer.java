package org.callcentre.app.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HAProxy in the foreground with the repository's {@code cluster/haproxy.cfg} in front of nodes of the app on this
 * machine, its log in a file. A second configuration file gives it a runtime API socket (HAProxy merges the global
 * sections), through which a test takes a node out of the webhooks' backend ({@link #drain}) and reads what the
 * health checks decided ({@link #status}); the repository's configuration is used as it is.
 */
public final class Balancer implements AutoCloseable {

    /**
     * A request line of HAProxy's HTTP log: {@code ... callcentre stateless/node1 ... "POST /twilio/... HTTP/1.1"}, the
     * node {@code <NOSRV>} when no node was up to take it.
     */
    private static final Pattern REQUEST = Pattern.compile(" (\\w+)/(\\w+|<NOSRV>) .*\"(\\w+) (\\S+) HTTP/");
    private static final Duration WAIT = Duration.ofSeconds(30);

    public final String url;
    public final Path log;
    private final Path socket;
    private final Process process;

    private Balancer(String url, Path log, Path socket, Process process) {
        this.url = url;
        this.log = log;
        this.socket = socket;
        this.process = process;
    }

    /** Debian's haproxy; without it the test is aborted, or failed where CI has installed it. */
    public static Path haproxy() {
        for (String candidate : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        String missing = "haproxy is not installed (bash .ci/install-haproxy.sh installs Debian's)";
        if ("1".equals(System.getenv("CALLCENTRE_REQUIRE_BROWSER"))) {
            fail(missing + "; CALLCENTRE_REQUIRE_BROWSER=1, so this fails instead of being skipped");
        }
        abort(missing);
        return null;
    }

    /**
     * Starts the balancer on {@code port} in front of {@code nodes} (node1, node2, … in this order), logging to
     * {@code target/<name>.log}, and waits until every node has answered {@code GET /health} through it.
     */
    public static Balancer start(Path haproxy, String name, int port, List<AppProcess> nodes) throws IOException {
        Path config = Path.of("..", "cluster", "haproxy.cfg").toAbsolutePath().normalize();
        assertThat(config).as("the balancer's configuration").isRegularFile();
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        // A socket's path may have 107 bytes at most: a short one of its own rather than one under target/.
        Path socket = Files.createTempDirectory("haproxy").resolve("admin.sock");
        Path runtimeApi = Path.of("target", name + "-runtime-api.cfg").toAbsolutePath();
        Files.writeString(runtimeApi, "global\n    stats socket " + socket + " mode 600 level admin\n");
        ProcessBuilder builder = new ProcessBuilder(haproxy.toString(), "-db", "-f", config.toString(), "-f",
                runtimeApi.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CALLCENTRE_BALANCER_ADDRESS", "127.0.0.1");
        builder.environment().put("CALLCENTRE_BALANCER_PORT", Integer.toString(port));
        for (int i = 0; i < nodes.size(); i++) {
            builder.environment().put("CALLCENTRE_NODE" + (i + 1), "127.0.0.1:" + nodes.get(i).port);
        }
        Balancer balancer = new Balancer("http://127.0.0.1:" + port, log, socket, builder.start());
        try {
            balancer.awaitEveryNode(nodes.size());
        } catch (RuntimeException | Error e) {
            balancer.close();
            throw e;
        }
        return balancer;
    }

    /** Until {@code GET /health} through the balancer has been answered by every node. */
    private void awaitEveryNode(int count) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(5))
                .build();
        Set<String> answered = new HashSet<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("haproxy stopped:\n" + Files.readString(log));
                    }
                    HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        answer.headers().firstValue("X-Served-By").ifPresent(answered::add);
                    }
                    return answered.size() == count;
                });
    }

    public long logLength() {
        try {
            return Files.size(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The webhooks (requests to /twilio/) logged after the log had {@code from} bytes, by the node that served each. */
    public Map<String, List<String>> webhooksSince(long from) {
        String since;
        try {
            byte[] all = Files.readAllBytes(log);
            since = new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<String>> byNode = new TreeMap<>();
        for (String line : since.split("\n")) {
            Matcher request = REQUEST.matcher(line);
            if (request.find() && request.group(4).startsWith("/twilio/")) {
                assertThat(request.group(1)).as("the backend of " + line).isEqualTo("stateless");
                byNode.computeIfAbsent(request.group(2), node -> new ArrayList<>())
                        .add(request.group(3) + " " + request.group(4));
            }
        }
        return byNode;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends no more webhooks or web forms to {@code node} (backend stateless), as an operator drains a node; requests
     * it is answering go on. The browsers' backend is left as it is.
     */
    public void drain(String node) {
        obey("set server stateless/" + node + " state drain");
    }

    /** Sends webhooks and web forms to {@code node} again, once its health checks pass. */
    public void ready(String node) {
        obey("set server stateless/" + node + " state ready");
    }

    /** A command that answers nothing when it is done. */
    private void obey(String command) {
        String answer = command(command);
        if (!answer.isBlank()) {
            throw new IllegalStateException("haproxy refused \"" + command + "\": " + answer.strip());
        }
    }

    /**
     * What the health checks make of {@code node} (backend sessions, which the webhooks' backend follows): {@code UP},
     * {@code DOWN}, or a passage between them such as {@code UP 1/2}.
     */
    public String status(String node) {
        for (String line : command("show stat").split("\n")) {
            String[] fields = line.split(",", -1);
            // pxname, svname, … and the status is the 18th field of HAProxy's CSV statistics.
            if (fields.length > 17 && fields[0].equals("sessions") && fields[1].equals(node)) {
                return fields[17];
            }
        }
        throw new IllegalStateException("the balancer has no server " + node);
    }

    /** One command of HAProxy's runtime API, and its answer. */
    public String command(String command) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            StringBuilder answer = new StringBuilder();
            ByteBuffer buffer = ByteBuffer.allocate(16384);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                answer.append(StandardCharsets.US_ASCII.decode(buffer));
                buffer.clear();
            }
            return answer.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("haproxy's runtime API: " + command, e);
        }
    }

    /** Requests {@code node} is answering now, in either backend. */
    public int inFlight(String node) {
        int requests = 0;
        for (String line : command("show stat").split("\n")) {
            String[] fields = line.split(",", -1);
            // pxname, svname, qcur, qmax, scur: the requests being answered are the 5th field.
            if (fields.length > 4 && fields[1].equals(node) && !fields[4].isEmpty()) {
                requests += Integer.parseInt(fields[4]);
            }
        }
        return requests;
    }
}
