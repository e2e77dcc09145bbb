package org.callcentre.bench.cardcapture;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.callcentre.bench.EngineOnlyModel;
import org.callcentre.bench.RunningApp;
import org.callcentre.bench.Scenario;
import org.callcentre.bench.dialler.DiallerClient;
import org.callcentre.emulator.twilio.TwilioEmulator;

/**
 * Card capture on a dialler call: an agent on the phone opens a lead and calls it, the donor answers into the agent's
 * conference, the agent records a £25.00 monthly pledge on the lead and starts the capture; the donor, moved into the
 * IVR, keys card 4242 4242 4242 4242, expiry and security code, the app charges and then tokenises the card, the
 * donor is back with the agent, and hangs up. Target: the outcome within 2 s of the last key press at p99.
 *
 * <p>Each conversation runs on an agent of its own (an agent has one live call at a time): set-up makes one agent,
 * with a connected phone and a lead, for each of the harness's concurrent conversations, and more if a run asks for
 * more at once. The emulator answers every call the app places (the harness's outbound outcome).
 */
public final class CardCaptureScenario implements Scenario {

    public static final String NAME = "card-capture";
    /** The harness's largest number of conversations at once (its warm-up and top saturation). */
    static final int AGENTS = 50;
    static final String CALLER_ID = "+15005550030";
    private static final Duration WAIT = Donor.WAIT;

    private final boolean awaitAnswered;
    private final AtomicInteger pledgeNumbers = new AtomicInteger();
    private final AtomicInteger agentNumbers = new AtomicInteger();
    private final LinkedBlockingQueue<Line> free = new LinkedBlockingQueue<>();
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
    private TwilioEmulator twilio;
    private AgentClient admin;
    private DiallerClient dialler;
    private String baseUrl;
    private long campaign;

    /** The agent starts a capture as soon as the donor is in the conference. */
    public CardCaptureScenario() {
        this(false);
    }

    /**
     * With {@code awaitAnswered}, the agent starts a capture only once the app has recorded the donor's call as
     * answered (its status callback, which may come after the donor is in the conference): as a person does, who sees
     * the call answered in the console. At saturation nobody else waits for it.
     */
    public CardCaptureScenario(boolean awaitAnswered) {
        this.awaitAnswered = awaitAnswered;
    }

    /** An agent, on the phone, and the lead that agent calls in every conversation. */
    record Line(AgentClient agent, long leadId, String number) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void setUp(RunningApp app) {
        twilio = app.twilio();
        baseUrl = app.baseUrl();
        admin = new AgentClient(app.baseUrl(), "admin", app.password());
        dialler = new DiallerClient(app.baseUrl(), "admin", app.password());
        campaign = admin.createCampaign("Benchmark " + Instant.now());
        dialler.openDialling(campaign);
        admin.callerIds(campaign, CALLER_ID);
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            lines.add(newLine());
        }
        free.addAll(lines);
    }

    @Override
    public Conversation prepare() {
        int n = pledgeNumbers.incrementAndGet();
        return think -> {
            Line line = free.poll();
            if (line == null) {
                line = newLine();
            }
            try {
                return Donor.capture(twilio, line, campaign, n, think, awaitAnswered);
            } finally {
                free.add(line);
            }
        };
    }

    /**
     * A new agent whose phone is connected, and a lead of its own in a call list of the campaign, locked to it. The
     * lead is called again in each of the agent's conversations: placing a call checks the lock, the calling hours
     * and the agent's phone, not the time since the last call.
     */
    private Line newLine() {
        int n = agentNumbers.incrementAndGet();
        String id = "bench" + runId + "x" + n;
        String password = "password-" + id;
        dialler.createAgent(id, password);
        AgentClient agent = new AgentClient(baseUrl, id, password);
        agent.connectPhone();
        awaitTrue(agent::phoneConnected, "the phone of " + id + " connected");
        String number = "+447912" + String.format("%06d", n);
        long list = dialler.createCallList("Bench " + id, campaign);
        var imported = dialler.importLeads(list, () -> new ByteArrayInputStream(
                ("first_name,last_name,phone\nBench,Donor," + number + "\n").getBytes(StandardCharsets.UTF_8)));
        if (imported.imported() != 1) {
            throw new IllegalStateException("lead " + number + " not imported: " + imported);
        }
        long leadId = admin.leadOf(list);
        agent.lock(leadId);
        return new Line(agent, leadId, number);
    }

    /** Polls (a client waiting for the app, not the engine's own work) until the condition holds. */
    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + WAIT.toSeconds() + " s for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The agent's talk before the capture, three entries, the agent's talk before the call ends. */
    @Override
    public int thinkTimesPerConversation() {
        return 5;
    }

    @Override
    public List<StepTarget> stepTargets() {
        return List.of(new StepTarget(Donor.OUTCOME, "outcome ≤ 2 s after the last key press, p99",
                Duration.ofSeconds(2)));
    }

    @Override
    public Optional<EngineOnlyModel> engineOnly() {
        return Optional.of(new CardCaptureEngineOnly());
    }
}
