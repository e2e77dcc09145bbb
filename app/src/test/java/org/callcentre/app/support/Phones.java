package org.callcentre.app.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;

import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.TwilioEmulator;

/** An agent's phone and calls through the Twilio emulator, as the end-to-end tests drive them. */
public final class Phones {

    private Phones() {
    }

    /** Connects the user's phone for a shift: Twilio calls the device and the user picks up. */
    public static void connect(TwilioEmulator twilio, AgentApi user) {
        Reply dialled = user.post("/api/agents/me/phone", null);
        assertThat(dialled.status()).as(dialled.toString()).isEqualTo(202);
        twilio.call(dialled.json().get("callSid").asText()).pickUp();
        await().atMost(EndToEndTest.WAIT).until(() -> user.get("/api/agents/me").json().get("phone")
                .get("connected").asBoolean());
    }

    /** Places a call to the lead and the person answers: answers the call's id once it is in progress. */
    public static long answeredCall(TwilioEmulator twilio, AgentApi who, long leadId) {
        Reply placed = who.post("/api/leads/" + leadId + "/calls", Map.of());
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        long callId = placed.json().get("id").asLong();
        await().atMost(EndToEndTest.WAIT).until(() -> !who.get("/api/calls/" + callId).json().get("callSid")
                .isNull());
        EmulatedCall person = twilio.call(who.get("/api/calls/" + callId).json().get("callSid").asText());
        person.pickUp();
        await().atMost(EndToEndTest.WAIT).until(() -> "in-progress".equals(who.get("/api/calls/" + callId).json()
                .get("status").asText()));
        return callId;
    }

    /** Hangs the call up from the console and waits for its end. */
    public static void hangUp(AgentApi who, long callId) {
        Reply hungUp = who.delete("/api/calls/" + callId);
        assertThat(hungUp.status()).as(hungUp.toString()).isEqualTo(202);
        await().atMost(EndToEndTest.WAIT).until(() -> who.get("/api/calls/" + callId).json().get("final")
                .asBoolean());
    }
}
