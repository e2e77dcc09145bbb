package org.callcentre.app.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.callcentre.app.support.Problems.assertProblem;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.telephony.TelephonyUrls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every recordings endpoint (and the settings around them: a campaign's recording, a user's deactivation) called by
 * each kind of caller: a refused call answers 403 (401 without a login) with a problem detail and changes nothing; an
 * allowed one succeeds with the endpoint's own status. The agent whose call was recorded and another agent are
 * callers of their own: an agent hears only their own calls' recordings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordingRoleMatrixEndToEndTest extends EndToEndTest {

    enum Caller {
        ANONYMOUS, ADMIN_OPS, RESTRICTED_ADMIN_OPS, AGENT_ADMIN, AGENT, OTHER_AGENT
    }

    private static final Set<Caller> ADMINS = EnumSet.of(Caller.ADMIN_OPS, Caller.RESTRICTED_ADMIN_OPS);
    private static final Set<Caller> SUPERVISORS = EnumSet.of(Caller.ADMIN_OPS, Caller.RESTRICTED_ADMIN_OPS,
            Caller.AGENT_ADMIN);
    private static final Set<Caller> EVERYONE = EnumSet.of(Caller.ADMIN_OPS, Caller.RESTRICTED_ADMIN_OPS,
            Caller.AGENT_ADMIN, Caller.AGENT, Caller.OTHER_AGENT);
    private static final Set<Caller> SUPERVISORS_AND_THE_CALLS_AGENT = EnumSet.of(Caller.ADMIN_OPS,
            Caller.RESTRICTED_ADMIN_OPS, Caller.AGENT_ADMIN, Caller.AGENT);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    private final Map<Caller, AgentApi> callers = new EnumMap<>(Caller.class);
    /** An archived recording for each caller to ask back. */
    private final Map<Caller, Long> archived = new EnumMap<>(Caller.class);
    private CardCaptureScenario call;
    private long recording;
    private String deactivated;
    private String period;

    @BeforeAll
    void staffAndARecordedCall() {
        call = CardCaptureScenario.recordedPledge(admin, twilio, "11", "ONE_OFF");
        callers.put(Caller.ADMIN_OPS, CallCentreStaff.create(admin, "recops", "ADMIN_OPS", false));
        callers.put(Caller.RESTRICTED_ADMIN_OPS, CallCentreStaff.create(admin, "recrestricted", "ADMIN_OPS", true));
        callers.put(Caller.AGENT_ADMIN, CallCentreStaff.create(admin, "recagentadmin", "AGENT_ADMIN", false));
        callers.put(Caller.AGENT, call.agent);
        callers.put(Caller.OTHER_AGENT, CallCentreStaff.create(admin, "recother", "AGENT", false));
        callers.put(Caller.ANONYMOUS, anonymous);
        deactivated = CallCentreStaff.create(admin, "recdeactivated", "AGENT", false).user();
        await().atMost(WAIT).until(() -> recordings(call.agent).size() == 1);
        call.hangUp();
        recording = await().atMost(WAIT).until(() -> recordings(call.agent).get(0),
                r -> "completed".equals(r.get("status").asText())).get("id").asLong();
        for (Caller caller : Caller.values()) {
            archived.put(caller, archivedRecording());
        }
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        period = "?from=" + LocalDate.now(ZoneOffset.UTC).minusDays(100) + "&to=" + today;
    }

    @AfterAll
    void hangUpThePhone() {
        call.agent.delete("/api/agents/me/phone");
    }

    record Endpoint(String name, Set<Caller> allowed, int success, BiFunction<Caller, AgentApi, AgentApi.Reply> call,
            String stateQuery, Consumer<Caller> ready) {

        Endpoint(String name, Set<Caller> allowed, int success, BiFunction<Caller, AgentApi, AgentApi.Reply> call,
                String stateQuery) {
            this(name, allowed, success, call, stateQuery, caller -> { });
        }

        @Override
        public String toString() {
            return name;
        }
    }

    Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (Caller caller : Caller.values()) {
                cases.add(Arguments.of(endpoint, caller));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("matrix")
    void eachRoleGetsWhatTheTableGivesIt(Endpoint endpoint, Caller caller) {
        if (caller != Caller.ANONYMOUS) {
            endpoint.ready().accept(caller);
        }
        String before = jdbc.queryForList(endpoint.stateQuery()).toString();

        AgentApi.Reply reply = endpoint.call().apply(caller, callers.get(caller));

        if (caller == Caller.ANONYMOUS) {
            assertProblem(reply, 401);
            assertThat(jdbc.queryForList(endpoint.stateQuery()).toString()).as("nothing changed").isEqualTo(before);
        } else if (endpoint.allowed().contains(caller)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(endpoint.success());
        } else {
            assertProblem(reply, 403);
            assertThat(jdbc.queryForList(endpoint.stateQuery()).toString()).as("nothing changed").isEqualTo(before);
        }
    }

    @Test
    void anAgentListsOnlyTheirOwnCallsRecordings() {
        assertThat(recordings(call.agent)).extracting(r -> r.get("id").asLong()).contains(recording);
        assertThat(recordings(callers.get(Caller.OTHER_AGENT))).isEmpty();
        assertThat(recordings(callers.get(Caller.AGENT_ADMIN))).extracting(r -> r.get("id").asLong())
                .contains(recording);
        assertProblem(callers.get(Caller.OTHER_AGENT).get("/api/recordings/" + recording + "/media"), 403,
                "another agent's call");
    }

    private List<Endpoint> endpoints() {
        String nothing = "select 1";
        String restores = "select count(*) from call_recording_restore";
        String campaignRow = "select * from campaign where id = " + call.campaignId;
        String users = "select user_id, active from call_centre_user order by user_id";
        return List.of(
                new Endpoint("GET /api/leads/{id}/recordings", EVERYONE, 200,
                        (caller, api) -> api.get("/api/leads/" + call.leadId + "/recordings"), nothing),
                new Endpoint("GET /api/recordings", SUPERVISORS, 200,
                        (caller, api) -> api.get("/api/recordings" + period), nothing),
                new Endpoint("GET /api/recordings/export", SUPERVISORS, 200,
                        (caller, api) -> api.get("/api/recordings/export" + period), nothing),
                new Endpoint("GET /api/recordings/{id}/media", SUPERVISORS_AND_THE_CALLS_AGENT, 200,
                        (caller, api) -> api.get("/api/recordings/" + recording + "/media"), nothing),
                new Endpoint("POST /api/recordings/{id}/restore-requests", SUPERVISORS, 201,
                        (caller, api) -> api.post("/api/recordings/" + archived.get(caller) + "/restore-requests",
                                null), restores),
                new Endpoint("DELETE /api/recordings/{id}", EnumSet.noneOf(Caller.class), 0,
                        (caller, api) -> api.delete("/api/recordings/" + recording), nothing),
                new Endpoint("PUT /api/recordings/{id}", EnumSet.noneOf(Caller.class), 0,
                        (caller, api) -> api.put("/api/recordings/" + recording, Map.of("archived", false)), nothing),
                new Endpoint("PUT /api/campaigns/{id}/dialling recordCalls", ADMINS, 200,
                        (caller, api) -> api.put("/api/campaigns/" + call.campaignId + "/dialling", dialling(
                                caller == Caller.ADMIN_OPS)), campaignRow),
                new Endpoint("PUT /api/users/{agent} deactivating", ADMINS, 200,
                        (caller, api) -> api.put("/api/users/" + deactivated, deactivation(false)), users,
                        caller -> assertThat(admin.put("/api/users/" + deactivated, deactivation(true)).status())
                                .isEqualTo(200)));
    }

    /** The scenario campaign's rules as they are, recording or not. */
    private Map<String, Object> dialling(boolean recordCalls) {
        JsonNode rules = admin.get("/api/campaigns/" + call.campaignId + "/dialling").json();
        Map<String, Object> body = new HashMap<>();
        rules.fields().forEachRemaining(field -> body.put(field.getKey(), field.getValue().isNumber()
                ? field.getValue().asInt() : field.getValue().isBoolean() ? field.getValue().asBoolean()
                        : field.getValue().isArray() ? field.getValue() : field.getValue().asText()));
        body.put("recordCalls", recordCalls);
        return body;
    }

    private Map<String, Object> deactivation(boolean active) {
        Map<String, Object> body = new HashMap<>(Map.of("firstName", "Test", "lastName", "recdeactivated",
                "email", deactivated + "@example.org", "role", "AGENT", "restricted", false,
                "device", "client:" + deactivated));
        body.put("active", active);
        return body;
    }

    /** A recording of the scenario's call from 90 days ago, archived; answers its id. */
    private long archivedRecording() {
        String sid = "RE" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> params = Map.of("AccountSid", twilio.accountSid(), "CallSid", call.donor.sid(),
                "RecordingSid", sid, "RecordingStatus", "completed", "RecordingDuration", "20",
                "RecordingStartTime", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(
                        Instant.now().minusSeconds(90L * 24 * 3600), ZoneOffset.UTC)));
        assertThat(TwilioWebhook.post(BASE + TelephonyUrls.RECORDING_STATUS, params, twilio.authToken()).status())
                .isEqualTo(204);
        // The daily run archives only recordings older than two months, and this one is: archived here at once.
        new TransactionTemplate(transactions).executeWithoutResult(tx -> jdbc.update("update call_recording "
                + "set archived = true, archived_at = current_timestamp where recording_sid = ?", sid));
        return jdbc.queryForObject("select id from call_recording where recording_sid = ?", Long.class, sid);
    }

    private List<JsonNode> recordings(AgentApi api) {
        AgentApi.Reply reply = api.get("/api/leads/" + call.leadId + "/recordings");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        reply.json().forEach(list::add);
        return list;
    }
}
