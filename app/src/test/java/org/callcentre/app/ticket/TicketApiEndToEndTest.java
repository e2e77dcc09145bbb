package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.processes.ticket.TicketProcess.Elements;
import org.callcentre.ticket.Tickets;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code /api/tickets} and {@code /api/groups/{key}/tickets} over HTTP: every rule and every refusal (each refusal
 * changes nothing: the row, its history, correspondence, notes, attachments and the instance stay as they were),
 * who may reach which ticket, merge and close with what they move and delete, the lists and their sorts, and the
 * waiting-for-event timer returning a ticket to need to contact.
 */
class TicketApiEndToEndTest extends EndToEndTest {

    private static final long NO_SUCH_TICKET = 987_654_321L;

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private Tickets tickets;
    @Autowired
    private ManagementService management;

    private TicketScene scene;

    @BeforeEach
    void scene() {
        scene = new TicketScene(BASE, jdbc, transactions, tickets);
    }

    // ------------------------------------------------------------------------------------------ 400

    @Test
    void aBlankTicketThatIsNotOneIsRefusedAndNothingIsMade() {
        String email = TicketScene.email("bad");
        Map<String, Object> endUser = Map.of("name", "Jane", "email", email);
        assertProblem(agent.post("/api/tickets", Map.of("group", "Donations", "title", "No one to reach",
                "endUser", Map.of("name", "Jane"))), 400, "an email address or a phone number is required");
        assertProblem(agent.post("/api/tickets", Map.of("group", "Donations", "title", "No end-user")), 400,
                "endUser is required");
        assertProblem(agent.post("/api/tickets", Map.of("group", "Donations", "title", "Bad address",
                "endUser", Map.of("email", "jane.example.org"))), 400, "is not an email address");
        assertProblem(agent.post("/api/tickets", Map.of("group", "Donations", "title", "Bad number",
                "endUser", Map.of("email", email, "phone", "12"))), 400, "'12' is not a phone number");
        assertProblem(agent.post("/api/tickets", Map.of("group", "Donations", "endUser", endUser)), 400,
                "title is required");
        assertProblem(agent.post("/api/tickets", Map.of("group", "Donations", "title", " ", "endUser", endUser)),
                400, "title is required");
        assertProblem(agent.post("/api/tickets", Map.of("group", "Donations", "title", "t".repeat(201),
                "endUser", endUser)), 400, "at most 200");
        assertProblem(agent.post("/api/tickets", Map.of("group", "Donations", "title", "Odd", "endUser", "jane")),
                400, "not the JSON this endpoint takes");
        assertProblem(agent.post("/api/tickets", "{\"group\": \"Donations\", "), 400,
                "not the JSON this endpoint takes");

        assertThat(jdbc.queryForObject("select count(*) from ticket where end_user_email = ?", Integer.class, email))
                .isZero();
    }

    @Test
    void aChangeThatIsNotOneIsRefusedAndChangesNothing() {
        long number = TicketScene.blank(agent, "Donations", "Gift aid form", TicketScene.email("patch"));
        String before = scene.state(number);
        String path = "/api/tickets/" + number;

        assertProblem(agent.send("PATCH", path, Map.of("status", "DONE")), 400, "status is one of");
        assertProblem(agent.send("PATCH", path, Map.of("status", 3)), 400, "status is a string");
        assertProblem(agent.send("PATCH", path, Map.of("status", "WAITING_FOR_EVENT", "waitUntil", "next Tuesday")),
                400, "is not an ISO instant");
        assertProblem(agent.send("PATCH", path, Map.of("status", "WAITING_FOR_EVENT", "waitUntil", "2027-05-10")),
                400, "is not an ISO instant");
        assertProblem(agent.send("PATCH", path, Map.of("title", "New", "group", "Volunteers")), 400,
                "unknown field group");
        assertProblem(agent.send("PATCH", path, List.of("title")), 400, "a JSON object");
        assertProblem(agent.send("PATCH", path, "{\"title\": "), 400, "not the JSON this endpoint takes");
        assertProblem(agent.send("PATCH", path, Map.of("title", " ")), 400, "title is required");
        assertProblem(agent.send("PATCH", path, Map.of("nextAction", "n".repeat(501))), 400, "at most 500");
        // A good field does not carry a bad one through: the whole change is refused.
        assertProblem(agent.send("PATCH", path, Map.of("title", "Renamed", "nextAction", "n".repeat(501))), 400,
                "at most 500");
        assertProblem(agent.post(path + "/notes", Map.of("text", " ")), 400, "text is required");
        assertProblem(agent.post(path + "/notes", Map.of("text", "n".repeat(4001))), 400, "at most 4000");
        assertProblem(agent.post(path + "/move", Map.of()), 400, "group is required");
        assertProblem(agent.post(path + "/merge", Map.of()), 400, "intoNumber is required");
        assertProblem(agent.post(path + "/merge", Map.of("intoNumber", "the other one")), 400,
                "not the JSON this endpoint takes");

        assertThat(scene.state(number)).as("nothing changed").isEqualTo(before);
    }

    @Test
    void aListThatIsNotOneIsRefused() {
        assertProblem(agent.get("/api/groups/Donations/tickets?sort=priority"), 400, "sort is one of");
        assertProblem(agent.get("/api/groups/Donations/tickets?sort=--title"), 400, "sort is one of");
        assertProblem(agent.get("/api/groups/Donations/tickets?status=DONE"), 400, "status is one of");
        assertProblem(agent.get("/api/groups/Donations/tickets?status=CLOSED"), 400, "/tickets/closed");
        assertProblem(agent.get("/api/groups/Donations/tickets?mineAndUnassigned=perhaps"), 400);
        assertProblem(agent.get("/api/groups/Donations/tickets/closed?from=2027-01-01T00:00:00Z"), 400,
                "from and to go together");
        assertProblem(agent.get("/api/groups/Donations/tickets/closed?to=2027-01-01T00:00:00Z"), 400,
                "from and to go together");
        assertProblem(agent.get("/api/groups/Donations/tickets/closed?from=2027-02-01T00:00:00Z"
                + "&to=2027-01-01T00:00:00Z"), 400, "from must be before to");
        assertProblem(agent.get("/api/groups/Donations/tickets/closed?from=yesterday&to=2027-01-01T00:00:00Z"), 400,
                "is not an ISO instant");
    }

    // ------------------------------------------------------------------------------------------ 401, 403, 404

    @Test
    void withoutALoginNothingIsShownOrChanged() {
        long number = scene.received("Donations", TicketScene.email("anon"), "Sofa");
        long attachment = scene.attachments(number).get(0);
        String before = scene.state(number);
        String path = "/api/tickets/" + number;

        for (Reply reply : List.of(anonymous.get(path), anonymous.send("PATCH", path, Map.of("title", "x")),
                anonymous.get(path + "/history"), anonymous.post(path + "/notes", Map.of("text", "x")),
                anonymous.post(path + "/move", Map.of("group", "Volunteers")),
                anonymous.post(path + "/merge", Map.of("intoNumber", 1)), anonymous.post(path + "/close", Map.of()),
                anonymous.get(path + "/attachments/" + attachment), anonymous.get("/api/groups/Donations/tickets"),
                anonymous.post("/api/groups/Donations/tickets/close-completed", Map.of()),
                anonymous.get("/api/groups/Donations/tickets/closed"),
                anonymous.post("/api/tickets", Map.of("group", "Donations", "title", "x", "endUser",
                        Map.of("email", TicketScene.email("anon")))))) {
            assertProblem(reply, 401);
        }
        assertThat(scene.state(number)).isEqualTo(before);
    }

    /** The demo agent is in Info, Donations and Volunteers, not in Agency: its tickets are not theirs to see. */
    @Test
    void anAgentReachesNoTicketOfAGroupTheyAreNotIn() {
        long number = scene.received("Agency", TicketScene.email("agency"), "Referral");
        long mine = TicketScene.blank(agent, "Donations", "Mine", TicketScene.email("mine"));
        long attachment = scene.attachments(number).get(0);
        String before = scene.state(number);
        String mineBefore = scene.state(mine);
        String path = "/api/tickets/" + number;

        assertProblem(agent.get(path), 403, "not in the group Agency");
        assertProblem(agent.get(path + "/history"), 403, "not in the group Agency");
        assertProblem(agent.send("PATCH", path, Map.of("ownerUserId", "agent")), 403, "not in the group Agency");
        assertProblem(agent.post(path + "/notes", Map.of("text", "seen it")), 403, "not in the group Agency");
        assertProblem(agent.post(path + "/move", Map.of("group", "Donations")), 403, "not in the group Agency");
        assertProblem(agent.post(path + "/merge", Map.of("intoNumber", mine)), 403, "not in the group Agency");
        assertProblem(agent.post(path + "/close", Map.of()), 403, "not in the group Agency");
        assertProblem(agent.get(path + "/attachments/" + attachment), 403, "not in the group Agency");
        assertProblem(agent.get("/api/groups/Agency/tickets"), 403, "not in the group Agency");
        assertProblem(agent.post("/api/groups/Agency/tickets/close-completed", Map.of()), 403,
                "not in the group Agency");
        assertProblem(agent.get("/api/groups/Agency/tickets/closed"), 403, "not in the group Agency");
        String email = TicketScene.email("agency");
        assertProblem(agent.post("/api/tickets", Map.of("group", "Agency", "title", "Mine now",
                "endUser", Map.of("email", email))), 403, "not in the group Agency");

        assertThat(scene.state(number)).isEqualTo(before);
        assertThat(scene.state(mine)).isEqualTo(mineBefore);
        assertThat(jdbc.queryForObject("select count(*) from ticket where end_user_email = ?", Integer.class, email))
                .isZero();
        // The group's members and the supervisors (every group) do see it.
        assertThat(agentAdmin.get(path).status()).isEqualTo(200);
        assertThat(admin.get(path).status()).isEqualTo(200);
    }

    @Test
    void whatDoesNotExistIsNotFound() {
        long number = scene.received("Donations", TicketScene.email("found"), "Sofa");
        String before = scene.state(number);
        String missing = "/api/tickets/" + NO_SUCH_TICKET;

        assertProblem(agent.get(missing), 404, "there is no ticket " + NO_SUCH_TICKET);
        assertProblem(agent.get(missing + "/history"), 404, "there is no ticket");
        assertProblem(agent.send("PATCH", missing, Map.of("title", "x")), 404, "there is no ticket");
        assertProblem(agent.post(missing + "/notes", Map.of("text", "x")), 404, "there is no ticket");
        assertProblem(agent.post(missing + "/move", Map.of("group", "Donations")), 404, "there is no ticket");
        assertProblem(agent.post(missing + "/merge", Map.of("intoNumber", number)), 404, "there is no ticket");
        assertProblem(agent.post(missing + "/close", Map.of()), 404, "there is no ticket");
        assertProblem(agent.get(missing + "/attachments/1"), 404, "there is no ticket");
        assertProblem(agent.get("/api/tickets/" + number + "/attachments/" + NO_SUCH_TICKET), 404,
                "has no attachment " + NO_SUCH_TICKET);
        assertProblem(agent.get("/api/groups/Nogroup/tickets"), 404, "there is no group Nogroup");
        assertProblem(agent.post("/api/groups/Nogroup/tickets/close-completed", Map.of()), 404,
                "there is no group Nogroup");
        assertProblem(agent.get("/api/groups/Nogroup/tickets/closed"), 404, "there is no group Nogroup");
        // Another ticket's attachment is not this one's.
        long other = scene.received("Donations", TicketScene.email("found"), "Another sofa");
        assertProblem(agent.get("/api/tickets/" + number + "/attachments/" + scene.attachments(other).get(0)), 404,
                "has no attachment");

        assertThat(scene.state(number)).isEqualTo(before);
    }

    // ------------------------------------------------------------------------------------------ 409

    @Test
    void aClosedTicketTakesNoChange() {
        long number = TicketScene.blank(agent, "Donations", "Done with", TicketScene.email("closed"));
        long open = TicketScene.blank(agent, "Donations", "Still open", TicketScene.email("closed"));
        assertThat(agent.post("/api/tickets/" + number + "/close", Map.of()).status()).isEqualTo(200);
        String before = scene.state(number);
        String openBefore = scene.state(open);
        String path = "/api/tickets/" + number;

        assertProblem(agent.send("PATCH", path, Map.of("title", "Again")), 409, "ticket " + number + " is closed");
        assertProblem(agent.post(path + "/move", Map.of("group", "Volunteers")), 409, "is closed");
        assertProblem(agent.post(path + "/merge", Map.of("intoNumber", open)), 409, "is closed");
        assertProblem(agent.post(path + "/close", Map.of()), 409, "is closed");
        assertProblem(agent.post("/api/tickets/" + open + "/merge", Map.of("intoNumber", number)), 409,
                "ticket " + number + " is closed: merge into an open ticket");

        assertThat(scene.state(number)).isEqualTo(before);
        assertThat(scene.state(open)).isEqualTo(openBefore);
        // It can still be read, with its history.
        assertThat(agent.get(path).json().get("ticket").get("status").asText()).isEqualTo("CLOSED");
        assertThat(agent.get(path + "/history").json().findValuesAsText("kind")).endsWith("CLOSED");
    }

    /**
     * A move that would give the end-user a second open ticket in the group is refused, naming the ticket to merge
     * into; so is a move to where it is already.
     */
    @Test
    void aMoveThatWouldBreakTheOneOpenTicketRuleIsRefused() {
        String email = TicketScene.email("twice");
        long donations = scene.received("Donations", email, "Gift aid");
        long volunteers = scene.received("Volunteers", email, "Volunteering");
        String before = scene.state(donations);
        String otherBefore = scene.state(volunteers);

        assertProblem(agent.post("/api/tickets/" + donations + "/move", Map.of("group", "Volunteers")), 409,
                "the end-user already has open ticket " + volunteers + " in Volunteers",
                "merge ticket " + donations + " into it instead");
        assertProblem(agent.post("/api/tickets/" + donations + "/move", Map.of("group", "Donations")), 409,
                "ticket " + donations + " is already in Donations");

        assertThat(scene.state(donations)).isEqualTo(before);
        assertThat(scene.state(volunteers)).isEqualTo(otherBefore);
    }

    /** The same rule holds for an end-user known by the same phone number under another address. */
    @Test
    void theSameNumberUnderAnotherAddressIsTheSameEndUser() {
        String phone = TicketScene.mobile();
        String national = "0" + phone.substring(3, 7) + " " + phone.substring(7);
        Reply first = agent.post("/api/tickets", Map.of("group", "Volunteers", "title", "By phone",
                "endUser", Map.of("email", TicketScene.email("phone"), "phone", national)));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        long number = first.json().get("number").asLong();
        long elsewhere = agent.post("/api/tickets", Map.of("group", "Donations", "title", "Same number",
                "endUser", Map.of("email", TicketScene.email("phone"), "phone", phone)))
                .json().get("number").asLong();

        assertProblem(agent.post("/api/tickets", Map.of("group", "Volunteers", "title", "Again",
                "endUser", Map.of("email", TicketScene.email("phone"), "phone", "+44 " + phone.substring(3)))),
                409,
                "already has open ticket " + number);
        assertProblem(agent.post("/api/tickets/" + elsewhere + "/move", Map.of("group", "Volunteers")), 409,
                "open ticket " + number + " in Volunteers");
        assertThat(agent.post("/api/tickets/" + number + "/close", Map.of()).status()).isEqualTo(200);
        Reply moved = agent.post("/api/tickets/" + elsewhere + "/move", Map.of("group", "Volunteers"));
        assertThat(moved.status()).as("once the other is closed: " + moved).isEqualTo(200);
        assertThat(agent.post("/api/tickets/" + number + "/close", Map.of()).status()).isEqualTo(409);
        agent.post("/api/tickets/" + elsewhere + "/close", Map.of());
    }

    // ------------------------------------------------------------------------------------------ 422

    @Test
    void whatTheRulesCannotKeepIsUnprocessableAndChangesNothing() {
        long number = TicketScene.blank(agentAdmin, "Agency", "Referral", TicketScene.email("rules"));
        String before = scene.state(number);
        String path = "/api/tickets/" + number;
        String past = Instant.now().minus(1, ChronoUnit.HOURS).toString();
        String future = Instant.now().plus(2, ChronoUnit.DAYS).toString();

        // The demo agent is not in Agency.
        assertProblem(agentAdmin.send("PATCH", path, Map.of("ownerUserId", "agent")), 422,
                "agent is not in the group Agency");
        assertProblem(agentAdmin.send("PATCH", path, Map.of("ownerUserId", "nobody-by-that-name")), 422,
                "there is no active user nobody-by-that-name");
        assertProblem(agentAdmin.send("PATCH", path, Map.of("status", "CLOSED")), 422, path + "/close");
        assertProblem(agentAdmin.send("PATCH", path, Map.of("title", "Renamed", "status", "CLOSED")), 422,
                "/close");
        assertProblem(agentAdmin.send("PATCH", path, Map.of("status", "WAITING_FOR_EVENT")), 422,
                "WAITING_FOR_EVENT needs a waitUntil in the future");
        assertProblem(agentAdmin.send("PATCH", path, Map.of("status", "WAITING_FOR_EVENT", "waitUntil", past)), 422,
                "in the future");
        assertProblem(agentAdmin.send("PATCH", path, Map.of("waitUntil", future)), 422,
                "waitUntil goes with the status WAITING_FOR_EVENT");
        assertProblem(agentAdmin.send("PATCH", path, Map.of("status", "COMPLETED", "waitUntil", future)), 422,
                "waitUntil goes with the status WAITING_FOR_EVENT");
        assertProblem(agentAdmin.post(path + "/merge", Map.of("intoNumber", number)), 422,
                "cannot be merged into itself");
        assertProblem(agentAdmin.post(path + "/merge", Map.of("intoNumber", NO_SUCH_TICKET)), 422,
                "there is no ticket " + NO_SUCH_TICKET);
        // Merging into a ticket of a smaller number that does not exist says the same.
        assertProblem(agentAdmin.post(path + "/merge", Map.of("intoNumber", 0)), 422, "there is no ticket 0");
        assertProblem(agentAdmin.post(path + "/move", Map.of("group", "Nogroup")), 422, "there is no group Nogroup");
        String email = TicketScene.email("rules");
        assertProblem(agentAdmin.post("/api/tickets", Map.of("group", "Nogroup", "title", "x",
                "endUser", Map.of("email", email))), 422, "there is no group Nogroup");

        assertThat(scene.state(number)).isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from ticket where end_user_email = ?", Integer.class, email))
                .isZero();
    }

    // ------------------------------------------------------------------------------------------ working a ticket

    @Test
    void aChangeIsWrittenWithItsHistoryAndTheTaskFollowsTheRow() {
        long number = TicketScene.blank(agent, "Donations", "Gift aid form", TicketScene.email("work"));
        assertThat(scene.tasks(number)).containsExactly(Elements.WORK + "=groupDonations");
        String task = scene.task(number);

        Reply changed = agent.send("PATCH", "/api/tickets/" + number, Map.of("ownerUserId", "agent",
                "title", "  Gift aid form, signed  ", "nextAction", "Post it back"));

        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("title").asText()).isEqualTo("Gift aid form, signed");
        assertThat(changed.json().get("nextAction").asText()).isEqualTo("Post it back");
        assertThat(changed.json().get("ownerUserId").asText()).isEqualTo("agent");
        assertThat(scene.task(number)).as("the task is made again from the row").isNotEqualTo(task);
        assertThat(jdbc.queryForObject("select ASSIGNEE_ from ACT_RU_TASK where ID_ = ?", String.class,
                scene.task(number))).isEqualTo("agent");
        List<String> kinds = agent.get("/api/tickets/" + number + "/history").json().findValuesAsText("kind");
        assertThat(kinds).containsExactly("CREATED", "OWNER", "TITLE", "NEXT_ACTION");

        // The same values again change nothing, and tell the instance nothing.
        String before = scene.state(number);
        Reply same = agent.send("PATCH", "/api/tickets/" + number, Map.of("ownerUserId", "agent",
                "title", "Gift aid form, signed", "nextAction", "Post it back"));
        assertThat(same.status()).isEqualTo(200);
        assertThat(scene.state(number)).isEqualTo(before);

        // No owner again: the task is the group's.
        Reply released = agent.send("PATCH", "/api/tickets/" + number, java.util.Collections.singletonMap(
                "ownerUserId", null));
        assertThat(released.json().get("ownerUserId").isNull()).isTrue();
        assertThat(jdbc.queryForObject("select ASSIGNEE_ from ACT_RU_TASK where ID_ = ?", String.class,
                scene.task(number))).isNull();
        Reply noted = agent.post("/api/tickets/" + number + "/notes", Map.of("text", "  Called, no answer  "));
        assertThat(noted.status()).isEqualTo(201);
        assertThat(noted.json().get("text").asText()).isEqualTo("Called, no answer");
        assertThat(agent.get("/api/tickets/" + number).json().get("notes")).singleElement()
                .satisfies(note -> assertThat(note.get("authorUserId").asText()).isEqualTo("agent"));
    }

    /**
     * Waiting for an event: no task, a timer at the date; when it fires, the ticket needs contact again and the group
     * has its work. Any change in between takes the timer away or moves it.
     */
    @Test
    void aTicketWaitingForAnEventNeedsContactAgainWhenItsDateComes() {
        long number = TicketScene.blank(agent, "Donations", "Pick-up on Friday", TicketScene.email("wait"));
        Instant until = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

        Reply waiting = agent.send("PATCH", "/api/tickets/" + number, Map.of("status", "WAITING_FOR_EVENT",
                "waitUntil", until.toString()));

        assertThat(waiting.status()).as(waiting.toString()).isEqualTo(200);
        assertThat(waiting.json().get("waitUntil").asText()).isEqualTo(until.toString());
        assertThat(scene.tasks(number)).isEmpty();
        Job timer = timer(number);
        assertThat(timer.getDuedate().toInstant()).isEqualTo(until);

        Instant later = until.plus(Duration.ofDays(1));
        Reply moved = agent.send("PATCH", "/api/tickets/" + number, Map.of("waitUntil", later.toString()));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        Job movedTimer = timer(number);
        assertThat(movedTimer.getId()).isNotEqualTo(timer.getId());
        assertThat(movedTimer.getDuedate().toInstant()).isEqualTo(later);
        // A change of title while waiting keeps it waiting, for the same date.
        assertThat(agent.send("PATCH", "/api/tickets/" + number, Map.of("title", "Pick-up on Saturday")).status())
                .isEqualTo(200);
        assertThat(timer(number).getDuedate().toInstant()).isEqualTo(later);
        int history = scene.history(number);

        // The date comes: the timer's job runs as the job executor would run it then.
        management.executeJob(timer(number).getId());

        JsonNode ticket = agent.get("/api/tickets/" + number).json().get("ticket");
        assertThat(ticket.get("status").asText()).isEqualTo("NEED_TO_CONTACT");
        assertThat(ticket.get("waitUntil").isNull()).isTrue();
        assertThat(scene.tasks(number)).containsExactly(Elements.WORK + "=groupDonations");
        assertThat(management.createJobQuery().processInstanceId(scene.instance(number)).count()).isZero();
        JsonNode entries = agent.get("/api/tickets/" + number + "/history").json();
        assertThat(entries).hasSize(history + 1);
        JsonNode last = entries.get(entries.size() - 1);
        assertThat(last.get("kind").asText()).isEqualTo("STATUS");
        assertThat(last.get("detail").asText()).isEqualTo("NEED_TO_CONTACT");
        assertThat(last.get("actor").asText()).isEqualTo(Tickets.SYSTEM);

        // Waiting again, then back to need to contact by hand: the timer goes.
        agent.send("PATCH", "/api/tickets/" + number, Map.of("status", "WAITING_FOR_EVENT", "waitUntil",
                later.toString()));
        assertThat(timer(number)).isNotNull();
        Reply back = agent.send("PATCH", "/api/tickets/" + number, Map.of("status", "WAITING_ON_END_USER"));
        assertThat(back.json().get("waitUntil").isNull()).isTrue();
        assertThat(management.createJobQuery().processInstanceId(scene.instance(number)).count()).isZero();
        assertThat(scene.tasks(number)).containsExactly(Elements.WORK + "=groupDonations");
    }

    /** A new Info ticket waits for triage; a move to its own group keeps it there, as triaged. */
    @Test
    void aNewInfoTicketIsTriagedByAMove() {
        long number = scene.received("Info", TicketScene.email("info"), "Where do I send this?");
        assertThat(agent.get("/api/tickets/" + number).json().get("ticket").get("awaitingTriage").asBoolean())
                .isTrue();
        assertThat(scene.tasks(number)).containsExactly(Elements.TRIAGE + "=groupInfo");

        Reply kept = agent.post("/api/tickets/" + number + "/move", Map.of("group", "Info"));

        assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
        assertThat(kept.json().get("awaitingTriage").asBoolean()).isFalse();
        assertThat(kept.json().get("group").asText()).isEqualTo("Info");
        assertThat(scene.tasks(number)).containsExactly(Elements.WORK + "=groupInfo");
        assertProblem(agent.post("/api/tickets/" + number + "/move", Map.of("group", "Info")), 409,
                "already in Info");
        Reply moved = agent.post("/api/tickets/" + number + "/move", Map.of("group", "Volunteers"));
        assertThat(moved.json().get("group").asText()).isEqualTo("Volunteers");
        assertThat(scene.tasks(number)).containsExactly(Elements.WORK + "=groupVolunteers");
        assertThat(agent.get("/api/tickets/" + number + "/history").json().findValuesAsText("detail"))
                .contains("kept in Info", "Info to Volunteers");
    }

    // ------------------------------------------------------------------------------------------ merge and close

    @Test
    void aMergeMovesEverythingAcrossAndLeavesANoteWhereItWent() {
        String email = TicketScene.email("merge");
        long from = scene.received("Donations", email, "Sofa to give");
        agent.post("/api/tickets/" + from + "/notes", Map.of("text", "Has a photo of the sofa"));
        agent.send("PATCH", "/api/tickets/" + from, Map.of("nextAction", "Book a van"));
        long into = scene.received("Volunteers", email, "Can I help on Saturdays?");
        long attachment = scene.attachments(from).get(0);
        List<Long> messages = jdbc.queryForList("select id from ticket_message where ticket_id = ? order by id",
                Long.class, from);
        int fromHistory = scene.history(from);
        int intoHistory = scene.history(into);
        String intoTask = scene.task(into);

        Reply merged = agent.post("/api/tickets/" + from + "/merge", Map.of("intoNumber", into));

        assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
        assertThat(merged.json().get("number").asLong()).isEqualTo(into);
        assertThat(merged.json().get("unanswered").asInt()).isEqualTo(2);
        JsonNode detail = agent.get("/api/tickets/" + into).json();
        assertThat(detail.get("correspondence")).extracting(m -> m.get("id").asLong()).containsAll(messages)
                .hasSize(2);
        assertThat(detail.get("notes")).extracting(n -> n.get("text").asText()).contains("Has a photo of the sofa");
        assertThat(detail.get("attachments")).extracting(a -> a.get("id").asLong()).contains(attachment);
        JsonNode history = agent.get("/api/tickets/" + into + "/history").json();
        assertThat(history).hasSize(fromHistory + intoHistory + 1);
        assertThat(history.findValuesAsText("kind")).contains("NEXT_ACTION", "MERGED_FROM");
        HttpResponse<byte[]> photo = scene.bytes("agent", PASSWORD, "/api/tickets/" + into + "/attachments/"
                + attachment);
        assertThat(photo.statusCode()).isEqualTo(200);
        assertThat(photo.body()).isEqualTo(TicketScene.PNG);

        JsonNode gone = agent.get("/api/tickets/" + from).json();
        assertThat(gone.get("ticket").get("status").asText()).isEqualTo("CLOSED");
        assertThat(gone.get("ticket").get("mergedInto").asLong()).isEqualTo(into);
        assertThat(gone.get("ticket").get("unanswered").asInt()).isZero();
        assertThat(gone.get("notes")).singleElement().satisfies(note -> assertThat(note.get("text").asText())
                .isEqualTo("Merged into ticket " + into + "."));
        assertThat(gone.get("correspondence")).isEmpty();
        assertThat(gone.get("attachments")).isEmpty();
        assertThat(agent.get("/api/tickets/" + from + "/history").json().findValuesAsText("kind"))
                .containsExactly("MERGED_INTO");
        assertProblem(agent.get("/api/tickets/" + from + "/attachments/" + attachment), 404);
        assertThat(scene.running(from)).isFalse();
        assertThat(scene.running(into)).isTrue();
        assertThat(scene.task(into)).as("the instance was told and read its row again").isNotEqualTo(intoTask);
        // The end-user may open a ticket in Donations again.
        assertThat(scene.received("Donations", email, "Another sofa")).isNotEqualTo(from);
    }

    /**
     * Triage may merge into the end-user's ticket of a group the agent is not in: allowed (the ticket goes there), but
     * what comes back is the merged ticket, not the other group's.
     */
    @Test
    void aMergeIntoAnotherGroupsTicketShowsNothingOfIt() {
        String email = TicketScene.email("mergeaway");
        long from = scene.received("Info", email, "About my referral");
        long into = scene.received("Agency", email, "Referral");

        Reply merged = agent.post("/api/tickets/" + from + "/merge", Map.of("intoNumber", into));

        assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
        assertThat(merged.json().get("number").asLong()).isEqualTo(from);
        assertThat(merged.json().get("status").asText()).isEqualTo("CLOSED");
        assertThat(merged.json().get("mergedInto").asLong()).isEqualTo(into);
        assertThat(merged.body()).doesNotContain("Referral\"");
        assertProblem(agent.get("/api/tickets/" + into), 403);
        assertThat(agentAdmin.get("/api/tickets/" + into).json().get("correspondence")).hasSize(2);
    }

    @Test
    void closingDeletesThePhotos() {
        long number = scene.received("Volunteers", TicketScene.email("photo"), "My garden");
        long attachment = scene.attachments(number).get(0);
        String path = "/api/tickets/" + number + "/attachments/" + attachment;
        HttpResponse<byte[]> photo = scene.bytes("agent", PASSWORD, path);
        assertThat(photo.statusCode()).isEqualTo(200);
        assertThat(photo.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(photo.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(photo.body()).isEqualTo(TicketScene.PNG);

        Reply closed = agent.post("/api/tickets/" + number + "/close", Map.of());

        assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
        assertThat(closed.json().get("status").asText()).isEqualTo("CLOSED");
        assertThat(closed.json().get("closedAt").isNull()).isFalse();
        assertProblem(agent.get(path), 404, "has no attachment " + attachment);
        assertThat(agent.get("/api/tickets/" + number).json().get("attachments")).singleElement()
                .satisfies(a -> assertThat(a.get("deleted").asBoolean()).isTrue());
        assertThat(jdbc.queryForObject("select count(*) from ticket_attachment where ticket_id = ? and content is "
                + "not null", Integer.class, number)).isZero();
        assertThat(agent.get("/api/tickets/" + number + "/history").json().findValuesAsText("detail"))
                .contains("1 attachment(s) deleted");
        assertThat(scene.running(number)).isFalse();
        // A note may still be added to a closed ticket, for whoever finds it later.
        assertThat(agent.post("/api/tickets/" + number + "/notes", Map.of("text", "Photos gone")).status())
                .isEqualTo(201);
    }

    @Test
    void closeCompletedClosesTheCompletedTicketsOfTheGroupOnly() {
        String group = TicketScene.group(admin, "Done", List.of("agent"));
        long completed = TicketScene.blank(agent, group, "Picked up", TicketScene.email("done"));
        long alsoCompleted = TicketScene.blank(agent, group, "Also picked up", TicketScene.email("done"));
        long waiting = TicketScene.blank(agent, group, "Waiting", TicketScene.email("done"));
        long elsewhere = TicketScene.blank(agent, "Donations", "Completed elsewhere", TicketScene.email("done"));
        for (long number : List.of(completed, alsoCompleted, elsewhere)) {
            assertThat(agent.send("PATCH", "/api/tickets/" + number, Map.of("status", "COMPLETED")).status())
                    .isEqualTo(200);
        }
        agent.send("PATCH", "/api/tickets/" + waiting, Map.of("status", "WAITING_ON_END_USER"));

        Reply closed = agent.post("/api/groups/" + group + "/tickets/close-completed", Map.of());

        assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
        assertThat(closed.json().get("closed")).extracting(JsonNode::asLong)
                .containsExactly(completed, alsoCompleted);
        assertThat(scene.status(completed)).isEqualTo("CLOSED");
        assertThat(scene.status(alsoCompleted)).isEqualTo("CLOSED");
        assertThat(scene.running(completed)).isFalse();
        assertThat(scene.status(waiting)).isEqualTo("WAITING_ON_END_USER");
        assertThat(scene.status(elsewhere)).isEqualTo("COMPLETED");
        assertThat(agent.post("/api/groups/" + group + "/tickets/close-completed", Map.of()).json().get("closed"))
                .isEmpty();
        agent.post("/api/tickets/" + elsewhere + "/close", Map.of());
    }

    // ------------------------------------------------------------------------------------------ lists

    /** The open tickets, by each sort key both ways; without a key, the last updated first. */
    @Test
    void theOpenTicketsSortByEveryKey() {
        String group = TicketScene.group(admin, "Sort", List.of("agent", "agentadmin"));
        long n1 = sortable(group, "Charlie", "Bea", "agentadmin", "NEED_TO_CONTACT", 2, 3);
        long n2 = sortable(group, "Alpha", "Cyd", null, "COMPLETED", 3, 1);
        long n3 = sortable(group, "Bravo", "Abe", "agent", "WAITING_ON_END_USER", 1, 2);

        Map<String, List<Long>> ascending = new HashMap<>();
        ascending.put("number", List.of(n1, n2, n3));
        ascending.put("status", List.of(n2, n1, n3));
        ascending.put("created", List.of(n3, n1, n2));
        ascending.put("updated", List.of(n2, n3, n1));
        ascending.put("endUser", List.of(n3, n1, n2));
        ascending.put("title", List.of(n2, n3, n1));
        for (var sort : ascending.entrySet()) {
            assertThat(numbers(agent, group, "?sort=" + sort.getKey())).as(sort.getKey())
                    .containsExactlyElementsOf(sort.getValue());
            assertThat(numbers(agent, group, "?sort=-" + sort.getKey())).as("-" + sort.getKey())
                    .containsExactlyElementsOf(reversed(sort.getValue()));
        }
        // Tickets without an owner come last both ways, on every database.
        assertThat(numbers(agent, group, "?sort=owner")).containsExactly(n3, n1, n2);
        assertThat(numbers(agent, group, "?sort=-owner")).containsExactly(n1, n3, n2);
        assertThat(numbers(agent, group, "")).containsExactly(n1, n3, n2);

        assertThat(numbers(agent, group, "?mineAndUnassigned=true&sort=number")).containsExactly(n2, n3);
        assertThat(numbers(agentAdmin, group, "?mineAndUnassigned=true&sort=number")).containsExactly(n1, n2);
        assertThat(numbers(agent, group, "?status=COMPLETED")).containsExactly(n2);
        assertThat(numbers(agent, group, "?status=WAITING_FOR_EVENT")).isEmpty();
        assertThat(numbers(agent, group, "?status=WAITING_ON_END_USER&mineAndUnassigned=true")).containsExactly(n3);
        JsonNode listed = agent.get("/api/groups/" + group + "/tickets?sort=number").json();
        assertThat(listed.get(0).get("ownerInitials").asText()).isNotBlank();
        assertThat(listed.get(1).get("ownerInitials").isNull()).isTrue();

        agent.post("/api/tickets/" + n1 + "/close", Map.of());
        assertThat(numbers(agent, group, "?sort=number")).containsExactly(n2, n3);
    }

    /** The last 100 closed tickets, newest first, or those closed in a range [from, to). */
    @Test
    void theClosedTicketsAreTheLastHundredOrARange() {
        String group = TicketScene.group(admin, "Closed", List.of("agent"));
        Instant base = Instant.parse("2026-03-01T10:00:00Z");
        List<Long> closed = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            closed.add(closedTicket(group, base.plus(Duration.ofMinutes(i))));
        }
        long open = TicketScene.blank(agent, group, "Still open", TicketScene.email("closedlist"));

        JsonNode last = agent.get("/api/groups/" + group + "/tickets/closed").json();
        assertThat(last).hasSize(100);
        assertThat(last.get(0).get("number").asLong()).isEqualTo(closed.get(100));
        assertThat(last).extracting(t -> t.get("number").asLong()).doesNotContain(closed.get(0), open);
        assertThat(last).allSatisfy(t -> assertThat(t.get("status").asText()).isEqualTo("CLOSED"));

        JsonNode range = agent.get("/api/groups/" + group + "/tickets/closed?from=" + base.plus(Duration
                .ofMinutes(10)) + "&to=" + base.plus(Duration.ofMinutes(20))).json();
        assertThat(range).extracting(t -> t.get("number").asLong())
                .containsExactlyElementsOf(reversed(closed.subList(10, 20)));
        JsonNode oldest = agent.get("/api/groups/" + group + "/tickets/closed?from=" + base.minusSeconds(1)
                + "&to=" + base.plusSeconds(1)).json();
        assertThat(oldest).extracting(t -> t.get("number").asLong()).containsExactly(closed.get(0));

        agent.post("/api/tickets/" + open + "/close", Map.of());
        assertThat(agent.get("/api/groups/" + group + "/tickets/closed").json().get(0).get("number").asLong())
                .as("closed just now").isEqualTo(open);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** A ticket of the group with these values, created and last updated at base + the given hours. */
    private long sortable(String group, String title, String name, String owner, String status, int createdHour,
            int updatedHour) {
        Reply created = agent.post("/api/tickets", Map.of("group", group, "title", title,
                "endUser", Map.of("name", name, "email", TicketScene.email("sort"))));
        long number = created.json().get("number").asLong();
        Map<String, Object> change = new HashMap<>();
        change.put("ownerUserId", owner);
        change.put("status", status);
        Reply changed = agentAdmin.send("PATCH", "/api/tickets/" + number, change);
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        scene.update("update ticket set created_at = ?, updated_at = ? where id = ?",
                Timestamp.from(base.plus(Duration.ofHours(createdHour))),
                Timestamp.from(base.plus(Duration.ofHours(updatedHour))), number);
        return number;
    }

    private static List<Long> reversed(List<Long> numbers) {
        List<Long> reversed = new ArrayList<>(numbers);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    private static List<Long> numbers(AgentApi user, String group, String query) {
        Reply listed = user.get("/api/groups/" + group + "/tickets" + query);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        List<Long> numbers = new ArrayList<>();
        listed.json().forEach(t -> numbers.add(t.get("number").asLong()));
        return numbers;
    }

    /** A ticket of the group closed at that instant (as an old one would be: no instance left). */
    private long closedTicket(String group, Instant closedAt) {
        Supplier<Long> insert = () -> {
            var key = new org.springframework.jdbc.support.GeneratedKeyHolder();
            jdbc.update(connection -> {
                var statement = connection.prepareStatement("insert into ticket (group_key, end_user_email, title, "
                        + "status, origin, created_at, updated_at, closed_at) values (?, ?, ?, 'CLOSED', 'EMAIL', ?, "
                        + "?, ?)", new String[] {"id"});
                statement.setString(1, group);
                statement.setString(2, TicketScene.email("old"));
                statement.setString(3, "Closed at " + closedAt);
                statement.setTimestamp(4, Timestamp.from(closedAt.minus(Duration.ofDays(2))));
                statement.setTimestamp(5, Timestamp.from(closedAt));
                statement.setTimestamp(6, Timestamp.from(closedAt));
                return statement;
            }, key);
            return key.getKey().longValue();
        };
        return new org.springframework.transaction.support.TransactionTemplate(transactions).execute(s -> insert.get());
    }

    private Job timer(long number) {
        return management.createJobQuery().processInstanceId(scene.instance(number)).timers().singleResult();
    }
}
