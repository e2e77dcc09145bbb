package org.callcentre.bench;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy in front of the app's nodes, started by the benchmark with a config it writes: round-robin, each node
 * checked with {@code GET /health}, no stickiness (a webhook carries no session). Two front doors reach the same
 * nodes: one for Twilio's webhooks (the nodes' {@code app.public-base-url}) and one for the people's API calls, each
 * with a backend of its own, so that HAProxy's statistics count the webhooks each node served apart from the API
 * calls. Every answer names its node in {@value #SERVED_BY}.
 */
final class Balancer implements AutoCloseable {

    static final String SERVED_BY = "X-Served-By";
    static final String WEBHOOKS = "webhooks";
    static final String API = "api";

    private final Process process;
    private final String webhookUrl;
    private final String apiUrl;
    private final String statsUrl;
    private final List<String> nodes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Balancer(Process process, int webhookPort, int apiPort, int statsPort, List<String> nodes) {
        this.process = process;
        this.webhookUrl = "http://127.0.0.1:" + webhookPort;
        this.apiUrl = "http://127.0.0.1:" + apiPort;
        this.statsUrl = "http://127.0.0.1:" + statsPort + "/stats;csv";
        this.nodes = nodes;
    }

    /** The base URL Twilio's webhooks are sent to: the nodes' {@code app.public-base-url}. */
    String webhookUrl() {
        return webhookUrl;
    }

    /** The base URL of the agents' and the admin's API calls. */
    String apiUrl() {
        return apiUrl;
    }

    /** The nodes' names in HAProxy ({@code node1}, {@code node2}, …), in the order of their ports. */
    List<String> nodes() {
        return nodes;
    }

    /**
     * Starts HAProxy ({@code haproxy} on the PATH) in front of the nodes listening on {@code nodePorts} of 127.0.0.1,
     * the webhooks' door on {@code webhookPort} (the nodes were told it), its config and output in {@code dir}, and
     * returns once HAProxy sees every node up.
     */
    static Balancer start(int webhookPort, List<Integer> nodePorts, Path dir) throws IOException {
        int apiPort = Harness.freePort();
        int statsPort = Harness.freePort();
        Files.createDirectories(dir);
        Path config = dir.resolve("haproxy-cluster.cfg");
        Files.writeString(config, config(webhookPort, apiPort, statsPort, nodePorts));
        Process process;
        try {
            // -db: in the foreground, a child of this JVM, so that its CPU time can be read and it ends with the run.
            process = new ProcessBuilder("haproxy", "-db", "-f", config.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("haproxy-cluster.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start haproxy (is it installed? apt-get install -y haproxy)", e);
        }
        List<String> nodes = new ArrayList<>();
        for (int i = 1; i <= nodePorts.size(); i++) {
            nodes.add("node" + i);
        }
        Balancer balancer = new Balancer(process, webhookPort, apiPort, statsPort, nodes);
        balancer.awaitNodesUp(Duration.ofSeconds(30), dir);
        return balancer;
    }

    /** HAProxy's config: the webhooks' and the API's front doors and backends, and the statistics page. */
    static String config(int webhookPort, int apiPort, int statsPort, List<Integer> nodePorts) {
        StringBuilder out = new StringBuilder();
        out.append("""
                global
                    maxconn 4096

                defaults
                    mode http
                    timeout connect 5s
                    timeout client 65s
                    timeout server 65s
                    timeout http-keep-alive 15s

                """);
        for (String door : List.of(WEBHOOKS, API)) {
            out.append("frontend ").append(door).append('\n')
                    .append("    bind 127.0.0.1:").append(door.equals(WEBHOOKS) ? webhookPort : apiPort).append('\n')
                    .append("    default_backend ").append(door).append("\n\n");
        }
        out.append("frontend stats\n")
                .append("    bind 127.0.0.1:").append(statsPort).append('\n')
                .append("    stats enable\n")
                .append("    stats uri /stats\n\n");
        // The webhooks' backend checks the nodes; the API's follows its checks.
        for (String door : List.of(WEBHOOKS, API)) {
            out.append("backend ").append(door).append('\n')
                    .append("    balance roundrobin\n")
                    .append("    http-response set-header ").append(SERVED_BY).append(" %s\n");
            if (door.equals(WEBHOOKS)) {
                // A node whose /health answers slowly while both cores are busy is loaded, not down: with HAProxy's
                // defaults (the check's timeout is its interval) both nodes of a saturated machine are soon "down".
                out.append("    option httpchk GET /health\n")
                        .append("    http-check expect status 200\n")
                        .append("    timeout check 10s\n")
                        .append("    default-server inter 2s fall 3 rise 2\n");
            }
            for (int i = 0; i < nodePorts.size(); i++) {
                String node = "node" + (i + 1);
                out.append("    server ").append(node).append(" 127.0.0.1:").append(nodePorts.get(i))
                        .append(door.equals(WEBHOOKS) ? " check" : " track " + WEBHOOKS + "/" + node).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Requests each node has answered so far through one backend ({@link #WEBHOOKS} or {@link #API}), by node,
     * from HAProxy's statistics: the answers it relayed, of any status.
     */
    Map<String, Long> served(String backend) {
        return served(stats(), backend);
    }

    /** The answers by node of {@code backend} in HAProxy's CSV statistics. */
    static Map<String, Long> served(String csv, String backend) {
        String[] lines = csv.split("\n");
        List<String> columns = List.of(lines[0].replaceFirst("^# ", "").split(","));
        int proxy = columns.indexOf("pxname");
        int server = columns.indexOf("svname");
        List<Integer> responses = new ArrayList<>();
        for (String column : List.of("hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other")) {
            responses.add(columns.indexOf(column));
        }
        if (proxy < 0 || server < 0 || responses.contains(-1)) {
            throw new IllegalStateException("HAProxy's statistics lack the columns read: " + lines[0]);
        }
        Map<String, Long> served = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split(",", -1);
            if (fields.length < columns.size() || !fields[proxy].equals(backend)
                    || fields[server].equals("BACKEND") || fields[server].equals("FRONTEND")) {
                continue;
            }
            long count = 0;
            for (int column : responses) {
                count += fields[column].isEmpty() ? 0 : Long.parseLong(fields[column]);
            }
            served.put(fields[server], count);
        }
        return served;
    }

    /** CPU time HAProxy has used so far, all threads. */
    Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElseThrow(
                () -> new IllegalStateException("this platform does not report a child process's CPU time"));
    }

    private String stats() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(statsUrl))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HAProxy's statistics answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("HAProxy's statistics cannot be read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Until HAProxy's checks find every node up (a check every second) and both doors answer. */
    private void awaitNodesUp(Duration timeout, Path dir) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited; see " + dir.resolve("haproxy-cluster.log"));
            }
            try {
                if (allUp(stats()) && health(webhookUrl) && health(apiUrl)) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // still starting
            }
            // HAProxy's own start-up and its first checks, not the app's work.
            AppProcess.pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException("HAProxy did not see every node up within " + timeout);
    }

    private boolean allUp(String csv) {
        String[] lines = csv.split("\n");
        List<String> columns = List.of(lines[0].replaceFirst("^# ", "").split(","));
        int proxy = columns.indexOf("pxname");
        int server = columns.indexOf("svname");
        int status = columns.indexOf("status");
        int up = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split(",", -1);
            if (fields.length > status && fields[proxy].equals(WEBHOOKS) && nodes.contains(fields[server])
                    && fields[status].equals("UP")) {
                up++;
            }
        }
        return up == nodes.size();
    }

    private boolean health(String baseUrl) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            System.out.println("   HAProxy had exited, with status " + process.exitValue());
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
