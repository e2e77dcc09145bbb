package org.callcentre.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.callcentre.dialler.Caller;
import org.callcentre.dialler.DiallerProperties;
import org.callcentre.dialler.LeadHistory;
import org.callcentre.dialler.LeadLocks;
import org.callcentre.dialler.OutboundCalls;
import org.callcentre.inbound.InboundCalls;
import org.callcentre.journey.Activity.Kind;
import org.callcentre.journey.Activity.Link;
import org.callcentre.journey.Activity.Relation;
import org.callcentre.journey.Activity.Status;
import org.callcentre.journey.CallJourney.Step;
import org.callcentre.journey.CallJourney.StepKind;
import org.callcentre.problem.RefusedException;
import org.callcentre.problem.RefusedException.Reason;
import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.callcentre.user.Role;
import org.junit.jupiter.api.BeforeEach;

/**
 * Journeys on the real schema, on H2 and on PostgreSQL. One customer (Jane, two numbers) whose lost inbound call
 * became a callback that an outbound call kept; a call to her other number that Twilio refused; a callback promised
 * for that number that her next inbound call, served, made Neglected. Another caller's call is never hers.
 */
class CustomerJourneysTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    private static final String HOME = "+447700900101";
    private static final String MOBILE = "+447700900102";
    private static final String STRANGER = "+447700900199";
    private static final String INBOUND = "+441632960001";
    private static final String CALLER_ID = "+441632960050";
    private static final Caller ANN = new Caller("ann", Role.AGENT);
    private static final Caller BOB = new Caller("bob", Role.AGENT);
    private static final Caller SUPERVISOR = new Caller("sue", Role.AGENT_ADMIN);

    private final MovableClock clock = new MovableClock(T0);
    private JourneyRows rows;
    private CustomerJourneys journeys;
    private CallJourneys callJourneys;
    private long jane;
    private long lostCall;
    private long lostCallback;
    private long keptBy;
    private long refusedCall;
    private long promised;
    private long servedCall;
    private long strangerCall;

    @BeforeEach
    void janesCalls(StoreDatabase database) {
        clock.set(T0.plus(Duration.ofHours(5)));
        var jdbc = database.jdbc();
        LeadHistory history = new LeadHistory(jdbc, clock);
        InboundCalls inboundCalls = new InboundCalls(jdbc, clock);
        OutboundCallActivities outbound = new OutboundCallActivities(jdbc);
        InboundCallActivities inbound = new InboundCallActivities(jdbc);
        journeys = new CustomerJourneys(jdbc, List.of(inbound, outbound, new CallbackActivities(jdbc)),
                new LeadLocks(jdbc, clock, new DiallerProperties(15), history,
                        database.transaction().getTransactionManager()), inboundCalls);
        callJourneys = new CallJourneys(jdbc, new OutboundCalls(jdbc, clock, history), inboundCalls, outbound,
                inbound);

        rows = new JourneyRows(jdbc);
        long campaign = rows.campaign();
        long team = rows.team("Donor care", "ann", "bob");
        rows.user("ann", "+447700900555");
        rows.user("bob", "client:bob");
        jane = rows.lead("Jane", "Donor", HOME, MOBILE);
        long number = rows.inboundNumber(INBOUND, campaign);

        // 10:00 Jane calls from home, waits in the queue and hangs up: the lost call becomes a callback.
        lostCall = rows.inboundCall(number, HOME, jane, T0);
        rows.queued(lostCall, team, T0.plusSeconds(20));
        lostCallback = rows.callerCallback(jane, HOME, team, campaign, "LOST_CALL", lostCall, T0.plusSeconds(80));
        rows.inboundEnded(lostCall, "LOST", T0.plusSeconds(80), lostCallback);

        // 11:00 Ann calls her back: answered after 10 s, a pledge, over after two minutes; the callback is done.
        Instant eleven = T0.plus(Duration.ofHours(1));
        keptBy = rows.outboundCall(jane, campaign, "ann", CALLER_ID, HOME, eleven);
        rows.serves(keptBy, lostCallback, "ann");
        rows.status(keptBy, "ringing", eleven.plusSeconds(2), false);
        rows.status(keptBy, "in-progress", eleven.plusSeconds(10), false);
        rows.status(keptBy, "completed", eleven.plusSeconds(130), true);
        rows.outcome(jane, keptBy, "PLEDGE", eleven.plusSeconds(140));
        rows.closed(lostCallback, "DONE", "Pledge", eleven.plusSeconds(140));

        // On that call Jane asks to be called on her mobile at noon.
        promised = rows.agentCallback(jane, MOBILE, team, campaign, "ann", keptBy, eleven.plusSeconds(120));

        // 11:30 a call to her mobile that Twilio refuses.
        refusedCall = rows.outboundCall(jane, campaign, "ann", CALLER_ID, MOBILE, eleven.plusSeconds(1800));
        rows.refused(refusedCall, 21211, "Invalid 'To' Phone Number", eleven.plusSeconds(1801));

        // 13:00 Jane calls from her mobile and Bob serves her: the promised callback is no longer needed.
        Instant one = T0.plus(Duration.ofHours(3));
        servedCall = rows.inboundCall(number, MOBILE, jane, one);
        rows.queued(servedCall, team, one.plusSeconds(15));
        rows.putThrough(servedCall, "bob", one.plusSeconds(30), one.plusSeconds(33));
        rows.neglectedBy(promised, servedCall, one.plusSeconds(33));
        rows.inboundEnded(servedCall, "SERVED", one.plusSeconds(333), null);

        // Someone else's call, at the same time as Jane's first.
        strangerCall = rows.inboundCall(number, STRANGER, null, T0);
    }

    @OnEachDatabase
    void aLeadsJourneyHoldsEveryCallAndCallbackOfItsNumbersOldestFirst(StoreDatabase database) {
        List<Activity> journey = journeys.journey(null, jane, SUPERVISOR);

        assertThat(journey).extracting(Activity::kind, Activity::id, Activity::status, Activity::agent).containsExactly(
                tuple(Kind.INBOUND_CALL, lostCall, Status.ENDED, null),
                tuple(Kind.CALLBACK, lostCallback, Status.ENDED, "ann"),
                tuple(Kind.OUTBOUND_CALL, keptBy, Status.ENDED, "ann"),
                tuple(Kind.CALLBACK, promised, Status.ENDED, "bob"),
                tuple(Kind.OUTBOUND_CALL, refusedCall, Status.FAILED, "ann"),
                tuple(Kind.INBOUND_CALL, servedCall, Status.ENDED, "bob"));
        assertThat(journey).extracting(Activity::at).isSorted();
        assertThat(journey.get(0).at()).isEqualTo(T0);
        assertThat(journey).extracting(Activity::detail).containsExactly(
                "called " + INBOUND + ": lost (hung up while waiting)",
                "made of lost inbound call " + lostCall + "; done: Pledge",
                "completed",
                "scheduled by ann on call " + keptBy + "; neglected: the caller called in again and was served "
                        + "(inbound call " + servedCall + ")",
                "failed (Twilio error 21211: Invalid 'To' Phone Number)",
                "called " + INBOUND + ": served by bob");
    }

    @OnEachDatabase
    void theLinksGoBothWays(StoreDatabase database) {
        List<Activity> journey = journeys.journey(null, jane, SUPERVISOR);

        assertThat(links(journey, Kind.INBOUND_CALL, lostCall)).containsExactly(
                new Link(Kind.CALLBACK, lostCallback, Relation.CALLBACK),
                new Link(Kind.OUTBOUND_CALL, keptBy, Relation.CALLBACK_SERVED_BY));
        assertThat(links(journey, Kind.CALLBACK, lostCallback)).containsExactly(
                new Link(Kind.INBOUND_CALL, lostCall, Relation.ORIGIN),
                new Link(Kind.OUTBOUND_CALL, keptBy, Relation.SERVED_BY));
        assertThat(links(journey, Kind.OUTBOUND_CALL, keptBy)).containsExactly(
                new Link(Kind.CALLBACK, lostCallback, Relation.SERVED_CALLBACK),
                new Link(Kind.INBOUND_CALL, lostCall, Relation.CALLBACK_ORIGIN),
                new Link(Kind.CALLBACK, promised, Relation.CALLBACK));
        assertThat(links(journey, Kind.CALLBACK, promised)).containsExactly(
                new Link(Kind.OUTBOUND_CALL, keptBy, Relation.ORIGIN),
                new Link(Kind.INBOUND_CALL, servedCall, Relation.NEGLECTED_BY));
        assertThat(links(journey, Kind.INBOUND_CALL, servedCall)).containsExactly(
                new Link(Kind.CALLBACK, promised, Relation.NEGLECTED_CALLBACK));
        assertThat(links(journey, Kind.OUTBOUND_CALL, refusedCall)).isEmpty();
    }

    @OnEachDatabase
    void aNumbersJourneyHoldsOnlyThatNumbersActivities(StoreDatabase database) {
        assertThat(journeys.journey(HOME, null, SUPERVISOR)).extracting(Activity::kind, Activity::id)
                .containsExactly(tuple(Kind.INBOUND_CALL, lostCall), tuple(Kind.CALLBACK, lostCallback),
                        tuple(Kind.OUTBOUND_CALL, keptBy));
        assertThat(journeys.journey(MOBILE, null, SUPERVISOR)).extracting(Activity::kind, Activity::id)
                .containsExactly(tuple(Kind.CALLBACK, promised), tuple(Kind.OUTBOUND_CALL, refusedCall),
                        tuple(Kind.INBOUND_CALL, servedCall));
        assertThat(journeys.journey(STRANGER, null, SUPERVISOR)).extracting(Activity::id, Activity::status,
                Activity::detail).containsExactly(tuple(strangerCall, Status.WAITING, "called " + INBOUND
                        + ": in the menu"));
        // A + left unencoded in a query string arrives as a space.
        assertThat(journeys.journey(" 447700900101", null, SUPERVISOR)).hasSize(3);
    }

    @OnEachDatabase
    void callsAndCallbacksStillGoingHaveTheirStatus(StoreDatabase database) {
        long waiting = rows.inboundCall(rows.inboundNumber("+441632960002", rows.campaign()), HOME, jane,
                T0.plus(Duration.ofHours(4)));
        long ringing = rows.outboundCall(jane, rows.campaign(), "ann", CALLER_ID, HOME, T0.plus(Duration.ofHours(4)));
        rows.status(ringing, "ringing", T0.plus(Duration.ofHours(4)).plusSeconds(1), false);

        assertThat(journeys.journey(HOME, null, SUPERVISOR)).filteredOn(a -> a.id() == waiting || a.id() == ringing)
                .extracting(Activity::kind, Activity::status).containsExactlyInAnyOrder(
                        tuple(Kind.INBOUND_CALL, Status.WAITING), tuple(Kind.OUTBOUND_CALL, Status.ASSIGNING));
        rows.queued(waiting, rows.team("Other"), T0.plus(Duration.ofHours(4)));
        rows.status(ringing, "in-progress", T0.plus(Duration.ofHours(4)).plusSeconds(5), false);
        assertThat(journeys.journey(HOME, null, SUPERVISOR)).filteredOn(a -> a.id() == waiting || a.id() == ringing)
                .extracting(Activity::kind, Activity::status, Activity::detail).containsExactlyInAnyOrder(
                        tuple(Kind.INBOUND_CALL, Status.WAITING, "called +441632960002: waiting in the queue of Other"),
                        tuple(Kind.OUTBOUND_CALL, Status.ASSIGNED, "in-progress"));
    }

    @OnEachDatabase
    void aCallbackAskedForInTheQueueIsLinkedToEveryCallThatAskedForIt(StoreDatabase database) {
        String caller = "+447700900150";
        long lead = rows.lead("Sam", null, caller);
        long number = rows.inboundNumber("+441632960004", rows.campaign());
        long team = rows.team("Queue team", "cat");
        Instant at = T0.plus(Duration.ofHours(4));
        long asked = rows.inboundCall(number, caller, lead, at);
        rows.queued(asked, team, at.plusSeconds(5));
        long callback = rows.callerCallback(lead, caller, team, rows.campaign(), "IVR", asked, at.plusSeconds(40));
        rows.inboundEnded(asked, "CALLBACK", at.plusSeconds(40), callback);
        long again = rows.inboundCall(number, caller, lead, at.plusSeconds(100));
        rows.queued(again, team, at.plusSeconds(105));
        rows.inboundEnded(again, "CALLBACK", at.plusSeconds(110), callback);
        long missed = rows.inboundCall(number, caller, lead, at.plusSeconds(200));
        rows.inboundEnded(missed, "MISSED", at.plusSeconds(230), null);
        long abandoned = rows.inboundCall(number, caller, lead, at.plusSeconds(300));
        rows.inboundEnded(abandoned, "ABANDONED", at.plusSeconds(310), null);

        List<Activity> journey = journeys.journey(null, lead, SUPERVISOR);
        assertThat(journey).extracting(Activity::id, Activity::status, Activity::detail).containsExactly(
                tuple(asked, Status.ENDED, "called +441632960004: callback asked for"),
                tuple(callback, Status.WAITING, "asked for while waiting in the queue (inbound call " + asked
                        + "); scheduled"),
                tuple(again, Status.ENDED, "called +441632960004: callback asked for"),
                tuple(missed, Status.ENDED, "called +441632960004: missed (asked for a callback when the queue's "
                        + "callback requests were full)"),
                tuple(abandoned, Status.ENDED, "called +441632960004: abandoned in the menu"));
        assertThat(links(journey, Kind.CALLBACK, callback)).containsExactly(
                new Link(Kind.INBOUND_CALL, asked, Relation.ORIGIN),
                new Link(Kind.INBOUND_CALL, again, Relation.ASKED_AGAIN_IN));
        assertThat(links(journey, Kind.INBOUND_CALL, again)).containsExactly(
                new Link(Kind.CALLBACK, callback, Relation.CALLBACK));

        // Offered to an agent by Next Lead, then in the agent's call.
        database.jdbc().update("update callback set status = 'OFFERED', offered_to = 'cat' where id = ?", callback);
        assertThat(links(journeys.journey(caller, null, SUPERVISOR), Kind.CALLBACK, callback)).hasSize(2);
        assertThat(journeys.journey(caller, null, SUPERVISOR)).filteredOn(a -> a.kind() == Kind.CALLBACK)
                .extracting(Activity::status, Activity::agent).containsExactly(tuple(Status.ASSIGNING, "cat"));
        long serving = rows.outboundCall(lead, rows.campaign(), "cat", CALLER_ID, caller, at.plusSeconds(400));
        rows.serves(serving, callback, "cat");
        assertThat(journeys.journey(caller, null, SUPERVISOR)).filteredOn(a -> a.kind() != Kind.INBOUND_CALL)
                .extracting(Activity::kind, Activity::status).containsExactly(tuple(Kind.CALLBACK, Status.ASSIGNED),
                        tuple(Kind.OUTBOUND_CALL, Status.ASSIGNING));
    }

    @OnEachDatabase
    void badRequestsAreRefused(StoreDatabase database) {
        assertRefused(() -> journeys.journey(null, null, SUPERVISOR), Reason.INVALID, "exactly one of phone");
        assertRefused(() -> journeys.journey(HOME, jane, SUPERVISOR), Reason.INVALID, "exactly one of phone");
        assertRefused(() -> journeys.journey("07700900101", null, SUPERVISOR), Reason.INVALID, "E.164");
        assertRefused(() -> journeys.journey("+44 7700 900101", null, SUPERVISOR), Reason.INVALID, "E.164");
        assertRefused(() -> journeys.journey(null, 987_654L, SUPERVISOR), Reason.NOT_FOUND, "no lead 987654");
        assertRefused(() -> callJourneys.outbound(987_654L, SUPERVISOR), Reason.NOT_FOUND, "no call 987654");
        assertRefused(() -> callJourneys.inbound(987_654L, SUPERVISOR), Reason.NOT_FOUND, "no inbound call 987654");
    }

    @OnEachDatabase
    void anAgentSeesTheJourneyOfTheLeadTheyHoldOrTheNumberTheyAreTalkingTo(StoreDatabase database) {
        assertRefused(() -> journeys.journey(null, jane, ANN), Reason.FORBIDDEN, "whose lock they hold");
        assertRefused(() -> journeys.journey(HOME, null, ANN), Reason.FORBIDDEN, "inbound call they are on");

        rows.lockedBy(jane, "ann", clock.instant());
        assertThat(journeys.journey(null, jane, ANN)).hasSize(6);
        assertRefused(() -> journeys.journey(null, jane, BOB), Reason.FORBIDDEN, "whose lock they hold");

        // Bob is put through to Jane calling from home: that number's journey, not the lead's nor another's.
        long onTheLine = rows.inboundCall(rows.inboundNumber("+441632960003", rows.campaign()), HOME, jane,
                clock.instant());
        rows.putThrough(onTheLine, "bob", clock.instant(), clock.instant());
        assertThat(journeys.journey(HOME, null, BOB)).extracting(Activity::id).contains(lostCall, onTheLine);
        assertRefused(() -> journeys.journey(MOBILE, null, BOB), Reason.FORBIDDEN, "inbound call they are on");
        assertRefused(() -> journeys.journey(HOME, null, ANN), Reason.FORBIDDEN, "inbound call they are on");
    }

    @OnEachDatabase
    void anOutboundCallsJourneyGoesFromTheAgentToTheCustomerAndBack(StoreDatabase database) {
        Instant eleven = T0.plus(Duration.ofHours(1));
        CallJourney journey = callJourneys.outbound(keptBy, ANN);

        assertThat(journey.steps()).extracting(Step::step, Step::at, Step::detail).containsExactly(
                tuple(StepKind.INITIATED, eleven, "outgoing call initiated by ann"),
                tuple(StepKind.ROUTED, eleven, "routed to the queue of Donor care"),
                tuple(StepKind.ANSWERED_BY_AGENT, eleven, "answered by ann on +447700900555"),
                tuple(StepKind.ANSWERED_BY_CUSTOMER, eleven.plusSeconds(10), "answered by Jane Donor (" + HOME + ")"),
                tuple(StepKind.ENDED, eleven.plusSeconds(130), "call ended: completed"));
        assertThat(journey.steps().get(2).device()).isEqualTo("+447700900555");
        assertThat(journey.steps().get(1).queue()).isEqualTo("Donor care");
        assertThat(journey.callerId()).isEqualTo(CALLER_ID);
        assertThat(journey.number()).isEqualTo(HOME);
        assertThat(journey.answeredAt()).isEqualTo(eleven.plusSeconds(10));
        assertThat(journey.talkingSeconds()).isEqualTo(120);
        assertThat(journey.result()).isEqualTo("completed");
        assertThat(journey.outcome()).isEqualTo("PLEDGE");
        assertThat(journey.links()).containsExactly(new Link(Kind.CALLBACK, lostCallback, Relation.SERVED_CALLBACK),
                new Link(Kind.INBOUND_CALL, lostCall, Relation.CALLBACK_ORIGIN),
                new Link(Kind.CALLBACK, promised, Relation.CALLBACK));

        CallJourney refused = callJourneys.outbound(refusedCall, SUPERVISOR);
        assertThat(refused.steps()).extracting(Step::step).containsExactly(StepKind.INITIATED, StepKind.ROUTED,
                StepKind.ANSWERED_BY_AGENT, StepKind.ENDED);
        assertThat(refused.steps().get(3).detail())
                .isEqualTo("call ended: failed (Twilio error 21211: Invalid 'To' Phone Number)");
        assertThat(refused.answeredAt()).isNull();
        assertThat(refused.talkingSeconds()).isNull();
        assertThat(refused.result()).isEqualTo("failed");

        assertRefused(() -> callJourneys.outbound(keptBy, BOB), Reason.FORBIDDEN, "another agent's");
    }

    @OnEachDatabase
    void anInboundCallsJourneyGoesFromTheNumberCalledToTheAgent(StoreDatabase database) {
        Instant one = T0.plus(Duration.ofHours(3));
        CallJourney served = callJourneys.inbound(servedCall, BOB);

        assertThat(served.steps()).extracting(Step::step, Step::at, Step::detail).containsExactly(
                tuple(StepKind.INITIATED, one, "incoming call from " + MOBILE + " to " + INBOUND),
                tuple(StepKind.ROUTED, one.plusSeconds(15), "routed to the queue of Donor care"),
                tuple(StepKind.ANSWERED_BY_AGENT, one.plusSeconds(33), "answered by bob on client:bob"),
                tuple(StepKind.ENDED, one.plusSeconds(333), "call ended: served by bob"));
        assertThat(served.callerId()).isEqualTo(INBOUND);
        assertThat(served.number()).isEqualTo(MOBILE);
        assertThat(served.talkingSeconds()).isEqualTo(300);
        assertThat(served.result()).isEqualTo("SERVED");
        assertThat(served.links()).containsExactly(new Link(Kind.CALLBACK, promised, Relation.NEGLECTED_CALLBACK));

        CallJourney lost = callJourneys.inbound(lostCall, SUPERVISOR);
        assertThat(lost.steps()).extracting(Step::step).containsExactly(StepKind.INITIATED, StepKind.ROUTED,
                StepKind.ENDED);
        assertThat(lost.result()).isEqualTo("LOST");
        assertThat(lost.answeredAt()).isNull();
        assertThat(lost.links()).containsExactly(new Link(Kind.CALLBACK, lostCallback, Relation.CALLBACK),
                new Link(Kind.OUTBOUND_CALL, keptBy, Relation.CALLBACK_SERVED_BY));

        assertRefused(() -> callJourneys.inbound(servedCall, ANN), Reason.FORBIDDEN, "not put through to you");
        assertRefused(() -> callJourneys.inbound(lostCall, BOB), Reason.FORBIDDEN, "not put through to you");
    }

    private static List<Link> links(List<Activity> journey, Kind kind, long id) {
        return journey.stream().filter(a -> a.kind() == kind && a.id() == id).findFirst().orElseThrow().links();
    }

    private static void assertRefused(Runnable request, Reason reason, String detail) {
        assertThatThrownBy(request::run).isInstanceOfSatisfying(RefusedException.class,
                refused -> assertThat(refused.reason()).isEqualTo(reason)).hasMessageContaining(detail);
    }
}
