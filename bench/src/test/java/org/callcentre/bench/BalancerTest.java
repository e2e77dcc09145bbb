package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class BalancerTest {

    @Test
    void theConfigBalancesRoundRobinChecksHealthAndNamesTheNodeInEveryAnswer() {
        String config = Balancer.config(18081, 18082, 18083, List.of(18091, 18092));

        assertThat(config).contains("bind 127.0.0.1:18081", "bind 127.0.0.1:18082", "bind 127.0.0.1:18083",
                "balance roundrobin", "option httpchk GET /health", "http-check expect status 200",
                "server node1 127.0.0.1:18091 check", "server node2 127.0.0.1:18092 check",
                "server node2 127.0.0.1:18092 track webhooks/node2", "http-response set-header X-Served-By %s");
        assertThat(config).as("no stickiness: a webhook carries no session").doesNotContain("cookie", "stick");
    }

    @Test
    void theAnswersOfEachNodeAreReadFromHaproxysStatisticsBackendByBackend() throws Exception {
        String csv;
        // HAProxy 2.6's CSV after three webhooks and one API call through two nodes.
        try (InputStream in = BalancerTest.class.getResourceAsStream("/haproxy-stats.csv")) {
            csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(Balancer.served(csv, Balancer.WEBHOOKS)).containsExactly(
                java.util.Map.entry("node1", 1L), java.util.Map.entry("node2", 2L));
        assertThat(Balancer.served(csv, Balancer.API)).containsEntry("node1", 0L).containsEntry("node2", 1L);
    }
}
