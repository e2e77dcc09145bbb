package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;
import static org.callcentre.app.support.Problems.assertProblem;

import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.AppProcess;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.Mails;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * Mail from tickets through a real SMTP server: a reply from a canned response refused until its placeholders are
 * filled, previewed sanitised, received by the end-user threaded to their mail, the ticket then waiting on them until
 * they answer and its owner is told; a mail to the owner; a mail server that is down (503, nothing recorded); the
 * group's members only; and new Donations tickets mailed to the members on the days they chose.
 */
class TicketMailRepliesEndToEndTest extends TicketMailTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Autowired
    private JavaMailSenderImpl sender;
    @Autowired
    private IdentityService identity;

    @Test
    void aCannedReplyIsRefusedUntilItsPlaceholdersAreFilledThenReachesTheEndUserThreaded() throws Exception {
        String address = freshAddress("tina");
        String endUsersMail = Mails.from("Tina Tour", address).subject("Volunteering").text("Can I help?")
                .send(mail);
        poll();
        long number = onlyTicketOf(address);
        AgentApi owner = CallCentreStaff.create(admin, "owner", "AGENT", false);
        String group = freshGroup("agent", owner.user());
        move(number, group);
        Reply canned = agent.post("/api/groups/" + group + "/canned-responses", Map.of("title", "Tours",
                "subject", "Volunteer tours", "html", "<p>Hello [Name],</p><p>Our tours are on [Enter dates].</p>"));
        assertThat(canned.status()).as(canned.toString()).isEqualTo(201);
        long cannedId = canned.json().get("id").asLong();
        int messages = messageCount(number);

        Reply refused = agent.post("/api/tickets/" + number + "/replies", Map.of("cannedResponseId", cannedId));

        assertProblem(refused, 422, "[Enter dates]", "[Name]");
        assertThat(refused.json().get("placeholders").toString()).contains("[Name]", "[Enter dates]");
        assertThat(messageCount(number)).isEqualTo(messages);
        assertThat(status(number)).isEqualTo("NEED_TO_CONTACT");
        assertThat(mailTo(address)).isEmpty();

        Map<String, Object> filled = Map.of("cannedResponseId", cannedId, "html", "<p>Hello Tina,</p>"
                + "<p>Our tours are on 3 and 10 May.</p><script>alert(1)</script>"
                + "<img src=\"https://example.org/x.png\" onerror=\"alert(2)\"><a href=\"javascript:alert(3)\">x</a>");
        Reply preview = agent.post("/api/tickets/" + number + "/replies/preview", filled);

        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        JsonNode seen = preview.json();
        assertThat(seen.get("to").asText()).isEqualTo(address);
        assertThat(seen.get("subject").asText()).isEqualTo("Volunteer tours [Ticket #" + number + "]");
        assertThat(seen.get("html").asText()).contains("Hello Tina", "https://example.org/x.png")
                .doesNotContain("script", "onerror", "javascript", "alert");
        assertThat(seen.get("text").asText()).isEqualTo("Hello Tina,\n\nOur tours are on 3 and 10 May.\n\nx");
        assertThat(seen.get("placeholders")).isEmpty();
        assertThat(messageCount(number)).isEqualTo(messages);

        Reply sent = agent.post("/api/tickets/" + number + "/replies", filled);

        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        String ours = sent.json().get("mailMessageId").asText();
        List<MimeMessage> received = mailTo(address);
        assertThat(received).hasSize(1);
        MimeMessage reply = received.get(0);
        assertThat(reply.getSubject()).isEqualTo("Volunteer tours [Ticket #" + number + "]");
        assertThat(reply.getFrom()[0].toString()).contains("info@callcentre.test");
        assertThat(reply.getMessageID()).isEqualTo(ours);
        assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo(endUsersMail);
        assertThat(reply.getHeader("References", null)).contains(endUsersMail);
        assertThat(reply.getHeader("Auto-Submitted")).isNull();
        assertThat(reply.getContentType()).startsWith("multipart/alternative");
        assertThat(body(reply)).contains("Our tours are on 3 and 10 May.").doesNotContain("script", "onerror");
        assertThat(jdbc.queryForObject("select count(*) from ticket_message where ticket_id = ? and direction = 'OUT' "
                + "and mail_message_id = ? and author_user_id = 'agent'", Integer.class, number, ours)).isOne();
        assertThat(status(number)).isEqualTo("WAITING_ON_END_USER");
        assertThat(agent.get("/api/tickets/" + number + "/history").json().findValuesAsText("detail"))
                .anyMatch(detail -> detail.contains("canned response Tours"));

        Reply taken = agent.send("PATCH", "/api/tickets/" + number, Map.of("ownerUserId", owner.user()));
        assertThat(taken.status()).as(taken.toString()).isEqualTo(200);
        Mails.from("Tina Tour", address).subject("Re: Volunteer tours [Ticket #" + number + "]")
                .text("10 May, please").header("In-Reply-To", ours).send(mail);
        poll();

        assertThat(status(number)).isEqualTo("NEED_TO_CONTACT");
        String ownersAddress = owner.user() + "@example.org";
        await().atMost(WAIT).until(() -> !mailTo(ownersAddress).isEmpty());
        MimeMessage told = mailTo(ownersAddress).get(0);
        assertThat(told.getSubject()).contains("[Ticket #" + number + "]", "Tina Tour");
        assertThat(told.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
        assertThat(body(told)).contains("10 May, please");
    }

    @Test
    void theOwnerIsEmailedAtTheAddressOfTheirUserRecord() throws Exception {
        AgentApi owner = CallCentreStaff.create(admin, "boss", "AGENT", false);
        String group = freshGroup("agent", owner.user());
        long number = blankTicket(group, freshAddress("ownerless"));
        int messages = messageCount(number);
        Map<String, Object> note = Map.of("subject", "Can you call her?", "html", "<p>She asked for you.</p>");

        assertProblem(agent.post("/api/tickets/" + number + "/owner-emails", note), 422, "has no owner");
        agent.send("PATCH", "/api/tickets/" + number, Map.of("ownerUserId", owner.user()));
        assertProblem(agent.post("/api/tickets/" + number + "/owner-emails", Map.of("subject", "Call her",
                "html", "<p>She is free on [Enter dates].</p>")), 422, "[Enter dates]");
        assertThat(messageCount(number)).isEqualTo(messages);

        Reply sent = agent.post("/api/tickets/" + number + "/owner-emails", note);

        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        String ownersAddress = owner.user() + "@example.org";
        assertThat(sent.json().get("to").asText()).isEqualTo(ownersAddress);
        List<MimeMessage> received = mailTo(ownersAddress);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getSubject()).isEqualTo("Can you call her? [Ticket #" + number + "]");
        assertThat(body(received.get(0))).contains("She asked for you.");
        assertThat(jdbc.queryForObject("select count(*) from ticket_message where ticket_id = ? and direction = "
                + "'OWNER'", Integer.class, number)).isOne();
        assertThat(agent.get("/api/tickets/" + number + "/history").json().findValuesAsText("kind"))
                .contains("OWNER_EMAIL");
        assertThat(status(number)).isEqualTo("NEED_TO_CONTACT");

        User user = identity.createUserQuery().userId(owner.user()).singleResult();
        user.setEmail(null);
        identity.saveUser(user);
        assertProblem(agent.post("/api/tickets/" + number + "/owner-emails", note), 422, "has no email address");
        assertThat(mailTo(ownersAddress)).hasSize(1);
    }

    @Test
    void aMailServerThatIsDownIsA503AndNothingIsRecorded() throws Exception {
        String group = freshGroup("agent");
        String address = freshAddress("down");
        long number = blankTicket(group, address);
        agent.send("PATCH", "/api/tickets/" + number, Map.of("ownerUserId", "agent"));
        int messages = messageCount(number);
        int history = history(number);
        int port = sender.getPort();
        sender.setPort(AppProcess.freePort());
        try {
            assertProblem(agent.post("/api/tickets/" + number + "/replies", Map.of("subject", "Hello",
                    "html", "<p>Hello</p>")), 503, "nothing was sent or recorded");
            assertProblem(agent.post("/api/tickets/" + number + "/owner-emails", Map.of("subject", "Hello",
                    "html", "<p>Hello</p>")), 503, "nothing was sent or recorded");
        } finally {
            sender.setPort(port);
        }

        assertThat(messageCount(number)).isEqualTo(messages);
        assertThat(history(number)).isEqualTo(history);
        assertThat(status(number)).isEqualTo("NEED_TO_CONTACT");
        assertThat(mailTo(address)).isEmpty();
        Reply sent = agent.post("/api/tickets/" + number + "/replies", Map.of("subject", "Hello",
                "html", "<p>Hello</p>"));
        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        assertThat(mailTo(address)).hasSize(1);
    }

    @Test
    void onlyTheGroupsMembersAndSupervisorsMailFromItsTicketsAndBadRequestsChangeNothing() throws Exception {
        String theirs = freshGroup("agentadmin");
        String address = freshAddress("members");
        long number = blankTicket("Info", address);
        move(number, theirs);
        Map<String, Object> good = Map.of("subject", "Hello", "html", "<p>Hello</p>");
        int messages = messageCount(number);

        assertProblem(agent.post("/api/tickets/" + number + "/replies", good), 403, "not in the group " + theirs);
        assertProblem(agent.post("/api/tickets/" + number + "/replies/preview", good), 403, "not in the group");
        assertProblem(agent.post("/api/tickets/" + number + "/owner-emails", good), 403, "not in the group");
        assertThat(anonymous.post("/api/tickets/" + number + "/replies", good).status()).isEqualTo(401);
        assertThat(agentAdmin.post("/api/tickets/" + number + "/replies/preview", good).status()).isEqualTo(200);

        String ours = freshGroup("agent");
        long mine = blankTicket(ours, freshAddress("mine"));
        Reply otherCanned = agentAdmin.post("/api/groups/" + theirs + "/canned-responses", Map.of("title", "T",
                "subject", "S", "html", "<p>H</p>"));
        assertThat(otherCanned.status()).as(otherCanned.toString()).isEqualTo(201);
        String replies = "/api/tickets/" + mine + "/replies";
        assertProblem(agent.post("/api/tickets/999999999/replies", good), 404, "no ticket 999999999");
        assertProblem(agent.post(replies, Map.of("html", "<p>Hello</p>")), 400, "subject is required");
        assertProblem(agent.post(replies, Map.of("subject", "Hello")), 400, "html is required");
        assertProblem(agent.post(replies, Map.of("subject", "Hello", "html", "<script>alert(1)</script>")), 400,
                "shows nothing");
        assertProblem(agent.post(replies, Map.of("cannedResponseId", otherCanned.json().get("id").asLong())), 422,
                "has no canned response");
        assertProblem(agent.post(replies, "[1, 2]"), 400, "not the JSON");
        Reply phoneOnly = agent.post("/api/tickets", Map.of("group", ours, "title", "Call me",
                "endUser", Map.of("phone", "020 7946 0" + (100 + (System.nanoTime() % 800)))));
        assertThat(phoneOnly.status()).as(phoneOnly.toString()).isEqualTo(201);
        assertProblem(agent.post("/api/tickets/" + phoneOnly.json().get("number").asLong() + "/replies", good), 422,
                "no email address");
        assertThat(agent.post("/api/tickets/" + mine + "/close", Map.of()).status()).isEqualTo(200);
        assertProblem(agent.post(replies, good), 409, "is closed");

        assertThat(messageCount(number)).isEqualTo(messages);
        assertThat(messageCount(mine)).isZero();
        assertThat(mailTo(address)).isEmpty();
    }

    @Test
    void newDonationsTicketsAreMailedToTheMembersWhoseDaysIncludeTheDay() throws Exception {
        DayOfWeek today = ZonedDateTime.now(LONDON).getDayOfWeek();
        List<DayOfWeek> notToday = Arrays.stream(DayOfWeek.values()).filter(day -> day != today).toList();
        // Members are told in the order of their ids: the last one's mail says the others are done.
        AgentApi always = member("dona", Arrays.asList(DayOfWeek.values()));
        AgentApi never = member("donb", List.of());
        AgentApi otherDays = member("donc", notToday);
        AgentApi last = member("donz", Arrays.asList(DayOfWeek.values()));
        List<String> before = members("Donations");
        List<String> with = new ArrayList<>(before);
        with.addAll(List.of(always.user(), never.user(), otherDays.user(), last.user()));
        Reply set = admin.put("/api/groups/Donations/members", Map.of("members", with));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        try {
            long number = blankTicket("Donations", freshAddress("donor"));

            await().atMost(WAIT).until(() -> !mailTo(last.user() + "@example.org").isEmpty());
            assertThat(mailTo(always.user() + "@example.org")).hasSize(1);
            assertThat(mailTo(always.user() + "@example.org").get(0).getSubject())
                    .contains("[Ticket #" + number + "]", "New Donations ticket");
            assertThat(mailTo(never.user() + "@example.org")).isEmpty();
            Instant created = jdbc.queryForObject("select created_at from ticket where id = ?",
                    java.sql.Timestamp.class, number).toInstant();
            assumeThat(created.atZone(LONDON).getDayOfWeek()).as("the ticket was opened on the day looked at")
                    .isEqualTo(today);
            assertThat(mailTo(otherDays.user() + "@example.org")).isEmpty();
        } finally {
            admin.put("/api/groups/Donations/members", Map.of("members", before));
        }
    }

    @Test
    void theDemoGroupsHaveCannedResponsesWithPlaceholders() {
        Reply volunteers = agent.get("/api/groups/Volunteers/canned-responses");

        assertThat(volunteers.status()).as(volunteers.toString()).isEqualTo(200);
        assertThat(volunteers.json().findValuesAsText("html")).anyMatch(html -> html.contains("[Enter dates]"));
        assertThat(agent.get("/api/groups/Donations/canned-responses").json()).isNotEmpty();
    }

    private AgentApi member(String prefix, List<DayOfWeek> days) {
        AgentApi user = CallCentreStaff.create(admin, prefix, "AGENT", false);
        Reply chosen = user.put("/api/users/me/settings", Map.of("initials", "DN", "donationsNotificationDays",
                days.stream().map(DayOfWeek::name).toList()));
        assertThat(chosen.status()).as(chosen.toString()).isEqualTo(200);
        return user;
    }

    private static List<String> members(String group) {
        List<String> members = new ArrayList<>();
        agent.get("/api/groups/" + group).json().get("members").forEach(member -> members.add(member.asText()));
        return members;
    }

    private static long blankTicket(String group, String address) {
        Reply created = agentAdmin.post("/api/tickets", Map.of("group", group, "title", "A matter",
                "endUser", Map.of("name", "Ellie End", "email", address)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("number").asLong();
    }

    private int history(long number) {
        return jdbc.queryForObject("select count(*) from ticket_history where ticket_id = ?", Integer.class, number);
    }

    private static String body(MimeMessage message) throws IOException, MessagingException {
        var out = new java.io.ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
