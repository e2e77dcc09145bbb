package org.callcentre.app.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.dialler.CallStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/** The leads API over HTTP: CSV import, the do-not-call list, lead views and history, call statuses. */
@Order(3)
class LeadsEndToEndTest extends EndToEndTest {

    private static final String HEADER = "first_name,last_name,phone,phone_2,phone_3,email,time_zone,external_ref\n";
    /** Distinct numbers for each test in the shared database: 07911 0 and five digits (a range libphonenumber takes). */
    private static final AtomicInteger NUMBERS = new AtomicInteger((int) (System.nanoTime() % 50_000));

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;

    private long list;

    @BeforeEach
    void newCallList() {
        list = callList(CardCaptureScenario.campaign(admin, true, false, false));
    }

    @Test
    void anImportedLeadIsFoundShownAndHasItsHistory() {
        String ref = "E2E-" + System.nanoTime();
        String mobile = nextMobile();
        AgentApi.Reply imported = agentAdmin.postCsv("/api/call-lists/" + list + "/leads",
                HEADER + "Ada,Lovelace," + mobile + ",,,ada@example.org,,\"" + ref + "\"\n");

        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().get("imported").asLong()).isOne();
        assertThat(imported.json().get("addedToList").asLong()).isZero();
        assertThat(imported.json().get("rejected")).isEmpty();

        JsonNode page = admin.get("/api/leads?callListId=" + list).json();
        assertThat(page.get("total").asLong()).isOne();
        JsonNode lead = page.get("items").get(0);
        long id = lead.get("id").asLong();
        assertThat(lead.get("externalRef").asText()).isEqualTo(ref);
        assertThat(lead.get("phones").get(0).get("number").asText()).isEqualTo(e164(mobile));
        assertThat(lead.get("phones").get(0).get("doNotCall").asBoolean()).isFalse();
        assertThat(lead.get("timeZone").asText()).isEqualTo("Europe/London");
        assertThat(lead.get("callListIds").get(0).asLong()).isEqualTo(list);
        assertThat(lead.get("lock").isNull()).isTrue();
        assertThat(lead.get("callable").asBoolean()).isTrue();

        assertThat(agentAdmin.get("/api/leads?phone=" + mobile.replace(" ", "")).json().get("items").get(0).get("id")
                .asLong()).isEqualTo(id);
        assertThat(agentAdmin.get("/api/leads?externalRef=" + ref).json().get("total").asLong()).isOne();
        assertThat(agent.get("/api/leads/" + id).json().get("firstName").asText()).isEqualTo("Ada");
        JsonNode history = agent.get("/api/leads/" + id + "/history").json();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("kind").asText()).isEqualTo("IMPORTED");
        assertThat(history.get(0).get("userId").asText()).isEqualTo("agentadmin");
        assertThat(Instant.parse(history.get(0).get("at").asText())).isBeforeOrEqualTo(Instant.now());

        long other = callList(CardCaptureScenario.campaign(admin, true, false, false));
        AgentApi.Reply again = admin.postCsv("/api/call-lists/" + other + "/leads", "external_ref,phone\n" + ref + ","
                + nextMobile() + "\n");
        assertThat(again.json().get("imported").asLong()).isZero();
        assertThat(again.json().get("addedToList").asLong()).isOne();
        assertThat(agent.get("/api/leads/" + id).json().get("callListIds")).hasSize(2);
    }

    @Test
    void aFileWithBadRowsIsRefusedWithTheirLinesAndNothingIsImported() {
        String file = HEADER + "Ada,Lovelace," + nextMobile() + ",,,,,\n"
                + "No,Phone,,,,,,\n"
                + "Bad,Number,12345,,,,,\n"
                + "Bad,Zone," + nextMobile() + ",,,,Mars/Olympus,\n";

        AgentApi.Reply refused = agentAdmin.postCsv("/api/call-lists/" + list + "/leads", file);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asText()).startsWith("3 row(s) of the file are malformed");
        JsonNode rejected = refused.json().get("rejected");
        assertThat(rejected).hasSize(3);
        assertThat(rejected.get(0).get("line").asLong()).isEqualTo(3);
        assertThat(rejected.get(0).get("reason").asText()).isEqualTo("phone is required");
        assertThat(rejected.get(1).get("line").asLong()).isEqualTo(4);
        assertThat(rejected.get(2).get("line").asLong()).isEqualTo(5);
        assertThat(rejected.get(2).get("reason").asText()).contains("Mars/Olympus");
        assertThat(leadsInList()).isZero();

        AgentApi.Reply skipped = agentAdmin.postCsv("/api/call-lists/" + list + "/leads?skipInvalid=true", file);
        assertThat(skipped.status()).as(skipped.toString()).isEqualTo(200);
        assertThat(skipped.json().get("imported").asLong()).isOne();
        assertThat(skipped.json().get("rejected")).hasSize(3);
        assertThat(skipped.json().get("rejected").get(1).get("line").asLong()).isEqualTo(4);
        assertThat(leadsInList()).isOne();
    }

    @Test
    void aCsvFileMayBeFarLargerThanAJsonBody() {
        StringBuilder file = new StringBuilder(HEADER);
        int rows = 3_000;
        for (int i = 0; i < rows; i++) {
            file.append("Donor,Bulk").append(',').append(nextMobile())
                    .append(",,,donor@example.org,Europe/Paris,\n");
        }
        assertThat(file.length()).isGreaterThan(128 * 1024);

        AgentApi.Reply imported = agentAdmin.postCsv("/api/call-lists/" + list + "/leads", file.toString());

        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        assertThat(imported.json().get("imported").asLong()).isEqualTo(rows);
        assertThat(leadsInList()).isEqualTo(rows);
        assertThat(jdbc.queryForObject("select count(*) from lead_time_zone where time_zone = 'Europe/Paris'",
                Long.class)).isOne();
    }

    @Test
    void aFileThatIsNotCsvOrHasUnknownColumnsIsRefused() {
        AgentApi.Reply json = agentAdmin.post("/api/call-lists/" + list + "/leads", Map.of("phone", nextMobile()));
        assertThat(json.status()).as(json.toString()).isEqualTo(415);

        AgentApi.Reply unknown = agentAdmin.postCsv("/api/call-lists/" + list + "/leads",
                "phone,nickname\n" + nextMobile() + ",Ada\n");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("detail").asText()).startsWith("unknown column 'nickname'");

        AgentApi.Reply noPhone = agentAdmin.postCsv("/api/call-lists/" + list + "/leads", "first_name\nAda\n");
        assertThat(noPhone.status()).isEqualTo(422);
        assertThat(noPhone.json().get("detail").asText()).isEqualTo("the file has no phone column: it is required");

        AgentApi.Reply noList = agentAdmin.postCsv("/api/call-lists/999999999/leads", "phone\n" + nextMobile() + "\n");
        assertThat(noList.status()).isEqualTo(404);
        assertThat(leadsInList()).isZero();
    }

    @Test
    void theDoNotCallListCoversEveryNumberOfALead() {
        String first = nextMobile();
        String second = nextMobile();
        long id = importOne(first, second);

        AgentApi.Reply added = agentAdmin.postCsv("/api/do-not-call", "phone\n" + first + "\n12345\n");
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.json().get("added").asLong()).isOne();
        assertThat(added.json().get("rejected").get(0).get("line").asLong()).isEqualTo(3);
        JsonNode lead = agent.get("/api/leads/" + id).json();
        assertThat(lead.get("phones").get(0).get("doNotCall").asBoolean()).isTrue();
        assertThat(lead.get("phones").get(1).get("doNotCall").asBoolean()).isFalse();
        assertThat(lead.get("callable").asBoolean()).isTrue();

        agentAdmin.postCsv("/api/do-not-call?region=GB", "phone\n" + e164(second) + "\n");
        lead = agent.get("/api/leads/" + id).json();
        assertThat(lead.get("callable").asBoolean()).isFalse();
        assertThat(lead.get("notCallableReason").asText()).startsWith("no number left to dial: ");
        assertThat(dialable(id)).isFalse();

        AgentApi.Reply entry = agent.get("/api/do-not-call/" + e164(second));
        assertThat(entry.status()).isEqualTo(200);
        assertThat(entry.json().get("number").asText()).isEqualTo(e164(second));
        assertThat(entry.json().get("addedAt").isTextual()).isTrue();
        assertThat(agent.get("/api/do-not-call/" + second.replace(" ", "")).status()).as("national format").isEqualTo(200);

        assertThat(agentAdmin.delete("/api/do-not-call/" + e164(second)).status()).isEqualTo(204);
        assertThat(agent.get("/api/do-not-call/" + e164(second)).status()).isEqualTo(404);
        assertThat(agentAdmin.delete("/api/do-not-call/" + e164(second)).status()).isEqualTo(404);
        assertThat(agent.get("/api/leads/" + id).json().get("callable").asBoolean()).isTrue();
        assertThat(dialable(id)).isTrue();

        assertThat(agentAdmin.post("/api/do-not-call", Map.of("phone", first)).status()).isEqualTo(415);
        assertThat(agentAdmin.postCsv("/api/do-not-call", "number\n" + first + "\n").status()).isEqualTo(422);
        assertThat(agent.get("/api/do-not-call/12345").status()).isEqualTo(400);
    }

    @Test
    void unknownLeadsAreNotFound() {
        assertThat(agent.get("/api/leads/999999999").status()).isEqualTo(404);
        assertThat(agent.get("/api/leads/999999999/history").status()).isEqualTo(404);
        assertThat(admin.post("/api/leads/999999999/call-statuses", Map.of("status", "BUSY")).status()).isEqualTo(404);
        assertThat(admin.put("/api/leads/999999999/call-statuses/latest", Map.of("status", "BUSY")).status())
                .isEqualTo(404);
        assertThat(admin.get("/api/leads?size=1000").status()).isEqualTo(400);
    }

    @Test
    void aBlockingStatusStopsCallingAndEditingItEnablesThePhoneAgain() {
        long id = importOne(nextMobile(), null);

        AgentApi.Reply noStatus = admin.put("/api/leads/" + id + "/call-statuses/latest", Map.of("status", "BUSY"));
        assertThat(noStatus.status()).isEqualTo(404);
        assertThat(agentAdmin.post("/api/leads/" + id + "/call-statuses", Map.of("note", "no status")).status())
                .isEqualTo(400);

        AgentApi.Reply recorded = agentAdmin.post("/api/leads/" + id + "/call-statuses",
                Map.of("status", "DO_NOT_CALL", "note", "asked not to be called"));
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        assertThat(recorded.json().get("id").asLong()).isPositive();
        assertThat(recorded.json().get("decision").get("action").asText()).isEqualTo("DO_NOT_CALL");
        JsonNode lead = agent.get("/api/leads/" + id).json();
        assertThat(lead.get("lastCallStatus").asText()).isEqualTo("DO_NOT_CALL");
        assertThat(lead.get("callable").asBoolean()).isFalse();
        assertThat(lead.get("notCallableReason").asText()).isEqualTo(CallStatus.BLOCKED_MESSAGE);
        assertThat(dialable(id)).isFalse();

        AgentApi.Reply edited = admin.put("/api/leads/" + id + "/call-statuses/latest", Map.of("status", "CALL_BACK"));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.json().get("callable").asBoolean()).isTrue();
        assertThat(edited.json().get("lastCallStatus").asText()).isEqualTo("CALL_BACK");
        assertThat(dialable(id)).isTrue();
        // The decision of Do Not Call (its number on the do-not-call list, the lead off its list) is taken back,
        // then Call Back's (nothing) applies.
        assertThat(agent.get("/api/do-not-call/" + agent.get("/api/leads/" + id).json().get("phones").get(0)
                .get("number").asText()).status()).isEqualTo(404);
        assertThat(edited.json().get("callListIds")).extracting(JsonNode::asLong).containsExactly(list);
        JsonNode history = agent.get("/api/leads/" + id + "/history").json();
        assertThat(history).extracting(h -> h.get("kind").asText())
                .containsExactly("IMPORTED", "STATUS_RECORDED", "OUTCOME_APPLIED", "STATUS_EDITED", "OUTCOME_UNDONE",
                        "OUTCOME_APPLIED");
        assertThat(history.get(2).get("detail").asText()).startsWith("Do not call: ");
        assertThat(history.get(3).get("detail").asText()).isEqualTo("DO_NOT_CALL → CALL_BACK");
        assertThat(history.get(3).get("userId").asText()).isEqualTo("admin");
        assertThat(history.get(5).get("detail").asText()).isEqualTo("Call back: nothing follows");
    }

    @Test
    void anAgentMustHoldTheLeadsLockAndNameOneOfItsCalls() {
        long id = importOne(nextMobile(), null);

        AgentApi.Reply unlocked = agent.post("/api/leads/" + id + "/call-statuses", Map.of("status", "BUSY"));
        assertThat(unlocked.status()).as(unlocked.toString()).isEqualTo(409);
        assertThat(unlocked.json().get("detail").asText()).startsWith("open the lead first: ");
        lock(id, "agentadmin");
        AgentApi.Reply lockedByOther = agent.post("/api/leads/" + id + "/call-statuses", Map.of("status", "BUSY"));
        assertThat(lockedByOther.status()).isEqualTo(409);
        assertThat(lockedByOther.json().get("detail").asText()).endsWith("is locked by agentadmin");
        assertThat(statuses(id)).isZero();

        lock(id, "agent");
        long otherLead = importOne(nextMobile(), null);
        long otherCall = call(otherLead);
        AgentApi.Reply notItsCall = agent.post("/api/leads/" + id + "/call-statuses",
                Map.of("status", "PLEDGE", "callId", otherCall));
        assertThat(notItsCall.status()).as(notItsCall.toString()).isEqualTo(422);
        assertThat(notItsCall.json().get("detail").asText()).isEqualTo("call " + otherCall + " is not a call to lead "
                + id);
        assertThat(statuses(id)).isZero();

        AgentApi.Reply recorded = agent.post("/api/leads/" + id + "/call-statuses",
                Map.of("status", "PLEDGE", "callId", call(id)));
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        assertThat(agent.put("/api/leads/" + id + "/call-statuses/latest", Map.of("status", "COMPLETE")).status())
                .isEqualTo(200);
        assertThat(agent.get("/api/leads/" + id).json().get("lock").get("userId").asText()).isEqualTo("agent");
    }

    /** A note reaches the lead's history: one that looks like a card number is refused, and nothing is recorded. */
    @Test
    void anOutcomeWhoseNoteHoldsACardNumberIsRefused() {
        long id = importOne(nextMobile(), null);

        AgentApi.Reply refused = agentAdmin.post("/api/leads/" + id + "/call-statuses",
                Map.of("status", "PLEDGE", "note", "paid with 4000-0566-5566-5556"));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.json().get("detail").asText()).startsWith("the note looks like it holds a card number")
                .doesNotContain("5556");
        assertThat(statuses(id)).isZero();
    }

    private long importOne(String phone, String phone2) {
        String ref = "E2E-" + System.nanoTime();
        AgentApi.Reply imported = agentAdmin.postCsv("/api/call-lists/" + list + "/leads",
                "phone,phone_2,external_ref\n" + phone + "," + (phone2 == null ? "" : phone2) + "," + ref + "\n");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
        return agentAdmin.get("/api/leads?externalRef=" + ref).json().get("items").get(0).get("id").asLong();
    }

    private long callList(long campaign) {
        return transaction.execute(status -> {
            GeneratedKeyHolder keys = new GeneratedKeyHolder();
            jdbc.update(c -> {
                var ps = c.prepareStatement("insert into call_list (name, campaign_id, created_at) values (?, ?, ?)",
                        new String[] {"id"});
                ps.setString(1, "List " + System.nanoTime());
                ps.setLong(2, campaign);
                ps.setTimestamp(3, Timestamp.from(Instant.now()));
                return ps;
            }, keys);
            return keys.getKey().longValue();
        });
    }

    private void lock(long leadId, String userId) {
        Timestamp now = Timestamp.from(Instant.now());
        transaction.executeWithoutResult(status -> jdbc.update("update lead set locked_by = ?, locked_at = ?, "
                + "lock_touched_at = ? where id = ?", userId, now, now, leadId));
    }

    private long call(long leadId) {
        return transaction.execute(status -> {
            long campaign = jdbc.queryForObject("select campaign_id from call_list where id = ?", Long.class, list);
            GeneratedKeyHolder keys = new GeneratedKeyHolder();
            jdbc.update(c -> {
                var ps = c.prepareStatement("insert into outbound_call (lead_id, user_id, campaign_id, conference_name, "
                        + "to_number, status, placed_at) values (?, 'agent', ?, 'agent-agent', '+447911000000', "
                        + "'completed', ?)", new String[] {"id"});
                ps.setLong(1, leadId);
                ps.setLong(2, campaign);
                ps.setTimestamp(3, Timestamp.from(Instant.now()));
                return ps;
            }, keys);
            return keys.getKey().longValue();
        });
    }

    private long leadsInList() {
        return jdbc.queryForObject("select count(*) from lead_call_list where call_list_id = ?", Long.class, list);
    }

    private long statuses(long leadId) {
        return jdbc.queryForObject("select count(*) from lead_call_status where lead_id = ?", Long.class, leadId);
    }

    private boolean dialable(long leadId) {
        return jdbc.queryForObject("select dialable from lead where id = ?", Boolean.class, leadId);
    }

    private static String nextMobile() {
        return "07911 " + String.format("%06d", NUMBERS.incrementAndGet() % 100_000);
    }

    private static String e164(String mobile) {
        return "+44" + mobile.substring(1).replace(" ", "");
    }
}
