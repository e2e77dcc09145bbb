package org.callcentre.app.support;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the API's RFC 9457 problem details. */
public final class Problems {

    private Problems() {
    }

    /** The reply is a problem detail with this status whose detail holds every fragment. */
    public static void assertProblem(AgentApi.Reply reply, int status, String... detailFragments) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).as(reply.toString()).contains("application/problem+json");
        assertThat(reply.json().get("status").asInt()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().path("title").asText()).as(reply.toString()).isNotBlank();
        assertThat(reply.json().path("detail").asText()).as(reply.toString()).isNotBlank();
        for (String fragment : detailFragments) {
            assertThat(reply.json().get("detail").asText()).as(reply.toString()).contains(fragment);
        }
    }
}
