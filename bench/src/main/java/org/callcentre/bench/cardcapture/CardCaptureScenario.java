package org.callcentre.bench.cardcapture;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.callcentre.bench.EngineOnlyModel;
import org.callcentre.bench.RunningApp;
import org.callcentre.bench.Scenario;
import org.callcentre.emulator.twilio.TwilioEmulator;

/**
 * Card capture: the agent records a £25.00 monthly pledge and starts the capture; the donor, moved into the IVR,
 * keys card 4242 4242 4242 4242, expiry and security code, the app charges and then tokenises the card, and the
 * donor is back with the agent. Target: the outcome within 2 s of the last key press at p99.
 */
public final class CardCaptureScenario implements Scenario {

    public static final String NAME = "card-capture";

    private final AtomicInteger pledgeNumbers = new AtomicInteger();
    private TwilioEmulator twilio;
    private AgentClient agent;
    private long campaign;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void setUp(RunningApp app) {
        twilio = app.twilio();
        agent = new AgentClient(app.baseUrl(), "agent", app.password());
        campaign = new AgentClient(app.baseUrl(), "admin", app.password()).createCampaign("Benchmark " + Instant.now());
    }

    @Override
    public Conversation prepare() {
        long pledge = agent.createPledge(campaign, pledgeNumbers.incrementAndGet());
        return think -> Donor.capture(twilio, agent, pledge, think);
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
