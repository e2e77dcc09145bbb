package org.callcentre.app.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.DiallerSetup.NewLead;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.emulator.twilio.CallOutcome;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Fifty agents in two teams work three call lists at once for a while: Next Lead, a call the donor answers (the
 * emulator picks up by itself), a hang-up after a moment, a status. Afterwards independent queries over the locks'
 * history and the attempts find no lead held by two agents and no call that broke a dialling rule.
 * <p>
 * Each list has its own campaign whose rules bind within the test: one allows two calls a lead in 8 hours, one a
 * single call a record, one an hour between calls. A tenth of the leads live where it is night, some numbers are on
 * the do-not-call list, some leads carry a blocking status before the start, and some get one during it.
 */
class DiallerConcurrencyEndToEndTest extends EndToEndTest {

    private static final Logger log = LoggerFactory.getLogger(DiallerConcurrencyEndToEndTest.class);
    private static final int AGENTS = 50;
    private static final int LEADS_PER_LIST = 300;
    private static final Duration WORK = Duration.ofSeconds(20);
    private static final List<String> BLOCKING = List.of("REMOVE", "DO_NOT_CALL", "COMPLETE");
    private static final List<String> OUTCOMES = List.of("NO_ANSWER", "CALL_BACK", "NOT_INTERESTED",
            "ANSWERING_MACHINE", "BUSY", "NO_ANSWER", "CALL_BACK", "NOT_INTERESTED", "ANSWERING_MACHINE", "COMPLETE");
    /** Twelve hours ahead of UTC: outside a four-hour window around now in UTC. */
    private static final String NIGHT_ZONE = "Etc/GMT-12";
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    @Autowired
    JdbcTemplate jdbc;

    /** Which agent the API says holds each lead now, as the agents saw their answers. */
    private final Map<Long, String> heldNow = new ConcurrentHashMap<>();
    private final List<String> seenTwice = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger nothingOffered = new AtomicInteger();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

    @Test
    void fiftyAgentsNeverShareALeadAndNoCallBreaksARule() throws Exception {
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        String start = now.minusHours(2).format(HH_MM);
        String end = now.plusHours(2).format(HH_MM);
        List<String> callerIds = List.of("+447911124101", "+447911124102", "+447911124103");
        long twoIn8Hours = DiallerSetup.campaign(admin, DiallerSetup.rules(0, 2, 10, start, end, "UTC"), callerIds);
        long oneARecord = DiallerSetup.campaign(admin, DiallerSetup.rules(0, 10, 1, start, end, "UTC"), callerIds);
        long hourApart = DiallerSetup.campaign(admin, DiallerSetup.rules(60, 10, 10, start, end, "UTC"), callerIds);
        List<Long> campaigns = List.of(twoIn8Hours, oneARecord, hourApart);
        List<Long> lists = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        for (long campaign : campaigns) {
            long list = DiallerSetup.callList(admin, campaign);
            lists.add(list);
            List<NewLead> leads = new ArrayList<>();
            for (int i = 0; i < LEADS_PER_LIST; i++) {
                String number = DiallerSetup.mobile();
                numbers.add(number);
                leads.add(new NewLead(number, i % 10 == 3 ? NIGHT_ZONE : null));
            }
            DiallerSetup.importLeads(agentAdmin, list, leads);
        }
        StringBuilder doNotCall = new StringBuilder("phone\n");
        for (int i = 5; i < numbers.size(); i += 40) {
            doNotCall.append(numbers.get(i)).append('\n');
        }
        assertThat(agentAdmin.postCsv("/api/do-not-call", doNotCall.toString()).status()).isEqualTo(200);
        String in = lists.stream().map(String::valueOf).collect(Collectors.joining(", "));
        List<Long> leadIds = jdbc.queryForList("select lead_id from lead_call_list where call_list_id in (" + in
                + ") order by lead_id", Long.class);
        for (int i = 7; i < leadIds.size(); i += 45) {
            Reply blocked = admin.post("/api/leads/" + leadIds.get(i) + "/call-statuses",
                    Map.of("status", BLOCKING.get(i % 3)));
            assertThat(blocked.status()).as(blocked.toString()).isEqualTo(201);
        }
        numbers.forEach(number -> twilio.setOutcome(number, CallOutcome.ANSWER));

        List<AgentApi> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            agents.add(CallCentreStaff.create(admin, "crowd", "AGENT", false));
        }
        List<String> ids = agents.stream().map(AgentApi::user).toList();
        DiallerSetup.team(admin, ids.subList(0, AGENTS / 2), List.of(lists.get(0), lists.get(1)));
        long teamB = DiallerSetup.team(admin, ids.subList(AGENTS / 2, AGENTS), List.of(lists.get(1), lists.get(2)));
        // The shared list weighs most for the second team, so both teams press on it.
        assertThat(admin.put("/api/teams/" + teamB, Map.of("name", CallCentreStaff.freshId("Team"), "agents",
                ids.subList(AGENTS / 2, AGENTS), "callLists", List.of(Map.of("callListId", lists.get(1), "weighting",
                        3), Map.of("callListId", lists.get(2), "weighting", 1)))).status()).isEqualTo(200);
        for (AgentApi agent : agents) {
            twilio.setOutcome("client:" + agent.user(), CallOutcome.ANSWER);
            assertThat(agent.post("/api/agents/me/phone", null).status()).isEqualTo(202);
        }
        for (AgentApi agent : agents) {
            await().atMost(WAIT).until(() -> agent.get("/api/agents/me").json().get("phone").get("connected")
                    .asBoolean());
        }

        ExecutorService crowd = Executors.newFixedThreadPool(AGENTS);
        long until = System.nanoTime() + WORK.toNanos();
        List<Future<?>> days = new ArrayList<>();
        for (AgentApi agent : agents) {
            days.add(crowd.submit(() -> work(agent, until)));
        }
        for (Future<?> day : days) {
            day.get(WORK.toSeconds() + 60, TimeUnit.SECONDS);
        }
        crowd.shutdown();

        String ours = "campaign_id in (" + campaigns.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + ")";
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from outbound_call where " + ours
                + " and final = false", Integer.class) == 0);
        for (AgentApi agent : agents) {
            agent.delete("/api/agents/me/phone");
            twilio.clearOutcome("client:" + agent.user());
        }
        numbers.forEach(twilio::clearOutcome);

        log.info("{} agents placed {} calls in {}; {} presses of Next Lead offered nothing", AGENTS, calls.get(), WORK,
                nothingOffered.get());
        assertThat(unexpected).as("answers no agent should get").isEmpty();
        assertThat(seenTwice).as("leads offered while another agent held them").isEmpty();
        assertThat(calls.get()).as("calls placed (and %d presses offered nothing)", nothingOffered.get())
                .isGreaterThan(AGENTS);
        List<Map<String, Object>> placed = jdbc.queryForList("select c.id, c.lead_id, c.user_id, c.campaign_id, "
                + "c.to_number, c.placed_at, c.ended_at, c.status, c.final, l.time_zone from outbound_call c "
                + "join lead l on l.id = c.lead_id where c." + ours + " and c.call_sid is not null order by c.lead_id, "
                + "c.placed_at, c.id");
        assertThat(placed).hasSizeGreaterThanOrEqualTo(calls.get());
        assertThat(placed).allSatisfy(call -> assertThat(call.get("final")).as("final: %s", call).isEqualTo(true));
        assertThat(leadsHeldByTwo(in)).isEmpty();
        assertThat(overlappingCallsOfALead(placed)).isEmpty();
        assertThat(callsBreakingTheRules(placed)).isEmpty();
        assertThat(jdbc.queryForList("select c.id from outbound_call c join do_not_call d on d.number = c.to_number "
                + "where c." + ours, Long.class)).as("calls to do-not-call numbers").isEmpty();
        assertThat(jdbc.queryForList("select c.id from outbound_call c join lead_call_status s on s.lead_id = c.lead_id "
                + "where c." + ours + " and s.status in ('REMOVE', 'DO_NOT_CALL', 'COMPLETE') "
                + "and c.placed_at > s.recorded_at", Long.class)).as("calls after a blocking status").isEmpty();
    }

    /** One agent's shift until the deadline. */
    private void work(AgentApi agent, long until) {
        String me = agent.user();
        Long held = null;
        while (System.nanoTime() < until) {
            if (held != null) {
                heldNow.remove(held, me);
            }
            Reply next = agent.post("/api/agents/me/next-lead", null);
            if (next.status() != 200) {
                unexpected.add(me + " next lead: " + next);
                return;
            }
            JsonNode lead = next.json().get("lead");
            if (lead == null || lead.isNull()) {
                held = null;
                nothingOffered.incrementAndGet();
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                continue;
            }
            held = lead.get("id").asLong();
            String before = heldNow.putIfAbsent(held, me);
            if (before != null) {
                seenTwice.add("lead " + held + " offered to " + me + " while " + before + " held it");
            }
            Reply placed = agent.post("/api/leads/" + held + "/calls", Map.of());
            if (placed.status() != 201) {
                unexpected.add(me + " call to lead " + held + ": " + placed);
                continue;
            }
            calls.incrementAndGet();
            long callId = placed.json().get("id").asLong();
            JsonNode call = awaitCall(agent, callId, c -> "in-progress".equals(c.get("status").asText())
                    || c.get("final").asBoolean());
            if (!call.get("final").asBoolean()) {
                // A moment's talk, then the agent hangs up.
                LockSupport.parkNanos(Duration.ofMillis(ThreadLocalRandom.current().nextInt(50, 300)).toNanos());
                Reply hangUp = agent.delete("/api/calls/" + callId);
                if (hangUp.status() != 202) {
                    unexpected.add(me + " hang-up of call " + callId + ": " + hangUp);
                }
                awaitCall(agent, callId, c -> c.get("final").asBoolean());
            }
            String outcome = OUTCOMES.get(ThreadLocalRandom.current().nextInt(OUTCOMES.size()));
            Reply status = agent.post("/api/leads/" + held + "/call-statuses", Map.of("status", outcome,
                    "callId", callId));
            if (status.status() != 201) {
                unexpected.add(me + " status of lead " + held + ": " + status);
            }
        }
        if (held != null) {
            heldNow.remove(held, me);
        }
    }

    private static JsonNode awaitCall(AgentApi agent, long callId, Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = agent.get("/api/calls/" + callId).json();
            return condition.test(last[0]);
        });
        return last[0];
    }

    /** From the locks' history, oldest first: a lead locked by one agent while another still held it. */
    private List<String> leadsHeldByTwo(String lists) {
        List<Map<String, Object>> events = jdbc.queryForList("select h.lead_id, h.user_id, h.kind from lead_history h "
                + "where h.lead_id in (select lead_id from lead_call_list where call_list_id in (" + lists + ")) "
                + "and h.kind in ('LOCKED', 'LOCK_OVERRIDDEN', 'LOCK_RELEASED') order by h.lead_id, h.id");
        List<String> violations = new ArrayList<>();
        Map<Long, String> holder = new HashMap<>();
        for (Map<String, Object> event : events) {
            long lead = ((Number) event.get("lead_id")).longValue();
            String user = (String) event.get("user_id");
            switch ((String) event.get("kind")) {
                case "LOCKED" -> {
                    String previous = holder.put(lead, user);
                    if (previous != null && !previous.equals(user)) {
                        violations.add("lead " + lead + " locked by " + user + " while " + previous + " held it");
                    }
                }
                case "LOCK_RELEASED" -> holder.remove(lead, user);
                default -> violations.add("lead " + lead + ": a lock was overridden, which no agent here does");
            }
        }
        return violations;
    }

    /** Two calls of one lead by different agents that overlap in time. */
    private static List<String> overlappingCallsOfALead(List<Map<String, Object>> placed) {
        List<String> violations = new ArrayList<>();
        for (List<Map<String, Object>> ofLead : byLead(placed).values()) {
            for (int i = 1; i < ofLead.size(); i++) {
                Map<String, Object> before = ofLead.get(i - 1);
                Map<String, Object> after = ofLead.get(i);
                if (!before.get("user_id").equals(after.get("user_id"))
                        && instant(before.get("ended_at")).isAfter(instant(after.get("placed_at")))) {
                    violations.add("calls " + before.get("id") + " and " + after.get("id") + " overlap");
                }
            }
        }
        return violations;
    }

    /** Calls that the campaign's rules forbid: too close, too many in 8 hours or in all, outside calling hours. */
    private List<String> callsBreakingTheRules(List<Map<String, Object>> placed) {
        Map<Long, Map<String, Object>> rules = new HashMap<>();
        for (Map<String, Object> call : placed) {
            long campaign = ((Number) call.get("campaign_id")).longValue();
            rules.computeIfAbsent(campaign, id -> jdbc.queryForMap("select min_minutes_between_calls, "
                    + "max_attempts_in_8_hours, max_attempts_per_record, calling_hours_start, calling_hours_end "
                    + "from campaign where id = ?", id));
        }
        List<String> violations = new ArrayList<>();
        for (List<Map<String, Object>> ofLead : byLead(placed).values()) {
            Map<String, Object> rule = rules.get(((Number) ofLead.get(0).get("campaign_id")).longValue());
            Duration gap = Duration.ofMinutes(((Number) rule.get("min_minutes_between_calls")).longValue());
            int in8Hours = ((Number) rule.get("max_attempts_in_8_hours")).intValue();
            int perRecord = ((Number) rule.get("max_attempts_per_record")).intValue();
            long lead = ((Number) ofLead.get(0).get("lead_id")).longValue();
            if (ofLead.size() > perRecord) {
                violations.add("lead " + lead + " called " + ofLead.size() + " times, at most " + perRecord);
            }
            for (int i = 0; i < ofLead.size(); i++) {
                Instant at = instant(ofLead.get(i).get("placed_at"));
                if (i > 0 && Duration.between(instant(ofLead.get(i - 1).get("placed_at")), at).compareTo(gap) < 0) {
                    violations.add("lead " + lead + " called again within " + gap + ": call " + ofLead.get(i).get("id"));
                }
                if (i >= in8Hours && Duration.between(instant(ofLead.get(i - in8Hours).get("placed_at")), at)
                        .compareTo(Duration.ofHours(8)) < 0) {
                    violations.add("lead " + lead + " called more than " + in8Hours + " times in 8 hours");
                }
                LocalTime local = at.atZone(ZoneId.of((String) ofLead.get(i).get("time_zone"))).toLocalTime();
                LocalTime from = LocalTime.parse((String) rule.get("calling_hours_start"));
                LocalTime to = LocalTime.parse((String) rule.get("calling_hours_end"));
                boolean inside = from.isBefore(to) ? !local.isBefore(from) && local.isBefore(to)
                        : !local.isBefore(from) || local.isBefore(to);
                if (!inside) {
                    violations.add("lead " + lead + " called at " + local + " its time, outside " + from + "-" + to);
                }
            }
        }
        return violations;
    }

    private static Map<Long, List<Map<String, Object>>> byLead(List<Map<String, Object>> placed) {
        return placed.stream().collect(Collectors.groupingBy(call -> ((Number) call.get("lead_id")).longValue(),
                LinkedHashMap::new, Collectors.toList()));
    }

    private static Instant instant(Object timestamp) {
        return timestamp == null ? Instant.MAX : ((Timestamp) timestamp).toInstant();
    }
}
