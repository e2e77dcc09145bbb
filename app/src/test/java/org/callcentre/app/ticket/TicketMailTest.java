package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.ticket.mail.MailIntake;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/** What the mail tests share: a poll of the info mailbox on demand, and the rows and mailboxes they look at. */
abstract class TicketMailTest extends EndToEndTest {

    @Autowired
    protected MailIntake intake;
    @Autowired
    protected JdbcTemplate jdbc;

    /** Reads the info mailbox now, as the schedule would. */
    protected MailIntake.Polled poll() throws MessagingException {
        return intake.poll();
    }

    /** A fresh end-user address. */
    protected static String freshAddress(String prefix) {
        return CallCentreStaff.freshId(prefix) + "@example.org";
    }

    /** The numbers of the end-user's tickets, oldest first. */
    protected List<Long> ticketsOf(String address) {
        return jdbc.queryForList("select id from ticket where end_user_email = ? order by id", Long.class, address);
    }

    protected long onlyTicketOf(String address) {
        List<Long> tickets = ticketsOf(address);
        assertThat(tickets).as("the tickets of " + address).hasSize(1);
        return tickets.get(0);
    }

    protected JsonNode ticket(AgentApi api, long number) {
        Reply reply = api.get("/api/tickets/" + number);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    protected int messageCount(long number) {
        return jdbc.queryForObject("select count(*) from ticket_message where ticket_id = ?", Integer.class, number);
    }

    protected String status(long number) {
        return jdbc.queryForObject("select status from ticket where id = ?", String.class, number);
    }

    protected String seenOutcome(String key) {
        List<String> outcomes = jdbc.queryForList("select outcome from ticket_mail_seen where mail_key = ?",
                String.class, key);
        assertThat(outcomes).as("the seen row of " + key).hasSize(1);
        return outcomes.get(0);
    }

    /** The mail delivered to the address so far. */
    protected static List<MimeMessage> mailTo(String address) {
        return mail.receivedBy(address);
    }

    /** A fresh group with these members, for a test's tickets to be moved into. */
    protected static String freshGroup(String... members) {
        String key = "Mail" + CallCentreStaff.freshId("g").substring(1);
        Reply created = admin.post("/api/groups", Map.of("key", key, "name", "Mail " + key, "public", false,
                "takesVoicemail", false));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Reply set = admin.put("/api/groups/" + key + "/members", Map.of("members", List.of(members)));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        return key;
    }

    protected static void move(long number, String group) {
        Reply moved = agentAdmin.post("/api/tickets/" + number + "/move", Map.of("group", group));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    }
}
