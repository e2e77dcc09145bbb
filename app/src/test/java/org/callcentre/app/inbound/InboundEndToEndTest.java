package org.callcentre.app.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.callcentre.app.inbound.InboundScene.WAIT;

import java.util.List;
import java.util.Map;

import org.callcentre.app.support.AgentApi.Reply;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.Phones;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.inbound.InboundDispatch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Inbound calls through the Twilio emulator: the menu, the team's queue and what callers hear in it, agents taking
 * the longest-waiting caller, callers who hang up while queued (lost, and called back), callbacks asked for in the
 * queue (called back agent-first when their place comes), the limit on them, and Neglected.
 */
class InboundEndToEndTest extends InboundTest {

    @Autowired
    private InboundDispatch dispatch;

    @Test
    void aCallerQueuesAndIsPutThroughToTheFreeAgent() {
        String from = DiallerSetup.mobile();
        EmulatedCall caller = scene.queuedCaller(from);
        caller.awaitHeard("You are next in the queue.", WAIT);
        caller.awaitHeard("press 9", WAIT);

        JsonNode queue = scene.teammate.get("/api/queues/" + scene.team).json();
        assertThat(queue.get("waiting")).singleElement().satisfies(waiting -> {
            assertThat(waiting.get("from").asText()).isEqualTo(from);
            assertThat(waiting.get("waitingSeconds").asLong()).isNotNegative();
        });
        assertThat(scene.status(caller.sid())).isEqualTo("QUEUED");

        scene.available(scene.agent);

        caller.awaitHeard("Putting you through now.", WAIT);
        caller.awaitConference("agent-" + scene.agent.user(), WAIT);
        await().atMost(WAIT).until(() -> "ASSIGNED".equals(scene.status(caller.sid())));
        JsonNode mine = scene.agent.get("/api/agents/me/inbound").json();
        assertThat(mine.get("call").get("from").asText()).isEqualTo(from);
        assertThat(mine.get("call").get("status").asText()).isEqualTo("ASSIGNED");
        assertThat(scene.teammate.get("/api/queues/" + scene.team).json().get("waiting")).isEmpty();
        Reply busy = scene.agent.post("/api/leads/1/calls", Map.of());
        assertThat(busy.status()).as("no outbound call while on an inbound one").isIn(404, 409);

        caller.hangUp();

        scene.awaitResult(caller.sid(), "SERVED");
        assertThat(scene.inboundCall(caller.sid()).get("assigned_to")).isEqualTo(scene.agent.user());
        await().atMost(WAIT).until(() -> scene.agent.get("/api/agents/me/inbound").json().get("call").isNull());
        assertThat(scene.agent.get("/api/agents/me/inbound").json().get("available").asBoolean()).isTrue();
    }

    @Test
    void theLongestWaitingCallerGoesFirst() {
        EmulatedCall first = scene.queuedCaller(DiallerSetup.mobile());
        EmulatedCall second = scene.queuedCaller(DiallerSetup.mobile());
        second.awaitHeard("You are number 2 in the queue.", WAIT);

        scene.available(scene.agent);

        first.awaitConference("agent-" + scene.agent.user(), WAIT);
        assertThat(scene.status(second.sid())).isEqualTo("QUEUED");
        scene.available(scene.teammate);
        second.awaitConference("agent-" + scene.teammate.user(), WAIT);
        first.hangUp();
        second.hangUp();
        scene.awaitResult(first.sid(), "SERVED");
        scene.awaitResult(second.sid(), "SERVED");
    }

    @Test
    void aWrongKeyIsAskedAgainAndNoAnswerEndsAtTheDefaultOption() {
        EmulatedCall caller = twilio.placeInboundCall(DiallerSetup.mobile(), scene.number);
        caller.awaitGather(WAIT);
        caller.press("7");
        assertThat(caller.awaitGather(WAIT).prompt()).contains("Sorry, that is not one of the options.",
                "For donations, press 1.");
        caller.expireGather();
        assertThat(caller.awaitGather(WAIT).prompt()).contains("Sorry, we did not hear your choice.");
        caller.expireGather();

        assertThat(caller.awaitQueued(WAIT)).isEqualTo("team-" + scene.team);
        assertThat(scene.inboundCall(caller.sid()).get("menu_attempts")).isEqualTo(3);
        caller.hangUp();
        scene.awaitResult(caller.sid(), "LOST");
    }

    @Test
    void aCallerWhoHangsUpWhileQueuedIsLostAndCalledBack() {
        String from = DiallerSetup.mobile();
        EmulatedCall caller = scene.queuedCaller(from);

        caller.hangUp();

        scene.awaitResult(caller.sid(), "LOST");
        Map<String, Object> call = scene.inboundCall(caller.sid());
        List<Map<String, Object>> callbacks = await().atMost(WAIT).until(() -> scene.callbacks(from),
                found -> found.size() == 1);
        Map<String, Object> callback = callbacks.get(0);
        assertThat(callback.get("origin")).isEqualTo("LOST_CALL");
        assertThat(callback.get("origin_inbound_call_id")).isEqualTo(call.get("id"));
        assertThat(callback.get("team_id")).isEqualTo(scene.team);
        assertThat(callback.get("mode")).isEqualTo("QUEUE");
        assertThat(call.get("callback_id")).isEqualTo(callback.get("id"));
        assertThat(call.get("lead_id")).as("a lead made for the caller").isEqualTo(callback.get("lead_id"));
        JsonNode shown = admin.get("/api/callbacks/" + callback.get("id")).json();
        assertThat(shown.get("origin").asText()).isEqualTo("LOST_CALL");
        assertThat(shown.get("originInboundCallId").asLong()).isEqualTo(((Number) call.get("id")).longValue());
        await().atMost(WAIT).until(() -> "DUE".equals(scene.callbacks(from).get(0).get("status")));
    }

    @Test
    void aCallerWhoAsksForACallbackIsCalledBackAgentFirstWhenTheirPlaceComes() {
        String from = DiallerSetup.mobile();
        EmulatedCall asks = scene.queuedCaller(from);
        EmulatedCall waits = scene.queuedCaller(DiallerSetup.mobile());
        asks.awaitGather(WAIT);

        asks.press("9");

        asks.awaitHeard("We will call you back on", WAIT);
        asks.awaitEnded(WAIT);
        scene.awaitResult(asks.sid(), "CALLBACK");
        Map<String, Object> callback = scene.callbacks(from).get(0);
        assertThat(callback.get("origin")).isEqualTo("IVR");
        assertThat(callback.get("origin_inbound_call_id")).isEqualTo(scene.inboundCall(asks.sid()).get("id"));
        assertThat(callback.get("due_at")).as("the place in the queue").isEqualTo(scene.inboundCall(asks.sid())
                .get("enqueued_at"));
        long callbackId = ((Number) callback.get("id")).longValue();
        await().atMost(WAIT).until(() -> "DUE".equals(scene.callbacks(from).get(0).get("status")));

        // The callback's place is ahead of the caller still waiting: the free agent calls it back first.
        scene.available(scene.agent);

        EmulatedCall agentPhone = twilio.call(jdbc.queryForObject("select call_sid from agent_phone where user_id = ?",
                String.class, scene.agent.user()));
        agentPhone.awaitHeard("This is the callback call. Please wait while we are connecting to the caller.", WAIT);
        EmulatedCall person = twilio.awaitCallTo(from, WAIT);
        person.pickUp();
        person.awaitConference("agent-" + scene.agent.user(), WAIT);
        await().atMost(WAIT).until(() -> "IN_CALL".equals(scene.callbacks(from).get(0).get("status")));
        assertThat(scene.status(waits.sid())).as("still waiting its turn").isEqualTo("QUEUED");

        long callId = jdbc.queryForObject("select served_by_call_id from callback where id = ?", Long.class,
                callbackId);
        Reply outcome = scene.agent.post("/api/leads/" + callback.get("lead_id") + "/call-statuses",
                Map.of("status", "NOT_INTERESTED", "callId", callId));
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(201);
        assertThat(scene.callbacks(from).get(0).get("status")).isEqualTo("DONE");
        Phones.hangUp(scene.agent, callId);
        scene.agent.delete("/api/leads/" + callback.get("lead_id") + "/lock");

        // Free again: the caller who waited is put through next.
        waits.awaitConference("agent-" + scene.agent.user(), WAIT);
        waits.hangUp();
        scene.awaitResult(waits.sid(), "SERVED");
    }

    @Test
    void aCallerWhoAsksAgainKeepsTheFirstCallback() {
        String from = DiallerSetup.mobile();
        EmulatedCall first = scene.queuedCaller(from);
        first.awaitGather(WAIT);
        first.press("9");
        scene.awaitResult(first.sid(), "CALLBACK");

        EmulatedCall again = scene.queuedCaller(from);
        again.awaitGather(WAIT);
        again.press("9");

        again.awaitHeard("You already have a callback booked with us", WAIT);
        scene.awaitResult(again.sid(), "CALLBACK");
        assertThat(scene.callbacks(from)).hasSize(1);
        assertThat(scene.inboundCall(again.sid()).get("callback_id")).isEqualTo(scene.callbacks(from).get(0)
                .get("id"));
    }

    @Test
    void theThirdCallbackRequestInAQueueHearsTheMissedCallMessage() {
        for (int i = 0; i < 2; i++) {
            EmulatedCall caller = scene.queuedCaller(DiallerSetup.mobile());
            caller.awaitGather(WAIT);
            caller.press("9");
            scene.awaitResult(caller.sid(), "CALLBACK");
        }
        String third = DiallerSetup.mobile();
        EmulatedCall caller = scene.queuedCaller(third);
        caller.awaitGather(WAIT);

        caller.press("9");

        caller.awaitHeard("we cannot take another callback request right now", WAIT);
        caller.awaitEnded(WAIT);
        scene.awaitResult(caller.sid(), "MISSED");
        assertThat(scene.callbacks(third)).isEmpty();
        assertThat(scene.teammate.get("/api/queues/" + scene.team).json().get("queuedCallbackRequests").asInt())
                .isEqualTo(2);
    }

    @Test
    void aServedCallFromTheSameNumberNeglectsItsOpenCallback() {
        String from = DiallerSetup.mobile();
        long callbackId = scene.dueLostCallCallback(from);

        // Calling again and hanging up unserved cancels nothing.
        EmulatedCall unserved = scene.queuedCaller(from);
        unserved.hangUp();
        scene.awaitResult(unserved.sid(), "LOST");
        assertThat(scene.callbacks(from)).singleElement().satisfies(c -> assertThat(c.get("status")).isIn("SCHEDULED",
                "DUE"));

        EmulatedCall served = scene.queuedCaller(from);
        scene.available(scene.teammate);
        served.awaitConference("agent-" + scene.teammate.user(), WAIT);

        await().atMost(WAIT).until(() -> "NEGLECTED".equals(scene.callbacks(from).get(0).get("status")));
        Map<String, Object> neglected = scene.callbacks(from).get(0);
        assertThat(((Number) neglected.get("id")).longValue()).isEqualTo(callbackId);
        assertThat(neglected.get("served_by_inbound_call_id")).isEqualTo(scene.inboundCall(served.sid()).get("id"));
        assertThat(jdbc.queryForObject("select count(*) from ACT_RU_EXECUTION e join callback c "
                + "on c.process_instance_id = e.PROC_INST_ID_ where c.id = ?", Integer.class, callbackId)).isZero();
        served.hangUp();
        scene.awaitResult(served.sid(), "SERVED");
    }

    @Test
    void aCallbackForLaterIsScheduledAndAServedCallNeglectsItWhileStillDormant() {
        Map<String, Object> later = InboundScene.settings(scene.number, scene.team, scene.campaign);
        later.put("callbackOffer", Map.of("key", "9", "minutes", 30));
        assertThat(admin.put("/api/inbound-numbers/" + scene.numberId, later).status()).isEqualTo(200);
        String from = DiallerSetup.mobile();
        EmulatedCall caller = scene.queuedCaller(from);
        caller.awaitGather(WAIT);

        caller.press("9");

        caller.awaitHeard("in about 30 minutes", WAIT);
        scene.awaitResult(caller.sid(), "CALLBACK");
        Map<String, Object> callback = scene.callbacks(from).get(0);
        assertThat(callback.get("status")).isEqualTo("SCHEDULED");
        java.time.Instant due = ((java.sql.Timestamp) callback.get("due_at")).toInstant();
        assertThat(due).isBetween(java.time.Instant.now().plusSeconds(29 * 60), java.time.Instant.now()
                .plusSeconds(30 * 60));

        EmulatedCall again = scene.queuedCaller(from);
        scene.available(scene.agent);
        again.awaitConference("agent-" + scene.agent.user(), WAIT);

        await().atMost(WAIT).until(() -> "NEGLECTED".equals(scene.callbacks(from).get(0).get("status")));
        again.hangUp();
        scene.awaitResult(again.sid(), "SERVED");
    }

    @Test
    void aServedCallNeglectsACallbackOfferedToAnAgentWhoseDeviceIsRinging() {
        String from = DiallerSetup.mobile();
        long callbackId = scene.dueLostCallCallback(from);
        Reply started = scene.agent.post("/api/callbacks/" + callbackId + "/call", null);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        EmulatedCall device = twilio.awaitCallTo("client:" + scene.agent.user(), WAIT);
        assertThat(scene.callbacks(from).get(0).get("status")).isEqualTo("OFFERED");

        EmulatedCall again = scene.queuedCaller(from);
        scene.available(scene.teammate);
        again.awaitConference("agent-" + scene.teammate.user(), WAIT);

        await().atMost(WAIT).until(() -> "NEGLECTED".equals(scene.callbacks(from).get(0).get("status")));
        device.noAnswer();
        again.hangUp();
        scene.awaitResult(again.sid(), "SERVED");
    }

    @Test
    void dispatchRunningOnManyThreadsAtOnceNeverHandsACallerOrAnAgentOutTwice() throws Exception {
        java.util.List<EmulatedCall> callers = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            callers.add(scene.queuedCaller(DiallerSetup.mobile()));
        }
        // The agents become available with dispatch held back, then every thread dispatches the team at once.
        Phones.connect(twilio, scene.agent);
        Phones.connect(twilio, scene.teammate);
        scene.update("update agent_phone set available = true, available_since = ? where user_id in (?, ?)",
                java.sql.Timestamp.from(java.time.Instant.now()), scene.agent.user(), scene.teammate.user());
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                runs.add(threads.submit(() -> dispatch.dispatch(scene.team)));
            }
            int matched = 0;
            for (var run : runs) {
                matched += run.get();
            }
            assertThat(matched).as("the free agents, each once, and no more (the sweep may have taken some)")
                    .isLessThanOrEqualTo(2);
        } finally {
            threads.shutdownNow();
        }
        await().atMost(WAIT).until(() -> jdbc.queryForObject("select count(*) from inbound_call where team_id = ? "
                + "and status = 'ASSIGNED'", Integer.class, scene.team) == 2);
        assertThat(jdbc.queryForList("select assigned_to from inbound_call where team_id = ? and status in "
                + "('ASSIGNING', 'ASSIGNED')", String.class, scene.team))
                .containsExactlyInAnyOrder(scene.agent.user(), scene.teammate.user());
        assertThat(callers.get(0).conference()).isNotNull();
        assertThat(callers.get(1).conference()).isNotNull();
        assertThat(scene.status(callers.get(2).sid())).isEqualTo("QUEUED");
        assertThat(scene.status(callers.get(3).sid())).isEqualTo("QUEUED");
        for (EmulatedCall caller : callers) {
            caller.hangUp();
        }
    }

    @Test
    void aCallerWhoseCallEndedUnheardIsLostWhenAnAgentWouldTakeItAndTheAgentTakesTheNext() {
        String from = DiallerSetup.mobile();
        EmulatedCall vanished = scene.queuedCaller(from);
        EmulatedCall next = scene.queuedCaller(DiallerSetup.mobile());
        // Twilio's hang-up reports for the first call never arrived: Twilio no longer knows the call the row names.
        long id = ((Number) scene.inboundCall(vanished.sid()).get("id")).longValue();
        scene.update("update inbound_call set call_sid = ? where id = ?", "CAended00000000000000000000000000", id);

        scene.available(scene.agent);

        next.awaitConference("agent-" + scene.agent.user(), WAIT);
        assertThat(jdbc.queryForObject("select result from inbound_call where id = ?", String.class, id))
                .isEqualTo("LOST");
        await().atMost(WAIT).until(() -> scene.callbacks(from).size() == 1);
        next.hangUp();
        vanished.hangUp();
        scene.awaitResult(next.sid(), "SERVED");
    }
}
