package org.callcentre.app.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.callcentre.app.support.Problems.assertProblem;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.emulator.twilio.EmulatedRecording;
import org.callcentre.processes.recording.RecordingArchiveProcess;
import org.callcentre.processes.recording.RecordingRestoreProcess;
import org.callcentre.recording.RecordingResumeSweeper;
import org.callcentre.telephony.TelephonyUrls;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Call recordings over HTTP through the Twilio emulator: a recording campaign's call is recorded, card capture pauses
 * the recording before the first card prompt and resumes it once the donor is back (the emulator proves that no card
 * prompt and no card key fell in a recorded part), a pause Twilio refuses refuses the capture, a failed resume is
 * retried; the recordings are listed (active users' only), their audio streamed through the app; the daily archive
 * run archives old ones, which then answer 410, are marked in the CSV export, and play again once a restore task is
 * completed in Tasklist with a location under the restore store (any other location refused).
 */
class RecordingEndToEndTest extends EndToEndTest {

    private static final String VISA = "4242424242424242";
    private static final String EXPIRY = "1230";
    private static final String CVC = "737";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ManagementService management;
    @Autowired
    RecordingResumeSweeper sweeper;

    @AfterEach
    void clearFaults() {
        twilio.clearRecordingFaults();
    }

    @Test
    void aRecordedCallsCardCaptureKeepsEveryCardPromptAndKeyOutOfTheRecording() throws Exception {
        var call = CardCaptureScenario.recordedPledge(admin, twilio, "12", "ONE_OFF");
        JsonNode listed = awaitRecordingOf(call);
        assertThat(listed.get("status").asText()).isEqualTo("in-progress");
        assertThat(listed.get("userId").asText()).isEqualTo(call.agent.user());
        assertThat(listed.get("callId").asLong()).isEqualTo(call.callId);
        assertThat(listed.get("leadId").asLong()).isEqualTo(call.leadId);
        assertThat(listed.get("archived").asBoolean()).isFalse();
        assertThat(listed.get("restoreRequested").asBoolean()).isFalse();
        assertThat(listed.toString()).doesNotContain("api.twilio").doesNotContain(twilio.baseUrl())
                .doesNotContain("mediaUrl");

        call.start();
        assertThat(call.donor.recordings().get(0).status()).as("paused by the time the start answers")
                .isEqualTo("paused");
        call.enterCard(VISA, EXPIRY, CVC);
        call.awaitBackWithAgent();

        EmulatedRecording resumed = await().atMost(WAIT).until(() -> call.donor.recordings().get(0),
                EmulatedRecording::resumedAfterPause);
        assertThat(call.captureStatus()).isEqualTo("SUCCEEDED");
        assertThat(resumed.status()).isEqualTo("in-progress");
        assertThat(resumed.parts()).extracting(EmulatedRecording.Part::recorded).containsExactly(true, false, true);
        assertThat(resumed.parts().get(1).pauseBehavior()).isEqualTo("skip");
        assertThat(resumed.pausedPrompts()).anyMatch(prompt -> prompt.contains("card number"))
                .anyMatch(prompt -> prompt.contains("expiry date")).anyMatch(prompt -> prompt.contains("security code"));
        assertThat(resumed.recordedPrompts()).noneMatch(prompt -> prompt.toLowerCase().contains("card number")
                || prompt.toLowerCase().contains("expiry") || prompt.toLowerCase().contains("security code"));
        assertThat(resumed.pausedKeys()).isEqualTo(VISA + "#" + EXPIRY + "#" + CVC + "#");
        assertThat(resumed.recordedKeys()).isEmpty();
        await().atMost(WAIT).until(() -> "in-progress".equals(recordingOf(call).get("status").asText()));

        call.hangUp();
        JsonNode completed = await().atMost(WAIT).until(() -> recordingOf(call),
                recording -> "completed".equals(recording.get("status").asText()));
        assertThat(completed.get("durationSeconds").asInt()).isPositive();

        HttpResponse<byte[]> audio = bytes(call.agent.user(), call.agentPassword,
                "/api/recordings/" + completed.get("id").asLong() + "/media");
        assertThat(audio.statusCode()).isEqualTo(200);
        assertThat(audio.headers().firstValue("Content-Type")).contains("audio/x-wav");
        assertThat(new String(audio.body(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(audio.headers().map().toString()).doesNotContain(twilio.accountSid())
                .doesNotContain(twilio.authToken());
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        AgentApi.Reply period = admin.get("/api/recordings?from=" + today + "&to=" + today + "&userId="
                + call.agent.user());
        assertThat(period.status()).as(period.toString()).isEqualTo(200);
        assertThat(period.json()).extracting(node -> node.get("id").asLong())
                .containsExactly(completed.get("id").asLong());
    }

    @Test
    void aPauseTwilioRefusesRefusesTheCaptureAndChangesNothing() {
        var call = CardCaptureScenario.recordedPledge(admin, twilio, "13", "ONE_OFF");
        awaitRecordingOf(call);
        // The SDK tries a failed request again: every try fails.
        twilio.failRecordingUpdates("paused", 100);

        AgentApi.Reply refused = call.startCapture();

        assertProblem(refused, 503, "recording could not be paused", "card capture did not start");
        assertThat(call.captureStatus()).isNull();
        assertThat(jdbc.queryForObject("select count(*) from card_capture where pledge_id = ?", Integer.class,
                call.pledgeId)).isZero();
        assertThat(call.donor.recordings().get(0).wasPaused()).isFalse();
        assertThat(call.donor.inConference()).as("the donor stays with the agent").isTrue();
        assertThat(call.donor.heard()).noneMatch(prompt -> prompt.contains("card number"));
        assertThat(recordingOf(call).get("status").asText()).isEqualTo("in-progress");

        twilio.clearRecordingFaults();
        call.start();
        call.enterCard(VISA, EXPIRY, CVC);
        call.awaitBackWithAgent();
        await().atMost(WAIT).until(() -> call.donor.recordings().get(0).resumedAfterPause());
        call.hangUp();
    }

    @Test
    void aFailedResumeNeverHoldsUpTheDonorAndIsTriedAgain() {
        var call = CardCaptureScenario.recordedPledge(admin, twilio, "14", "ONE_OFF");
        awaitRecordingOf(call);
        call.start();
        twilio.failRecordingUpdates("in-progress", 1000);
        call.answer("card number", "##");
        call.awaitBackWithAgent();
        await().atMost(WAIT).until(() -> "RETURNED_TO_AGENT".equals(call.captureStatus()));
        assertThat(call.donor.recordings().get(0).status()).as("still paused: Twilio refuses").isEqualTo("paused");

        twilio.clearRecordingFaults();
        sweeper.sweep();

        await().atMost(WAIT).until(() -> call.donor.recordings().get(0).resumedAfterPause());
        assertThat(call.donor.recordings().get(0).recordedPrompts()).noneMatch(p -> p.contains("card number"));
        assertThat(recordingOf(call).get("status").asText()).isEqualTo("in-progress");
        call.hangUp();
    }

    @Test
    void aCallNotRecordedHasNoRecordingAndItsCaptureNeedsNoPause() {
        var call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "15", "ONE_OFF");
        call.start();
        call.enterCard(VISA, EXPIRY, CVC);
        call.awaitBackWithAgent();
        assertThat(call.donor.recordings()).isEmpty();
        assertThat(call.agent.get("/api/leads/" + call.leadId + "/recordings").json()).isEmpty();
        call.hangUp();
    }

    @Test
    void oldRecordingsAreArchivedExportedAsArchivedAndPlayAgainOnceRestoredInTasklist() throws Exception {
        var call = CardCaptureScenario.recordedPledge(admin, twilio, "16", "ONE_OFF");
        awaitRecordingOf(call);
        call.hangUp();
        long current = await().atMost(WAIT).until(() -> recordingOf(call),
                r -> "completed".equals(r.get("status").asText())).get("id").asLong();
        String oldSid = "RE" + UUID.randomUUID().toString().replace("-", "");
        Instant ninetyDaysAgo = Instant.now().minus(Duration.ofDays(90));
        recordingCallback(call.donor.sid(), oldSid, "completed", ninetyDaysAgo);
        long old = await().atMost(WAIT).until(() -> recordingsOf(call), list -> list.size() == 2).stream()
                .filter(r -> r.get("recordingSid").asText().equals(oldSid)).findFirst().orElseThrow()
                .get("id").asLong();

        Job daily = management.createJobQuery().processDefinitionKey(RecordingArchiveProcess.PROCESS_KEY).timers()
                .activityId(RecordingArchiveProcess.Elements.START).singleResult();
        assertThat(daily.getDuedate().toInstant()).isAfter(Instant.now().minusSeconds(5));
        management.executeJob(daily.getId());

        await().atMost(WAIT).until(() -> byId(call, old).get("archived").asBoolean());
        assertThat(byId(call, current).get("archived").asBoolean()).isFalse();
        AgentApi.Reply gone = admin.get("/api/recordings/" + old + "/media");
        assertProblem(gone, 410, "archived", "/api/recordings/" + old + "/restore-requests");
        assertThat(bytes(call.agent.user(), call.agentPassword, "/api/recordings/" + current + "/media").statusCode())
                .isEqualTo(200);

        AgentApi.Reply exported = agentAdmin.get("/api/recordings/export?from="
                + LocalDate.now(ZoneOffset.UTC).minusDays(100) + "&to=" + LocalDate.now(ZoneOffset.UTC));
        assertThat(exported.status()).as(exported.toString()).isEqualTo(200);
        assertThat(exported.contentType()).startsWith("text/csv");
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(exported.body())).getRecords();
        CSVRecord archivedRow = rows.stream().filter(r -> r.get("recording_sid").equals(oldSid)).findFirst()
                .orElseThrow();
        assertThat(archivedRow.get("archived")).isEqualTo("true");
        assertThat(archivedRow.get("audio")).contains("archived").contains("restore-requests");
        assertThat(rows).filteredOn(r -> r.get("id").equals(Long.toString(current))).singleElement()
                .satisfies(r -> assertThat(r.get("audio")).isEqualTo("/api/recordings/" + current + "/media"));

        AgentApi.Reply requested = agentAdmin.post("/api/recordings/" + old + "/restore-requests", null);
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        assertProblem(agentAdmin.post("/api/recordings/" + old + "/restore-requests", null), 409, "not done yet");
        assertProblem(admin.post("/api/recordings/" + current + "/restore-requests", null), 409, "not archived");
        assertThat(byId(call, old).get("restoreRequested").asBoolean()).isTrue();
        assertProblem(admin.get("/api/recordings/" + old + "/media"), 410, "a restore has been asked for");

        AgentApi restorer = CallCentreStaff.create(admin, "restorer", "ADMIN_OPS", false);
        JsonNode task = await().atMost(WAIT).until(() -> restorer.get("/engine-rest/task?processDefinitionKey="
                + RecordingRestoreProcess.PROCESS_KEY + "&processInstanceId="
                + requested.json().get("processInstanceId").asText()).json(), tasks -> tasks.size() == 1).get(0);
        assertThat(task.get("name").asText()).isEqualTo("Call recording restore: Scenario Donor, "
                + ninetyDaysAgo.atOffset(ZoneOffset.UTC).toLocalDate());
        String submit = "/engine-rest/task/" + task.get("id").asText() + "/submit-form";

        for (String outside : List.of("http://169.254.169.254/latest/meta-data/", BASE + "/api/users",
                restoreStore.baseUrl() + "../secret.wav", restoreStore.baseUrl().replace("/restored/", "/other/")
                        + "a.wav")) {
            AgentApi.Reply refused = restorer.post(submit, location(outside));
            assertThat(refused.status()).as(outside + ": " + refused).isEqualTo(400);
            assertThat(refused.body()).contains("restored location must be a URL under " + restoreStore.baseUrl());
        }
        assertThat(restorer.get("/engine-rest/task/" + task.get("id").asText()).status()).as("still open")
                .isEqualTo(200);
        assertThat(restoreStore.requests()).as("nothing fetched").isEmpty();
        assertThat(admin.get("/api/recordings/" + old + "/media").status()).isEqualTo(410);

        byte[] wav = "RIFF-restored-audio".getBytes(StandardCharsets.US_ASCII);
        String location = restoreStore.put(oldSid + ".wav", wav);
        AgentApi.Reply done = restorer.post(submit, location(location));
        assertThat(done.status()).as(done.toString()).isEqualTo(204);

        HttpResponse<byte[]> restored = bytes(call.agent.user(), call.agentPassword, "/api/recordings/" + old
                + "/media");
        assertThat(restored.statusCode()).isEqualTo(200);
        assertThat(restored.body()).isEqualTo(wav);
        assertThat(restoreStore.requests()).containsExactly("GET /restored/" + oldSid + ".wav");
        JsonNode after = byId(call, old);
        assertThat(after.get("archived").asBoolean()).isTrue();
        assertThat(after.get("restoreRequested").asBoolean()).isFalse();
        assertThat(jdbc.queryForObject("select restored_by from call_recording_restore where recording_id = ?",
                String.class, old)).isEqualTo(restorer.user());
    }

    @Test
    void aDeactivatedAgentCannotSignInAndTheirRecordingsAreNotListed() {
        var call = CardCaptureScenario.recordedPledge(admin, twilio, "17", "ONE_OFF");
        awaitRecordingOf(call);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String period = "/api/recordings?from=" + today + "&to=" + today + "&userId=" + call.agent.user();

        AgentApi.Reply deactivated = admin.put("/api/users/" + call.agent.user(), edit(call.agent.user(), false));
        assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(200);
        assertThat(deactivated.json().get("active").asBoolean()).isFalse();

        assertProblem(call.agent.get("/api/agents/me"), 401);
        assertThat(call.agent.get("/engine-rest/task").status()).isEqualTo(401);
        assertThat(admin.get("/api/leads/" + call.leadId + "/recordings").json()).isEmpty();
        assertThat(admin.get(period).json()).isEmpty();

        assertThat(admin.put("/api/users/" + call.agent.user(), edit(call.agent.user(), true)).status())
                .isEqualTo(200);
        assertThat(call.agent.get("/api/agents/me").status()).isEqualTo(200);
        assertThat(admin.get("/api/leads/" + call.leadId + "/recordings").json()).hasSize(1);
        assertThat(admin.get(period).json()).hasSize(1);
        call.hangUp();
    }

    @Test
    void nobodyDeactivatesThemselves() {
        AgentApi ops = CallCentreStaff.create(admin, "selfops", "ADMIN_OPS", false);
        assertProblem(ops.put("/api/users/" + ops.user(), edit(ops.user(), false)), 409, "cannot deactivate yourself");
        assertThat(ops.get("/api/users").status()).isEqualTo(200);
    }

    @Test
    void theRecordingCallbackIsSignedStoredOnceAndNeverMovesBackwards() {
        var call = CardCaptureScenario.recordedPledge(admin, twilio, "18", "ONE_OFF");
        awaitRecordingOf(call);
        String sid = "RE" + UUID.randomUUID().toString().replace("-", "");
        String url = BASE + TelephonyUrls.RECORDING_STATUS;
        Map<String, String> params = callbackParams(call.donor.sid(), sid, "completed", Instant.now());

        AgentApi.Reply unsigned = TwilioWebhook.post(url, params, null);
        assertThat(unsigned.status()).isEqualTo(403);
        assertThat(TwilioWebhook.post(url, params, "not-the-token").status()).isEqualTo(403);
        assertThat(recordingsOf(call)).hasSize(1);

        assertThat(TwilioWebhook.post(url, params, twilio.authToken()).status()).isEqualTo(204);
        assertThat(TwilioWebhook.post(url, params, twilio.authToken()).status()).as("a retry").isEqualTo(204);
        assertThat(TwilioWebhook.post(url, callbackParams(call.donor.sid(), sid, "in-progress", Instant.now()),
                twilio.authToken()).status()).as("late").isEqualTo(204);
        Map<String, String> malformed = new HashMap<>(params);
        malformed.put("RecordingSid", "not-a-sid");
        assertThat(TwilioWebhook.post(url, malformed, twilio.authToken()).status()).isEqualTo(204);
        Map<String, String> missing = new HashMap<>(params);
        missing.remove("RecordingStatus");
        AgentApi.Reply empty = TwilioWebhook.post(url, missing, twilio.authToken());
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).contains("<Response/>");

        assertThat(recordingsOf(call)).hasSize(2).filteredOn(r -> r.get("recordingSid").asText().equals(sid))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("status").asText()).isEqualTo("completed");
                    assertThat(r.get("durationSeconds").asInt()).isEqualTo(20);
                });
        call.hangUp();
    }

    @Test
    void theCampaignsDiallingSettingsSayWhetherItRecords() {
        long campaign = CardCaptureScenario.campaign(admin, true, false, false);
        String dialling = "/api/campaigns/" + campaign + "/dialling";
        assertThat(admin.get(dialling).json().get("recordCalls").asBoolean()).isFalse();
        Map<String, Object> rules = new HashMap<>(Map.of("minMinutesBetweenCalls", 0, "maxAttemptsIn8Hours", 5,
                "maxAttemptsPerRecord", 5, "callingHoursStart", "00:00", "callingHoursEnd", "00:00",
                "defaultTimeZone", "UTC", "defaultRegion", "GB", "recordCalls", true));
        assertThat(admin.put(dialling, rules).json().get("recordCalls").asBoolean()).isTrue();
        assertThat(agentAdmin.get(dialling).json().get("recordCalls").asBoolean()).isTrue();
        rules.remove("recordCalls");
        assertThat(admin.put(dialling, rules).json().get("recordCalls").asBoolean()).as("left out: false").isFalse();
        rules.put("recordCalls", "yes");
        assertProblem(admin.put(dialling, rules), 400);
    }

    @Test
    void badPeriodsAndUnknownRecordingsAreRefused() {
        assertProblem(admin.get("/api/recordings"), 400, "from and to are required");
        assertProblem(admin.get("/api/recordings?from=2026-06-02&to=2026-06-01"), 400, "before");
        assertProblem(admin.get("/api/recordings?from=yesterday&to=2026-06-01"), 400, "from is neither");
        assertProblem(admin.get("/api/recordings?from=2020-01-01&to=2026-06-01"), 400, "a year");
        assertProblem(admin.get("/api/recordings/export?from=2026-06-01"), 400, "required");
        assertProblem(admin.get("/api/recordings/999999999/media"), 404, "no recording");
        assertProblem(admin.post("/api/recordings/999999999/restore-requests", null), 404, "no recording");
        assertProblem(admin.get("/api/leads/999999999/recordings"), 404, "no lead");
        AgentApi.Reply instants = admin.get("/api/recordings?from=2026-06-01T10:00:00Z&to=2026-06-01T11:00:00Z");
        assertThat(instants.status()).as(instants.toString()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Object> location(String url) {
        return Map.of("variables", Map.of(RecordingRestoreProcess.Variables.RESTORED_LOCATION.name(),
                Map.of("value", url, "type", "String")));
    }

    private static Map<String, Object> edit(String userId, boolean active) {
        JsonNode user = null;
        for (JsonNode each : admin.get("/api/users").json()) {
            if (each.get("id").asText().equals(userId)) {
                user = each;
            }
        }
        assertThat(user).as("user " + userId).isNotNull();
        Map<String, Object> body = new HashMap<>();
        for (String field : List.of("firstName", "lastName", "email", "role", "device")) {
            body.put(field, user.get(field).asText());
        }
        body.put("restricted", user.get("restricted").asBoolean());
        body.put("active", active);
        return body;
    }

    private static void recordingCallback(String callSid, String recordingSid, String status, Instant started) {
        AgentApi.Reply reply = TwilioWebhook.post(BASE + TelephonyUrls.RECORDING_STATUS,
                callbackParams(callSid, recordingSid, status, started), twilio.authToken());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(204);
    }

    private static Map<String, String> callbackParams(String callSid, String recordingSid, String status,
            Instant started) {
        return Map.of("AccountSid", twilio.accountSid(), "CallSid", callSid, "RecordingSid", recordingSid,
                "RecordingStatus", status, "RecordingDuration", "completed".equals(status) ? "20" : "-1",
                "RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/" + twilio.accountSid() + "/Recordings/"
                        + recordingSid,
                "RecordingStartTime", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        ZonedDateTime.ofInstant(started, ZoneOffset.UTC)),
                "RecordingChannels", "1", "RecordingSource", "OutboundAPI");
    }

    /** Waits until the scenario's call has its recording listed, and answers it. */
    private static JsonNode awaitRecordingOf(CardCaptureScenario call) {
        return await().atMost(WAIT).until(() -> recordingsOf(call), list -> list.size() == 1).get(0);
    }

    private static JsonNode recordingOf(CardCaptureScenario call) {
        List<JsonNode> all = recordingsOf(call);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static JsonNode byId(CardCaptureScenario call, long id) {
        return recordingsOf(call).stream().filter(r -> r.get("id").asLong() == id).findFirst().orElseThrow();
    }

    /** The lead's recordings as its agent lists them. */
    private static List<JsonNode> recordingsOf(CardCaptureScenario call) {
        AgentApi.Reply reply = call.agent.get("/api/leads/" + call.leadId + "/recordings");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> list = new java.util.ArrayList<>();
        reply.json().forEach(list::add);
        return list;
    }

    /** A GET whose answer is bytes (audio), logged in as the user. */
    static HttpResponse<byte[]> bytes(String user, String password, String path) throws IOException,
            InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + path)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
