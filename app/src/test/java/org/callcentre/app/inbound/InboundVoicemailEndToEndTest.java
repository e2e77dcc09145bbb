package org.callcentre.app.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.callcentre.app.support.Problems.assertProblem;

import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.EmulatedRecording;
import org.callcentre.emulator.twilio.RecordPrompt;
import org.callcentre.inbound.InboundUrls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Callers routed by the IVR to a ticket group, through the Twilio emulator: key 2 reaches the Clients group, which
 * takes voicemail (a message becomes a ticket of the group, with its transcript and recording, on the caller's open
 * ticket there if there is one); key 3 the Donations group, which does not (the caller is told to use the website
 * form); and the number's voicemail group takes the callback requests its full queue cannot.
 */
class InboundVoicemailEndToEndTest extends InboundTest {

    @BeforeEach
    void keysToGroups() {
        Map<String, Object> settings = InboundScene.settings(scene.number, scene.team, scene.campaign);
        settings.put("options", List.of(Map.of("key", "1", "label", "donations", "teamId", scene.team),
                Map.of("key", "2", "label", "food parcels", "groupKey", "Clients"),
                Map.of("key", "3", "label", "gift aid", "groupKey", "Donations")));
        settings.put("voicemailGroup", "Clients");
        Reply replaced = admin.put("/api/inbound-numbers/" + scene.numberId, settings);
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("voicemailGroup").asText()).isEqualTo("Clients");
    }

    @Test
    void aVoicemailBecomesATicketOfTheGroupAndTheNextIsAddedToIt() {
        String from = DiallerSetup.mobile();

        EmulatedCall caller = toGroup(from, "2");
        RecordPrompt record = caller.awaitRecord(WAIT);
        assertThat(record.prompt()).contains("Please leave a message for Clients after the tone");
        assertThat(record.transcribe()).isTrue();
        assertThat(record.transcribeCallback()).endsWith("/voicemail/transcription");
        assertThat(record.maxLengthSeconds()).isEqualTo(120);
        assertThat(record.finishOnKey()).isEqualTo("#");
        caller.leaveMessage("I need a food parcel on Friday", 6, '#');
        caller.awaitHeard("Your message has been passed on", WAIT);
        caller.awaitEnded(WAIT);

        EmulatedRecording recording = caller.awaitRecording(WAIT);
        long number = awaitTranscribed(recording.sid());
        JsonNode ticket = agentAdmin.get("/api/tickets/" + number).json();
        assertThat(ticket.at("/ticket/group").asText()).isEqualTo("Clients");
        assertThat(ticket.at("/ticket/origin").asText()).isEqualTo("VOICEMAIL");
        assertThat(ticket.at("/ticket/endUser/phone").asText()).isEqualTo(from);
        assertThat(ticket.at("/ticket/title").asText()).isEqualTo("Voicemail from " + from);
        JsonNode message = ticket.get("correspondence").get(0);
        assertThat(message.get("channel").asText()).isEqualTo("VOICEMAIL");
        assertThat(message.get("bodyText").asText()).isEqualTo("I need a food parcel on Friday");
        assertThat(message.get("recordingUrl").asText()).isEqualTo(recording.mediaUrl());
        Map<String, Object> call = scene.inboundCall(caller.sid());
        assertThat(call.get("result")).isEqualTo("VOICEMAIL");
        assertThat(call.get("group_key")).isEqualTo("Clients");
        assertThat(((Number) call.get("ticket_id")).longValue()).isEqualTo(number);
        assertThat(messages(recording.sid())).as("three reports of one message, filed once").isOne();
        String play = "/api/tickets/" + number + "/messages/" + message.get("id").asLong() + "/recording";
        Reply audio = agentAdmin.get(play);
        assertThat(audio.status()).as(audio.toString()).isEqualTo(200);
        assertThat(audio.contentType()).startsWith("audio/");
        assertProblem(agent.get(play), 403, "you are not in the group Clients");
        assertProblem(agentAdmin.get("/api/tickets/" + number + "/messages/999999999/recording"), 404);

        // A second message from the same number joins the open ticket.
        EmulatedCall again = toGroup(from, "2");
        again.awaitRecord(WAIT);
        again.leaveMessage("Or Saturday would do", 4);
        again.awaitHeard("Your message has been passed on", WAIT);
        long second = awaitTranscribed(again.awaitRecording(WAIT).sid());

        assertThat(second).isEqualTo(number);
        assertThat(agentAdmin.get("/api/tickets/" + number).json().get("correspondence").findValuesAsText("bodyText"))
                .containsExactly("I need a food parcel on Friday", "Or Saturday would do");
    }

    @Test
    void aMessageThatCouldNotBeTranscribedKeepsItsRecording() {
        String from = DiallerSetup.mobile();
        EmulatedCall caller = toGroup(from, "2");
        caller.awaitRecord(WAIT);
        caller.setTranscriptionsFail(true);

        caller.leaveMessage("mumble mumble", 5);
        caller.awaitHeard("Your message has been passed on", WAIT);

        EmulatedRecording recording = caller.awaitRecording(WAIT);
        long number = await().atMost(WAIT).until(() -> ticketOf(recording.sid()), found -> found != null);
        await().atMost(WAIT).until(() -> agentAdmin.get("/api/tickets/" + number + "/history").json()
                .findValuesAsText("kind").contains("TRANSCRIPTION_FAILED"));
        JsonNode message = agentAdmin.get("/api/tickets/" + number).json().get("correspondence").get(0);
        assertThat(message.get("recordingUrl").asText()).isEqualTo(recording.mediaUrl());
        assertThat(message.get("bodyText").isNull()).isTrue();
    }

    @Test
    void aGroupWithoutVoicemailSendsTheCallerToTheWebsiteForm() {
        String from = DiallerSetup.mobile();

        EmulatedCall caller = toGroup(from, "3");

        caller.awaitHeard("To reach Donations, please write to us with the contact form on our website", WAIT);
        caller.awaitEnded(WAIT);
        assertThat(caller.recordOpen()).isFalse();
        scene.awaitResult(caller.sid(), "REFERRED");
        assertThat(scene.inboundCall(caller.sid()).get("group_key")).isEqualTo("Donations");
        assertThat(jdbc.queryForObject("select count(*) from ticket where end_user_phone = ?", Integer.class, from))
                .isZero();
    }

    @Test
    void theThirdCallbackRequestInAQueueLeavesAVoicemailForTheNumbersGroup() {
        for (int i = 0; i < 2; i++) {
            EmulatedCall caller = scene.queuedCaller(DiallerSetup.mobile());
            caller.awaitGather(WAIT);
            caller.press("9");
            scene.awaitResult(caller.sid(), "CALLBACK");
        }
        String third = DiallerSetup.mobile();
        EmulatedCall caller = scene.queuedCaller(third);
        caller.awaitGather(WAIT);

        caller.press("9");

        RecordPrompt record = caller.awaitRecord(WAIT);
        assertThat(record.prompt()).contains("we cannot take another callback request right now",
                "Please leave a message for Clients after the tone");
        caller.leaveMessage("Please call me back about my pledge", 5, '#');
        caller.awaitHeard("Your message has been passed on", WAIT);
        long number = awaitTranscribed(caller.awaitRecording(WAIT).sid());
        assertThat(agentAdmin.get("/api/tickets/" + number).json().at("/ticket/group").asText()).isEqualTo("Clients");
        scene.awaitResult(caller.sid(), "VOICEMAIL");
        assertThat(scene.callbacks(third)).isEmpty();
    }

    @Test
    void anUnsignedVoicemailCallbackIsRefusedAndFilesNothing() {
        String from = DiallerSetup.mobile();
        EmulatedCall caller = toGroup(from, "2");
        caller.awaitRecord(WAIT);
        long callId = ((Number) scene.inboundCall(caller.sid()).get("id")).longValue();
        String url = BASE + InboundUrls.BASE + "calls/" + callId + "/voicemail/recording";
        Map<String, String> forged = Map.of("RecordingSid", "RE" + "0".repeat(32), "RecordingStatus", "completed",
                "RecordingUrl", "http://example.org/forged");

        assertThat(TwilioWebhook.post(url, forged, null).status()).isEqualTo(403);
        assertThat(TwilioWebhook.post(url, forged, "not-the-auth-token").status()).isEqualTo(403);
        assertThat(ticketOf("RE" + "0".repeat(32))).isNull();
        caller.hangUp();
    }

    /** A caller rings the number and presses {@code key} at the menu. */
    private EmulatedCall toGroup(String from, String key) {
        EmulatedCall caller = twilio.placeInboundCall(from, scene.number);
        assertThat(caller.awaitGather(WAIT).prompt()).contains("For food parcels, press 2.", "For gift aid, press 3.");
        caller.press(key);
        return caller;
    }

    /** Waits until the message with this RecordingSid is on a ticket with its transcript; the ticket's number. */
    private long awaitTranscribed(String recordingSid) {
        return await().atMost(WAIT).until(() -> jdbc.queryForList("select ticket_id from ticket_message "
                + "where twilio_sid = ? and body_text is not null and recording_url is not null", Long.class,
                recordingSid), found -> found.size() == 1).get(0);
    }

    private Long ticketOf(String recordingSid) {
        return jdbc.queryForList("select ticket_id from ticket_message where twilio_sid = ?", Long.class,
                recordingSid).stream().findFirst().orElse(null);
    }

    private int messages(String recordingSid) {
        return jdbc.queryForObject("select count(*) from ticket_message where twilio_sid = ?", Integer.class,
                recordingSid);
    }
}
