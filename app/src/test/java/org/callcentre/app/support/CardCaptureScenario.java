package org.callcentre.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.GatherPrompt;
import org.callcentre.emulator.twilio.TwilioEmulator;

import com.fasterxml.jackson.databind.JsonNode;

/** A pledge, its donor on a call in the agent's conference, and the steps of a card capture. */
public final class CardCaptureScenario {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    public final long campaignId;
    public final long pledgeId;
    public final String conference;
    public final EmulatedCall donor;
    private final AgentApi agent;

    private CardCaptureScenario(long campaignId, long pledgeId, String conference, EmulatedCall donor, AgentApi agent) {
        this.campaignId = campaignId;
        this.pledgeId = pledgeId;
        this.conference = conference;
        this.donor = donor;
        this.agent = agent;
    }

    /** A new campaign with these gateway settings, a pledge in it, and the donor on the phone with the agent. */
    public static CardCaptureScenario pledge(AgentApi admin, AgentApi agent, TwilioEmulator twilio, boolean instantPayment,
            boolean tokensEnabled, boolean paymentFirst, String amount, String frequency) {
        long campaignId = campaign(admin, instantPayment, tokensEnabled, paymentFirst);
        return pledgeIn(campaignId, admin, agent, twilio, amount, frequency);
    }

    public static long campaign(AgentApi admin, boolean instantPayment, boolean tokensEnabled, boolean paymentFirst) {
        AgentApi.Reply campaign = admin.post("/api/campaigns", Map.of(
                "name", "Campaign " + UUID.randomUUID(),
                "currency", "GBP",
                "locale", "en-GB",
                "instantPayment", instantPayment,
                "tokensEnabled", tokensEnabled,
                "paymentFirst", paymentFirst));
        assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
        return campaign.json().get("id").asLong();
    }

    public static CardCaptureScenario pledgeIn(long campaignId, AgentApi admin, AgentApi agent, TwilioEmulator twilio,
            String amount, String frequency) {
        AgentApi.Reply pledge = agent.post("/api/pledges", Map.of(
                "campaignId", campaignId,
                "donorName", "Donor " + SEQUENCE.incrementAndGet(),
                "donorPhone", "+447700900" + String.format("%03d", SEQUENCE.get() % 1000),
                "amount", amount,
                "currency", "GBP",
                "frequency", frequency));
        assertThat(pledge.status()).as(pledge.toString()).isEqualTo(201);
        return withDonorOnCall(campaignId, pledge.json().get("id").asLong(), agent, twilio);
    }

    /** Another call with the same pledge's donor (for a second capture on the same pledge). */
    public static CardCaptureScenario withDonorOnCall(long campaignId, long pledgeId, AgentApi agent,
            TwilioEmulator twilio) {
        String conference = "agent-conf-" + UUID.randomUUID();
        String sid = twilio.createCall("+447700900999", "+441130000000",
                "<Response><Dial><Conference>" + conference + "</Conference></Dial></Response>");
        EmulatedCall donor = twilio.call(sid);
        donor.awaitConference(conference, EndToEndTest.WAIT);
        return new CardCaptureScenario(campaignId, pledgeId, conference, donor, agent);
    }

    public AgentApi.Reply startCapture() {
        return agent.post("/api/pledges/" + pledgeId + "/card-capture",
                Map.of("callSid", donor.sid(), "conferenceName", conference));
    }

    public void start() {
        AgentApi.Reply reply = startCapture();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
    }

    public GatherPrompt prompt() {
        return donor.awaitGather(EndToEndTest.WAIT);
    }

    /** Waits for the next prompt, checks it asks for what we expect, and answers it. */
    public GatherPrompt answer(String expectedPromptFragment, String keys) {
        GatherPrompt prompt = prompt();
        assertThat(prompt.prompt()).containsIgnoringCase(expectedPromptFragment);
        donor.press(keys);
        return prompt;
    }

    /** Card number, expiry and security code, each followed by #. */
    public void enterCard(String number, String expiryMmyy, String securityCode) {
        answer("card number", number + "#");
        answer("expiry date", expiryMmyy + "#");
        answer("security code", securityCode + "#");
    }

    public void awaitBackWithAgent() {
        donor.awaitConference(conference, EndToEndTest.WAIT);
    }

    public JsonNode pledge() {
        AgentApi.Reply reply = agent.get("/api/pledges/" + pledgeId);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    public String captureStatus() {
        JsonNode capture = pledge().get("cardCapture");
        return capture == null || capture.isNull() ? null : capture.get("status").asText();
    }
}
