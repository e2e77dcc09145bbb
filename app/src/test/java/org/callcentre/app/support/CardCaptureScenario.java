package org.callcentre.app.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.GatherPrompt;
import org.callcentre.emulator.twilio.TwilioEmulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A pledge taken on a dialler call, and the steps of a card capture. Each scenario has its own agent (one live call
 * an agent) with a connected phone, holding the lock of a lead imported for the scenario; the call to the lead is
 * placed through the API and answered in the emulator, so the donor sits in the agent's conference.
 */
public final class CardCaptureScenario {

    /** The caller ID every scenario's campaign dials from. */
    public static final String CALLER_ID = "+15005550020";

    /** UK mobiles (07912…) that libphonenumber takes as valid and no other test uses. */
    private static final AtomicLong NEXT_NUMBER = new AtomicLong(System.nanoTime() % 500_000);
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    /** The campaigns already made diallable, by the API client (so the app and database) and campaign id. */
    private static final Set<String> DIALLING_CAMPAIGNS = ConcurrentHashMap.newKeySet();

    public final long campaignId;
    public final long pledgeId;
    public final long leadId;
    /** The dialler's call to the donor ({@code GET /api/calls/{id}}). */
    public final long callId;
    public final String conference;
    /** The donor's leg of the dialler call, as the emulator holds it. */
    public final EmulatedCall donor;
    /** The agent who holds the lead, took the pledge and is on the call. */
    public final AgentApi agent;
    /** The agent's password, for logging in to the webapps. */
    public final String agentPassword;
    private final TwilioEmulator twilio;

    private CardCaptureScenario(long campaignId, long pledgeId, long leadId, DonorOnCall call, AgentApi agent,
            TwilioEmulator twilio) {
        this.campaignId = campaignId;
        this.pledgeId = pledgeId;
        this.leadId = leadId;
        this.callId = call.callId();
        this.conference = call.conference();
        this.donor = call.donor();
        this.agent = agent;
        this.agentPassword = CallCentreStaff.passwordOf(agent.user());
        this.twilio = twilio;
    }

    /** A new campaign with these gateway settings, a pledge in it, and the donor on the phone with the agent. */
    public static CardCaptureScenario pledge(AgentApi admin, TwilioEmulator twilio, boolean instantPayment,
            boolean tokensEnabled, boolean paymentFirst, String amount, String frequency) {
        long campaignId = campaign(admin, instantPayment, tokensEnabled, paymentFirst);
        return pledgeIn(campaignId, admin, twilio, amount, frequency);
    }

    /** As {@link #pledge}, in a new campaign (charge only) that records its calls. */
    public static CardCaptureScenario recordedPledge(AgentApi admin, TwilioEmulator twilio, String amount,
            String frequency) {
        long campaignId = campaign(admin, true, false, false);
        diallable(campaignId, admin, true);
        return pledgeIn(campaignId, admin, twilio, amount, frequency);
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

    /** A fresh agent with a connected phone calls a new lead of the campaign and takes the pledge on that lead. */
    public static CardCaptureScenario pledgeIn(long campaignId, AgentApi admin, TwilioEmulator twilio, String amount,
            String frequency) {
        AgentApi agent = agentOnThePhone(admin, twilio);
        long leadId = lockedLead(campaignId, admin, agent);
        DonorOnCall call = call(leadId, agent, twilio);
        AgentApi.Reply pledge = agent.post("/api/pledges", Map.of(
                "campaignId", campaignId,
                "leadId", leadId,
                "donorName", "Scenario Donor",
                "donorPhone", call.donor().to(),
                "amount", amount,
                "currency", "GBP",
                "frequency", frequency));
        assertThat(pledge.status()).as(pledge.toString()).isEqualTo(201);
        return new CardCaptureScenario(campaignId, pledge.json().get("id").asLong(), leadId, call, agent, twilio);
    }

    /**
     * The agent calls the same pledge's donor again (for a second capture on the same pledge): this call ends first
     * (the donor hangs up), as an agent is on one call at a time.
     */
    public CardCaptureScenario anotherCall() {
        hangUp();
        return new CardCaptureScenario(campaignId, pledgeId, leadId, call(leadId, agent, twilio), agent, twilio);
    }

    /** The donor hangs up, and the dialler has recorded the call's end. */
    public void hangUp() {
        if (!donor.ended()) {
            donor.hangUp();
        }
        await().atMost(EndToEndTest.WAIT).until(() -> agent.get("/api/calls/" + callId).json().get("final")
                .asBoolean());
    }

    /** A new agent user whose phone is connected: rung by the emulator, picked up, reported in progress. */
    public static AgentApi agentOnThePhone(AgentApi admin, TwilioEmulator twilio) {
        AgentApi agent = CallCentreStaff.create(admin, "capturer", "AGENT", false);
        AgentApi.Reply dialled = agent.post("/api/agents/me/phone", null);
        assertThat(dialled.status()).as(dialled.toString()).isEqualTo(202);
        twilio.awaitCallTo("client:" + agent.user(), EndToEndTest.WAIT).pickUp();
        await().atMost(EndToEndTest.WAIT).until(() -> agent.get("/api/agents/me").json().get("phone").get("connected")
                .asBoolean());
        return agent;
    }

    /** A lead with a number of its own, imported into a new call list of the campaign and locked by the agent. */
    public static long lockedLead(long campaignId, AgentApi admin, AgentApi agent) {
        diallable(campaignId, admin);
        AgentApi.Reply list = admin.post("/api/call-lists", Map.of("name", "Capture list " + UUID.randomUUID(),
                "campaignId", campaignId));
        assertThat(list.status()).as(list.toString()).isEqualTo(201);
        long listId = list.json().get("id").asLong();
        // The leak test reads short numbers standing alone as card data: the number appears only as the phone.
        String number = "+447912" + String.format("%06d", NEXT_NUMBER.incrementAndGet() % 1_000_000);
        AgentApi.Reply imported = admin.postCsv("/api/call-lists/" + listId + "/leads",
                "first_name,last_name,phone\nScenario,Donor," + number + "\n");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().get("imported").asLong()).as(imported.toString()).isEqualTo(1);
        AgentApi.Reply found = admin.get("/api/leads?callListId=" + listId);
        assertThat(found.status()).as(found.toString()).isEqualTo(200);
        long leadId = found.json().get("items").get(0).get("id").asLong();
        AgentApi.Reply locked = agent.post("/api/leads/" + leadId + "/lock", null);
        assertThat(locked.status()).as(locked.toString()).isEqualTo(200);
        return leadId;
    }

    /**
     * The dialler may call the campaign's leads (in UTC) from two hours before now to two hours after, as often as the
     * tests like, from {@link #CALLER_ID}; set once a campaign.
     */
    private static void diallable(long campaignId, AgentApi admin) {
        diallable(campaignId, admin, false);
    }

    private static void diallable(long campaignId, AgentApi admin, boolean recordCalls) {
        // Several apps on databases of their own (the cluster tests) reuse campaign ids within one JVM.
        String key = System.identityHashCode(admin) + "#" + campaignId;
        if (DIALLING_CAMPAIGNS.contains(key)) {
            return;
        }
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        AgentApi.Reply rules = admin.put("/api/campaigns/" + campaignId + "/dialling", Map.of(
                "minMinutesBetweenCalls", 0, "maxAttemptsIn8Hours", 1000, "maxAttemptsPerRecord", 1000,
                "callingHoursStart", now.minusHours(2).format(HH_MM), "callingHoursEnd", now.plusHours(2).format(HH_MM),
                "defaultTimeZone", "UTC",
                "defaultRegion", "GB",
                "recordCalls", recordCalls));
        assertThat(rules.status()).as(rules.toString()).isEqualTo(200);
        AgentApi.Reply callerIds = admin.put("/api/campaigns/" + campaignId + "/caller-ids",
                Map.of("numbers", List.of(CALLER_ID)));
        assertThat(callerIds.status()).as(callerIds.toString()).isEqualTo(200);
        DIALLING_CAMPAIGNS.add(key);
    }

    /** The agent calls the lead through the API; the donor picks up and joins the agent's conference. */
    public static DonorOnCall call(long leadId, AgentApi agent, TwilioEmulator twilio) {
        PlacedCall placed = placeCall(leadId, agent);
        EmulatedCall donor = twilio.call(placed.callSid());
        donor.pickUp();
        String conference = conferenceOf(agent);
        donor.awaitConference(conference, EndToEndTest.WAIT);
        return new DonorOnCall(placed.callId(), conference, donor);
    }

    /** The agent calls the lead through the API; answers once Twilio (the emulator) has the call ringing. */
    public static PlacedCall placeCall(long leadId, AgentApi agent) {
        AgentApi.Reply placed = agent.post("/api/leads/" + leadId + "/calls", Map.of());
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        long callId = placed.json().get("id").asLong();
        String sid = await().atMost(EndToEndTest.WAIT).until(
                () -> agent.get("/api/calls/" + callId).json().get("callSid"), node -> !node.isNull()).asText();
        return new PlacedCall(callId, sid);
    }

    /** The conference the agent's phone is in, and the dialler joins the agent's donors to. */
    public static String conferenceOf(AgentApi agent) {
        return "agent-" + agent.user();
    }

    /** A dialler call that Twilio has created. */
    public record PlacedCall(long callId, String callSid) {
    }

    /** A donor's leg of a dialler call, answered and in the agent's conference. */
    public record DonorOnCall(long callId, String conference, EmulatedCall donor) {
    }

    public AgentApi.Reply startCapture() {
        return agent.post("/api/pledges/" + pledgeId + "/card-capture", Map.of("callSid", donor.sid()));
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
