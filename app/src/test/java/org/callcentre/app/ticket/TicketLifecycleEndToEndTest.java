package org.callcentre.app.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.processes.ticket.TicketProcess;
import org.callcentre.ticket.EndUser;
import org.callcentre.ticket.Ticket.Origin;
import org.callcentre.ticket.Tickets;
import org.callcentre.ticket.Tickets.Incoming;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A ticket's life through {@code /api/tickets}: a blank ticket, taken, waiting, moved, merged and closed, with the
 * instance of {@code ticket.bpmn} following its row; and the one-open-ticket rule held by the database when many
 * contacts of one end-user arrive at once.
 */
class TicketLifecycleEndToEndTest extends EndToEndTest {

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private Tickets tickets;
    @Autowired
    private TransactionTemplate transactions;
    @Autowired
    private TaskService tasks;
    @Autowired
    private FilterService filters;

    @Test
    void aBlankTicketIsTakenWaitsMovesAndCloses() {
        String email = CallCentreStaff.freshId("jane") + "@example.org";
        Reply created = agent.post("/api/tickets", Map.of("group", "Donations", "title", "Gift aid form",
                "endUser", Map.of("name", "Jane Donor", "email", email.toUpperCase(), "phone", "020 7946 0018")));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long number = created.json().get("number").asLong();
        JsonNode ticket = agent.get("/api/tickets/" + number).json().get("ticket");
        assertThat(ticket.get("status").asText()).isEqualTo("NEED_TO_CONTACT");
        assertThat(ticket.get("endUser").get("email").asText()).isEqualTo(email);
        assertThat(ticket.get("endUser").get("phone").asText()).isEqualTo("+442079460018");
        assertProblem(agent.post("/api/tickets", Map.of("group", "Donations", "title", "Again",
                "endUser", Map.of("email", email))), 409, "already has open ticket " + number);

        Reply taken = agent.send("PATCH", "/api/tickets/" + number, Map.of("ownerUserId", "agent",
                "nextAction", "Post the form"));
        assertThat(taken.status()).as(taken.toString()).isEqualTo(200);
        assertThat(taken.json().get("ownerInitials").asText()).isNotBlank();
        assertThat(workTask(number).getAssignee()).isEqualTo("agent");
        Filter donations = filters.createFilterQuery().filterName("Group Donations: tickets").singleResult();
        assertThat(filters.list(donations.getId())).extracting(task -> ((Task) task).getProcessInstanceId())
                .contains(workTask(number).getProcessInstanceId());
        assertThat(jdbc.queryForList("select GROUP_ID_ from ACT_RU_AUTHORIZATION where RESOURCE_TYPE_ = 5 and "
                + "RESOURCE_ID_ = ?", String.class, donations.getId())).containsExactly("groupDonations");

        String later = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        Reply waiting = agent.send("PATCH", "/api/tickets/" + number, Map.of("status", "WAITING_FOR_EVENT",
                "waitUntil", later));
        assertThat(waiting.status()).as(waiting.toString()).isEqualTo(200);
        assertThat(tasks.createTaskQuery().processInstanceBusinessKey(Long.toString(number)).count()).isZero();

        Reply moved = agent.post("/api/tickets/" + number + "/move", Map.of("group", "Volunteers"));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().get("group").asText()).isEqualTo("Volunteers");
        assertThat(moved.json().get("ownerUserId").isNull()).isTrue();

        Reply closed = agent.post("/api/tickets/" + number + "/close", Map.of());
        assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
        assertThat(closed.json().get("status").asText()).isEqualTo("CLOSED");
        assertThat(jdbc.queryForObject("select count(*) from ACT_RU_EXECUTION where BUSINESS_KEY_ = ?",
                Integer.class, Long.toString(number))).isZero();
        assertProblem(agent.post("/api/tickets/" + number + "/close", Map.of()), 409, "is closed");
        assertThat(agent.get("/api/tickets/" + number + "/history").json().findValuesAsText("kind"))
                .containsSubsequence("CREATED", "OWNER", "NEXT_ACTION", "STATUS", "MOVED", "CLOSED");

        JsonNode journey = admin.get("/api/journeys?phone=%2B442079460018").json();
        JsonNode ticketActivity = null;
        for (JsonNode activity : journey) {
            if (activity.get("kind").asText().equals("TICKET") && activity.get("id").asLong() == number) {
                ticketActivity = activity;
            }
        }
        assertThat(ticketActivity).as(journey.toString()).isNotNull();
        assertThat(ticketActivity.get("status").asText()).isEqualTo("ENDED");
        assertThat(ticketActivity.get("detail").asText()).isEqualTo("ticket of Volunteers from a blank; closed")
                .doesNotContain("Gift aid");
    }

    @Test
    void aHundredContactsOfOneEndUserAtOnceMakeOneTicket() throws Exception {
        String email = CallCentreStaff.freshId("many") + "@example.org";
        EndUser endUser = EndUser.of("Many Mails", email, null, "GB");

        fileAtOnce(100, i -> new Incoming("Volunteers", endUser, Origin.WEB_FORM, "Contact " + i, "Hello", null,
                email, null, null, null, null, List.of()));

        assertThat(jdbc.queryForObject("select count(*) from ticket where end_user_email = ?", Integer.class, email))
                .isOne();
        assertThat(jdbc.queryForObject("select count(*) from ticket_message m join ticket t on t.id = m.ticket_id "
                + "where t.end_user_email = ?", Integer.class, email)).isEqualTo(100);
    }

    /**
     * One end-user known by one number, writing from many addresses at once (or from none): the number makes them
     * one end-user, so one ticket holds every contact.
     */
    @Test
    void aHundredContactsFromOneNumberUnderManyAddressesAtOnceMakeOneTicket() throws Exception {
        String phone = TicketScene.mobile();
        String prefix = CallCentreStaff.freshId("number");

        fileAtOnce(100, i -> new Incoming("Donations", EndUser.of("Caller " + i,
                i % 4 == 0 ? null : prefix + "-" + i + "@example.org", phone, "GB"), Origin.VOICEMAIL, null,
                "Please call back", null, phone, null, null, null, null, List.of()));

        assertThat(jdbc.queryForObject("select count(*) from ticket where group_key = 'Donations' and "
                + "end_user_phone = ?", Integer.class, phone)).isOne();
        assertThat(jdbc.queryForObject("select count(*) from ticket_message m join ticket t on t.id = m.ticket_id "
                + "where t.end_user_phone = ?", Integer.class, phone)).isEqualTo(100);
    }

    /** Files {@code count} contacts on 16 threads at once, each in its own transaction: all land on one ticket. */
    private void fileAtOnce(int count, IntFunction<Incoming> contact) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Tickets.Received>> results = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Incoming incoming = contact.apply(i);
                Callable<Tickets.Received> filing = () -> transactions.execute(status -> tickets.receive(incoming));
                results.add(pool.submit(filing));
            }
            List<Long> numbers = new ArrayList<>();
            int opened = 0;
            for (Future<Tickets.Received> result : results) {
                numbers.add(result.get().number());
                opened += result.get().opened() ? 1 : 0;
            }
            assertThat(numbers).containsOnly(numbers.get(0));
            assertThat(opened).isOne();
        } finally {
            pool.shutdownNow();
        }
    }

    private Task workTask(long number) {
        return tasks.createTaskQuery().processInstanceBusinessKey(Long.toString(number))
                .taskDefinitionKey(TicketProcess.Elements.WORK).singleResult();
    }
}
