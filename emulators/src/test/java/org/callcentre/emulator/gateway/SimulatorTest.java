package org.callcentre.emulator.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One simulator per test class on a free port, a client with its key, and a clean ledger for every test. */
abstract class SimulatorTest {

    static final String KEY = "sk_test_simulator";
    static GatewaySimulator sim;
    static StripeTestClient client;

    @BeforeAll
    static void start() {
        sim = GatewaySimulator.start("127.0.0.1", 0, KEY);
        client = new StripeTestClient(sim.baseUrl(), KEY);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.reset();
    }
}
