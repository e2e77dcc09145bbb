package org.callcentre.emulator.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.Queue;
import com.twilio.rest.api.v2010.account.queue.Member;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Inbound callers wait in queues as Twilio documents {@code <Enqueue>}, {@code <Leave>}, {@code <Dial><Queue>} and
 * the Queue and Member resources: the waitUrl loop, each way out of the queue with its QueueResult, the bridge.
 */
class CallQueuesTest extends EmulatorTest {

    private static final String DONOR = "+447700900123";
    private static final AtomicInteger numbers = new AtomicInteger(200);

    /** A new number of the account whose Voice URL answers with this TwiML. */
    private static String number(String voicePath, String twiml) {
        String number = "+441632960" + numbers.incrementAndGet();
        app.twiml(voicePath, twiml);
        emulator.setVoiceUrl(number, app.url(voicePath), null);
        return number;
    }

    private static TwilioRestClient client() {
        return TwilioSdk.client(emulator);
    }

    @Test
    void callersWaitInTheQueueAndHearTheirPositionsInALoop() {
        String number = number("/loop/voice",
                "<Response><Enqueue waitUrl=\"/loop/wait\" action=\"/loop/done\">loop-team</Enqueue></Response>");
        app.route("/loop/wait", r -> FakeApp.Reply.twiml("<Response><Say>You are number " + r.param("QueuePosition")
                + " of " + r.param("CurrentQueueSize") + ".</Say><Play>https://music.example/hold.mp3</Play></Response>"));
        app.twiml("/loop/done", "<Response/>");

        EmulatedCall first = emulator.placeInboundCall("+447700900001", number);
        assertThat(first.awaitQueued(T)).isEqualTo("loop-team");
        EmulatedCall second = emulator.placeInboundCall("+447700900002", number);
        second.awaitQueued(T);
        EmulatedCall third = emulator.placeInboundCall("+447700900003", number);
        third.awaitQueued(T);
        assertThat(emulator.awaitQueueSize("loop-team", 3, T)).containsExactly(first.sid(), second.sid(), third.sid());
        assertThat(emulator.queueMembers("loop-team")).containsExactly(first.sid(), second.sid(), third.sid());

        third.awaitHeard("You are number 3 of 3.", T);
        assertThat(first.heard()).contains("[play https://music.example/hold.mp3]");
        // the document runs out and the waitUrl is requested again
        List<WebhookExchange> waits = emulator.awaitWebhooks(w -> WebhookExchange.KIND_WAIT.equals(w.kind())
                && w.callSid().equals(third.sid()), 2, T);
        assertThat(waits.get(1).params())
                .containsEntry("QueuePosition", "3")
                .containsEntry("CurrentQueueSize", "3")
                .containsEntry("MaxQueueSize", "1000")
                .containsEntry("CallSid", third.sid())
                .containsEntry("CallStatus", "in-progress")
                .containsEntry("Direction", "inbound")
                .containsKeys("QueueTime", "AvgQueueTime");
        assertThat(waits.get(1).params().get("QueueSid")).matches("QU[0-9a-f]{32}");
        assertThat(waits.get(1).url()).isEqualTo(app.url("/loop/wait"));

        // the head leaves: the others move up
        first.hangUp();
        assertThat(emulator.awaitQueueSize("loop-team", 2, T)).containsExactly(second.sid(), third.sid());
        second.awaitHeard("You are number 1 of 2.", T);
        third.awaitHeard("You are number 2 of 2.", T);
        assertThat(first.queue()).isNull();
        assertThat(second.queue()).isEqualTo("loop-team");
        second.hangUp();
        third.hangUp();
        emulator.awaitQueueSize("loop-team", 0, T);
    }

    @Test
    void aGatherInTheWaitDocumentLeadsToLeaveAndTheActionRuns() {
        String number = number("/leave/voice", "<Response><Enqueue waitUrl=\"/leave/wait\" action=\"/leave/left\">"
                + "leave-team</Enqueue><Say>Not after an action.</Say></Response>");
        app.twiml("/leave/wait", "<Response><Gather action=\"/leave/choice\" numDigits=\"1\">"
                + "<Say>Press 1 and we will call you back.</Say></Gather></Response>");
        app.twiml("/leave/choice", "<Response><Say>We will call you back.</Say><Leave/></Response>");
        app.twiml("/leave/left", "<Response><Say>Goodbye.</Say><Hangup/></Response>");

        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        assertThat(call.awaitGather(T).prompt()).isEqualTo("Press 1 and we will call you back.");
        call.press("1");
        assertThat(app.take("/leave/choice", T).params()).containsEntry("Digits", "1")
                .doesNotContainKey("QueueResult");
        FakeApp.Req left = app.take("/leave/left", T);
        assertThat(left.params()).containsEntry("QueueResult", "leave").containsEntry("CallSid", call.sid())
                .containsEntry("CallStatus", "in-progress").containsKey("QueueTime");
        assertThat(left.param("QueueSid")).matches("QU[0-9a-f]{32}");
        call.awaitEnded(T);
        assertThat(call.heard()).containsSubsequence("We will call you back.", "Goodbye.")
                .doesNotContain("Not after an action.");
        assertThat(emulator.queueMembers("leave-team")).isEmpty();
        assertThat(emulator.webhooks()).anySatisfy(w -> {
            assertThat(w.kind()).isEqualTo(WebhookExchange.KIND_ENQUEUE_ACTION);
            assertThat(w.params()).containsEntry("QueueResult", "leave");
        });
    }

    @Test
    void withoutAnActionLeaveGoesOnAfterTheEnqueue() {
        String number = number("/leave2/voice", "<Response><Enqueue waitUrl=\"/leave2/wait\">leave2-team</Enqueue>"
                + "<Say>The line is closed, call again tomorrow.</Say></Response>");
        app.twiml("/leave2/wait", "<Response><Say>Please hold.</Say><Leave/></Response>");
        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitHeard("The line is closed", T);
        call.awaitEnded(T);
        assertThat(call.heard()).containsExactly("Please hold.", "The line is closed, call again tomorrow.");
    }

    @Test
    void leaveOutsideAQueueIsPassedOver() {
        String number = number("/no-queue/voice", "<Response><Leave/><Say>Still here.</Say></Response>");
        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitEnded(T);
        assertThat(call.heard()).containsExactly("Still here.");
    }

    @Test
    void aCallerWhoHangsUpLeavesTheQueueAndTheActionHearsHangup() {
        String number = "+441632960" + numbers.incrementAndGet();
        app.twiml("/hangup/voice", "<Response><Enqueue waitUrl=\"/hangup/wait\" action=\"/hangup/done\">"
                + "hangup-team</Enqueue></Response>");
        app.twiml("/hangup/wait", "<Response><Play>https://music.example/hold.mp3</Play></Response>");
        app.twiml("/hangup/done", "<Response><Say>Nobody hears this.</Say></Response>");
        app.twiml("/hangup/status", "");
        emulator.setVoiceUrl(number, app.url("/hangup/voice"), app.url("/hangup/status"));

        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitQueued(T);
        call.hangUp();
        FakeApp.Req done = app.take("/hangup/done", T);
        assertThat(done.params()).containsEntry("QueueResult", "hangup").containsEntry("CallStatus", "completed")
                .containsKeys("QueueSid", "QueueTime");
        FakeApp.Req status = app.take("/hangup/status", T);
        assertThat(status.params()).containsEntry("CallStatus", "completed").containsEntry("CallSid", call.sid());
        assertThat(emulator.queueMembers("hangup-team")).isEmpty();
        assertThat(call.heard()).doesNotContain("Nobody hears this.");

        // completed over the REST API: the same end
        EmulatedCall other = emulator.placeInboundCall(DONOR, number);
        other.awaitQueued(T);
        Call.updater(other.sid()).setStatus(Call.UpdateStatus.COMPLETED).update(client());
        assertThat(app.take("/hangup/done", T).params()).containsEntry("QueueResult", "hangup")
                .containsEntry("CallSid", other.sid());
        emulator.awaitQueueSize("hangup-team", 0, T);
    }

    @Test
    void aRestRedirectTakesTheLongestWaitingCallerIntoTheAgentsConference() {
        String number = number("/redirect/voice", "<Response><Enqueue waitUrl=\"/redirect/wait\" "
                + "action=\"/redirect/done\">redirect-team</Enqueue></Response>");
        app.twiml("/redirect/wait", "<Response><Say>Please hold.</Say><Play>https://music.example/hold.mp3</Play></Response>");
        app.twiml("/redirect/done", "<Response><Say>Ignored: the new Url runs.</Say><Hangup/></Response>");
        app.twiml("/redirect/connect", "<Response><Dial><Conference>agent-conf-q</Conference></Dial></Response>");
        String agent = emulator.createCall("+441632960000", "client:agent",
                "<Response><Dial><Conference>agent-conf-q</Conference></Dial></Response>");

        EmulatedCall first = emulator.placeInboundCall("+447700900011", number);
        first.awaitQueued(T);
        EmulatedCall second = emulator.placeInboundCall("+447700900012", number);
        second.awaitQueued(T);

        String longest = emulator.queueMembers("redirect-team").get(0);
        assertThat(longest).isEqualTo(first.sid());
        Call.updater(longest).setUrl(URI.create(app.url("/redirect/connect"))).update(client());

        FakeApp.Req done = app.take("/redirect/done", T);
        assertThat(done.params()).containsEntry("QueueResult", "redirected").containsEntry("CallSid", first.sid());
        first.awaitConference("agent-conf-q", T);
        assertThat(emulator.awaitConferenceParticipants("agent-conf-q", 2, T)).containsExactly(agent, first.sid());
        assertThat(emulator.awaitQueueSize("redirect-team", 1, T)).containsExactly(second.sid());
        assertThat(first.queue()).isNull();
        assertThat(first.heard()).doesNotContain("Ignored: the new Url runs.");
        second.hangUp();
    }

    @Test
    void dialQueueBridgesTheHeadAfterTheQueueUrlAndTheActionHearsBridged() {
        String number = number("/bridge/voice", "<Response><Enqueue waitUrl=\"/bridge/wait\" action=\"/bridge/done\">"
                + "bridge-team</Enqueue></Response>");
        app.twiml("/bridge/wait", "<Response><Play>https://music.example/hold.mp3</Play></Response>");
        app.twiml("/bridge/about", "<Response><Say>Connecting you to an agent.</Say></Response>");
        app.twiml("/bridge/done", "<Response><Say>Thank you for calling.</Say><Hangup/></Response>");
        app.twiml("/bridge/agent-done", "<Response><Hangup/></Response>");

        EmulatedCall first = emulator.placeInboundCall("+447700900021", number);
        first.awaitQueued(T);
        EmulatedCall second = emulator.placeInboundCall("+447700900022", number);
        second.awaitQueued(T);

        String agent = emulator.createCall("+441632960000", "client:agent1", "<Response><Dial action=\""
                + app.url("/bridge/agent-done") + "\"><Queue url=\"" + app.url("/bridge/about") + "\">bridge-team"
                + "</Queue></Dial></Response>");
        FakeApp.Req about = app.take("/bridge/about", T);
        assertThat(about.params()).containsEntry("CallSid", first.sid()).containsEntry("DequeingCallSid", agent)
                .containsKeys("QueueSid", "QueueTime");
        assertThat(first.awaitBridged(T)).isEqualTo(agent);
        first.awaitHeard("Connecting you to an agent.", T);
        assertThat(emulator.call(agent).awaitBridged(T)).isEqualTo(first.sid());
        assertThat(emulator.queueMembers("bridge-team")).containsExactly(second.sid());
        assertThat(app.requests("/bridge/done")).as("the action waits for the bridge to end").isEmpty();

        // the agent hangs up: the caller's action hears bridged, and its answer runs
        emulator.call(agent).hangUp();
        FakeApp.Req done = app.take("/bridge/done", T);
        assertThat(done.params()).containsEntry("QueueResult", "bridged").containsEntry("CallSid", first.sid())
                .containsKeys("QueueSid", "QueueTime");
        first.awaitHeard("Thank you for calling.", T);
        first.awaitEnded(T);

        // a second agent takes the next caller, who hangs up: the agent's Dial action is requested
        String agent2 = emulator.createCall("+441632960000", "client:agent2", "<Response><Dial action=\""
                + app.url("/bridge/agent-done") + "\"><Queue>bridge-team</Queue></Dial></Response>");
        assertThat(second.awaitBridged(T)).isEqualTo(agent2);
        second.hangUp();
        FakeApp.Req agentDone = app.take("/bridge/agent-done", T);
        assertThat(agentDone.params()).containsEntry("CallSid", agent2).containsEntry("DialCallStatus", "completed")
                .containsEntry("DequeuedCallSid", second.sid()).containsEntry("DialCallSid", second.sid())
                .containsKeys("QueueSid", "DequeuedCallQueueTime", "DequeuedCallDuration");
        emulator.call(agent2).awaitEnded(T);
        assertThat(app.take("/bridge/done", T).params()).containsEntry("QueueResult", "bridged")
                .containsEntry("CallSid", second.sid()).containsEntry("CallStatus", "completed");

        // an agent who dials the empty queue waits for the next caller
        String agent3 = emulator.createCall("+441632960000", "client:agent3",
                "<Response><Dial><Queue>bridge-team</Queue></Dial></Response>");
        emulator.awaitQueueSize("bridge-team", 0, T);
        EmulatedCall third = emulator.placeInboundCall("+447700900023", number);
        assertThat(third.awaitBridged(T)).isEqualTo(agent3);
        third.hangUp();
        emulator.call(agent3).awaitEnded(T); // no action: the agent's document runs out
    }

    @Test
    void theQueuesAndTheirMembersOverTheRestApi() {
        String number = number("/rest/voice", "<Response><Enqueue waitUrl=\"/rest/wait\" action=\"/rest/done\">"
                + "rest-team</Enqueue></Response>");
        app.twiml("/rest/wait", "<Response><Play>https://music.example/hold.mp3</Play></Response>");
        app.twiml("/rest/done", "<Response/>");
        app.twiml("/rest/out", "<Response><Say>Dequeued to a URL.</Say><Hangup/></Response>");
        EmulatedCall first = emulator.placeInboundCall("+447700900031", number);
        first.awaitQueued(T);
        EmulatedCall second = emulator.placeInboundCall("+447700900032", number);
        second.awaitQueued(T);

        Queue queue = StreamSupport.stream(Queue.reader().read(client()).spliterator(), false)
                .filter(q -> "rest-team".equals(q.getFriendlyName())).findFirst().orElseThrow();
        assertThat(queue.getSid()).matches("QU[0-9a-f]{32}");
        assertThat(queue.getCurrentSize()).isEqualTo(2);
        assertThat(queue.getMaxSize()).isEqualTo(1000);
        assertThat(queue.getAverageWaitTime()).isNotNegative();
        assertThat(queue.getAccountSid()).isEqualTo(emulator.accountSid());
        assertThat(queue.getDateCreated()).isNotNull();

        List<Member> members = StreamSupport.stream(Member.reader(queue.getSid()).read(client()).spliterator(), false)
                .toList();
        assertThat(members).extracting(Member::getCallSid).containsExactly(first.sid(), second.sid());
        assertThat(members).extracting(Member::getPosition).containsExactly(1, 2);
        assertThat(members).allSatisfy(m -> {
            assertThat(m.getQueueSid()).isEqualTo(queue.getSid());
            assertThat(m.getDateEnqueued()).isNotNull();
            assertThat(m.getWaitTime()).isNotNegative();
        });
        assertThat(Member.fetcher(queue.getSid(), "Front").fetch(client()).getCallSid()).isEqualTo(first.sid());

        // dequeue the front member to a URL
        Member dequeued = Member.updater(queue.getSid(), "Front", URI.create(app.url("/rest/out"))).update(client());
        assertThat(dequeued.getCallSid()).isEqualTo(first.sid());
        assertThat(app.take("/rest/done", T).params()).containsEntry("QueueResult", "redirected")
                .containsEntry("CallSid", first.sid());
        first.awaitHeard("Dequeued to a URL.", T);
        first.awaitEnded(T);
        assertThat(Queue.fetcher(queue.getSid()).fetch(client()).getCurrentSize()).isEqualTo(1);
        assertThat(StreamSupport.stream(Member.reader(queue.getSid()).read(client()).spliterator(), false))
                .extracting(Member::getCallSid, Member::getPosition)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(second.sid(), 1));
        second.hangUp();
    }

    @Test
    void theQueueResourcesRefuseWhatTwilioRefusesAndChangeNothing() {
        Queue created = Queue.creator("refusals-team").create(client());
        assertThat(created.getMaxSize()).isEqualTo(1000);
        assertThatThrownBy(() -> Queue.creator("refusals-team").create(client()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
        assertThatThrownBy(() -> Queue.creator("refusals-other").setMaxSize(0).create(client()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(20001));
        assertThatThrownBy(() -> Queue.creator("x".repeat(65)).create(client()))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Queue.updater(created.getSid()).setMaxSize(5001).update(client()))
                .isInstanceOf(ApiException.class);
        assertThat(Queue.fetcher(created.getSid()).fetch(client()).getMaxSize()).isEqualTo(1000);
        assertThat(StreamSupport.stream(Queue.reader().read(client()).spliterator(), false))
                .extracting(Queue::getFriendlyName).doesNotContain("refusals-other");

        assertThatThrownBy(() -> Member.fetcher(created.getSid(), "Front").fetch(client()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
        assertThatThrownBy(() -> Member.updater(created.getSid(), "CA00000000000000000000000000000000",
                URI.create(app.url("/nowhere"))).update(client()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
        assertThatThrownBy(() -> Queue.fetcher("QU00000000000000000000000000000000").fetch(client()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));

        String number = number("/refusals/voice", "<Response><Enqueue>refusals-team</Enqueue></Response>");
        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitQueued(T);
        assertThatThrownBy(() -> Queue.deleter(created.getSid()).delete(client())).isInstanceOf(ApiException.class);
        assertThat(emulator.queueMembers("refusals-team")).containsExactly(call.sid());
        call.hangUp();
        assertThat(Queue.deleter(created.getSid()).delete(client())).isTrue();
        assertThat(emulator.queues()).doesNotContainKey("refusals-team");
    }

    @Test
    void aFullQueueRefusesTheCaller() {
        Queue small = Queue.creator("full-team").setMaxSize(1).create(client());
        assertThat(small.getMaxSize()).isEqualTo(1);
        String number = number("/full/voice", "<Response><Enqueue waitUrl=\"/full/wait\" action=\"/full/done\">"
                + "full-team</Enqueue></Response>");
        app.twiml("/full/wait", "<Response><Play>https://music.example/hold.mp3</Play></Response>");
        app.route("/full/done", r -> FakeApp.Reply.twiml("queue-full".equals(r.param("QueueResult"))
                ? "<Response><Say>Sorry, all our lines are busy.</Say><Hangup/></Response>" : "<Response/>"));

        EmulatedCall first = emulator.placeInboundCall("+447700900041", number);
        first.awaitQueued(T);
        EmulatedCall second = emulator.placeInboundCall("+447700900042", number);
        FakeApp.Req full = app.take("/full/done", T);
        assertThat(full.params()).containsEntry("QueueResult", "queue-full").containsEntry("CallSid", second.sid())
                .doesNotContainKeys("QueueSid", "QueueTime");
        second.awaitHeard("Sorry, all our lines are busy.", T);
        second.awaitEnded(T);
        assertThat(emulator.queueMembers("full-team")).containsExactly(first.sid());
        first.hangUp();
    }

    @Test
    void aVerbNotAllowedInTheWaitDocumentIsAnApplicationError() {
        String number = number("/bad-wait/voice", "<Response><Enqueue waitUrl=\"/bad-wait/wait\" "
                + "action=\"/bad-wait/done\">bad-wait-team</Enqueue></Response>");
        app.twiml("/bad-wait/wait", "<Response><Dial>+441632960999</Dial></Response>");
        app.twiml("/bad-wait/done", "<Response/>");
        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitEnded(T);
        assertThat(call.heard()).containsExactly(EmulatedCall.APPLICATION_ERROR);
        assertThat(app.take("/bad-wait/done", T).params()).containsEntry("QueueResult", "error");
        assertThat(emulator.queueMembers("bad-wait-team")).isEmpty();
    }

    @Test
    void withoutAWaitUrlTheCallerHearsTwiliosHoldMusic() {
        String number = number("/default/voice", "<Response><Enqueue>default-team</Enqueue></Response>");
        EmulatedCall call = emulator.placeInboundCall(DONOR, number);
        call.awaitQueued(T);
        call.awaitHeard("[play " + CallQueueing.DEFAULT_HOLD_MUSIC + "]", T);
        assertThat(emulator.webhooks()).noneMatch(w -> w.callSid().equals(call.sid())
                && WebhookExchange.KIND_WAIT.equals(w.kind()));
        call.hangUp();
    }
}
