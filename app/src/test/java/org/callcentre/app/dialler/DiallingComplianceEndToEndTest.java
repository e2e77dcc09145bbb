package org.callcentre.app.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.callcentre.app.support.Problems.assertProblem;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.processes.dialler.OutboundCallProcess;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.management.JobDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Dialling compliance over HTTP through the Twilio emulator: the block and allow lists' API with its refusals and
 * roles, a campaign's allowed countries, and calls refused (409 naming the rule, no call at the emulator, the refusal
 * recorded) or placed. Every entry a test adds is a number of its own or taken off again, so other tests dial as
 * before.
 */
class DiallingComplianceEndToEndTest extends EndToEndTest {

    private static final String CALLER_ID = "+447911125001";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ManagementService management;

    private long campaign;
    private long callList;
    private AgentApi dialler;
    private final List<String> added = new java.util.ArrayList<>();

    /** A campaign dialling all day from Great Britain only, and an Admin Operations user with a connected phone. */
    @BeforeEach
    void campaignAndDialler() {
        campaign = DiallerSetup.campaign(admin, rules(List.of("GB")), List.of(CALLER_ID));
        callList = DiallerSetup.callList(admin, campaign);
        dialler = CallCentreStaff.create(admin, "complyops", "ADMIN_OPS", false);
        Reply dialled = dialler.post("/api/agents/me/phone", null);
        assertThat(dialled.status()).as(dialled.toString()).isEqualTo(202);
        twilio.call(dialled.json().get("callSid").asText()).pickUp();
        await().atMost(WAIT).until(() -> dialler.get("/api/agents/me").json().get("phone").get("connected")
                .asBoolean());
    }

    @AfterEach
    void takeOffWhatWasAdded() {
        for (String path : added) {
            admin.delete(path);
        }
        dialler.delete("/api/agents/me/phone");
    }

    @Test
    void theListsAreAddedToListedAndTakenOff() {
        String number = britishNumber();
        String national = "0" + number.substring(3);
        Reply blocked = add(agentAdmin, "block-list", Map.of("number", national, "reason", "asked never to be called"));
        assertThat(blocked.status()).as(blocked.toString()).isEqualTo(201);
        assertThat(blocked.json().get("entry").asText()).as("read for GB, made E.164").isEqualTo(number);
        assertThat(blocked.json().get("kind").asText()).isEqualTo("NUMBER");
        assertThat(blocked.json().get("addedBy").asText()).isEqualTo("agentadmin");
        assertThat(blocked.json().get("addedAt").asText()).isNotBlank();
        String prefix = freshPrefix();
        Reply byPrefix = add(admin, "block-list", Map.of("prefix", prefix, "reason", "premium rate"));
        assertThat(byPrefix.status()).as(byPrefix.toString()).isEqualTo(201);
        assertThat(byPrefix.json().get("kind").asText()).isEqualTo("PREFIX");

        JsonNode list = agent.get("/api/block-list").json();
        assertThat(list.get(0).get("entry").asText()).as("newest first").isEqualTo(prefix);
        assertThat(list.get(1).get("entry").asText()).isEqualTo(number);
        assertThat(list.get(1).get("reason").asText()).isEqualTo("asked never to be called");

        assertProblem(add(admin, "block-list", Map.of("number", number, "reason", "again")), 409,
                number + " is already on the block list");
        Reply allowed = add(admin, "allow-list", Map.of("number", number, "reason", "the other list"));
        assertThat(allowed.status()).as("the allow list is a list of its own").isEqualTo(201);
        assertThat(agent.get("/api/allow-list").json().get(0).get("entry").asText()).isEqualTo(number);

        assertThat(agentAdmin.delete("/api/block-list/" + number).status()).isEqualTo(204);
        assertThat(admin.delete("/api/block-list/" + prefix).status()).isEqualTo(204);
        assertThat(admin.delete("/api/allow-list/" + national).status()).as("a number read for GB").isEqualTo(204);
        assertProblem(admin.delete("/api/block-list/" + number), 404, number + " is not on the block list");
        assertThat(agent.get("/api/block-list").body()).doesNotContain(number, prefix);
    }

    @Test
    void badEntriesAndAgentsAreRefusedAndChangeNothing() {
        String before = admin.get("/api/block-list").body();
        assertProblem(add(admin, "block-list", Map.of("number", "12345", "reason", "x")), 400,
                "'12345' is not a valid phone number");
        assertProblem(add(admin, "block-list", Map.of("prefix", "1900", "reason", "x")), 400,
                "prefix '1900' is not + and 1 to 15 digits");
        assertProblem(add(admin, "block-list", Map.of("prefix", "+1234567890123456", "reason", "x")), 400,
                "is not + and 1 to 15 digits");
        assertProblem(add(admin, "block-list", Map.of("prefix", "+19x", "reason", "x")), 400,
                "is not + and 1 to 15 digits");
        assertProblem(add(admin, "block-list", Map.of("prefix", "+1900", "number", "+12015550123", "reason", "x")),
                400, "either a number or a prefix");
        assertProblem(add(admin, "block-list", Map.of("reason", "x")), 400, "either a number or a prefix");
        assertProblem(add(admin, "block-list", Map.of("prefix", freshPrefix())), 400, "reason must not be blank");
        assertProblem(admin.post("/api/block-list?region=XX", Map.of("number", "07400123456", "reason", "x")), 400,
                "region must be an ISO country");
        assertProblem(admin.delete("/api/block-list/not-a-number"), 400, "is not a valid phone number");

        String prefix = freshPrefix();
        assertProblem(add(agent, "block-list", Map.of("prefix", prefix, "reason", "x")), 403,
                "your role does not allow this");
        assertProblem(add(agent, "allow-list", Map.of("prefix", prefix, "reason", "x")), 403,
                "your role does not allow this");
        assertThat(add(admin, "block-list", Map.of("prefix", prefix, "reason", "x")).status()).isEqualTo(201);
        assertProblem(agent.delete("/api/block-list/" + prefix), 403, "your role does not allow this");
        assertProblem(agent.send("PUT", "/api/block-list/" + prefix, Map.of()), 403, "your role does not allow this");
        assertProblem(anonymous.get("/api/block-list"), 401);
        assertThat(admin.delete("/api/block-list/" + prefix).status()).isEqualTo(204);
        assertThat(admin.get("/api/block-list").body()).isEqualTo(before);
    }

    @Test
    void aCampaignsAllowedCountriesAreSetReadAndChecked() {
        String path = "/api/campaigns/" + campaign + "/dialling";
        assertThat(agentAdmin.get(path).json().get("allowedCountries").toString()).isEqualTo("[\"GB\"]");

        Reply set = admin.put(path, rules(List.of("IE", "GB", "IE")));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().get("allowedCountries").toString()).isEqualTo("[\"GB\",\"IE\"]");

        String before = admin.get(path).body();
        assertProblem(admin.put(path, rules(List.of("GB", "XX"))), 400,
                "XX is not an ISO 3166 alpha-2 country");
        assertProblem(admin.put(path, rules(List.of("gb"))), 400, "must be ISO 3166 alpha-2 countries");
        assertProblem(admin.put(path, rules(List.of("GBR"))), 400, "must be ISO 3166 alpha-2 countries");
        assertThat(admin.get(path).body()).isEqualTo(before);

        Reply every = admin.put(path, DiallerSetup.rules(0, 10, 10, "00:00", "00:00", "Europe/London"));
        assertThat(every.status()).as(every.toString()).isEqualTo(200);
        assertThat(every.json().get("allowedCountries").toString()).as("left out: every country").isEqualTo("[]");
    }

    @Test
    void aNumberOfACountryNotAllowedIsRefusedUnlessTheAllowListHoldsIt() {
        String american = americanNumber();
        long lead = importLead(american);

        Reply refused = dialler.post("/api/leads/" + lead + "/calls", Map.of());

        assertProblem(refused, 409, "COUNTRY_NOT_ALLOWED", american + " is a number of US",
                "dials only numbers of GB");
        assertThat(refused.json().get("rule").asText()).isEqualTo("COUNTRY_NOT_ALLOWED");
        assertThat(callsTo(american)).as("no call row").isZero();
        assertThat(twilio.calls()).noneMatch(call -> call.to().equals(american));
        JsonNode refusals = dialler.get("/api/leads/" + lead + "/dial-refusals").json();
        assertThat(refusals).hasSize(1);
        assertThat(refusals.get(0).get("rule").asText()).isEqualTo("COUNTRY_NOT_ALLOWED");
        assertThat(refusals.get(0).get("number").asText()).isEqualTo(american);
        assertThat(refusals.get(0).get("campaignId").asLong()).isEqualTo(campaign);
        assertThat(refusals.get(0).get("userId").asText()).isEqualTo(dialler.user());
        assertThat(refusals.get(0).get("callId").isNull()).isTrue();
        assertThat(historyKinds(lead)).contains("DIAL_REFUSED");

        Reply allowed = add(admin, "allow-list", Map.of("number", american, "reason", "a donor who moved"));
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(201);
        Reply placed = dialler.post("/api/leads/" + lead + "/calls", Map.of("phone", american));

        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        long callId = placed.json().get("id").asLong();
        assertThat(twilio.awaitCallTo(american, WAIT).from()).isEqualTo(CALLER_ID);
        await().atMost(WAIT).until(() -> !dialler.get("/api/calls/" + callId).json().get("callSid").isNull());
        assertThat(dialler.delete("/api/calls/" + callId).status()).isEqualTo(202);
        await().atMost(WAIT).until(() -> dialler.get("/api/calls/" + callId).json().get("final").asBoolean());
    }

    @Test
    void aBlockedNumberIsRefusedAndTheLeadsNextNumberIsCalledInstead() {
        String blocked = britishNumber();
        String other = britishNumber();
        long lead = importLead(blocked, other);
        assertThat(add(admin, "block-list", Map.of("number", blocked, "reason", "complained")).status())
                .isEqualTo(201);

        Reply refused = dialler.post("/api/leads/" + lead + "/calls", Map.of("phone", blocked));

        assertProblem(refused, 409, "refused by the BLOCK_LIST rule", blocked + " is on the block list: complained");
        assertThat(refused.json().get("rule").asText()).isEqualTo("BLOCK_LIST");
        assertThat(callsTo(blocked)).isZero();
        assertThat(twilio.calls()).noneMatch(call -> call.to().equals(blocked));
        assertThat(jdbc.queryForObject("select count(*) from dial_refusal where lead_id = ? and rule = 'BLOCK_LIST' "
                + "and number = ? and call_id is null", Integer.class, lead, blocked)).isEqualTo(1);

        Reply placed = dialler.post("/api/leads/" + lead + "/calls", Map.of());
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        assertThat(placed.json().get("to").asText()).as("the first number the compliance allows").isEqualTo(other);
        long callId = placed.json().get("id").asLong();
        twilio.awaitCallTo(other, WAIT);
        await().atMost(WAIT).until(() -> !dialler.get("/api/calls/" + callId).json().get("callSid").isNull());
        assertThat(dialler.delete("/api/calls/" + callId).status()).isEqualTo(202);
        await().atMost(WAIT).until(() -> dialler.get("/api/calls/" + callId).json().get("final").asBoolean());
    }

    @Test
    void aNumberOnTheDoNotCallListIsRefusedFirstAndRecorded() {
        String number = britishNumber();
        long lead = importLead(number);
        assertThat(add(admin, "block-list", Map.of("number", number, "reason", "also blocked")).status())
                .isEqualTo(201);
        assertThat(admin.postCsv("/api/do-not-call", "phone\n" + number + "\n").status()).isEqualTo(200);
        try {
            Reply refused = dialler.post("/api/leads/" + lead + "/calls", Map.of("phone", number));

            assertProblem(refused, 409, "refused by the DO_NOT_CALL rule", number + " is on the do-not-call list");
            assertThat(refused.json().get("rule").asText()).isEqualTo("DO_NOT_CALL");
            assertThat(dialler.get("/api/leads/" + lead + "/dial-refusals").json().get(0).get("rule").asText())
                    .isEqualTo("DO_NOT_CALL");
            assertThat(callsTo(number)).isZero();
        } finally {
            admin.delete("/api/do-not-call/" + number);
        }
    }

    /** The job that asks Twilio is held while the number is blocked: the call ends failed, and Twilio is not asked. */
    @Test
    void aNumberBlockedBetweenPlacingAndCreatingTheCallIsNotCalled() {
        String number = britishNumber();
        long lead = importLead(number);
        List<JobDefinition> createCall = management.createJobDefinitionQuery()
                .processDefinitionKey(OutboundCallProcess.PROCESS_KEY)
                .activityIdIn(OutboundCallProcess.Elements.CREATE_CALL).list();
        assertThat(createCall).isNotEmpty();
        long callId;
        try {
            createCall.forEach(definition -> management.suspendJobDefinitionById(definition.getId()));
            Reply placed = dialler.post("/api/leads/" + lead + "/calls", Map.of());
            assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
            callId = placed.json().get("id").asLong();
            assertThat(add(agentAdmin, "block-list", Map.of("number", number, "reason", "just complained"))
                    .status()).isEqualTo(201);
        } finally {
            createCall.forEach(definition -> management.activateJobDefinitionById(definition.getId(), true));
        }

        await().atMost(WAIT).until(() -> dialler.get("/api/calls/" + callId).json().get("final").asBoolean());
        JsonNode failed = dialler.get("/api/calls/" + callId).json();
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("callSid").isNull()).isTrue();
        assertThat(failed.get("errorCode").isNull()).isTrue();
        assertThat(failed.get("errorMessage").asText()).contains("BLOCK_LIST", "just complained");
        assertThat(twilio.calls()).noneMatch(call -> call.to().equals(number));
        JsonNode refusals = dialler.get("/api/leads/" + lead + "/dial-refusals").json();
        assertThat(refusals).hasSize(1);
        assertThat(refusals.get(0).get("rule").asText()).isEqualTo("BLOCK_LIST");
        assertThat(refusals.get(0).get("callId").asLong()).isEqualTo(callId);
        JsonNode after = dialler.get("/api/leads/" + lead).json();
        assertThat(after.get("phones").get(0).get("invalid").asBoolean()).as("not Twilio's invalid number").isFalse();
        assertThat(after.get("attempts").asInt()).isZero();
        assertThat(historyKinds(lead)).containsSubsequence("IMPORTED", "DIAL_REFUSED", "CALL_FAILED")
                .as("Twilio placed no call").doesNotContain("CALL_PLACED");
    }

    @Test
    void dialRefusalsOfAnUnknownLeadAreNotFound() {
        assertProblem(dialler.get("/api/leads/999999999/dial-refusals"), 404);
        assertProblem(anonymous.get("/api/leads/999999999/dial-refusals"), 401);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Adds to a list; what was added is taken off after the test. */
    private Reply add(AgentApi api, String list, Map<String, Object> body) {
        Reply reply = api.post("/api/" + list, body);
        if (reply.status() == 201) {
            added.add("/api/" + list + "/" + reply.json().get("entry").asText());
        }
        return reply;
    }

    /** Imports a lead with one or two numbers, in order. */
    private long importLead(String... numbers) {
        String ref = "ref" + numbers[0].substring(1);
        Reply imported = admin.postCsv("/api/call-lists/" + callList + "/leads", "first_name,last_name,phone,phone_2,"
                + "external_ref\nDonor,Compliance," + numbers[0] + "," + (numbers.length > 1 ? numbers[1] : "") + ","
                + ref + "\n");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        Reply found = admin.get("/api/leads?externalRef=" + ref);
        long lead = found.json().get("items").get(0).get("id").asLong();
        assertThat(admin.get("/api/leads/" + lead).json().get("phones")).as(found.toString()).hasSize(numbers.length);
        return lead;
    }

    private static Map<String, Object> rules(List<String> allowedCountries) {
        Map<String, Object> rules = new HashMap<>(DiallerSetup.rules(0, 10, 10, "00:00", "00:00", "Europe/London"));
        rules.put("allowedCountries", allowedCountries);
        return rules;
    }

    private int callsTo(String number) {
        return jdbc.queryForObject("select count(*) from outbound_call where to_number = ?", Integer.class, number);
    }

    private List<String> historyKinds(long lead) {
        List<String> kinds = new java.util.ArrayList<>();
        dialler.get("/api/leads/" + lead + "/history").json().forEach(event -> kinds.add(event.get("kind").asText()));
        return kinds;
    }

    /** A GB mobile (07400 range: libphonenumber's GB, unlike the 07911 numbers of Guernsey). */
    private static String britishNumber() {
        return "+447400" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
    }

    private static String americanNumber() {
        return "+1201555" + String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
    }

    /** A prefix in +999, a code no country has, so no other test's number matches it. */
    private static String freshPrefix() {
        return "+999" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }
}
