package org.callcentre.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.AppProcess;
import org.callcentre.app.support.Balancer;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.ClusterNodes;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.Mails;
import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.mail.MailEmulator;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.TwilioEmulator;
import org.callcentre.emulator.twilio.WebhookExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Two nodes of the packaged app on one PostgreSQL database behind HAProxy with {@code cluster/haproxy.cfg}, as
 * docs/cluster.md runs them: the Twilio emulator, the gateway simulator and a mail server are the outside world, and
 * Twilio calls the balancer's URL, which hands its webhooks to the nodes in turn. Every request of the tests goes
 * through the balancer too. Each scenario checks from the balancer's log that both nodes served its webhooks: an
 * outbound call and its status callbacks, an inbound call queued for a team and put through to the agent who becomes
 * available, a mail that both nodes' mailbox polls see and that becomes one ticket, the agent console's and
 * Cockpit's sessions kept on their node by the balancer's cookie, a card capture, and two timers (a ticket's wait
 * for an event, the nightly recording archive) that both nodes' job executors see due and that fire once.
 * <p>
 * Runs on PostgreSQL whatever the build's database: aborted when PostgreSQL is unreachable, and when haproxy is not
 * installed (failed instead when {@code CALLCENTRE_REQUIRE_BROWSER=1}, as in CI, which installs it). The nodes log
 * to {@code target/cluster-node*.log}, the balancer to {@code target/cluster-haproxy.log}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    static final String DATABASE = "callcentre_cluster";
    static final List<String> NODES = List.of("node1", "node2");
    /** How often each node reads the info mailbox. */
    static final Duration MAIL_POLL = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String CALLER_ID = "+15005550030";

    static long started;
    static TwilioEmulator twilio;
    static GatewaySimulator gateway;
    static MailEmulator mail;
    static final List<AppProcess> nodes = new ArrayList<>();
    static Balancer balancer;
    static AgentApi operator;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void twoNodesBehindTheBalancer() throws Exception {
        started = System.nanoTime();
        Path haproxy = Balancer.haproxy();
        jdbc = ClusterNodes.freshDatabase(DATABASE);
        twilio = TwilioEmulator.start(TwilioEmulator.Settings.defaults().withPauseScale(0.05)
                .withGatherTimeoutScale(0));
        gateway = GatewaySimulator.start("127.0.0.1", 0, GatewaySimulator.DEFAULT_SECRET_KEY);
        mail = MailEmulator.start(MailEmulator.Settings.defaults().withFreePorts());

        int balancerPort = AppProcess.freePort();
        String balancerUrl = "http://127.0.0.1:" + balancerPort;
        Path jar = AppProcess.packagedJar();
        // One after the other: the first creates the schemas and the roles, the second finds them.
        for (String node : NODES) {
            nodes.add(AppProcess.startJar("cluster-" + node, jar, settings(node, balancerUrl)));
        }
        balancer = Balancer.start(haproxy, "cluster-haproxy", balancerPort, nodes);
        operator = new AgentApi(balancer.url, ClusterNodes.OPERATOR, ClusterNodes.OPERATOR_PASSWORD);
    }

    /** As docs/cluster.md runs a node: the same settings on each but its name, the outside world's addresses. */
    private static List<String> settings(String node, String balancerUrl) {
        List<String> settings = new ArrayList<>(ClusterNodes.settings(node, DATABASE, balancerUrl, twilio, gateway));
        settings.addAll(List.of(
                // A node that dies leaves its jobs locked this long; the gateway's timeout stays within a quarter.
                "--camunda.bpm.job-execution.lock-time-in-millis=60000",
                "--payment.gateway.timeout=10s",
                "--spring.mail.host=" + mail.host(),
                "--spring.mail.port=" + mail.smtpPort(),
                "--tickets.mail.info-address=" + mail.user(),
                "--tickets.mail.poll=" + MAIL_POLL,
                "--tickets.mail.imap.host=" + mail.host(),
                "--tickets.mail.imap.port=" + mail.imapPort(),
                "--tickets.mail.imap.ssl=false",
                "--tickets.mail.imap.username=" + mail.user(),
                "--tickets.mail.imap.password=" + mail.password()));
        return settings;
    }

    @AfterAll
    static void stop() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        for (AutoCloseable peer : new AutoCloseable[] {twilio, gateway, mail}) {
            if (peer != null) {
                peer.close();
            }
        }
        if (jdbc != null) {
            ClusterNodes.dropDatabase(DATABASE);
        }
        System.out.printf("ClusterIT: %.1f s in all, the two nodes' start included%n",
                (System.nanoTime() - started) / 1e9);
    }

    @Test
    @Order(1)
    void anOutboundCallsStatusCallbacksReachBothNodesAndEndItCompleted() {
        Webhooks webhooks = Webhooks.fromNow();
        AgentApi agent = CallCentreStaff.create(operator, "outbound", "AGENT", false);
        long lead = diallableLead();
        Placed placed = placeAndPickUp(agent, lead);
        long callId = placed.callId();
        EmulatedCall donor = placed.donor();
        assertThat(donor.from()).isEqualTo(CALLER_ID);
        donor.awaitConference("agent-" + agent.user(), WAIT);
        await().atMost(WAIT).until(() -> "in-progress".equals(agent.get("/api/calls/" + callId).json()
                .get("status").asText()));
        Reply hungUp = agent.delete("/api/calls/" + callId);
        assertThat(hungUp.status()).as(hungUp.toString()).isEqualTo(202);

        JsonNode ended = await().atMost(WAIT).until(() -> agent.get("/api/calls/" + callId).json(),
                call -> call.get("final").asBoolean());
        assertThat(ended.get("status").asText()).isEqualTo("completed");
        assertThat(ended.get("billable").asBoolean()).isTrue();
        assertThat(statuses(ended)).contains("in-progress").endsWith("completed").doesNotHaveDuplicates();
        webhooks.assertEveryNodeServedSome();
    }

    @Test
    @Order(2)
    void anInboundCallWaitsInTheTeamsQueueAndIsPutThroughToTheAgentWhoBecomesAvailable() {
        Webhooks webhooks = Webhooks.fromNow();
        AgentApi agent = CallCentreStaff.create(operator, "inbound", "AGENT", false);
        long campaign = DiallerSetup.campaign(operator, DiallerSetup.rules(0, 10, 10, "00:00", "00:00",
                "Europe/London"), List.of(CALLER_ID));
        long team = DiallerSetup.team(operator, List.of(agent.user()),
                List.of(DiallerSetup.callList(operator, campaign)));
        String number = DiallerSetup.mobile();
        Reply created = operator.post("/api/inbound-numbers", Map.of("number", number, "locale", "en-GB",
                "greeting", "Welcome to the Hope Foundation.",
                "options", List.of(Map.of("key", "1", "label", "donations", "teamId", team)),
                "campaignId", campaign));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        twilio.setVoiceUrl(number, balancer.url + "/twilio/inbound/voice", balancer.url + "/twilio/calls/status");

        EmulatedCall caller = twilio.placeInboundCall(DiallerSetup.mobile(), number);
        assertThat(caller.awaitGather(WAIT).prompt()).contains("Welcome to the Hope Foundation.",
                "For donations, press 1.");
        caller.press("1");
        assertThat(caller.awaitQueued(WAIT)).isEqualTo("team-" + team);
        caller.awaitHeard("You are next in the queue.", WAIT);
        assertThat(inboundCall(caller.sid()).get("status")).isEqualTo("QUEUED");

        connectPhone(agent);
        Reply available = agent.post("/api/agents/me/availability", Map.of("available", true));
        assertThat(available.status()).as(available.toString()).isEqualTo(200);

        caller.awaitHeard("Putting you through now.", WAIT);
        caller.awaitConference("agent-" + agent.user(), WAIT);
        await().atMost(WAIT).until(() -> "ASSIGNED".equals(inboundCall(caller.sid()).get("status")));
        assertThat(inboundCall(caller.sid()).get("assigned_to")).isEqualTo(agent.user());
        caller.hangUp();
        await().atMost(WAIT).until(() -> "SERVED".equals(inboundCall(caller.sid()).get("result")));
        webhooks.assertEveryNodeServedSome();
    }

    @Test
    @Order(3)
    void aMailThatEveryNodesPollSeesBecomesOneTicketWithOneMessage() throws Exception {
        // The group new mail goes to (tickets.triage-group); the demo data makes it in the demo run.
        Reply info = operator.post("/api/groups", Map.of("key", "Info", "name", "Info"));
        assertThat(info.status()).as(info.toString()).isEqualTo(201);
        String address = CallCentreStaff.freshId("clara") + "@example.org";
        String subject = "A sofa for the shop " + address;
        String messageId = Mails.from("Clara Cluster", address).subject(subject).text("It is blue and clean.")
                .send(mail);

        long ticket = await().atMost(WAIT).until(() -> jdbc.queryForList(
                "select id from ticket where end_user_email = ?", Long.class, address), found -> !found.isEmpty())
                .get(0);
        // Both nodes read the mailbox every MAIL_POLL: over several of their polls it stays one ticket, one message.
        await().during(MAIL_POLL.multipliedBy(3)).atMost(MAIL_POLL.multipliedBy(3).plus(WAIT))
                .until(() -> count("ticket where end_user_email = ?", address) == 1
                        && count("ticket_message where ticket_id = ?", ticket) == 1);
        assertThat(count("ticket_mail_seen where mail_key = ?", messageId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select group_key from ticket where id = ?", String.class, ticket))
                .isEqualTo("Info");
        assertThat(Mails.unread(mail, subject)).as("marked read once filed").isFalse();
    }

    /**
     * The console signs in through the balancer and keeps working on the node its NODE cookie names. The same session
     * cookie sent with the other node's name reaches a node that never heard of the session: 401, sign in again;
     * with its own node's name it works again.
     */
    @Test
    @Order(4)
    void theConsolesSessionStaysOnItsNodeAndTheOtherNodeAsksForASignIn() {
        AgentApi agent = CallCentreStaff.create(operator, "console", "AGENT", false);
        Browser browser = new Browser(balancer.url);
        browser.openConsole();
        String node = browser.cookie("NODE");
        assertThat(node).as("the balancer's cookie").isIn(NODES);
        assertThat(browser.servedBy()).isEqualTo(node);
        assertThat(browser.cookie("JSESSIONID")).as("the node's session cookie").isNotNull();

        Reply signedIn = browser.signIn(agent.user(), CallCentreStaff.passwordOf(agent.user()));
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(204);
        for (int i = 0; i < 40; i++) {
            Reply me = browser.send("GET", "/api/agents/me", null);
            assertThat(me.status()).as(me.toString()).isEqualTo(200);
            assertThat(me.json().get("userId").asText()).isEqualTo(agent.user());
            assertThat(browser.servedBy()).as("request %d", i).isEqualTo(node);
            if (i % 10 == 0) {
                Reply settings = browser.send("PUT", "/api/users/me/settings", Map.of("initials",
                        "C" + (char) ('A' + i / 10), "donationsNotificationDays", List.of()));
                assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
                assertThat(browser.servedBy()).isEqualTo(node);
            }
        }
        assertThat(browser.send("GET", "/api/users/me/settings", null).json().get("initials").asText())
                .isEqualTo("CD");

        String other = NODES.get(1 - NODES.indexOf(node));
        Reply elsewhere = browser.sendWithNodeCookie(other, "GET", "/api/agents/me");
        assertThat(browser.servedBy()).isEqualTo(other);
        assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(401);
        Reply changeElsewhere = browser.sendWithNodeCookie(other, "PUT", "/api/users/me/settings");
        assertThat(changeElsewhere.status()).as(changeElsewhere.toString()).isEqualTo(401);

        Reply back = browser.send("GET", "/api/agents/me", null);
        assertThat(browser.servedBy()).isEqualTo(node);
        assertThat(back.status()).as("the session is still on its own node: " + back).isEqualTo(200);
    }

    /** HTTP Basic carries its login on every request: the balancer spreads such calls, cookie or not. */
    @Test
    @Order(5)
    void httpBasicCallsAreSpreadOverTheNodes() {
        Browser client = new Browser(balancer.url).withBasic(ClusterNodes.OPERATOR, ClusterNodes.OPERATOR_PASSWORD);
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            Reply users = client.send("GET", "/api/users", null);
            assertThat(users.status()).as(users.toString()).isEqualTo(200);
            servedBy.add(client.servedBy());
            client.keepNodeCookie(NODES.get(0));
        }
        assertThat(servedBy).containsExactlyInAnyOrderElementsOf(NODES);
    }

    /**
     * A pledge and a card keyed on the emulated call, with the webhooks spread over both nodes: each node opens what
     * the other sealed in the card vault (its data keys are in the database), and the card is charged once.
     */
    @Test
    @Order(6)
    void aCardCaptureWhoseWebhooksAreSpreadOverBothNodesChargesTheCard() {
        Webhooks webhooks = Webhooks.fromNow();
        AgentApi agent = CallCentreStaff.create(operator, "capture", "AGENT", false);
        long lead = diallableLead();
        EmulatedCall donor = placeAndPickUp(agent, lead).donor();
        String conference = "agent-" + agent.user();
        donor.awaitConference(conference, WAIT);
        long campaign = jdbc.queryForObject("select c.campaign_id from call_list c join lead_call_list l "
                + "on l.call_list_id = c.id where l.lead_id = ?", Long.class, lead);
        Reply pledge = agent.post("/api/pledges", Map.of("campaignId", campaign, "leadId", lead,
                "donorName", "Clara Cluster", "donorPhone", donor.to(), "amount", "20", "currency", "GBP",
                "frequency", "ONE_OFF"));
        assertThat(pledge.status()).as(pledge.toString()).isEqualTo(201);
        long pledgeId = pledge.json().get("id").asLong();

        Reply capture = agent.post("/api/pledges/" + pledgeId + "/card-capture", Map.of("callSid", donor.sid()));
        assertThat(capture.status()).as(capture.toString()).isEqualTo(202);
        answer(donor, "card number", "4242424242424242#");
        answer(donor, "expiry date", "1230#");
        answer(donor, "security code", "737#");
        donor.awaitConference(conference, WAIT);

        JsonNode captured = await().atMost(WAIT).until(() -> agent.get("/api/pledges/" + pledgeId).json(),
                shown -> !shown.path("cardCapture").path("status").asText("IN_PROGRESS").equals("IN_PROGRESS"));
        assertThat(captured.get("cardCapture").get("status").asText()).as(captured.toString())
                .isEqualTo("SUCCEEDED");
        assertThat(captured.get("paid").asBoolean()).isTrue();
        assertThat(captured.get("maskedCard").asText()).isEqualTo("Visa ending 4242");
        webhooks.assertEveryNodeServedSome();
    }

    /**
     * A ticket waits for an event until a few seconds from now: both nodes' job executors see its timer due, and it
     * fires once (one run of the timer in the engine's history) and sets the ticket back to need to contact once.
     */
    @Test
    @Order(7)
    void aTicketsWaitingForEventTimerFiresOnceWhicheverNodeTakesIt() {
        // A group of its own: a new ticket of the triage group (Info) waits for its triage first.
        Reply group = operator.post("/api/groups", Map.of("key", "Pickups", "name", "Pickups"));
        assertThat(group.status()).as(group.toString()).isEqualTo(201);
        Reply created = operator.post("/api/tickets", Map.of("group", "Pickups", "title", "Collect on Friday",
                "endUser", Map.of("name", "Tim Timer", "email", CallCentreStaff.freshId("tim") + "@example.org")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long number = created.json().get("number").asLong();
        String instance = await().atMost(WAIT).until(() -> jdbc.queryForObject(
                "select process_instance_id from ticket where id = ?", String.class, number), id -> id != null);
        Reply waiting = operator.send("PATCH", "/api/tickets/" + number, Map.of("status", "WAITING_FOR_EVENT",
                "waitUntil", Instant.now().plusSeconds(3).toString()));
        assertThat(waiting.status()).as(waiting.toString()).isEqualTo(200);

        await().atMost(WAIT).until(() -> "NEED_TO_CONTACT".equals(jdbc.queryForObject(
                "select status from ticket where id = ?", String.class, number)));
        await().atMost(WAIT).until(() -> count("act_hi_actinst where proc_inst_id_ = ? and act_id_ = "
                + "'Timer_WaitOver' and end_time_ is not null", instance) == 1);
        // Another round of both nodes' job acquisition finds nothing more to fire.
        await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> count("act_hi_actinst where proc_inst_id_ = ? "
                + "and act_id_ = 'Timer_WaitOver'", instance) == 1);
        assertThat(count("ticket_history where ticket_id = ? and kind = 'STATUS' and detail = 'NEED_TO_CONTACT' "
                + "and actor = 'system'", number)).isOne();
    }

    /**
     * The nightly recording archive's timer, made due now, is one job: one node runs the archive, once, and the
     * next night's timer is set once.
     */
    @Test
    @Order(8)
    void theRecordingArchiveTimerRunsTheArchiveOnceAndIsSetOnceForTheNextNight() {
        String definition = jdbc.queryForObject("select id_ from act_re_procdef where key_ = 'recording-archive' "
                + "order by version_ desc limit 1", String.class);
        assertThat(count("act_ru_job where process_def_id_ = ? and handler_type_ = 'timer-start-event'",
                definition)).isOne();
        int before = count("act_hi_procinst where proc_def_id_ = ?", definition);
        jdbc.update("update act_ru_job set duedate_ = now() - interval '1 second' where process_def_id_ = ? "
                + "and handler_type_ = 'timer-start-event'", definition);

        await().atMost(WAIT).until(() -> count("act_hi_procinst where proc_def_id_ = ? and end_time_ is not null",
                definition) == before + 1);
        await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> count("act_hi_procinst where proc_def_id_ = ?",
                definition) == before + 1);
        assertThat(count("act_ru_job where process_def_id_ = ? and handler_type_ = 'timer-start-event' and duedate_ > "
                + "now()", definition)).as("the next night's timer").isOne();
    }

    /**
     * Cockpit's session through the balancer: signed in on one node, its requests stay there (the NODE cookie), and
     * each is answered as the signed-in user.
     */
    @Test
    @Order(9)
    void theWebappsSessionStaysOnItsNode() {
        Browser browser = new Browser(balancer.url);
        assertThat(browser.send("GET", "/camunda/api/engine/engine/", null).status()).isEqualTo(200);
        assertThat(browser.cookie("XSRF-TOKEN")).as("the webapps' CSRF cookie").isNotNull();
        Reply login = browser.form("/camunda/api/admin/auth/user/default/login/cockpit",
                "username=" + ClusterNodes.OPERATOR + "&password=" + ClusterNodes.OPERATOR_PASSWORD);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String node = browser.cookie("NODE");
        assertThat(node).isIn(NODES);
        for (int i = 0; i < 20; i++) {
            Reply user = browser.send("GET", "/camunda/api/admin/auth/user/default", null);
            assertThat(user.status()).as(user.toString()).isEqualTo(200);
            assertThat(user.json().get("userId").asText()).isEqualTo(ClusterNodes.OPERATOR);
            assertThat(browser.servedBy()).as("request %d", i).isEqualTo(node);
            Reply definitions = browser.send("GET", "/camunda/api/engine/engine/default/process-definition/count",
                    null);
            assertThat(definitions.status()).as(definitions.toString()).isEqualTo(200);
            assertThat(definitions.json().get("count").asInt()).isPositive();
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A lead of a new campaign that may be called now, in a call list of its own. */
    /** A call placed to the lead by the agent (phone connected, lead locked), picked up by the donor. */
    private record Placed(long callId, EmulatedCall donor) {
    }

    private static Placed placeAndPickUp(AgentApi agent, long lead) {
        connectPhone(agent);
        lock(agent, lead);
        Reply placed = agent.post("/api/leads/" + lead + "/calls", Map.of());
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        long callId = placed.json().get("id").asLong();
        EmulatedCall donor = twilio.call(awaitCallSid(agent, callId));
        donor.pickUp();
        return new Placed(callId, donor);
    }

    private static long diallableLead() {
        long campaign = DiallerSetup.campaign(operator, DiallerSetup.rules(0, 10, 10, "00:00", "00:00", "UTC"),
                List.of(CALLER_ID));
        return DiallerSetup.importLeads(operator, DiallerSetup.callList(operator, campaign), DiallerSetup.mobile())
                .get(0);
    }

    /** The agent's phone for the shift: Twilio calls the device, the agent picks up, Twilio reports it connected. */
    private static void connectPhone(AgentApi agent) {
        Reply dialled = agent.post("/api/agents/me/phone", null);
        assertThat(dialled.status()).as(dialled.toString()).isEqualTo(202);
        twilio.call(dialled.json().get("callSid").asText()).pickUp();
        await().atMost(WAIT).until(() -> agent.get("/api/agents/me").json().get("phone").get("connected")
                .asBoolean());
    }

    private static void lock(AgentApi agent, long lead) {
        Reply locked = agent.post("/api/leads/" + lead + "/lock", null);
        assertThat(locked.status()).as(locked.toString()).isEqualTo(200);
    }

    private static String awaitCallSid(AgentApi agent, long callId) {
        return await().atMost(WAIT).until(() -> agent.get("/api/calls/" + callId).json().get("callSid"),
                sid -> !sid.isNull()).asText();
    }

    private static void answer(EmulatedCall donor, String prompt, String keys) {
        assertThat(donor.awaitGather(WAIT).prompt()).as("what the donor hears next").containsIgnoringCase(prompt);
        donor.press(keys);
    }

    private static List<String> statuses(JsonNode call) {
        return StreamSupport.stream(call.get("statusHistory").spliterator(), false)
                .map(change -> change.get("status").asText()).toList();
    }

    private static Map<String, Object> inboundCall(String callSid) {
        return await().atMost(WAIT).until(() -> jdbc.queryForList("select * from inbound_call where call_sid = ?",
                callSid), rows -> rows.size() == 1).get(0);
    }

    private static int count(String fromWhere, Object... arguments) {
        return jdbc.queryForObject("select count(*) from " + fromWhere, Integer.class, arguments);
    }

    /** The webhooks of one scenario: what the emulator sent and the balancer logged from the scenario's start on. */
    private record Webhooks(long logFrom) {

        static Webhooks fromNow() {
            twilio.awaitWebhooksDelivered(WAIT);
            twilio.clearWebhooks();
            return new Webhooks(balancer.logLength());
        }

        /** Every webhook answered 2xx; the balancer logged them all, and both nodes served some. */
        void assertEveryNodeServedSome() {
            twilio.awaitWebhooksDelivered(WAIT);
            List<WebhookExchange> sent = twilio.webhooks();
            assertThat(sent).as("webhooks that failed").filteredOn(exchange -> !exchange.succeeded()).isEmpty();
            // HAProxy logs a request once its answer is sent, at about the time the emulator records it.
            Map<String, List<String>> byNode = await().atMost(WAIT).until(() -> balancer.webhooksSince(logFrom),
                    logged -> logged.values().stream().mapToInt(List::size).sum() >= sent.size());
            assertThat(byNode).as("webhooks by node").containsOnlyKeys(NODES);
            System.out.printf("ClusterIT: %d webhooks, by node: %s%n", sent.size(), byNode.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().size(), (a, b) -> a,
                            TreeMap::new)));
        }
    }

    /**
     * A browser as the agent console's JavaScript drives it: cookies kept by hand (the balancer's NODE and the node's
     * JSESSIONID), the session's CSRF token in its header on every change, {@code X-Requested-With} on every request.
     * Or, {@link #withBasic}, an API client with HTTP Basic.
     */
    static final class Browser {

        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private static final ObjectMapper JSON = new ObjectMapper();

        private final String base;
        private final Map<String, String> cookies = new LinkedHashMap<>();
        private String authorization;
        private String csrfHeader;
        private String csrfToken;
        private String servedBy;

        Browser(String base) {
            this.base = base;
        }

        Browser withBasic(String user, String password) {
            authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** Opens the console's page: a session with its CSRF token. */
        void openConsole() {
            Reply session = send("GET", "/console/session", null);
            assertThat(session.status()).as(session.toString()).isEqualTo(200);
            csrfHeader = session.json().get("csrf").get("headerName").asText();
            csrfToken = session.json().get("csrf").get("token").asText();
        }

        /** The console's sign-in form; then the signed-in session's new CSRF token. */
        Reply signIn(String user, String password) {
            String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                    + URLEncoder.encode(password, StandardCharsets.UTF_8);
            Reply signedIn = exchange("POST", "/console/login", form, "application/x-www-form-urlencoded");
            if (signedIn.status() == 204) {
                openConsole();
            }
            return signedIn;
        }

        Reply send(String method, String path, Object body) {
            try {
                return exchange(method, path, body == null ? null : JSON.writeValueAsString(body),
                        "application/json");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A form posted as a webapp's login page posts it. */
        Reply form(String path, String body) {
            return exchange("POST", path, body, "application/x-www-form-urlencoded");
        }

        /** One request with the other node's name in the NODE cookie, the rest as it is; then the browser's own again. */
        Reply sendWithNodeCookie(String node, String method, String path) {
            String own = cookies.put("NODE", node);
            try {
                return "GET".equals(method) ? send(method, path, null)
                        : send(method, path, Map.of("initials", "X", "donationsNotificationDays", List.of()));
            } finally {
                cookies.put("NODE", own);
            }
        }

        /** A NODE cookie as a browser would send it, whatever the balancer set. */
        void keepNodeCookie(String node) {
            cookies.put("NODE", node);
        }

        String cookie(String name) {
            return cookies.get(name);
        }

        /** The node that answered the last request (the balancer's X-Served-By). */
        String servedBy() {
            return servedBy;
        }

        private Reply exchange(String method, String path, String body, String contentType) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json")
                    .header("X-Requested-With", "XMLHttpRequest")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", contentType);
            }
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                        .collect(Collectors.joining("; ")));
            }
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (csrfToken != null && !"GET".equals(method)) {
                request.header(csrfHeader, csrfToken);
            }
            if (cookies.containsKey("XSRF-TOKEN") && !"GET".equals(method)) {
                // The webapps' CSRF token, as their pages send it back.
                request.header("X-XSRF-TOKEN", cookies.get("XSRF-TOKEN"));
            }
            try {
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                servedBy = response.headers().firstValue("X-Served-By").orElse(null);
                for (String setCookie : response.headers().allValues("Set-Cookie")) {
                    String pair = setCookie.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        cookies.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                    }
                }
                return new Reply(response.statusCode(), response.body(),
                        response.headers().firstValue("Content-Type").orElse(""));
            } catch (IOException e) {
                throw new IllegalStateException(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
