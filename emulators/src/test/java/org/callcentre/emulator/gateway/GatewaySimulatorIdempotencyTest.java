package org.callcentre.emulator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.callcentre.emulator.gateway.StripeTestClient.charge;
import static org.callcentre.emulator.gateway.StripeTestClient.tokenise;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.callcentre.emulator.gateway.StripeTestClient.Reply;
import org.junit.jupiter.api.Test;

/** Stripe-style idempotency and the injected faults, over HTTP. */
class GatewaySimulatorIdempotencyTest extends SimulatorTest {


    @Test
    void replayReturnsTheSameBodyAndChargesOnce() throws Exception {
        Reply first = client.post("/v1/payment_intents", charge(4200, "4242424242424242", "pledge-7"), "pledge-7");
        Reply second = client.post("/v1/payment_intents", charge(4200, "4242424242424242", "pledge-7"), "pledge-7");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.replayed()).isFalse();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.replayed()).isTrue();
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(sim.charges()).hasSize(1);
        assertThat(sim.requestCount()).isEqualTo(2);
        assertThat(sim.processedCount()).isEqualTo(1);
    }

    @Test
    void parameterOrderDoesNotMatter() throws Exception {
        Map<String, String> params = charge(4200, "4242424242424242", "order");
        Map<String, String> reversed = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(params.keySet());
        Collections.reverse(keys);
        keys.forEach(k -> reversed.put(k, params.get(k)));

        Reply first = client.post("/v1/payment_intents", params, "order");
        Reply second = client.post("/v1/payment_intents", reversed, "order");

        assertThat(second.replayed()).isTrue();
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(sim.charges()).hasSize(1);
    }

    @Test
    void declinesAreReplayedToo() throws Exception {
        Reply first = client.post("/v1/payment_intents", charge(100, "4000000000000002", "d"), "d");
        Reply second = client.post("/v1/payment_intents", charge(100, "4000000000000002", "d"), "d");

        assertThat(first.status()).isEqualTo(402);
        assertThat(second.status()).isEqualTo(402);
        assertThat(second.replayed()).isTrue();
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(sim.processedCount()).isEqualTo(1);
    }

    @Test
    void tokeniseIsIdempotentToo() throws Exception {
        String customer = client.newCustomer();
        Reply first = client.post("/v1/setup_intents", tokenise("4242424242424242", customer), "save-1");
        Reply second = client.post("/v1/setup_intents", tokenise("4242424242424242", customer), "save-1");

        assertThat(second.replayed()).isTrue();
        assertThat(second.json().path("payment_method").asText()).isEqualTo(first.json().path("payment_method").asText());
        assertThat(sim.tokens()).hasSize(1);
    }

    @Test
    void sameKeyWithOtherParametersIsAnIdempotencyError() throws Exception {
        client.post("/v1/payment_intents", charge(1000, "4242424242424242", "k1"), "k1");

        Reply otherAmount = client.post("/v1/payment_intents", charge(2000, "4242424242424242", "k1"), "k1");
        Reply otherCard = client.post("/v1/payment_intents", charge(1000, "5555555555554444", "k1"), "k1");
        Reply otherEndpoint = client.post("/v1/setup_intents", tokenise("4242424242424242"), "k1");

        for (Reply r : List.of(otherAmount, otherCard, otherEndpoint)) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.error().path("type").asText()).isEqualTo("idempotency_error");
            assertThat(r.error().path("message").asText()).startsWith("Keys for idempotent requests can only be used");
            assertThat(r.replayed()).isFalse();
        }
        assertThat(otherAmount.error().path("message").asText()).contains("same parameters they were first used with");
        assertThat(sim.charges()).hasSize(1);
        assertThat(sim.tokens()).isEmpty();
    }

    @Test
    void validationFailuresAreNotStoredSoTheKeyCanBeRetried() throws Exception {
        Map<String, String> bad = charge(1000, "4242424242424242", "fixme");
        bad.remove("currency");
        Reply first = client.post("/v1/payment_intents", bad, "fixme");
        Reply fixed = client.post("/v1/payment_intents", charge(1000, "4242424242424242", "fixme"), "fixme");

        assertThat(first.status()).isEqualTo(400);
        assertThat(fixed.status()).isEqualTo(200);
        assertThat(fixed.replayed()).isFalse();
        assertThat(sim.charges()).hasSize(1);
    }

    @Test
    void concurrentRequestsWithTheSameKeyChargeOnce() throws Exception {
        int n = 16;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<Reply> call = () -> {
                    go.await();
                    return client.post("/v1/payment_intents", charge(999, "4242424242424242", "race"), "race");
                };
                futures.add(pool.submit(call));
            }
            go.countDown();
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> f : futures) {
                replies.add(f.get(30, TimeUnit.SECONDS));
            }

            assertThat(sim.charges()).hasSize(1);
            assertThat(sim.processedCount()).isEqualTo(1);
            String id = sim.charges().get(0).id();
            for (Reply r : replies) {
                assertThat(r.status()).isIn(200, 409);
                if (r.status() == 200) {
                    assertThat(r.json().path("id").asText()).isEqualTo(id);
                } else {
                    assertThat(r.error().path("type").asText()).isEqualTo("idempotency_error");
                    assertThat(r.error().path("code").asText()).isEqualTo("idempotency_key_in_use");
                }
            }
            assertThat(replies).filteredOn(r -> r.status() == 200 && !r.replayed()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentChargesWithDistinctKeysAllSucceed() throws Exception {
        int n = 40;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = "bulk-" + i;
                futures.add(pool.submit(() -> client.post("/v1/payment_intents", charge(100, "4242424242424242", key), key)));
            }
            for (Future<Reply> f : futures) {
                assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            assertThat(sim.charges()).hasSize(n);
            assertThat(sim.charges()).extracting(SimulatedCharge::id).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void slowResponseTimesOutButTheChargeWentThroughAndTheRetryReplaysIt() throws Exception {
        sim.faults().slowNext(1, Duration.ofSeconds(4));

        assertThatThrownBy(() -> client.post("/v1/payment_intents", charge(5000, "4242424242424242", "slow-1"), "slow-1",
                Duration.ofSeconds(1)))
                .isInstanceOf(HttpTimeoutException.class);
        // The charge happened although the client never saw the answer.
        assertThat(sim.charges()).hasSize(1);

        Reply retry = client.post("/v1/payment_intents", charge(5000, "4242424242424242", "slow-1"), "slow-1",
                Duration.ofSeconds(1));

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(retry.json().path("id").asText()).isEqualTo(sim.charges().get(0).id());
        assertThat(sim.charges()).hasSize(1);
        assertThat(sim.processedCount()).isEqualTo(1);
        assertThat(sim.requestCount()).isEqualTo(2);
    }

    @Test
    void aSlowFaultForOnePathLeavesOtherRequestsAlone() throws Exception {
        sim.faults().slowNext(1, Duration.ofSeconds(4), "POST", "/v1/payment_intents");

        Reply token = client.post("/v1/customers", Map.of("description", "fast"), "fast-1", Duration.ofSeconds(1));
        assertThat(token.status()).isEqualTo(200);
        assertThatThrownBy(() -> client.post("/v1/payment_intents", charge(5000, "4242424242424242", "slow-2"), "slow-2",
                Duration.ofSeconds(1)))
                .isInstanceOf(HttpTimeoutException.class);
        Reply replay = client.post("/v1/payment_intents", charge(5000, "4242424242424242", "slow-2"), "slow-2",
                Duration.ofSeconds(1));

        assertThat(replay.replayed()).isTrue();
        assertThat(sim.charges()).hasSize(1);
    }

    @Test
    void failNextAnswers500WithoutProcessingThenTheRetrySucceeds() throws Exception {
        sim.faults().failNext(1);

        Reply failed = client.post("/v1/payment_intents", charge(700, "4242424242424242", "f-1"), "f-1");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.error().path("type").asText()).isEqualTo("api_error");
        assertThat(failed.error().path("message").asText()).isEqualTo("An unknown error occurred");
        assertThat(sim.charges()).isEmpty();

        Reply retry = client.post("/v1/payment_intents", charge(700, "4242424242424242", "f-1"), "f-1");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.replayed()).isFalse();
        assertThat(sim.charges()).hasSize(1);
        assertThat(sim.requestCount()).isEqualTo(2);
        assertThat(sim.processedCount()).isEqualTo(1);
    }

    @Test
    void failAllUntilCleared() throws Exception {
        sim.faults().failAll(true);
        for (int i = 0; i < 3; i++) {
            assertThat(client.post("/v1/payment_intents", charge(100, "4242424242424242", "fa"), "fa").status())
                    .isEqualTo(500);
        }
        assertThat(client.get("/v1/payment_intents/pi_x").status()).isEqualTo(500);
        sim.faults().clear();

        assertThat(client.post("/v1/payment_intents", charge(100, "4242424242424242", "fa"), "fa").status()).isEqualTo(200);
        assertThat(sim.charges()).hasSize(1);
        assertThat(sim.requestCount()).isEqualTo(5);
        assertThat(sim.processedCount()).isEqualTo(1);
    }

    @Test
    void faultsCanBeDrivenOverHttp() throws Exception {
        StripeTestClient control = client.withKey(null); // control paths need no auth

        Reply set = control.postJson("/__simulator/faults", "{\"mode\":\"fail\",\"count\":2}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().path("failNext").asInt()).isEqualTo(2);
        assertThat(client.post("/v1/payment_intents", charge(100, "4242424242424242", "h"), "h").status()).isEqualTo(500);
        assertThat(client.post("/v1/payment_intents", charge(100, "4242424242424242", "h"), "h").status()).isEqualTo(500);
        assertThat(client.post("/v1/payment_intents", charge(100, "4242424242424242", "h"), "h").status()).isEqualTo(200);

        control.postJson("/__simulator/faults", "{\"mode\":\"failAll\"}");
        assertThat(client.get("/v1/payment_intents/pi_x").status()).isEqualTo(500);
        control.postJson("/__simulator/faults", "{\"mode\":\"none\"}");
        assertThat(client.get("/v1/payment_intents/pi_x").status()).isEqualTo(404);

        control.postJson("/__simulator/faults", "{\"mode\":\"slow\",\"count\":1,\"delayMillis\":3000}");
        assertThat(sim.faults().slowNextRemaining()).isEqualTo(1);
        assertThat(sim.faults().slowDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> client.post("/v1/payment_intents", charge(100, "5555555555554444", "h2"), "h2",
                Duration.ofMillis(500))).isInstanceOf(HttpTimeoutException.class);

        control.postJson("/__simulator/faults", "{\"mode\":\"latency\",\"delayMillis\":5}");
        assertThat(sim.faults().latency()).isEqualTo(Duration.ofMillis(5));
        control.postJson("/__simulator/faults", "{\"mode\":\"none\"}");
        assertThat(sim.faults().latency()).as("clear keeps the fixed latency").isEqualTo(Duration.ofMillis(5));

        assertThat(control.postJson("/__simulator/faults", "{\"mode\":\"explode\"}").status()).isEqualTo(400);
        assertThat(control.postJson("/__simulator/faults", "not json").status()).isEqualTo(400);

        Reply charges = control.get("/__simulator/charges");
        assertThat(charges.status()).isEqualTo(200);
        assertThat(charges.json().isArray()).isTrue();
        assertThat(charges.json()).hasSize(2);
        assertThat(charges.json().get(0).path("idempotencyKey").asText()).isEqualTo("h");
        assertThat(charges.json().get(0).path("last4").asText()).isEqualTo("4242");
        assertThat(charges.json().get(1).path("brand").asText()).isEqualTo("mastercard");

        sim.reset();
        assertThat(sim.faults().latency()).isEqualTo(Duration.ZERO);
    }

    @Test
    void latencyIsAddedToEveryResponse() throws Exception {
        sim.latency(Duration.ofMillis(300));
        long start = System.nanoTime();
        Reply r = client.post("/v1/payment_intents", charge(100, "4242424242424242", "lat"), "lat");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.status()).isEqualTo(200);
        assertThat(tookMillis).isGreaterThanOrEqualTo(290);
    }

    @Test
    void inFlightKeyIsReportedAsInUse() {
        // The 409 path, deterministically, at the store level.
        IdempotencyStore store = new IdempotencyStore();
        var claim = store.claim("k", "digest", "/v1/payment_intents");
        assertThat(claim).isInstanceOf(IdempotencyStore.Proceed.class);
        assertThat(store.claim("k", "digest", "/v1/payment_intents")).isInstanceOf(IdempotencyStore.InUse.class);
        assertThat(store.claim("k", "other", "/v1/payment_intents")).isInstanceOf(IdempotencyStore.Mismatch.class);
        store.complete(((IdempotencyStore.Proceed) claim).entry(), 200, "{}".getBytes());
        assertThat(store.claim("k", "digest", "/v1/payment_intents")).isInstanceOf(IdempotencyStore.Replay.class);
    }
}
