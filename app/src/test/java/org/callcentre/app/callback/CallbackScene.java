package org.callcentre.app.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.DiallerSetup.NewLead;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A team of two agents working one call list of a London campaign, with leads to call back, for the callback tests.
 * Time passes for one callback only when a test says so ({@link #letDueTimeArrive}): its row's due time and its
 * timer job's due date are moved to now, and the app's own job executor fires the timer.
 */
final class CallbackScene {

    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final String CALLER_ID = "+15005550031";

    final AgentApi admin;
    final JdbcTemplate jdbc;
    final TransactionTemplate transactions;
    final AgentApi agent;
    final AgentApi teammate;
    final long campaign;
    final long callList;
    final long team;

    CallbackScene(AgentApi admin, JdbcTemplate jdbc, PlatformTransactionManager transactions,
            String callingHoursStart, String callingHoursEnd) {
        this.admin = admin;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        agent = CallCentreStaff.create(admin, "cbagent", "AGENT", false);
        teammate = CallCentreStaff.create(admin, "cbmate", "AGENT", false);
        campaign = DiallerSetup.campaign(admin, DiallerSetup.rules(0, 10, 10, callingHoursStart, callingHoursEnd,
                LONDON.getId()), List.of(CALLER_ID));
        callList = DiallerSetup.callList(admin, campaign);
        team = DiallerSetup.team(admin, List.of(agent.user(), teammate.user()), List.of(callList));
    }

    /** A new London lead in the list; answers its id and number. */
    long lead() {
        String phone = DiallerSetup.mobile();
        DiallerSetup.importLeads(admin, callList, List.of(new NewLead(phone, LONDON.getId())));
        Reply found = admin.get("/api/leads?externalRef=ref" + phone.substring(1));
        return found.json().get("items").get(0).get("id").asLong();
    }

    String phoneOf(long leadId) {
        return jdbc.queryForList("select number from lead_phone where lead_id = ? order by position", String.class,
                leadId).get(0);
    }

    static void lock(AgentApi who, long leadId) {
        Reply locked = who.post("/api/leads/" + leadId + "/lock", null);
        assertThat(locked.status()).as(locked.toString()).isEqualTo(200);
    }

    /** Tomorrow at this London time, as the API takes it. */
    static String tomorrowAt(int hour, int minute) {
        return LocalDateTime.of(LocalDate.now(LONDON).plusDays(1), LocalTime.of(hour, minute)).toString();
    }

    /** The body of a schedule request. */
    static Map<String, Object> request(long leadId, String dueAt, String mode, String reason) {
        Map<String, Object> body = new HashMap<>();
        body.put("leadId", leadId);
        body.put("dueAt", dueAt);
        body.put("mode", mode);
        body.put("reason", reason);
        return body;
    }

    Reply schedule(AgentApi who, Map<String, Object> body) {
        return who.post("/api/callbacks", body);
    }

    long scheduled(AgentApi who, Map<String, Object> body) {
        Reply created = schedule(who, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    String status(long callbackId) {
        return jdbc.queryForObject("select status from callback where id = ?", String.class, callbackId);
    }

    /** The callback's due time arrives now: its row and its timer job say so, and the job executor fires it. */
    void letDueTimeArrive(long callbackId) {
        Timestamp now = Timestamp.from(Instant.now().minusSeconds(1));
        update("update callback set due_at = ? where id = ?", now, callbackId);
        int jobs = update("update ACT_RU_JOB set DUEDATE_ = ? where PROCESS_INSTANCE_ID_ = (select "
                + "process_instance_id from callback where id = ?) and HANDLER_TYPE_ = 'timer-intermediate-transition'",
                now, callbackId);
        assertThat(jobs).as("the callback's due timer").isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(callbackId).equals("DUE"));
    }

    /** An update committed at once (the app's connections do not auto-commit). */
    int update(String sql, Object... arguments) {
        return transactions.execute(tx -> jdbc.update(sql, arguments));
    }

    /** The timers the callback's instance waits on, with their due dates. */
    List<Map<String, Object>> timers(long callbackId) {
        return jdbc.queryForList("select j.HANDLER_TYPE_ handler, j.DUEDATE_ due from ACT_RU_JOB j join callback c "
                + "on c.process_instance_id = j.PROCESS_INSTANCE_ID_ where c.id = ?", callbackId);
    }

    boolean instanceRunning(long callbackId) {
        return jdbc.queryForObject("select count(*) from ACT_RU_EXECUTION e join callback c "
                + "on c.process_instance_id = e.PROC_INST_ID_ where c.id = ?", Integer.class, callbackId) > 0;
    }

    boolean readyInItsList(long leadId) {
        return jdbc.queryForObject("select ready from lead_call_list where lead_id = ? and call_list_id = ?",
                Boolean.class, leadId, callList);
    }

    List<String> historyKinds(long leadId) {
        return jdbc.queryForList("select kind from lead_history where lead_id = ? order by id", String.class, leadId);
    }
}
