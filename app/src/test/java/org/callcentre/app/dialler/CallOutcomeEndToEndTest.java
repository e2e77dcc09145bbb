package org.callcentre.app.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.Phones;
import org.callcentre.campaign.CampaignBook;
import org.callcentre.dialler.OutboundCallMessages;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.dialler.OutboundCallProcess.Elements;
import org.callcentre.processes.dialler.OutboundCallProcess.Variables;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call's outcome over HTTP, both ways an agent gives it: the console's button ({@code POST
 * /api/leads/{id}/call-statuses}) and the "Talk to" task in Tasklist ({@code POST /engine-rest/task/{id}/submit-form}
 * as the agent). The donor answers through the Twilio emulator; whichever way is used first records the one outcome
 * of the call, applies the call-outcome decision and closes the other; the process ends when the call has ended too.
 * With Call back, the Talk task's form also schedules the callback, or refuses with it.
 */
class CallOutcomeEndToEndTest extends EndToEndTest {

    private static final String CALLER_ID = "+15005550011";
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private CampaignBook campaigns;
    @Autowired
    private PlatformTransactionManager transactions;
    @Autowired
    private OutboundCallMessages messages;

    private long leadId;
    private String lastName;

    @BeforeEach
    void aLeadLockedByTheAgent() {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> fixtures());
        connectPhone(agent);
    }

    private void fixtures() {
        // Calls earlier tests left open would count as the agent's live call.
        jdbc.update("update outbound_call set final = true where final = false");
        jdbc.update("delete from agent_phone");
        Timestamp now = Timestamp.from(Instant.now());
        if (jdbc.update("update call_centre_user set device = 'client:agent' where user_id = 'agent'") == 0) {
            jdbc.update("insert into call_centre_user (user_id, role, device, created_at, updated_at) "
                    + "values ('agent', 'AGENT', 'client:agent', ?, ?)", now, now);
        }
        long campaignId = campaigns.addCampaign("Outcomes " + UUID.randomUUID(), Currency.getInstance("GBP"),
                Locale.UK, true, false, false);
        LocalTime utc = LocalTime.now(ZoneOffset.UTC);
        jdbc.update("update campaign set calling_hours_start = ?, calling_hours_end = ? where id = ?",
                utc.minusHours(2).format(HH_MM), utc.plusHours(2).format(HH_MM), campaignId);
        jdbc.update("insert into caller_id (campaign_id, number) values (?, ?)", campaignId, CALLER_ID);
        jdbc.update("insert into call_list (name, campaign_id, created_at) values ('Outcomes', ?, ?)", campaignId, now);
        long listId = jdbc.queryForObject("select max(id) from call_list", Long.class);
        String number = "+4477008" + String.format("%05d", (int) (Math.random() * 100_000));
        lastName = "Donor" + UUID.randomUUID().toString().substring(0, 6);
        jdbc.update("insert into lead (first_name, last_name, time_zone, first_phone, created_at) "
                + "values ('Jane', ?, 'UTC', ?, ?)", lastName, number, now);
        leadId = jdbc.queryForObject("select max(id) from lead", Long.class);
        jdbc.update("insert into lead_phone (lead_id, position, number) values (?, 0, ?)", leadId, number);
        jdbc.update("insert into lead_call_list (call_list_id, lead_id, added_at) values (?, ?, ?)", listId, leadId,
                now);
        jdbc.update("update lead set locked_by = 'agent', locked_at = ?, lock_touched_at = ? where id = ?", now, now,
                leadId);
    }

    /** The console's button first: the outcome is recorded, the decision applied, and the Talk task closes. */
    @Test
    void anOutcomeRecordedOnTheConsoleClosesTheTalkTask() {
        long callId = answeredCall();
        JsonNode talk = awaitTalkTask(callId);
        assertThat(talk.get("name").asText()).isEqualTo("Talk to Jane " + lastName);
        assertThat(talk.get("assignee").asText()).isEqualTo("agent");

        Reply recorded = agent.post("/api/leads/" + leadId + "/call-statuses", Map.of("status", "NOT_INTERESTED",
                "callId", callId, "note", "gives to another charity"));

        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        assertThat(recorded.json().get("id").asLong()).isPositive();
        assertThat(recorded.json().get("decision").get("action").asText()).isEqualTo("STOP");
        assertThat(recorded.json().get("decision").get("retryAt").isNull()).isTrue();
        assertThat(recorded.json().get("decision").get("summary").asText())
                .isEqualTo("Not interested: Next Lead no longer offers the lead");
        await().atMost(WAIT).until(() -> talkTasks(agent, callId).isEmpty());
        assertThat(dialable()).isFalse();
        assertThat(agent.get("/api/leads/" + leadId).json().get("callable").asBoolean())
                .as("an agent may still call by hand").isTrue();

        hangUp(callId);
        awaitInstanceEnded(callId);
        assertThat(outcomes(callId)).containsExactly("NOT_INTERESTED agent");
        assertThat(historyDetails()).contains("Not interested: Next Lead no longer offers the lead");
    }

    /**
     * Tasklist first: the agent submits the form, the outcome is recorded as the console would, with the agent as the
     * user, and the decision applied; the console's button is then refused. Another agent cannot complete the task.
     */
    @Test
    void completingTheTalkTaskRecordsTheOutcomeAndAppliesTheDecision() {
        long callId = answeredCall();
        String task = awaitTalkTask(callId).get("id").asText();
        Map<String, Object> form = Map.of("variables", Map.of(
                Variables.CALL_STATUS.name(), Map.of("value", "ANSWERING_MACHINE"),
                Variables.NOTE.name(), Map.of("value", "voicemail after two rings"),
                Variables.PLEDGE_TAKEN.name(), Map.of("value", false)));

        AgentApi otherAgent = CallCentreStaff.create(admin, "talker", "AGENT", false);
        Reply notTheirs = otherAgent.post("/engine-rest/task/" + task + "/submit-form", form);
        assertThat(notTheirs.status()).as(notTheirs.toString()).isEqualTo(403);
        assertThat(outcomes(callId)).isEmpty();

        Reply submitted = agent.post("/engine-rest/task/" + task + "/submit-form", form);

        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(204);
        assertThat(outcomes(callId)).containsExactly("ANSWERING_MACHINE agent");
        assertThat(talkTasks(agent, callId)).isEmpty();
        Timestamp retryAt = jdbc.queryForObject("select retry_at from lead_call_status where call_id = ?",
                Timestamp.class, callId);
        assertThat(retryAt.toInstant()).isBetween(Instant.now().plus(Duration.ofMinutes(115)),
                Instant.now().plus(Duration.ofMinutes(121)));
        assertThat(jdbc.queryForObject("select next_call_at from lead where id = ?", Timestamp.class, leadId))
                .isEqualTo(retryAt);
        assertThat(historyDetails()).contains("Answering machine: retry in 2 hours");
        assertThat(jdbc.queryForObject("select note from lead_call_status where call_id = ?", String.class, callId))
                .isEqualTo("voicemail after two rings");
        assertThat(jdbc.queryForObject("select count(*) from ACT_RU_VARIABLE v join outbound_call c "
                + "on c.process_instance_id = v.PROC_INST_ID_ where c.id = ? and v.NAME_ in ('callStatus', 'note', "
                + "'pledgeTaken', 'talkedBy')", Integer.class, callId)).as("the form's values are not kept").isZero();

        Reply second = agent.post("/api/leads/" + leadId + "/call-statuses", Map.of("status", "CALL_BACK",
                "callId", callId));
        assertThat(second.status()).as(second.toString()).isEqualTo(409);
        assertThat(second.json().get("detail").asText()).isEqualTo("call " + callId + " already has its outcome "
                + "(Answering machine, recorded by agent): a call has one outcome; edit the lead's latest status to "
                + "change it");

        hangUp(callId);
        awaitInstanceEnded(callId);
        assertThat(outcomes(callId)).hasSize(1);
    }

    /**
     * The console's outcome is committed and its message has not yet closed the task when the agent submits the
     * form: the submission is refused with the console's outcome in a problem detail, nothing is recorded twice, and
     * the message then closes the task.
     */
    @Test
    void aTalkTaskCompletedAfterTheConsoleRecordedIsRefusedCleanly() {
        long callId = answeredCall();
        String task = awaitTalkTask(callId).get("id").asText();
        // The console's transaction, committed; its message to the task is what comes after.
        new TransactionTemplate(transactions).executeWithoutResult(tx -> jdbc.update("insert into lead_call_status "
                + "(lead_id, status, call_id, user_id, recorded_at) values (?, 'BUSY', ?, 'agent', ?)", leadId, callId,
                Timestamp.from(Instant.now())));

        Reply late = agent.post("/engine-rest/task/" + task + "/submit-form", Map.of("variables",
                Map.of(Variables.CALL_STATUS.name(), Map.of("value", "PLEDGE"))));

        assertThat(late.status()).as(late.toString()).isEqualTo(409);
        assertThat(late.contentType()).startsWith("application/problem+json");
        assertThat(late.json().get("detail").asText()).startsWith("call " + callId + " already has its outcome (Busy");
        assertThat(outcomes(callId)).containsExactly("BUSY agent");

        messages.outcomeRecorded(callId);
        assertThat(talkTasks(agent, callId)).isEmpty();
        hangUp(callId);
        awaitInstanceEnded(callId);
    }

    /**
     * With Call back, the form's callback fields schedule the callback in the same completion: for the call's lead,
     * on that call and to the number it went to, by the agent; the form's values are not kept.
     */
    @Test
    void aCallBackFromTheTalkTaskSchedulesItsCallback() {
        long callId = answeredCall();
        String task = awaitTalkTask(callId).get("id").asText();
        String dueAt = inAnHourOrSo(1);

        Reply submitted = agent.post("/engine-rest/task/" + task + "/submit-form", callBackForm(dueAt, "QUEUE",
                false));

        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(204);
        assertThat(outcomes(callId)).containsExactly("CALL_BACK agent");
        Map<String, Object> callback = jdbc.queryForMap("select * from callback where lead_id = ?", leadId);
        assertThat(callback).containsEntry("mode", "QUEUE").containsEntry("owner_user_id", null)
                .containsEntry("status", "SCHEDULED").containsEntry("due_local", dueAt)
                .containsEntry("time_zone", "UTC").containsEntry("created_by", "agent")
                .containsEntry("reason", "After the school run");
        assertThat(((Number) callback.get("origin_call_id")).longValue()).isEqualTo(callId);
        assertThat(callback.get("phone")).isEqualTo(jdbc.queryForObject("select to_number from outbound_call "
                + "where id = ?", String.class, callId));
        assertThat(historyDetails()).anyMatch(detail -> detail.startsWith("callback " + callback.get("id")
                + " Call Back Queue at " + dueAt + " UTC"));
        assertThat(talkTasks(agent, callId)).isEmpty();
        assertThat(formValuesKept(callId)).as("the form's values are not kept").isZero();

        hangUp(callId);
        awaitInstanceEnded(callId);
    }

    /**
     * A callback the rules refuse (outside the calling hours, and the person did not ask for that time) refuses the
     * whole completion with its problem detail: no outcome, no callback, the task still open. Ticked as asked for by
     * the person, the same form goes through, a Call Back Agent callback kept by the agent.
     */
    @Test
    void aRefusedCallbackRefusesTheTalkTaskAndRecordsNothing() {
        long callId = answeredCall();
        String task = awaitTalkTask(callId).get("id").asText();
        // The campaign calls from two hours before now to two hours after, in the lead's zone (UTC).
        String dueAt = inAnHourOrSo(3);

        Reply refused = agent.post("/engine-rest/task/" + task + "/submit-form", callBackForm(dueAt, "AGENT", false));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asText())
                .startsWith("the callback's time is outside the campaign's calling hours")
                .endsWith("set overrideCallingHours if the person asked for that time");
        assertThat(outcomes(callId)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from callback where lead_id = ?", Integer.class, leadId))
                .isZero();
        assertThat(jdbc.queryForObject("select open_callback_id from lead where id = ?", Long.class, leadId)).isNull();
        assertThat(historyDetails()).noneMatch(detail -> detail.startsWith("callback"));
        assertThat(talkTasks(agent, callId)).as("the task still open").hasSize(1);
        assertThat(formValuesKept(callId)).isZero();

        Reply asked = agent.post("/engine-rest/task/" + task + "/submit-form", callBackForm(dueAt, "AGENT", true));

        assertThat(asked.status()).as(asked.toString()).isEqualTo(204);
        assertThat(outcomes(callId)).containsExactly("CALL_BACK agent");
        assertThat(jdbc.queryForMap("select mode, owner_user_id, override_calling_hours, status from callback "
                + "where lead_id = ?", leadId)).containsEntry("mode", "AGENT").containsEntry("owner_user_id", "agent")
                .containsEntry("override_calling_hours", true).containsEntry("status", "SCHEDULED");
        assertThat(formValuesKept(callId)).isZero();

        hangUp(callId);
        awaitInstanceEnded(callId);
    }

    /** The console and Tasklist at the same moment, a few times over: each call gets exactly one outcome. */
    @Test
    void theConsoleAndTasklistAtOnceRecordOneOutcome() throws Exception {
        for (int round = 0; round < 6; round++) {
            long callId = answeredCall();
            String task = awaitTalkTask(callId).get("id").asText();
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Reply> console = atOnce(start, () -> agent.post("/api/leads/" + leadId
                    + "/call-statuses", Map.of("status", "CALL_BACK", "callId", callId)));
            CompletableFuture<Reply> tasklist = atOnce(start, () -> agent.post("/engine-rest/task/" + task
                    + "/submit-form", Map.of("variables", Map.of(Variables.CALL_STATUS.name(),
                            Map.of("value", "NO_ANSWER")))));
            start.countDown();
            Reply byConsole = console.get(30, TimeUnit.SECONDS);
            Reply byTasklist = tasklist.get(30, TimeUnit.SECONDS);

            List<String> recorded = outcomes(callId);
            assertThat(recorded).as("round %d: %s / %s", round, byConsole, byTasklist).hasSize(1);
            if (recorded.get(0).startsWith("CALL_BACK")) {
                assertThat(byConsole.status()).isEqualTo(201);
                // The form reached the record step and was refused by the one-outcome rule, or found the task gone
                // once it held the call's lock (409); or the console had closed the task before the form's door
                // looked (404). Never an engine error on a half-removed execution.
                assertThat(byTasklist.status()).as(byTasklist.toString()).isIn(409, 404);
                assertThat(byTasklist.contentType()).startsWith("application/problem+json");
            } else {
                assertThat(byTasklist.status()).isEqualTo(204);
                assertThat(byConsole.status()).as(byConsole.toString()).isEqualTo(409);
            }
            await().atMost(WAIT).until(() -> talkTasks(agent, callId).isEmpty());
            hangUp(callId);
            awaitInstanceEnded(callId);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The Talk task's form as Tasklist submits it with Call back: the callback's fields, the zone left empty. */
    private static Map<String, Object> callBackForm(String dueAt, String mode, boolean overrideCallingHours) {
        return Map.of("variables", Map.of(
                Variables.CALL_STATUS.name(), Map.of("value", "CALL_BACK"),
                Variables.NOTE.name(), Map.of("value", "busy at work"),
                Variables.PLEDGE_TAKEN.name(), Map.of("value", false),
                Variables.CALLBACK_DUE_AT.name(), Map.of("value", dueAt),
                Variables.CALLBACK_TIME_ZONE.name(), Map.of("value", ""),
                Variables.CALLBACK_REASON.name(), Map.of("value", "After the school run"),
                Variables.CALLBACK_MODE.name(), Map.of("value", mode),
                Variables.CALLBACK_OVERRIDE_CALLING_HOURS.name(), Map.of("value", overrideCallingHours)));
    }

    /** A local date-time in UTC (the lead's zone) this many hours from now, to the minute, as the form writes it. */
    private static String inAnHourOrSo(int hours) {
        return LocalDateTime.now(ZoneOffset.UTC).plusHours(hours).truncatedTo(ChronoUnit.MINUTES)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
    }

    /** The Talk form's values left on the call's instance. */
    private int formValuesKept(long callId) {
        List<String> names = new ArrayList<>(Variables.TALK_FORM.stream().map(ProcessVariable::name).toList());
        names.add(Variables.TALKED_BY.name());
        return jdbc.queryForObject("select count(*) from ACT_RU_VARIABLE v join outbound_call c "
                + "on c.process_instance_id = v.PROC_INST_ID_ where c.id = ? and v.NAME_ in ("
                + String.join(", ", Collections.nCopies(names.size(), "?")) + ")", Integer.class,
                concat(callId, names));
    }

    private static Object[] concat(Object first, List<String> rest) {
        List<Object> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray();
    }

    private static CompletableFuture<Reply> atOnce(CountDownLatch start, Supplier<Reply> request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return request.get();
        });
    }

    /** Places a call to the lead and the donor answers: the call is in progress. */
    private long answeredCall() {
        return Phones.answeredCall(twilio, agent, leadId);
    }

    private JsonNode awaitTalkTask(long callId) {
        return await().atMost(WAIT).until(() -> talkTasks(agent, callId), tasks -> tasks.size() == 1).get(0);
    }

    /** The call's Talk tasks the user sees through the engine's REST API. */
    private static List<JsonNode> talkTasks(AgentApi user, long callId) {
        Reply tasks = user.get("/engine-rest/task?processInstanceBusinessKey=" + callId + "&taskDefinitionKey="
                + Elements.TALK);
        assertThat(tasks.status()).as(tasks.toString()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        tasks.json().forEach(found::add);
        return found;
    }

    private void hangUp(long callId) {
        Phones.hangUp(agent, callId);
    }

    private void awaitInstanceEnded(long callId) {
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from ACT_RU_EXECUTION e "
                + "join outbound_call c on c.process_instance_id = e.PROC_INST_ID_ where c.id = ?", Integer.class,
                callId) == 0);
    }

    /** The call's recorded outcomes, as "STATUS user". */
    private List<String> outcomes(long callId) {
        return jdbc.queryForList("select status || ' ' || user_id from lead_call_status where call_id = ?",
                String.class, callId);
    }

    private boolean dialable() {
        return jdbc.queryForObject("select dialable from lead where id = ?", Boolean.class, leadId);
    }

    private List<String> historyDetails() {
        List<String> details = new ArrayList<>();
        agent.get("/api/leads/" + leadId + "/history").json().forEach(event -> details.add(event.get("detail")
                .asText()));
        return details;
    }

    private void connectPhone(AgentApi user) {
        Phones.connect(twilio, user);
    }
}
