package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.Mails;
import org.callcentre.ticket.Tickets;
import org.callcentre.ticket.mail.IncomingMail;
import org.callcentre.ticket.mail.MailFiling;
import org.callcentre.ticket.mail.MailIntake;
import org.callcentre.ticket.mail.TicketMailProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Mail into the info mailbox, read over IMAP from a real mail server: a new contact opens a ticket in Info (or the
 * group whose inbox it was sent to), a second one from the same address is added to it, an answer threads to its
 * ticket by In-Reply-To or by the subject's marker, auto-replies and bounces are recorded and nothing more, no message
 * is filed twice whatever the server's flags say, one whose filing fails stays unread until it is filed, and files
 * come with it.
 */
class TicketMailIntakeEndToEndTest extends TicketMailTest {

    @Autowired
    private MailFiling filing;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private TicketMailProperties properties;
    @Autowired
    private Tickets tickets;

    @Test
    void aMailToInfoOpensATicketAndASecondFromTheSameAddressIsAddedToIt() throws Exception {
        String address = freshAddress("jane");
        String first = Mails.from("Jane Donor", address.toUpperCase()).subject("A sofa to give")
                .text("I have a sofa.").html("<p onclick=\"steal()\">I have a <b>sofa</b>.</p>"
                        + "<script>alert(1)</script><img src=\"https://example.org/sofa.jpg\" onerror=\"steal()\">")
                .send(mail);

        poll();

        long number = onlyTicketOf(address);
        JsonNode detail = ticket(agent, number);
        assertThat(detail.at("/ticket/group").asText()).isEqualTo("Info");
        assertThat(detail.at("/ticket/origin").asText()).isEqualTo("EMAIL");
        assertThat(detail.at("/ticket/title").asText()).isEqualTo("A sofa to give");
        assertThat(detail.at("/ticket/endUser/name").asText()).isEqualTo("Jane Donor");
        assertThat(detail.at("/ticket/status").asText()).isEqualTo("NEED_TO_CONTACT");
        JsonNode message = detail.at("/correspondence/0");
        assertThat(message.get("direction").asText()).isEqualTo("IN");
        assertThat(message.get("channel").asText()).isEqualTo("EMAIL");
        assertThat(message.get("fromAddress").asText()).isEqualTo(address);
        assertThat(message.get("toAddress").asText()).isEqualTo("info@callcentre.test");
        assertThat(message.get("bodyText").asText()).isEqualTo("I have a sofa.");
        assertThat(message.get("bodyHtml").asText()).contains("<b>sofa</b>", "https://example.org/sofa.jpg")
                .doesNotContain("script", "onclick", "onerror", "steal");
        assertThat(seenOutcome(first)).isEqualTo("FILED");
        assertThat(Mails.unread(mail, "A sofa to give")).isFalse();

        Mails.from("Jane", address).subject("And a table").text("A table too.").send(mail);
        poll();

        assertThat(onlyTicketOf(address)).isEqualTo(number);
        assertThat(ticket(agent, number).get("correspondence").findValuesAsText("subject"))
                .containsExactly("A sofa to give", "And a table");
        assertThat(ticket(agent, number).at("/ticket/endUser/name").asText()).isEqualTo("Jane Donor");
    }

    @Test
    void aMailSentToAGroupsInboxOpensATicketInThatGroup() throws Exception {
        String group = "Inbox" + CallCentreStaff.freshId("g").substring(1);
        String inbox = group.toLowerCase() + "@callcentre.test";
        Reply created = admin.post("/api/groups", Map.of("key", group, "name", "Inbox " + group,
                "inboxAddress", inbox));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String address = freshAddress("agency");

        // Its inbox forwards to the info mailbox, as the Cc delivers it here.
        Mails.from("An Agency", address).to(inbox, "info@callcentre.test").subject("Referral").text("Hello")
                .send(mail);
        poll();

        long number = onlyTicketOf(address);
        assertThat(ticket(agentAdmin, number).at("/ticket/group").asText()).isEqualTo(group);
        assertThat(ticket(agentAdmin, number).at("/correspondence/0/toAddress").asText()).isEqualTo(inbox);
    }

    @Test
    void anAnswerThreadsToItsTicketByInReplyToOrByTheSubjectsMarker() throws Exception {
        String address = freshAddress("threads");
        Mails.from("Tom Thread", address).subject("Bed frame").text("Can you take a bed frame?").send(mail);
        poll();
        long number = onlyTicketOf(address);
        String group = freshGroup("agent");
        move(number, group);
        Reply replied = agent.post("/api/tickets/" + number + "/replies", Map.of("subject", "Your bed frame",
                "html", "<p>Yes, send a photo.</p>"));
        assertThat(replied.status()).as(replied.toString()).isEqualTo(201);
        String ours = replied.json().get("mailMessageId").asText();

        // Without the threading, the same end-user writing to info would open a ticket in Info.
        String answer = Mails.from("Tom Thread", address).subject("Re: Your bed frame").text("Photo to follow")
                .header("In-Reply-To", ours).header("References", ours).send(mail);
        poll();

        assertThat(ticketsOf(address)).containsExactly(number);
        assertThat(messageCount(number)).isEqualTo(3);
        assertThat(status(number)).isEqualTo("NEED_TO_CONTACT");
        assertThat(seenOutcome(answer)).isEqualTo("REPLY");

        String byMarker = Mails.from("Tom Thread", address).subject("Photo [Ticket #" + number + "]")
                .text("Here it is").send(mail);
        String stranger = freshAddress("stranger");
        Mails.from("Someone Else", stranger).subject("About [Ticket #" + number + "]").text("Me too").send(mail);
        poll();

        assertThat(ticketsOf(address)).containsExactly(number);
        assertThat(messageCount(number)).isEqualTo(4);
        assertThat(seenOutcome(byMarker)).isEqualTo("REPLY");
        long strangers = onlyTicketOf(stranger);
        assertThat(strangers).isNotEqualTo(number);
        assertThat(ticket(agent, strangers).at("/ticket/group").asText()).isEqualTo("Info");
    }

    @Test
    void autoRepliesAndBouncesAreRecordedAndNothingElseSoTwoAutoRespondersCannotLoop() throws Exception {
        String address = freshAddress("away");
        Mails.from("Ann Away", address).subject("Wardrobe").text("A wardrobe to give").send(mail);
        poll();
        long number = onlyTicketOf(address);
        Reply replied = agent.post("/api/tickets/" + number + "/replies", Map.of("subject", "Your wardrobe",
                "html", "<p>Thank you.</p>"));
        assertThat(replied.status()).as(replied.toString()).isEqualTo(201);
        String ours = replied.json().get("mailMessageId").asText();
        assertThat(mailTo(address)).hasSize(1);
        int messages = messageCount(number);
        int history = history(number);

        String autoSubmitted = Mails.from("Ann Away", address).subject("Out of office: Your wardrobe")
                .text("I am away.").header("Auto-Submitted", "auto-replied").header("In-Reply-To", ours).send(mail);
        String xAutoreply = Mails.from("Ann Away", address).subject("Away").text("Away.")
                .header("X-Autoreply", "yes").send(mail);
        String bulk = Mails.from("Ann Away", address).subject("Newsletter").text("News")
                .header("Precedence", "bulk").send(mail);
        String nullSender = Mails.from("Ann Away", address).subject("Vacation").text("Away.").nullSender()
                .send(mail);
        String daemon = Mails.from("Mail Delivery System", "MAILER-DAEMON@mx.example.org")
                .subject("Undelivered Mail Returned to Sender").text("Your mail could not be delivered.")
                .send(mail);
        String report = Mails.from("Postmaster", "postmaster@mx.example.org").subject("Delivery Status Notification")
                .text("Delivery failed.").deliveryReport(address).send(mail);
        poll();

        assertThat(seenOutcome(autoSubmitted)).isEqualTo("AUTO_REPLY");
        assertThat(seenOutcome(xAutoreply)).isEqualTo("AUTO_REPLY");
        assertThat(seenOutcome(bulk)).isEqualTo("AUTO_REPLY");
        assertThat(seenOutcome(nullSender)).isEqualTo("BOUNCE");
        assertThat(seenOutcome(daemon)).isEqualTo("BOUNCE");
        assertThat(seenOutcome(report)).isEqualTo("BOUNCE");
        assertThat(jdbc.queryForObject("select ticket_id from ticket_mail_seen where mail_key = ?", Long.class,
                autoSubmitted)).isEqualTo(number);
        assertThat(ticketsOf(address)).containsExactly(number);
        assertThat(ticketsOf("mailer-daemon@mx.example.org")).isEmpty();
        assertThat(ticketsOf("postmaster@mx.example.org")).isEmpty();
        assertThat(messageCount(number)).isEqualTo(messages);
        assertThat(history(number)).isEqualTo(history);
        assertThat(status(number)).isEqualTo("WAITING_ON_END_USER");
        // Nothing answered them: the end-user's mailbox still holds the one reply.
        assertThat(mailTo(address)).hasSize(1);
    }

    @Test
    void noMessageIsFiledTwiceEvenWhenTheServerForgetsItWasRead() throws Exception {
        String address = freshAddress("twice");
        Mails.from("Tess Twice", address).subject("Chairs").text("Four chairs").send(mail);
        Mails.from("Tess Twice", address).subject("No id").text("A mail without a Message-ID").messageId(null)
                .send(mail);

        MailIntake.Polled first = poll();
        MailIntake.Polled second = poll();
        long number = onlyTicketOf(address);
        assertThat(first.filed()).isGreaterThanOrEqualTo(2);
        assertThat(second).isEqualTo(new MailIntake.Polled(0, 0, 0));
        assertThat(messageCount(number)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from ticket_mail_seen where mail_key like ?", Integer.class,
                "imap:info@callcentre.test/INBOX/%")).isPositive();

        // A crash after the commit and before \Seen: the server still has every message unread.
        Mails.markAllUnread(mail);
        MailIntake.Polled again = poll();

        assertThat(again.filed()).isZero();
        assertThat(again.alreadyFiled()).isGreaterThanOrEqualTo(2);
        assertThat(onlyTicketOf(address)).isEqualTo(number);
        assertThat(messageCount(number)).isEqualTo(2);
        assertThat(Mails.unread(mail, "Chairs")).isFalse();
        assertThat(Mails.unread(mail, "No id")).isFalse();
    }

    @Test
    void aMailWhoseFilingFailsStaysUnreadAndIsFiledByALaterPoll() throws Exception {
        String address = freshAddress("later");
        String id = Mails.from("Lee Later", address).subject("Mattress").text("A mattress").send(mail);
        MailFiling failing = new MailFiling(tickets, jdbc, java.time.Clock.systemUTC(), properties) {
            @Override
            public Filed file(String key, IncomingMail mail) {
                super.file(key, mail);
                throw new IllegalStateException("the database went away");
            }
        };
        MailIntake broken = new MailIntake(properties.imap(), failing, transactions, 5_000_000);
        long logged = logLength();

        MailIntake.Polled polled = broken.poll();

        assertThat(polled.failed()).isPositive();
        assertThat(ticketsOf(address)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from ticket_mail_seen where mail_key = ?", Integer.class, id))
                .isZero();
        assertThat(Mails.unread(mail, "Mattress")).isTrue();
        assertThat(logSince(logged)).contains(": not filed, left unread").doesNotContain("A mattress");

        poll();

        assertThat(ticketsOf(address)).hasSize(1);
        assertThat(seenOutcome(id)).isEqualTo("FILED");
        assertThat(Mails.unread(mail, "Mattress")).isFalse();
    }

    @Test
    void attachmentsAreKeptAndThoseOfOtherTypesAreNoted() throws Exception {
        String address = freshAddress("photos");
        byte[] photo = "a PNG's bytes".getBytes(StandardCharsets.UTF_8);
        Mails.from("Pat Photo", address).subject("Photos of the sofa").text("Attached.")
                .attach("sofa.png", "image/png", photo)
                .attach("setup.exe", "application/x-msdownload", new byte[] {1, 2, 3})
                .send(mail);
        poll();

        long number = onlyTicketOf(address);
        JsonNode attachments = ticket(agent, number).get("attachments");
        assertThat(attachments).hasSize(1);
        assertThat(attachments.get(0).get("fileName").asText()).isEqualTo("sofa.png");
        assertThat(attachments.get(0).get("contentType").asText()).isEqualTo("image/png");
        Reply content = agent.get("/api/tickets/" + number + "/attachments/" + attachments.get(0).get("id").asLong());
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.body()).isEqualTo("a PNG's bytes");
        List<String> refused = agent.get("/api/tickets/" + number + "/history").json().findValuesAsText("detail");
        assertThat(refused).anyMatch(detail -> detail.contains("setup.exe") && detail.contains("not kept"));
    }

    private int history(long number) {
        return jdbc.queryForObject("select count(*) from ticket_history where ticket_id = ?", Integer.class, number);
    }
}
