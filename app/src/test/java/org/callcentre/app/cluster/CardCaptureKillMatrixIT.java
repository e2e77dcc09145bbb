package org.callcentre.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AppProcess;
import org.callcentre.app.support.Balancer;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.CardDataScan;
import org.callcentre.app.support.ClusterNodes;
import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.gateway.SimulatedCharge;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Elements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The kill -9 matrix of a card capture on the charge-then-tokenise path, on two nodes of the packaged app behind
 * HAProxy as {@link ClusterIT} runs them. A node is killed ({@code SIGKILL}) at four points of a capture:
 * <ol>
 * <li>after the gateway answered the charge and before the engine committed it: the test holds the pledges' rows
 * ({@code select … for update}), so each charge job has the gateway's {@code succeeded} and waits to insert its
 * payment; the node is killed, then the rows are let go;</li>
 * <li>after the charge committed and before tokenising: as in 1, and then the test asks for the {@code card_capture}
 * table in {@code access exclusive} mode before it lets the pledges go. The charges hold the table already and
 * commit; the lock is granted only once every one of them has, and the tokenise job, which the node locked for itself
 * in the charge's transaction and runs next on the same thread, waits for it at its first read of the capture, before
 * it can ask the gateway anything;</li>
 * <li>while the gateway holds the tokenise request: the simulator takes it and withholds the answer
 * ({@code slowNext}), and the node waiting for it is killed within the gateway's timeout;</li>
 * <li>while the donor's keys are being taken: the card number is in the vault, the expiry and security code are not
 * keyed yet; the node that served the card number's webhook is killed, the balancer's health checks take it out, and
 * the donors go on keying through the balancer, which sends their webhooks to the other node.</li>
 * </ol>
 * Each kill takes a batch of captures (13 in CI) at the point at once, all on one node, the victim:
 * the other node is drained from the webhooks' backend while the batch keys the entry that creates the jobs (or, at 4,
 * the card number), so the jobs are created on the victim, and for 1 to 3 it is also paused ({@code SIGSTOP}) until
 * the victim has locked them, as a node's job executor takes the jobs its own transactions create at once but the
 * other node's may look in between. Every node that holds a job of the batch at the point is killed
 * ({@code ACT_RU_JOB.LOCK_OWNER_} names it), and started again on its port once the batch has ended. The job lock is
 * short ({@link #LOCK_TIME}) with the gateway's timeouts within it, as the nodes require; each node has a job thread
 * and a connection for every capture of a batch.
 * <p>
 * After each batch, once every capture has ended: no pledge was charged twice (the simulator's ledger, by the
 * pledge the charge names), none was lost (each is paid, declined, or paid with "Tokenise the card with the donor"
 * open), and every job the dead node held was finished once by the other node, after its lock expired. At the end, no
 * card number, expiry date or security code is in the cluster's database, any node's log (the killed ones' included)
 * or the balancer's log. Each point prints what it cost: the lock left at the kill and the time from the kill until the
 * other node had finished the step (or, at 4, until the balancer took the node out).
 * <p>
 * Runs on PostgreSQL whatever the build's database, as ClusterIT: aborted when PostgreSQL is unreachable or haproxy
 * is not installed (failed instead when {@code CALLCENTRE_REQUIRE_BROWSER=1}). Logs: {@code target/killmatrix-*.log}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CardCaptureKillMatrixIT {

    static final String DATABASE = "callcentre_killmatrix";
    static final List<String> NODES = List.of("node1", "node2");
    /**
     * Captures held at a point for one kill, and kills a point: 13 and 1 in CI (the four points within about three
     * minutes, each node killed twice); {@code -Dcallcentre.killmatrix.captures-per-kill} and
     * {@code -Dcallcentre.killmatrix.kills-per-point} set them for a longer run (docs/cluster.md has one of 25 kills a
     * point).
     */
    static final int CAPTURES_PER_KILL = Integer.getInteger("callcentre.killmatrix.captures-per-kill", 13);
    static final int KILLS_PER_POINT = Integer.getInteger("callcentre.killmatrix.kills-per-point", 1);
    /** How long a node's lock on a job holds. */
    static final Duration LOCK_TIME = Duration.ofSeconds(15);
    /**
     * A gateway request's timeout: at most a quarter of the lock time (WorkersConfiguration). With the time to connect,
     * the three requests of the longest step (the card's hand-over, a customer, the charge) end within the lock.
     */
    static final Duration GATEWAY_TIMEOUT = Duration.ofSeconds(3);
    static final Duration GATEWAY_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** Job threads and connections a node has: a whole batch waits at a point on one node. */
    static final int JOB_THREADS = CAPTURES_PER_KILL + 2;
    static final int CONNECTIONS = CAPTURES_PER_KILL + 14;
    /** How long the simulator withholds a held answer: longer than any node waits for it. */
    static final Duration HELD = Duration.ofSeconds(30);
    static final Duration WAIT = Duration.ofSeconds(30);
    /** From a kill until every capture of its batch has ended: the lock's expiry, then the steps left. */
    static final Duration CAPTURES_END = Duration.ofSeconds(90);
    /** Cards the simulator charges and saves. */
    static final List<String> CARDS = List.of("4242424242424242", "5555555555554444", "6011111111111117",
            "2223003122003222");
    static final String EXPIRY = "1230";
    static final String SECURITY_CODE = "737";
    /** A JVM that {@code SIGKILL} (9) ended. */
    static final int KILLED = 128 + 9;

    static long started;
    static TwilioEmulator twilio;
    static GatewaySimulator gateway;
    static Path jar;
    static String balancerUrl;
    static final Map<String, Node> nodes = new LinkedHashMap<>();
    static final List<Path> nodeLogs = Collections.synchronizedList(new ArrayList<>());
    static Balancer balancer;
    static AgentApi operator;
    static JdbcTemplate jdbc;
    static int kills;
    static Future<List<Capture>> prepared;
    static boolean preparedThroughExpiry;
    static final List<String> report = new ArrayList<>();
    /** Batches being prepared, nodes starting again, the table lock's request: the common pool has one thread here. */
    static final ExecutorService background = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "killmatrix-background");
        thread.setDaemon(true);
        return thread;
    });

    @BeforeAll
    static void twoNodesBehindTheBalancer() throws Exception {
        started = System.nanoTime();
        Path haproxy = Balancer.haproxy();
        jdbc = ClusterNodes.freshDatabase(DATABASE);
        // A donor on hold asks again every half second, a prompt waits for the donor's keys for as long as it takes.
        twilio = TwilioEmulator.start(TwilioEmulator.Settings.defaults().withPauseScale(0.5)
                .withGatherTimeoutScale(0));
        gateway = GatewaySimulator.start("127.0.0.1", 0, GatewaySimulator.DEFAULT_SECRET_KEY);
        int balancerPort = AppProcess.freePort();
        balancerUrl = "http://127.0.0.1:" + balancerPort;
        jar = AppProcess.packagedJar();
        // One after the other: the first creates the schemas and the roles, the second finds them.
        for (String name : NODES) {
            Node node = new Node(name, AppProcess.freePort());
            node.start();
            nodes.put(name, node);
        }
        balancer = Balancer.start(haproxy, "killmatrix-haproxy", balancerPort,
                nodes.values().stream().map(node -> node.process).toList());
        operator = new AgentApi(balancer.url, ClusterNodes.OPERATOR, ClusterNodes.OPERATOR_PASSWORD);
    }

    /** As ClusterIT's nodes, with the short lock, and room on one node for a batch waiting at a point. */
    private static List<String> settings(String node) {
        List<String> settings = new ArrayList<>(ClusterNodes.settings(node, DATABASE, balancerUrl, twilio, gateway));
        settings.addAll(List.of(
                "--camunda.bpm.job-execution.lock-time-in-millis=" + LOCK_TIME.toMillis(),
                "--payment.gateway.timeout=" + GATEWAY_TIMEOUT.toMillis() + "ms",
                "--payment.gateway.connect-timeout=" + GATEWAY_CONNECT_TIMEOUT.toMillis() + "ms",
                "--camunda.bpm.job-execution.core-pool-size=" + JOB_THREADS,
                "--camunda.bpm.job-execution.max-pool-size=" + JOB_THREADS,
                "--spring.datasource.hikari.maximum-pool-size=" + CONNECTIONS));
        return settings;
    }

    @AfterAll
    static void stop() throws Exception {
        if (prepared != null) {
            prepared.cancel(true);
        }
        if (balancer != null) {
            balancer.close();
        }
        for (Node node : nodes.values()) {
            node.close();
        }
        for (AutoCloseable peer : new AutoCloseable[] {twilio, gateway}) {
            if (peer != null) {
                peer.close();
            }
        }
        if (jdbc != null) {
            ClusterNodes.dropDatabase(DATABASE);
        }
        report.forEach(line -> System.out.println("CardCaptureKillMatrixIT: " + line));
        System.out.printf("CardCaptureKillMatrixIT: %d kills, %.1f s in all, the nodes' first start included%n",
                kills, (System.nanoTime() - started) / 1e9);
    }

    @Test
    @Order(1)
    void aNodeKilledAfterTheGatewayAnsweredTheChargeAndBeforeItsCommitChargesNoPledgeTwice() throws Exception {
        Point point = new Point(1, "after the gateway answered the charge, before the engine committed it");
        for (int round = 0; round < KILLS_PER_POINT; round++) {
            List<Capture> batch = batch(true);
            Kill kill;
            try (PledgeLocks pledges = PledgeLocks.hold(batch)) {
                chargeAndWait(batch, pledges);
                kill = kill(lockedJobs(Elements.CHARGE_CARD, batch));
            }
            prepareMeanwhile(true);
            point.add(finish(batch, kill, true));
        }
        point.report();
    }

    @Test
    @Order(2)
    void aNodeKilledAfterTheChargeCommittedAndBeforeTokenisingChargesNoPledgeTwice() throws Exception {
        Point point = new Point(2, "after the charge committed, before tokenising");
        for (int round = 0; round < KILLS_PER_POINT; round++) {
            List<Capture> batch = batch(true);
            Kill kill;
            try (PledgeLocks pledges = PledgeLocks.hold(batch)) {
                chargeAndWait(batch, pledges);
                try (CaptureTableLock table = CaptureTableLock.request()) {
                    await().atMost(WAIT).until(table::queued);
                    // Every charge has had its answers: from here on only a tokenise step would ask the gateway.
                    int requests = gateway.requestCount();
                    pledges.release();
                    // Granted once no transaction holds the table: every charge of the batch has committed.
                    table.awaitGranted();
                    assertThat(count("pledge where paid and id in " + in(batch.size()), pledgeIds(batch)))
                            .as("pledges paid").isEqualTo(batch.size());
                    Map<String, Job> tokenising = await().atMost(WAIT).until(
                            () -> lockedJobs(Elements.TOKENISE_CHARGED_CARD, batch), jobs -> jobs.size() == batch.size());
                    await().atMost(WAIT).until(() -> table.readersWaiting() >= batch.size());
                    kill = kill(tokenising);
                    assertThat(gateway.requestCount()).as("requests the gateway had when the node died")
                            .isEqualTo(requests);
                }
            }
            prepareMeanwhile(true);
            point.add(finish(batch, kill, true));
        }
        point.report();
    }

    @Test
    @Order(3)
    void aNodeKilledWhileTheGatewayHoldsTheTokeniseRequestChargesNoPledgeTwice() throws Exception {
        Point point = new Point(3, "while the gateway holds the tokenise request");
        for (int round = 0; round < KILLS_PER_POINT; round++) {
            List<Capture> batch = batch(true);
            Kill kill;
            try (PledgeLocks pledges = PledgeLocks.hold(batch)) {
                chargeAndWait(batch, pledges);
                // The tokenise step only asks whether the charge saved the card: GET /v1/payment_methods/{id}.
                gateway.faults().slowNext(batch.size(), HELD, "GET", "/v1/payment_methods/");
                // Let go at once, the charges commit together, and so the tokenise requests arrive together.
                pledges.release();
                long released = System.nanoTime();
                await().atMost(GATEWAY_TIMEOUT.minusMillis(500)).pollInterval(Duration.ofMillis(10))
                        .until(() -> gateway.faults().slowMatchingRemaining() == 0);
                Map<String, Job> tokenising = lockedJobs(Elements.TOKENISE_CHARGED_CARD, batch);
                assertThat(tokenising).as("tokenise jobs locked while their requests are held").hasSize(batch.size());
                kill = kill(tokenising);
                Duration heldAndKilled = Duration.ofNanos(System.nanoTime() - released);
                assertThat(heldAndKilled).as("from the charges' commit to the kill").isLessThan(GATEWAY_TIMEOUT);
                System.out.printf("CardCaptureKillMatrixIT: point 3: %d tokenise requests held and their node killed "
                        + "%.2f s after the charges' commit%n", batch.size(), heldAndKilled.toMillis() / 1000.0);
            }
            // The next batch is this point's, or point 4's, whose donors stop at the card number.
            prepareMeanwhile(round + 1 < KILLS_PER_POINT);
            point.add(finish(batch, kill, true));
        }
        point.report();
    }

    @Test
    @Order(4)
    void aNodeKilledWhileTheDonorsKeysAreBeingTakenLosesNoCapture() throws Exception {
        Point point = new Point(4, "while the donor's keys are being taken");
        for (int round = 0; round < KILLS_PER_POINT; round++) {
            List<Capture> batch = batch(false);
            String victim = NODES.get(kills % NODES.size());
            String survivor = other(victim);
            awaitEveryNodeServing();
            long keyed = balancer.logLength();
            balancer.drain(survivor);
            try {
                batch.forEach(capture -> capture.donor().press(capture.card() + "#"));
                batch.forEach(capture -> assertThat(capture.scenario().prompt().prompt())
                        .containsIgnoringCase("expiry date"));
            } finally {
                balancer.ready(survivor);
            }
            assertThat(await().atMost(WAIT).until(() -> digitsServed(keyed, "CARD_NUMBER"),
                    served -> served.values().stream().mapToInt(List::size).sum() == batch.size()))
                    .as("the card numbers' webhooks, by the node that served them").containsOnlyKeys(victim);
            Instant at = Instant.now();
            nodes.get(victim).kill();
            Kill kill = new Kill(Set.of(victim), at, Map.of());
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> balancer.status(victim).startsWith("DOWN"));
            Duration settled = Duration.between(at, Instant.now());

            long after = balancer.logLength();
            batch.forEach(capture -> capture.donor().press(EXPIRY + "#"));
            batch.forEach(capture -> assertThat(capture.scenario().prompt().prompt())
                    .containsIgnoringCase("security code"));
            batch.forEach(capture -> capture.donor().press(SECURITY_CODE + "#"));
            boolean more = round + 1 < KILLS_PER_POINT;
            if (more) {
                prepareMeanwhile(false);
            }
            // After the last kill the node stays down: nothing follows that needs it.
            Batch done = finish(batch, kill, more).settled(settled);
            assertThat(digitsServed(after, "EXPIRY")).as("the expiry dates' webhooks, by node")
                    .containsOnlyKeys(survivor);
            assertThat(digitsServed(after, "SECURITY_CODE")).as("the security codes' webhooks, by node")
                    .containsOnlyKeys(survivor);
            assertThat(done.callsCut()).as("donors whose call ended while they keyed").isZero();
            point.add(done);
        }
        point.report();
    }

    /** The card data every donor keyed, looked for everywhere the cluster writes. */
    @Test
    @Order(5)
    void noCardDataIsLeftBehind() throws Exception {
        CardDataScan keyed = new CardDataScan(keyed("CARD_NUMBER"), keyed("SECURITY_CODE"), keyed("EXPIRY"));
        assertThat(keyed.numbers()).as("card numbers keyed").containsExactlyInAnyOrderElementsOf(CARDS);
        assertThat(keyed.securityCodes()).containsExactly(SECURITY_CODE);
        assertThat(keyed.expiryDates()).containsExactly(EXPIRY);
        assertThat(count("card_vault_entry where card_number is not null or expiry is not null "
                + "or security_code is not null")).as("cards in the vault").isZero();
        assertThat(count("card_vault_key")).as("the vault's data keys").isZero();

        List<String> findings = new ArrayList<>();
        int tables;
        try (Connection connection = DriverManager.getConnection(ClusterNodes.url(DATABASE), "postgres", "")) {
            tables = keyed.scanDatabase(connection, "public", findings);
        }
        assertThat(tables).as("tables dumped").isGreaterThan(40);
        List<Path> logs = new ArrayList<>(nodeLogs);
        assertThat(logs).as("the nodes' logs, one a start: killed ones and those started again")
                .hasSizeGreaterThan(NODES.size());
        logs.add(balancer.log);
        for (Path log : logs) {
            keyed.scanLog(Files.readString(log), log.getFileName().toString(), findings);
        }
        assertThat(findings).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ the steps

    /**
     * A batch of captures on a new charge-then-tokenise campaign, each with its own agent, donor and pledge, started
     * and waiting for the security code ({@code throughExpiry}) or the card number, prepared a few at a time.
     */
    private static List<Capture> prepare(boolean throughExpiry) throws Exception {
        await().atMost(CAPTURES_END).pollInterval(Duration.ofMillis(200))
                .until(() -> NODES.stream().anyMatch(node -> balancer.status(node).equals("UP")));
        long campaign = CardCaptureScenario.campaign(operator, true, true, true);
        // The first alone: it sets the campaign's calling rules and caller IDs, which two at once would both insert.
        List<Capture> ready = new ArrayList<>(List.of(capture(campaign, CARDS.get(0), throughExpiry)));
        ExecutorService preparing = Executors.newFixedThreadPool(6);
        try {
            List<Future<Capture>> batch = new ArrayList<>();
            for (int i = 1; i < CAPTURES_PER_KILL; i++) {
                String card = CARDS.get(i % CARDS.size());
                batch.add(preparing.submit(() -> capture(campaign, card, throughExpiry)));
            }
            for (Future<Capture> capture : batch) {
                ready.add(capture.get(2, TimeUnit.MINUTES));
            }
            return ready;
        } finally {
            preparing.shutdownNow();
        }
    }

    private static Capture capture(long campaign, String card, boolean throughExpiry) {
        CardCaptureScenario scenario = CardCaptureScenario.pledgeIn(campaign, operator, twilio, "20", "MONTHLY");
        scenario.start();
        if (throughExpiry) {
            scenario.answer("card number", card + "#");
            scenario.answer("expiry date", EXPIRY + "#");
            assertThat(scenario.prompt().prompt()).containsIgnoringCase("security code");
        } else {
            assertThat(scenario.prompt().prompt()).containsIgnoringCase("card number");
        }
        Map<String, Object> row = jdbc.queryForMap("select id, process_instance_id from card_capture "
                + "where pledge_id = ?", scenario.pledgeId);
        return new Capture(scenario, card, (String) row.get("id"), (String) row.get("process_instance_id"));
    }

    /**
     * The donors key their security codes while only the next victim takes webhooks, so the charge jobs are created
     * there, and while the other node is paused, so the victim locks them all (a node's job executor takes the jobs
     * its own transactions create at once, but the other node's may look in between). Answers once the gateway has
     * charged every card of the batch and every charge waits for its pledge's row.
     */
    private static void chargeAndWait(List<Capture> batch, PledgeLocks pledges) throws Exception {
        String victim = NODES.get(kills % NODES.size());
        Node survivor = nodes.get(other(victim));
        awaitEveryNodeServing();
        balancer.drain(survivor.name);
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> balancer.inFlight(survivor.name) == 0);
            survivor.pause();
            try {
                batch.forEach(capture -> capture.donor().press(SECURITY_CODE + "#"));
                await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                        .until(() -> lockedJobs(Elements.CHARGE_CARD, batch).size() == batch.size());
            } finally {
                survivor.resume();
            }
        } finally {
            balancer.ready(survivor.name);
        }
        // A pause of a few seconds can cost a failed health check: the survivor must take webhooks when the victim dies.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> balancer.status(survivor.name).equals("UP"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> chargesByPledge(batch).size() == batch.size() && pledges.waiting() >= batch.size());
    }

    /**
     * Kills every node that holds one of {@code held}, each as a crash would ({@code SIGKILL}). A killed node starts
     * again once its batch has ended (at once if none survived).
     */
    private static Kill kill(Map<String, Job> held) throws Exception {
        Set<String> holders = held.values().stream().map(Job::owner).collect(Collectors.toCollection(TreeSet::new));
        assertThat(holders).as("the nodes holding the batch's jobs").isSubsetOf(NODES).isNotEmpty();
        Instant at = Instant.now();
        for (String holder : holders) {
            nodes.get(holder).kill();
        }
        if (holders.size() == NODES.size()) {
            restartKilled();
        }
        return new Kill(holders, at, held);
    }

    private static void restartKilled() {
        nodes.values().stream().filter(Node::down).forEach(Node::restartInBackground);
    }

    /**
     * Once every capture of the batch has ended: no pledge charged twice, none lost. Answers what the batch saw.
     */
    private static Batch finish(List<Capture> batch, Kill kill, boolean startAgain) {
        try {
            return outcomes(batch, kill);
        } finally {
            if (startAgain) {
                restartKilled();
            }
        }
    }

    /**
     * The batch prepared meanwhile if it is of this kind, else a new one. A batch gets ready while the one before it
     * ends, on the nodes that are up.
     */
    private static List<Capture> batch(boolean throughExpiry) throws Exception {
        Future<List<Capture>> ready = prepared;
        prepared = null;
        if (ready != null && preparedThroughExpiry == throughExpiry) {
            return take(ready);
        }
        if (ready != null) {
            ready.cancel(true);
        }
        return prepare(throughExpiry);
    }

    /** Starts preparing the next batch the matrix needs: through the expiry date (points 1 to 3) or not (4). */
    private static void prepareMeanwhile(boolean throughExpiry) {
        preparedThroughExpiry = throughExpiry;
        prepared = background.submit(() -> prepare(throughExpiry));
    }

    private static List<Capture> take(Future<List<Capture>> batch) throws Exception {
        try {
            return batch.get(3, TimeUnit.MINUTES);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof Error error) {
                throw error;
            }
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
    }

    private static Batch outcomes(List<Capture> batch, Kill kill) {
        try {
            await().atMost(CAPTURES_END).pollInterval(Duration.ofMillis(250))
                    .until(() -> batch.stream().allMatch(CardCaptureKillMatrixIT::ended));
        } catch (ConditionTimeoutException stuck) {
            throw new AssertionError("captures that did not end: " + batch.stream().filter(c -> !ended(c))
                    .map(CardCaptureKillMatrixIT::describe).toList(), stuck);
        }
        Map<String, List<SimulatedCharge>> charges = chargesByPledge(batch);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Capture capture : batch) {
            List<SimulatedCharge> charged = charges.getOrDefault(Long.toString(capture.pledgeId()), List.of());
            List<String> payments = jdbc.queryForList("select gateway_reference from payment where pledge_id = ?",
                    String.class, capture.pledgeId());
            String outcome = outcome(capture);
            outcomes.merge(outcome, 1, Integer::sum);
            boolean paid = outcome.startsWith("paid");
            if (charged.size() > 1) {
                wrong.add("pledge " + capture.pledgeId() + " charged " + charged.size() + " times");
            }
            if (outcome.startsWith("lost")) {
                wrong.add("pledge " + capture.pledgeId() + ": " + describe(capture));
            }
            if (paid && (charged.size() != 1 || !payments.equals(List.of(charged.get(0).id())))) {
                wrong.add("pledge " + capture.pledgeId() + " paid by " + payments + ", the gateway charged "
                        + charged.stream().map(SimulatedCharge::id).toList());
            }
            if (!paid && (!charged.isEmpty() || !payments.isEmpty())) {
                wrong.add("pledge " + capture.pledgeId() + " " + outcome + " with charges " + charged);
            }
        }
        assertThat(wrong).as("double charges and lost pledges").isEmpty();

        List<Duration> takeovers = new ArrayList<>();
        List<String> takenOverBy = new ArrayList<>();
        Duration lockLeft = Duration.ZERO;
        for (Job job : kill.held().values()) {
            // The engine writes its timestamps in the node's zone, UTC (AppProcess), without a zone.
            jdbc.query("select hostname_, timestamp_ from act_hi_job_log where job_id_ = ? and job_state_ = 2",
                    row -> {
                        Instant finished = row.getObject("timestamp_", LocalDateTime.class).toInstant(ZoneOffset.UTC);
                        assertThat(finished).as("job %s, held by the dead node, finished by %s", job.id(),
                                row.getString("hostname_")).isAfterOrEqualTo(job.lockExpires());
                        takeovers.add(Duration.between(kill.at(), finished));
                        takenOverBy.add(row.getString("hostname_"));
                    }, job.id());
            Duration left = Duration.between(kill.at(), job.lockExpires());
            lockLeft = left.compareTo(lockLeft) > 0 ? left : lockLeft;
        }
        assertThat(takeovers).as("the dead node's jobs, each finished once by another node").hasSize(kill.held().size());
        if (kill.nodes().size() < NODES.size()) {
            assertThat(takenOverBy).as("the nodes that finished the dead node's jobs").doesNotContainAnyElementsOf(
                    kill.nodes());
        }
        int cut = (int) batch.stream().filter(c -> c.donor().heard().contains(EmulatedCall.APPLICATION_ERROR))
                .count();
        return new Batch(batch.size(), kill.nodes(), outcomes, lockLeft, takeovers,
                takenOverBy.stream().distinct().sorted().toList(), null, cut);
    }

    // ------------------------------------------------------------------------------------------ what the test reads

    /** The jobs of the batch at {@code activity} that a node has locked, by process instance. */
    private static Map<String, Job> lockedJobs(String activity, List<Capture> batch) {
        Map<String, Job> locked = new TreeMap<>();
        jdbc.query("select j.id_, j.process_instance_id_, j.lock_owner_, j.lock_exp_time_ from act_ru_job j "
                + "join act_ru_jobdef d on d.id_ = j.job_def_id_ where d.act_id_ = ? and j.lock_owner_ is not null "
                + "and j.process_instance_id_ in " + in(batch.size()), row -> {
                    locked.put(row.getString("process_instance_id_"), new Job(row.getString("id_"),
                            row.getString("lock_owner_"), row.getObject("lock_exp_time_", LocalDateTime.class)
                                    .toInstant(ZoneOffset.UTC)));
                }, arguments(activity, batch.stream().map(Capture::instance).toList()));
        return locked;
    }

    /** The simulator's succeeded charges for the batch's pledges, by the pledge each names. */
    private static Map<String, List<SimulatedCharge>> chargesByPledge(List<Capture> batch) {
        Set<String> pledges = batch.stream().map(c -> Long.toString(c.pledgeId())).collect(Collectors.toSet());
        return gateway.charges().stream().filter(c -> pledges.contains(c.metadata().get("pledge_id")))
                .collect(Collectors.groupingBy(c -> c.metadata().get("pledge_id")));
    }

    /** The webhooks of one prompt's digits logged by the balancer after {@code from} bytes, by node. */
    private static Map<String, List<String>> digitsServed(long from, String prompt) {
        Map<String, List<String>> served = new TreeMap<>();
        balancer.webhooksSince(from).forEach((node, requests) -> {
            List<String> digits = requests.stream().filter(r -> r.contains("prompt=" + prompt)).toList();
            if (!digits.isEmpty()) {
                served.put(node, digits);
            }
        });
        return served;
    }

    /** A capture has ended when its instance has, or waits only for someone to tokenise the card with the donor. */
    private static boolean ended(Capture capture) {
        String status = jdbc.queryForObject("select status from card_capture where id = ?", String.class, capture.id());
        if ("IN_PROGRESS".equals(status) || "UNKNOWN".equals(status)) {
            return false;
        }
        return count("act_ru_execution where proc_inst_id_ = ?", capture.instance()) == 0 || followUp(capture);
    }

    private static boolean followUp(Capture capture) {
        return count("act_ru_task where proc_inst_id_ = ? and task_def_key_ = ?", capture.instance(),
                Elements.TOKEN_FOLLOW_UP) == 1;
    }

    /** Paid, paid with the card to tokenise with the donor, declined, or lost. */
    private static String outcome(Capture capture) {
        String status = jdbc.queryForObject("select status from card_capture where id = ?", String.class, capture.id());
        boolean paid = jdbc.queryForObject("select paid from pledge where id = ?", Boolean.class, capture.pledgeId());
        boolean ended = count("act_ru_execution where proc_inst_id_ = ?", capture.instance()) == 0;
        if (paid && followUp(capture)) {
            return "paid, tokenise with the donor";
        }
        if (paid && ended && "SUCCEEDED".equals(status)) {
            return "paid";
        }
        if (!paid && ended && "DECLINED".equals(status)) {
            return "declined";
        }
        return "lost";
    }

    private static String describe(Capture capture) {
        return "capture " + capture.id() + " of pledge " + capture.pledgeId() + ": " + jdbc.queryForMap(
                "select c.status, c.ended_at, p.paid, (select count(*) from act_ru_job j where "
                        + "j.process_instance_id_ = c.process_instance_id) as jobs, (select count(*) from "
                        + "act_ru_incident i where i.proc_inst_id_ = c.process_instance_id) as incidents "
                        + "from card_capture c join pledge p on p.id = c.pledge_id where c.id = ?", capture.id());
    }

    /** What the donors keyed at a prompt (the webhook's action names it). */
    private static List<String> keyed(String prompt) {
        Pattern atPrompt = Pattern.compile("[?&]prompt=" + prompt + "(&|$)");
        return twilio.webhooks().stream().filter(w -> atPrompt.matcher(w.url()).find())
                .map(w -> w.params().get("Digits")).filter(digits -> digits != null && !digits.isEmpty())
                .distinct().toList();
    }

    private static void awaitEveryNodeServing() {
        restartKilled();
        for (Node node : nodes.values()) {
            node.awaitStarted();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> balancer.status(node.name).equals("UP"));
        }
    }

    private static String other(String node) {
        return NODES.get(1 - NODES.indexOf(node));
    }

    private static List<Long> pledgeIds(List<Capture> batch) {
        return batch.stream().map(Capture::pledgeId).toList();
    }

    private static int count(String fromWhere, Object... arguments) {
        return jdbc.queryForObject("select count(*) from " + fromWhere, Integer.class, arguments);
    }

    private static int count(String fromWhere, List<?> arguments) {
        return count(fromWhere, arguments.toArray());
    }

    private static String in(int values) {
        return "(" + String.join(", ", Collections.nCopies(values, "?")) + ")";
    }

    private static Object[] arguments(Object first, List<?> rest) {
        List<Object> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray();
    }

    // ------------------------------------------------------------------------------------------ the parts

    /** One capture of a batch: the scenario that started it, the card its donor keys, its row and instance. */
    record Capture(CardCaptureScenario scenario, String card, String id, String instance) {

        long pledgeId() {
            return scenario.pledgeId;
        }

        EmulatedCall donor() {
            return scenario.donor;
        }
    }

    /** A job a node had locked: its id, the node, and when its lock expires. */
    record Job(String id, String owner, Instant lockExpires) {
    }

    /** The nodes one kill killed, when, and the jobs of the batch they held then, by process instance. */
    record Kill(Set<String> nodes, Instant at, Map<String, Job> held) {
    }

    /** What one batch saw. */
    record Batch(int captures, Set<String> killed, Map<String, Integer> outcomes, Duration lockLeft,
            List<Duration> takeovers, List<String> takenOverBy, Duration settled, int callsCut) {

        Batch settled(Duration balancerSettled) {
            return new Batch(captures, killed, outcomes, lockLeft, takeovers, takenOverBy, balancerSettled, callsCut);
        }
    }

    /** The batches of one point of the matrix, and its line in the report. */
    static final class Point {

        private final int number;
        private final String where;
        private final long started = System.nanoTime();
        private final List<Batch> batches = new ArrayList<>();

        Point(int number, String where) {
            this.number = number;
            this.where = where;
        }

        void add(Batch batch) {
            batches.add(batch);
        }

        void report() {
            int captures = batches.stream().mapToInt(Batch::captures).sum();
            Map<String, Integer> outcomes = new TreeMap<>();
            batches.forEach(batch -> batch.outcomes().forEach((outcome, n) -> outcomes.merge(outcome, n, Integer::sum)));
            List<Duration> takeovers = batches.stream().flatMap(batch -> batch.takeovers().stream()).sorted().toList();
            int killed = batches.stream().mapToInt(b -> b.killed().size()).sum();
            StringBuilder line = new StringBuilder(String.format("point %d (%s): %d captures, %d kill%s (%s), "
                    + "outcomes %s", number, where, captures, killed, killed == 1 ? "" : "s",
                    batches.stream().map(b -> String.join("+", b.killed())).collect(Collectors.joining(", ")),
                    outcomes));
            if (!takeovers.isEmpty()) {
                line.append(String.format("; lock left at the kill up to %.1f s; from the kill until another node "
                        + "finished the step %.1f–%.1f s (median %.1f s, by %s)", seconds(batches.stream()
                        .map(Batch::lockLeft).max(Duration::compareTo).orElseThrow()), seconds(takeovers.get(0)),
                        seconds(takeovers.get(takeovers.size() - 1)), seconds(takeovers.get(takeovers.size() / 2)),
                        batches.stream().flatMap(b -> b.takenOverBy().stream()).distinct().sorted().toList()));
            }
            List<Duration> settled = batches.stream().map(Batch::settled).filter(d -> d != null).sorted().toList();
            if (!settled.isEmpty()) {
                line.append(String.format("; from the kill until the balancer took the node out %.1f–%.1f s",
                        seconds(settled.get(0)), seconds(settled.get(settled.size() - 1))));
            }
            line.append(String.format("; donors' calls cut by a webhook the dead node was answering: %d; %.0f s",
                    batches.stream().mapToInt(Batch::callsCut).sum(), (System.nanoTime() - started) / 1e9));
            report.add(line.toString());
            System.out.println("CardCaptureKillMatrixIT: " + line);
            assertThat(captures).as("captures killed at point " + number).isEqualTo(CAPTURES_PER_KILL * KILLS_PER_POINT);
        }

        private static double seconds(Duration duration) {
            return duration.toMillis() / 1000.0;
        }
    }

    /** A node: the packaged app on a port of its own, killed and started again there. */
    static final class Node implements AutoCloseable {

        final String name;
        final int port;
        volatile AppProcess process;
        private volatile boolean running;
        private int starts;
        private CompletableFuture<Void> restarted = CompletableFuture.completedFuture(null);

        Node(String name, int port) {
            this.name = name;
            this.port = port;
        }

        synchronized void start() throws IOException {
            starts++;
            process = AppProcess.startJar("killmatrix-" + name + "-" + starts, jar, port, settings(name));
            nodeLogs.add(process.log);
            running = true;
        }

        /** {@code SIGKILL}, as a crash or a pulled plug stops a node. */
        void kill() throws InterruptedException {
            ProcessHandle jvm = process.handle();
            assertThat(jvm.parent()).as("the node is this JVM's own child").contains(ProcessHandle.current());
            running = false;
            assertThat(process.kill()).as("the exit status of " + name).isEqualTo(KILLED);
            kills++;
        }

        /** Killed, and not starting again yet. */
        boolean down() {
            return !running && restarted.isDone();
        }

        void restartInBackground() {
            restarted = CompletableFuture.runAsync(() -> {
                try {
                    start();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, background);
        }

        void awaitStarted() {
            restarted.join();
        }

        /** {@code SIGSTOP}: the node's JVM stands still, its sockets open, until {@link #resume}. */
        void pause() throws Exception {
            signal("STOP");
        }

        void resume() throws Exception {
            signal("CONT");
        }

        private void signal(String signal) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.handle().pid()))
                    .inheritIO().start();
            assertThat(kill.waitFor()).as("kill -" + signal + " " + name).isZero();
        }

        @Override
        public void close() {
            try {
                restarted.get(3, TimeUnit.MINUTES);
            } catch (Exception notStarted) {
                // Closed below as far as it got.
            }
            if (process != null) {
                process.close();
            }
        }
    }

    /**
     * A transaction of the test's own holding the batch's pledge rows ({@code select … for update}): a charge that
     * has its answer waits for them to insert its payment and mark the pledge paid.
     */
    static final class PledgeLocks implements AutoCloseable {

        private final Connection connection;
        private final int pid;
        private boolean released;

        private PledgeLocks(Connection connection, int pid) {
            this.connection = connection;
            this.pid = pid;
        }

        static PledgeLocks hold(List<Capture> batch) throws SQLException {
            Connection connection = DriverManager.getConnection(ClusterNodes.url(DATABASE), "postgres", "");
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement("select id from pledge where id = any(?) "
                    + "for update"); Statement sql = connection.createStatement()) {
                lock.setArray(1, connection.createArrayOf("bigint", pledgeIds(batch).toArray(new Long[0])));
                try (ResultSet locked = lock.executeQuery()) {
                    int rows = 0;
                    while (locked.next()) {
                        rows++;
                    }
                    assertThat(rows).as("pledges locked").isEqualTo(batch.size());
                }
                try (ResultSet backend = sql.executeQuery("select pg_backend_pid()")) {
                    backend.next();
                    return new PledgeLocks(connection, backend.getInt(1));
                }
            } catch (SQLException | RuntimeException | Error e) {
                connection.close();
                throw e;
            }
        }

        /** Transactions waiting for these rows. */
        int waiting() {
            return count("pg_stat_activity where ? = any(pg_blocking_pids(pid))", pid);
        }

        void release() throws SQLException {
            if (!released) {
                released = true;
                connection.rollback();
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                release();
            } finally {
                connection.close();
            }
        }
    }

    /**
     * A transaction of the test's own asking for the {@code card_capture} table in {@code access exclusive} mode: it is
     * granted once no other transaction holds the table, and then every reader of it waits.
     */
    static final class CaptureTableLock implements AutoCloseable {

        private final Connection connection;
        private final Statement statement;
        private final int pid;
        private final CompletableFuture<Void> granted;

        private CaptureTableLock(Connection connection, Statement statement, int pid) {
            this.connection = connection;
            this.statement = statement;
            this.pid = pid;
            this.granted = CompletableFuture.runAsync(() -> {
                try {
                    statement.execute("lock table card_capture in access exclusive mode");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, background);
        }

        static CaptureTableLock request() throws SQLException {
            Connection connection = DriverManager.getConnection(ClusterNodes.url(DATABASE), "postgres", "");
            connection.setAutoCommit(false);
            Statement statement = connection.createStatement();
            statement.execute("set lock_timeout = '20s'");
            try (ResultSet backend = statement.executeQuery("select pg_backend_pid()")) {
                backend.next();
                return new CaptureTableLock(connection, statement, backend.getInt(1));
            }
        }

        /** Asked for and waiting. */
        boolean queued() {
            return count("pg_locks where pid = ? and not granted", pid) > 0;
        }

        void awaitGranted() throws Exception {
            granted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        /** Transactions waiting to read the table (the first read of a payment step is the capture's row). */
        int readersWaiting() {
            return count("pg_stat_activity where ? = any(pg_blocking_pids(pid)) "
                    + "and query like 'select * from card_capture where process_instance_id%'", pid);
        }

        @Override
        public void close() throws Exception {
            try {
                if (!granted.isDone()) {
                    statement.cancel();
                }
                try {
                    granted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (Exception cancelled) {
                    // Asked for and not granted: nothing to give back.
                }
                connection.rollback();
            } finally {
                connection.close();
            }
        }
    }
}
