package org.callcentre.app.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.InsertedRows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code /api/journeys}, {@code /api/calls/{id}/journey} and {@code /api/inbound-calls/{id}/journey} over HTTP. A
 * lead's lost inbound call became a callback that the holder's outbound call kept; the lead now calls again and is
 * put through to a teammate. The calls' rows are written as the inbound, dialler and callback capabilities leave them.
 */
class JourneyApiEndToEndTest extends EndToEndTest {

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private PlatformTransactionManager transactions;

    private AgentApi holder;
    private AgentApi teammate;
    private long leadId;
    private String phone;
    private long lostCall;
    private long callback;
    private long keptBy;
    private long onTheLine;

    @BeforeEach
    void aLeadWithALostCallACallbackAndTheCallThatKeptIt() {
        holder = CallCentreStaff.create(admin, "jyholder", "AGENT", false);
        teammate = CallCentreStaff.create(admin, "jymate", "AGENT", false);
        long campaign = DiallerSetup.campaign(admin, DiallerSetup.rules(0, 10, 10, "00:00", "00:00",
                "Europe/London"), List.of("+15005550031"));
        long callList = DiallerSetup.callList(admin, campaign);
        long team = DiallerSetup.team(admin, List.of(holder.user(), teammate.user()), List.of(callList));
        phone = DiallerSetup.mobile();
        leadId = DiallerSetup.importLeads(admin, callList, phone).get(0);
        Reply locked = holder.post("/api/leads/" + leadId + "/lock", null);
        assertThat(locked.status()).as(locked.toString()).isEqualTo(200);

        Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            long number = insert("insert into inbound_number (number, locale, greeting, campaign_id, created_at, "
                    + "updated_at) values (?, 'en-GB', 'Hello', ?, ?, ?)", DiallerSetup.mobile(), campaign, at(t0),
                    at(t0));
            lostCall = insert("insert into inbound_call (call_sid, inbound_number_id, from_number, lead_id, status, "
                    + "result, team_id, enqueued_at, started_at, ended_at) values (?, ?, ?, ?, 'ENDED', 'LOST', ?, ?, "
                    + "?, ?)", "CA" + System.nanoTime(), number, phone, leadId, team, at(t0.plusSeconds(10)), at(t0),
                    at(t0.plusSeconds(70)));
            callback = insert("insert into callback (lead_id, phone, mode, team_id, campaign_id, reason, due_at, "
                    + "due_local, time_zone, status, outcome, created_by, origin, origin_inbound_call_id, created_at, "
                    + "updated_at) values (?, ?, 'QUEUE', ?, ?, 'hung up while waiting', ?, '2026-01-01T00:00', "
                    + "'Europe/London', 'DONE', 'Pledge', 'system', 'LOST_CALL', ?, ?, ?)", leadId, phone, team,
                    campaign, at(t0.plusSeconds(70)), lostCall, at(t0.plusSeconds(70)), at(t0.plusSeconds(70)));
            jdbc.update("update inbound_call set callback_id = ? where id = ?", callback, lostCall);
            Instant placed = t0.plusSeconds(600);
            keptBy = insert("insert into outbound_call (lead_id, user_id, campaign_id, conference_name, call_sid, "
                    + "from_number, to_number, status, final, billable, callback_id, placed_at, ended_at) "
                    + "values (?, ?, ?, ?, ?, '+15005550031', ?, 'completed', true, true, ?, ?, ?)", leadId,
                    holder.user(), campaign, "agent-" + holder.user(), "CA" + System.nanoTime(), phone, callback,
                    at(placed), at(placed.plusSeconds(95)));
            for (String status : List.of("ringing", "in-progress", "completed")) {
                jdbc.update("insert into outbound_call_status (call_id, status, recorded_at) values (?, ?, ?)", keptBy,
                        status, at(placed.plusSeconds(switch (status) {
                            case "ringing" -> 2;
                            case "in-progress" -> 5;
                            default -> 95;
                        })));
            }
            jdbc.update("update callback set served_by_call_id = ?, offered_to = ? where id = ?", keptBy,
                    holder.user(), callback);
            onTheLine = insert("insert into inbound_call (call_sid, inbound_number_id, from_number, lead_id, status, "
                    + "team_id, enqueued_at, assigned_to, assigned_at, answered_at, started_at) values (?, ?, ?, ?, "
                    + "'ASSIGNED', ?, ?, ?, ?, ?, ?)", "CA" + System.nanoTime(), number, phone, leadId, team,
                    at(t0.plusSeconds(3600)), teammate.user(), at(t0.plusSeconds(3610)), at(t0.plusSeconds(3612)),
                    at(t0.plusSeconds(3590)));
        });
    }

    @Test
    void aSupervisorSeesTheLeadsJourneyOldestFirstWithItsLinks() {
        Reply reply = agentAdmin.get("/api/journeys?leadId=" + leadId);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(kindsAndIds(reply.json())).containsExactly("INBOUND_CALL " + lostCall, "CALLBACK " + callback,
                "OUTBOUND_CALL " + keptBy, "INBOUND_CALL " + onTheLine);
        JsonNode lost = reply.json().get(0);
        assertThat(lost.get("status").asText()).isEqualTo("ENDED");
        assertThat(lost.get("detail").asText()).contains("lost");
        assertThat(links(lost)).containsExactly("CALLBACK " + callback + " CALLBACK",
                "OUTBOUND_CALL " + keptBy + " CALLBACK_SERVED_BY");
        JsonNode kept = reply.json().get(1);
        assertThat(kept.get("agent").asText()).isEqualTo(holder.user());
        assertThat(kept.get("detail").asText()).isEqualTo("made of lost inbound call " + lostCall + "; done: Pledge");
        assertThat(links(kept)).containsExactly("INBOUND_CALL " + lostCall + " ORIGIN",
                "OUTBOUND_CALL " + keptBy + " SERVED_BY");
        assertThat(reply.json().get(2).get("status").asText()).isEqualTo("ENDED");
        assertThat(reply.json().get(3).get("status").asText()).isEqualTo("ASSIGNED");
        assertThat(reply.json().get(3).get("agent").asText()).isEqualTo(teammate.user());
        assertThat(Instant.parse(reply.json().get(0).get("at").asText())).isBefore(
                Instant.parse(reply.json().get(1).get("at").asText()));

        // By number, with the + written as %2B or left unencoded (it arrives as a space): the same activities.
        assertThat(kindsAndIds(admin.get("/api/journeys?phone=%2B" + phone.substring(1)).json()))
                .isEqualTo(kindsAndIds(reply.json()));
        assertThat(kindsAndIds(admin.get("/api/journeys?phone=" + phone).json())).isEqualTo(kindsAndIds(reply.json()));
    }

    @Test
    void anAgentSeesALeadsJourneyOnlyWithItsLockAndANumbersOnlyWhileOnACallFromIt() {
        assertThat(holder.get("/api/journeys?leadId=" + leadId).status()).isEqualTo(200);
        assertProblem(teammate.get("/api/journeys?leadId=" + leadId), 403, "whose lock they hold");
        assertProblem(agent.get("/api/journeys?leadId=" + leadId), 403, "whose lock they hold");

        // The teammate is on the lead's inbound call: that number's journey, not the holder who is not.
        assertThat(teammate.get("/api/journeys?phone=%2B" + phone.substring(1)).status()).isEqualTo(200);
        assertProblem(holder.get("/api/journeys?phone=%2B" + phone.substring(1)), 403, "inbound call they are on");

        Reply released = holder.delete("/api/leads/" + leadId + "/lock");
        assertThat(released.status()).as(released.toString()).isLessThan(300);
        assertProblem(holder.get("/api/journeys?leadId=" + leadId), 403, "whose lock they hold");
    }

    @Test
    void badRequestsAreRefusedWithAProblem() {
        assertProblem(admin.get("/api/journeys"), 400, "exactly one of phone");
        assertProblem(admin.get("/api/journeys?leadId=" + leadId + "&phone=%2B" + phone.substring(1)), 400,
                "exactly one of phone");
        assertProblem(admin.get("/api/journeys?phone=07911000000"), 400, "E.164");
        assertProblem(admin.get("/api/journeys?leadId=abc"), 400, "leadId must be a number");
        assertProblem(admin.get("/api/journeys?leadId=987654321"), 404, "no lead 987654321");
        assertProblem(admin.get("/api/calls/987654321/journey"), 404, "no call 987654321");
        assertProblem(admin.get("/api/inbound-calls/987654321/journey"), 404, "no inbound call 987654321");
        assertProblem(admin.post("/api/journeys", null), 403);
        assertThat(anonymous.get("/api/journeys?leadId=" + leadId).status()).isEqualTo(401);
    }

    @Test
    void anOutboundCallsJourneyForItsAgentAndSupervisors() {
        Reply reply = holder.get("/api/calls/" + keptBy + "/journey");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode journey = reply.json();
        List<String> steps = new ArrayList<>();
        journey.get("steps").forEach(step -> steps.add(step.get("step").asText()));
        assertThat(steps).containsExactly("INITIATED", "ROUTED", "ANSWERED_BY_AGENT", "ANSWERED_BY_CUSTOMER", "ENDED");
        assertThat(journey.get("steps").get(2).get("device").asText()).isEqualTo("client:" + holder.user());
        assertThat(journey.get("callerId").asText()).isEqualTo("+15005550031");
        assertThat(journey.get("number").asText()).isEqualTo(phone);
        assertThat(journey.get("talkingSeconds").asLong()).isEqualTo(90);
        assertThat(journey.get("result").asText()).isEqualTo("completed");
        assertThat(links(journey)).containsExactly("CALLBACK " + callback + " SERVED_CALLBACK",
                "INBOUND_CALL " + lostCall + " CALLBACK_ORIGIN");

        assertThat(agentAdmin.get("/api/calls/" + keptBy + "/journey").status()).isEqualTo(200);
        assertThat(admin.get("/api/calls/" + keptBy + "/journey").status()).isEqualTo(200);
        assertProblem(teammate.get("/api/calls/" + keptBy + "/journey"), 403, "another agent's");
    }

    @Test
    void anInboundCallsJourneyForTheAgentItWasPutThroughToAndSupervisors() {
        Reply reply = teammate.get("/api/inbound-calls/" + onTheLine + "/journey");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<String> steps = new ArrayList<>();
        reply.json().get("steps").forEach(step -> steps.add(step.get("step").asText()));
        assertThat(steps).containsExactly("INITIATED", "ROUTED", "ANSWERED_BY_AGENT");
        assertThat(reply.json().get("number").asText()).isEqualTo(phone);

        Reply lost = agentAdmin.get("/api/inbound-calls/" + lostCall + "/journey");
        assertThat(lost.status()).as(lost.toString()).isEqualTo(200);
        assertThat(lost.json().get("result").asText()).isEqualTo("LOST");
        assertThat(links(lost.json())).containsExactly("CALLBACK " + callback + " CALLBACK",
                "OUTBOUND_CALL " + keptBy + " CALLBACK_SERVED_BY");

        assertProblem(holder.get("/api/inbound-calls/" + onTheLine + "/journey"), 403, "not put through to you");
        assertProblem(teammate.get("/api/inbound-calls/" + lostCall + "/journey"), 403, "not put through to you");
    }

    private static List<String> kindsAndIds(JsonNode journey) {
        List<String> found = new ArrayList<>();
        journey.forEach(activity -> found.add(activity.get("kind").asText() + " " + activity.get("id").asLong()));
        return found;
    }

    private static List<String> links(JsonNode activity) {
        List<String> found = new ArrayList<>();
        activity.get("links").forEach(link -> found.add(link.get("kind").asText() + " " + link.get("id").asLong()
                + " " + link.get("relation").asText()));
        return found;
    }

    /** Runs the insert in the caller's transaction and answers the generated id. */
    private long insert(String sql, Object... arguments) {
        return InsertedRows.insert(jdbc, sql, arguments);
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.from(instant);
    }
}
