package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.emulator.twilio.EmulatedMessage;
import org.callcentre.emulator.twilio.MessageMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Messages sent to the call centre's number, through the Twilio emulator: an MMS's photos become attachments of the
 * sender's open ticket (the most recently updated, whatever its group), other types and oversized files are refused
 * and noted, the media are deleted from Twilio once kept, a repeated webhook adds nothing and an unsigned one is
 * refused; a sender with no open ticket gets a new one in the triage group.
 */
class TicketMessagingEndToEndTest extends EndToEndTest {

    private static final String NUMBER = "+441134960177";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, (byte) 0xFF,
        (byte) 0xD9};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 4, 5, 6};

    @Autowired
    private JdbcTemplate jdbc;

    @BeforeEach
    void theNumberTakesMessages() {
        twilio.setMessagingUrl(NUMBER, BASE + TicketMessagingController.PATH);
        twilio.setMediaAuthRequired(true);
    }

    @AfterEach
    void mediaAsTwilioHasThem() {
        twilio.setMediaAuthRequired(false);
    }

    @Test
    void photosByMessageAreAttachedToTheSendersMostRecentOpenTicket() throws Exception {
        String from = DiallerSetup.mobile();
        long older = blankTicket("Donations", from, "Gift aid");
        long newer = blankTicket("Clients", from, "Food parcel");

        EmulatedMessage message = twilio.sendMessage(from, NUMBER, "Here is my letter", List.of(
                new MessageMedia("image/jpeg", JPEG), new MessageMedia("image/png", PNG),
                new MessageMedia("image/tiff", new byte[] {1, 2, 3})));

        assertThat(message.responseStatus()).isEqualTo(200);
        assertThat(message.replies()).singleElement().satisfies(reply -> assertThat(reply.body())
                .isEqualTo("Thank you: your message has reached us."));
        JsonNode ticket = agentAdmin.get("/api/tickets/" + newer).json();
        assertThat(ticket.get("correspondence")).singleElement().satisfies(entry -> {
            assertThat(entry.get("channel").asText()).isEqualTo("MESSAGE");
            assertThat(entry.get("bodyText").asText()).isEqualTo("Here is my letter");
            assertThat(entry.get("fromAddress").asText()).isEqualTo(from);
        });
        JsonNode attachments = ticket.get("attachments");
        assertThat(attachments.findValuesAsText("contentType")).containsExactly("image/jpeg", "image/png");
        assertThat(attachments.findValuesAsText("fileName")).containsExactly("message-photo-1.jpg",
                "message-photo-2.png");
        assertThat(content(newer, attachments.get(0).get("id").asLong())).isEqualTo(JPEG);
        assertThat(content(newer, attachments.get(1).get("id").asLong())).isEqualTo(PNG);
        assertThat(agentAdmin.get("/api/tickets/" + newer + "/history").json().findValuesAsText("detail"))
                .contains("message-photo-3: image/tiff is not kept");
        assertThat(agentAdmin.get("/api/tickets/" + older).json().get("correspondence")).isEmpty();
        assertThat(twilio.message(message.sid()).media()).allSatisfy(media -> assertThat(media.deleted())
                .as("deleted from Twilio once on the ticket").isTrue());

        // Twilio sends the webhook again: answered the same, nothing added.
        Map<String, String> again = new HashMap<>(Map.of("MessageSid", message.sid(), "AccountSid",
                twilio.accountSid(), "From", from, "To", NUMBER, "Body", "Here is my letter", "NumMedia", "3"));
        for (int i = 0; i < 3; i++) {
            again.put("MediaUrl" + i, message.media().get(i).url());
            again.put("MediaContentType" + i, message.media().get(i).contentType());
        }
        Reply repeated = TwilioWebhook.post(BASE + TicketMessagingController.PATH, again, twilio.authToken());
        assertThat(repeated.status()).isEqualTo(200);
        assertThat(repeated.body()).contains("Thank you: your message has reached us.");
        assertThat(jdbc.queryForObject("select count(*) from ticket_message where twilio_sid = ?", Integer.class,
                message.sid())).isOne();
        assertThat(jdbc.queryForObject("select count(*) from ticket_attachment where ticket_id = ?", Integer.class,
                newer)).isEqualTo(2);
    }

    @Test
    void aSenderWithoutAnOpenTicketGetsOneInTheTriageGroupAndAnOversizedPhotoIsNoted() {
        String from = DiallerSetup.mobile();
        byte[] large = new byte[5 * 1024 * 1024 + 1];
        large[0] = (byte) 0xFF;

        EmulatedMessage message = twilio.sendMessage(from, NUMBER, "", List.of(new MessageMedia("image/jpeg", large),
                new MessageMedia("image/jpeg", JPEG)));

        assertThat(message.responseStatus()).isEqualTo(200);
        List<Long> tickets = jdbc.queryForList("select id from ticket where end_user_phone = ?", Long.class, from);
        assertThat(tickets).hasSize(1);
        JsonNode ticket = agentAdmin.get("/api/tickets/" + tickets.get(0)).json();
        assertThat(ticket.at("/ticket/group").asText()).isEqualTo("Info");
        assertThat(ticket.at("/ticket/origin").asText()).isEqualTo("MESSAGE");
        assertThat(ticket.at("/ticket/awaitingTriage").asBoolean()).isTrue();
        assertThat(ticket.at("/ticket/title").asText()).isEqualTo("Photos by message from " + from);
        assertThat(ticket.get("attachments").findValuesAsText("fileName")).containsExactly("message-photo-2.jpg");
        assertThat(agentAdmin.get("/api/tickets/" + tickets.get(0) + "/history").json().findValuesAsText("detail"))
                .contains("message-photo-1.jpg: larger than 5242880 bytes");
    }

    @Test
    void anUnsignedOrForgedMessageIsRefusedAndFilesNothing() {
        String from = DiallerSetup.mobile();
        Map<String, String> forged = Map.of("MessageSid", "MM" + "1".repeat(32), "From", from, "To", NUMBER,
                "Body", "forged", "NumMedia", "0");

        assertThat(TwilioWebhook.post(BASE + TicketMessagingController.PATH, forged, null).status()).isEqualTo(403);
        assertThat(TwilioWebhook.post(BASE + TicketMessagingController.PATH, forged, "not-the-auth-token").status())
                .isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from ticket where end_user_phone = ?", Integer.class, from))
                .isZero();
    }

    private long blankTicket(String group, String phone, String title) {
        Reply created = agentAdmin.post("/api/tickets", Map.of("group", group, "title", title,
                "endUser", Map.of("phone", phone)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("number").asLong();
    }

    private static byte[] content(long ticket, long attachment) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/api/tickets/" + ticket
                + "/attachments/" + attachment)).header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("agentadmin:" + PASSWORD).getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
