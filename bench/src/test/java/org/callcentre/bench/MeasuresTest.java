package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.callcentre.emulator.twilio.WebhookExchange;
import org.junit.jupiter.api.Test;

class MeasuresTest {

    @Test
    void webhooksAreGroupedByEndpointWithIdsLeftOutAndPromptsKept() {
        String capture = "/twilio/card-capture/0f8fad5b-d9cb-469f-a165-70867728950e";
        List<WebhookExchange> webhooks = List.of(
                webhook(capture + "/digits?step=1&prompt=EXPIRY", 1),
                webhook("/twilio/card-capture/7c9e6679-7425-40de-944b-e07fc1f90ae7/digits?step=1&prompt=EXPIRY", 2),
                webhook(capture + "/voice?hold=3", 3),
                webhook(capture + "/return", 4),
                webhook("/twilio/calls/42/status", 5));

        Map<String, List<Long>> byEndpoint = Measures.byEndpoint(webhooks);

        assertThat(byEndpoint).containsOnlyKeys("/twilio/card-capture/{id}/digits prompt=EXPIRY",
                "/twilio/card-capture/{id}/voice (hold poll)", "/twilio/card-capture/{id}/return",
                "/twilio/calls/{id}/status");
        assertThat(byEndpoint.get("/twilio/card-capture/{id}/digits prompt=EXPIRY")).containsExactly(1L, 2L);
    }

    private static WebhookExchange webhook(String path, long nanos) {
        return new WebhookExchange("CA1", "http://127.0.0.1:8080" + path, "POST", Map.of(), 200, nanos,
                Instant.EPOCH, WebhookExchange.KIND_TWIML);
    }
}
