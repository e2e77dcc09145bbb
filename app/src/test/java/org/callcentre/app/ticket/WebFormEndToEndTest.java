package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.EndToEndTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The public web form, without a login: JSON and the plain HTML form make or add to a ticket of a public group and
 * answer the same whatever happened; bad input, a filled honeypot and a flood from one address create nothing.
 * Each test posts from its own client address (X-Forwarded-For, believed from this machine as from a trusted
 * proxy), so the rate limit of one does not touch another.
 */
class WebFormEndToEndTest extends EndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private WebFormThrottle throttle;

    private Clock realClock;
    private String address;

    @BeforeEach
    void ownAddressAndClock() {
        realClock = throttle.clock();
        address = freshAddress();
    }

    private static String freshAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "203.0." + (113 + n / 250) + "." + (1 + n % 250);
    }

    @AfterEach
    void restoreTheClock() {
        throttle.useClock(realClock);
    }

    @Test
    void aMessageOpensATicketInThePublicGroupAndTheNextIsAddedToItWithoutSayingWhich() {
        String email = CallCentreStaff.freshId("webform") + "@example.org";

        Map<String, Object> withPhone = contact("Clients", email, "Food parcel", "Can I collect on Friday?");
        withPhone.put("phone", "020 7946 0" + (100 + ADDRESSES.get() % 900));
        Reply first = postJson(withPhone);
        Reply second = postJson(contact("Clients", email.toUpperCase(), "Again", "Or Saturday?"));

        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(first.json()).isEqualTo(JSON.createObjectNode().put("received", true));
        assertThat(second.body()).as("appended, answered the same: no number").isEqualTo(first.body());
        List<Long> tickets = ticketsOf(email);
        assertThat(tickets).hasSize(1);
        JsonNode ticket = agentAdmin.get("/api/tickets/" + tickets.get(0)).json();
        assertThat(ticket.at("/ticket/group").asText()).isEqualTo("Clients");
        assertThat(ticket.at("/ticket/origin").asText()).isEqualTo("WEB_FORM");
        assertThat(ticket.at("/ticket/title").asText()).isEqualTo("Food parcel");
        assertThat(ticket.at("/ticket/endUser/name").asText()).isEqualTo("Web Former");
        assertThat(ticket.at("/ticket/endUser/phone").asText()).isEqualTo("+44207946" + withPhone.get("phone")
                .toString().substring(9));
        assertThat(ticket.at("/ticket/unanswered").asInt()).isEqualTo(2);
        assertThat(ticket.get("correspondence").findValuesAsText("bodyText"))
                .containsExactly("Can I collect on Friday?", "Or Saturday?");
        assertThat(ticket.get("correspondence").findValuesAsText("channel")).containsOnly("WEB_FORM");
    }

    @Test
    void everyRefusalSaysWhatToChangeAndCreatesNothing() {
        String email = CallCentreStaff.freshId("refused") + "@example.org";
        for (String field : List.of("group", "name", "email", "subject", "message")) {
            Map<String, Object> body = contact("Clients", email, "Subject", "Message");
            body.remove(field);
            assertProblem(postJsonAnew(body), 400, field + " is required");
            body.put(field, "  ");
            assertProblem(postJsonAnew(body), 400, field + " is required");
        }
        Map<String, Object> badEmail = contact("Clients", "not-an-address", "Subject", "Message");
        assertProblem(postJsonAnew(badEmail), 400, "is not an email address");
        Map<String, Object> badPhone = contact("Clients", email, "Subject", "Message");
        badPhone.put("phone", "call me maybe");
        assertProblem(postJsonAnew(badPhone), 400, "is not a phone number");
        assertProblem(postJsonAnew(contact("Clients", email, "s".repeat(201), "Message")), 400,
                "subject is at most 200 characters");
        assertProblem(postJsonAnew(contact("Clients", email, "Subject", "m".repeat(10_001))), 400,
                "message is at most 10000 characters");
        assertProblem(postJsonAnew(contact("Nobody", email, "Subject", "Message")), 422,
                "there is no group Nobody on the web form");
        assertProblem(postJsonAnew(contact("Director", email, "Subject", "Message")), 422,
                "there is no group Director on the web form");
        assertProblem(send(freshAddress(), "application/json", "{\"name\": "), 400, "not the JSON");
        assertProblem(send(freshAddress(), "application/json", ""), 400);

        assertThat(ticketsOf(email)).isEmpty();
        assertThat(ticketsOf("not-an-address")).isEmpty();
        assertThat(postJsonAnew(contact("Clients", email, "s".repeat(200), "m".repeat(10_000))).status())
                .as("at the limits").isEqualTo(202);
        assertThat(ticketsOf(email)).hasSize(1);
    }

    @Test
    void aFilledHoneypotIsAnsweredAsAcceptedAndDropped() {
        String email = CallCentreStaff.freshId("bot") + "@example.org";
        Map<String, Object> body = contact("Clients", email, "Cheap pills", "Buy now");
        body.put("website", "http://spam.example");

        Reply answer = postJson(body);
        Reply page = postForm(address, Map.of("group", "Clients", "name", "Bot", "email", email, "subject", "Spam",
                "message", "Buy", "website", "x"));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.json().get("received").asBoolean()).isTrue();
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Thank you");
        assertThat(ticketsOf(email)).isEmpty();
    }

    @Test
    void aFloodFromOneAddressIsRefusedUntilItsWindowEnds() {
        String email = CallCentreStaff.freshId("flood") + "@example.org";
        for (int i = 1; i <= 5; i++) {
            assertThat(postJson(contact("Volunteers", email, "Message " + i, "Hello")).status()).as("message " + i)
                    .isEqualTo(202);
        }

        Reply refused = postJson(contact("Volunteers", email, "Message 6", "Hello"));
        Reply refusedForm = postForm(address, Map.of("group", "Volunteers", "name", "Flood", "email", email,
                "subject", "Message 7", "message", "Hello"));

        assertProblem(refused, 429, "too many messages from your address: try again in 600 seconds");
        assertThat(refusedForm.status()).isEqualTo(429);
        assertThat(refusedForm.body()).contains("too many messages from your address");
        assertThat(correspondenceCount(email)).isEqualTo(5);
        assertThat(send(freshAddress(), "application/json", json(contact("Volunteers", email, "Elsewhere", "Hello")))
                .status()).as("another address is not held back").isEqualTo(202);

        throttle.useClock(Clock.offset(realClock, Duration.ofMinutes(9)));
        assertThat(postJson(contact("Volunteers", email, "Message 8", "Hello")).status()).isEqualTo(429);
        throttle.useClock(Clock.offset(realClock, Duration.ofMinutes(10)));
        assertThat(postJson(contact("Volunteers", email, "Message 9", "Hello")).status()).isEqualTo(202);
        assertThat(correspondenceCount(email)).isEqualTo(7);
    }

    @Test
    void thePlainFormListsThePublicGroupsAndIsAnsweredWithPages() throws Exception {
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + WebFormController.PATH
                + "?group=Donations")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(form.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
        assertThat(form.headers().firstValue("Set-Cookie")).as("no session").isEmpty();
        assertThat(form.body()).contains("<form method=\"post\" action=\"/public/contact\"",
                "<option value=\"Clients\">Clients</option>", "<option value=\"Donations\" selected>",
                "name=\"website\"").doesNotContain("Director", "<script");

        // A message in Welsh and Greek: over the 16 KB other forms may have, once percent-encoded.
        String email = CallCentreStaff.freshId("form") + "@example.org";
        String message = "Diolch ŵŷ αβγ ".repeat(700);
        Reply thanks = postForm(address, Map.of("group", "Donations", "name", "Ffion", "email", email,
                "subject", "Rhodd", "message", message, "website", ""));
        assertThat(thanks.status()).as(thanks.toString()).isEqualTo(200);
        assertThat(thanks.contentType()).startsWith("text/html");
        assertThat(thanks.body()).contains("Thank you");
        assertThat(ticketsOf(email)).hasSize(1);
        assertThat(jdbc.queryForObject("select body_text from ticket_message where ticket_id = ?", String.class,
                ticketsOf(email).get(0))).isEqualTo(message.strip());

        // Refused: the form again, as filled in, escaped, saying what to change.
        String other = CallCentreStaff.freshId("form") + "@example.org";
        Reply refused = postForm(address, Map.of("group", "Donations", "name", "<script>alert(1)</script>",
                "email", other, "subject", "\"><img src=x onerror=alert(1)>", "message", ""));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("text/html");
        assertThat(refused.body()).contains("message is required", "&lt;script&gt;alert(1)&lt;/script&gt;",
                "value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\"").doesNotContain("<script>", "<img");
        Reply notPublic = postForm(address, Map.of("group", "President", "name", "P", "email", other,
                "subject", "S", "message", "M"));
        assertThat(notPublic.status()).isEqualTo(422);
        assertThat(notPublic.body()).contains("there is no group President on the web form");
        assertThat(ticketsOf(other)).isEmpty();
    }

    @Test
    void nothingElseIsPublic() {
        assertProblem(anonymous.get("/public/other"), 404, "nothing here but the contact form");
        assertProblem(anonymous.send("PUT", WebFormController.PATH, Map.of()), 404);
    }

    private Map<String, Object> contact(String group, String email, String subject, String message) {
        // No phone: a contact with the number of another's open ticket in the group would be added to it.
        return new HashMap<>(Map.of("group", group, "name", "Web Former", "email", email, "subject", subject,
                "message", message, "website", ""));
    }

    /** From an address of its own: the refusals below are more than one address may send in a window. */
    private static Reply postJsonAnew(Map<String, Object> body) {
        return send(freshAddress(), "application/json", json(body));
    }

    private Reply postJson(Map<String, Object> body) {
        return send(address, "application/json", json(body));
    }

    private static Reply postForm(String from, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8)
                + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(from, "application/x-www-form-urlencoded", body);
    }

    private static Reply send(String from, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(BASE + WebFormController.PATH))
                .header("Content-Type", contentType).header("X-Forwarded-For", from)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(new LinkedHashMap<>(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Long> ticketsOf(String email) {
        return jdbc.queryForList("select id from ticket where end_user_email = ? order by id", Long.class,
                email.toLowerCase());
    }

    private int correspondenceCount(String email) {
        return jdbc.queryForObject("select count(*) from ticket_message m join ticket t on t.id = m.ticket_id "
                + "where t.end_user_email = ?", Integer.class, email);
    }
}
