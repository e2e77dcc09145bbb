package org.callcentre.processes.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.inbound.InboundCallProcess.Beans;
import org.callcentre.processes.inbound.InboundCallProcess.Elements;
import org.callcentre.processes.inbound.InboundCallProcess.Messages;
import org.callcentre.processes.inbound.InboundCallProcess.Route;
import org.callcentre.processes.inbound.InboundCallProcess.Variables;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs {@code inbound-call.bpmn} on an in-memory engine. The call's row is stood in for by {@link CallRow}, which the
 * model's gateways read through {@code inboundFacts}; each delegate is a stand-in that records that it ran, and the
 * menu's router sets the row's route as the real one does (a key of the menu, or the default option once the tries
 * are used up). Each message is correlated by business key after the row has changed, as the application's adapter
 * does. The path is read from the history: the activities in the order they ran, with the merging exclusive gateways
 * left out. The coverage extension fails the build when these tests leave part of the model unexercised.
 */
@Deployment(resources = "bpmn/inbound-call.bpmn")
class InboundCallProcessTest {

    private static final double MINIMUM_COVERAGE = 1.0;

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessEngineCoverageExtension.builder()
            .assertClassCoverageAtLeast(MINIMUM_COVERAGE)
            .build();

    private static final long CALL_ID = 57L;
    private static final String BUSINESS_KEY = Long.toString(CALL_ID);
    /** The menu's keys, each a team's queue; the lowest is the default option. */
    private static final List<String> MENU_KEYS = List.of("1", "2");
    /** The menu's key to a ticket group (its voicemail, or the website form). */
    private static final String GROUP_KEY = "5";
    /** Tries at the menu (inbound.menu-attempts): the third wrong key or silence routes to the default option. */
    private static final int MENU_ATTEMPTS = 3;

    /** The states a call waits in, and the messages each accepts; every other message is refused there. */
    private static final Map<String, Set<String>> ACCEPTED = Map.of(
            Elements.IN_MENU, Set.of(Messages.MENU_CHOICE, Messages.CALL_ENDED),
            Elements.IN_QUEUE, Set.of(Messages.AGENT_ASSIGNED, Messages.CALLBACK_REQUESTED, Messages.CALL_ENDED),
            Elements.CONNECTING, Set.of(Messages.CALLER_BRIDGED, Messages.ASSIGNMENT_WITHDRAWN, Messages.CALL_ENDED),
            Elements.SERVED_CALL_ENDED, Set.of(Messages.CALL_ENDED));
    private static final List<String> ALL_MESSAGES = List.of(Messages.MENU_CHOICE, Messages.AGENT_ASSIGNED,
            Messages.ASSIGNMENT_WITHDRAWN, Messages.CALLER_BRIDGED, Messages.CALLBACK_REQUESTED, Messages.CALL_ENDED);

    private final CallRow row = new CallRow();
    /** The beans of the delegates that ran, in order. */
    private final List<String> ran = new ArrayList<>();

    /**
     * The call's row as the model reads it through {@code inboundFacts}: where the last menu choice leads, and
     * whether a lost call becomes a callback (a setting of the number).
     */
    public static final class CallRow {
        /** The key the caller pressed last; null when they gave no answer. */
        String key;
        int wrongAnswers;
        Route route;
        String team;
        String group;
        boolean lostCallsBecomeCallbacks;
        int routeReads;

        public String route(DelegateExecution execution) {
            checkCall(execution);
            routeReads++;
            return route.name();
        }

        public boolean lostCallsBecomeCallbacks(DelegateExecution execution) {
            checkCall(execution);
            return lostCallsBecomeCallbacks;
        }
    }

    @BeforeEach
    void registerBeans() {
        init(ENGINE.getProcessEngine());
        Mocks.register(Beans.FACTS, row);
        Mocks.register(Beans.ROUTE_CHOICE, recording(Beans.ROUTE_CHOICE, this::routeTheChoice));
        for (String bean : List.of(Beans.ENQUEUE, Beans.ROUTE_TO_GROUP, Beans.RECORD_SERVED, Beans.RECORD_ENDED, Beans.REQUEST_CALLBACK,
                Beans.RECORD_LOST, Beans.LOST_CALL_CALLBACK, Beans.RECORD_ABANDONED)) {
            Mocks.register(bean, recording(bean, execution -> { }));
        }
    }

    @AfterEach
    void reset() {
        Mocks.reset();
    }

    // ------------------------------------------------------------------------------------------ the menu

    /** The caller presses a key of the menu: routed to that team's queue, where they wait. */
    @Test
    void aKeyOfTheMenuPutsTheCallerInThatTeamsQueue() {
        ProcessInstance pi = start();
        assertThat(pi).isWaitingAtExactly(Elements.IN_MENU);
        assertThat(ran).isEmpty();

        ProcessInstance queued = choose(pi, "2");

        assertThat(queued).isWaitingAtExactly(Elements.IN_QUEUE);
        assertThat(path(pi)).containsExactly(Elements.START, Elements.IN_MENU, Elements.MENU_CHOICE,
                Elements.ROUTE_CHOICE, Elements.ENQUEUE, Elements.IN_QUEUE);
        assertThat(ran).containsExactly(Beans.ROUTE_CHOICE, Beans.ENQUEUE);
        assertThat(row.team).isEqualTo("2");
        assertThat(row.routeReads).as("the first condition matched").isEqualTo(1);
        assertOnlyTheCallIdIsWritten(pi);
    }

    /**
     * A wrong key, then no answer: the menu again, twice. The third try has no tries left, so the row routes the
     * caller to the default option's queue.
     */
    @Test
    void wrongKeysAreAskedAgainUntilTheTriesAreUsedUpThenTheDefaultQueue() {
        ProcessInstance pi = start();

        choose(pi, "9");
        assertThat(pi).isWaitingAtExactly(Elements.IN_MENU);
        assertThat(row.route).isEqualTo(Route.ASK_AGAIN);
        choose(pi, null);
        assertThat(pi).isWaitingAtExactly(Elements.IN_MENU);
        choose(pi, "#");

        assertThat(pi).isWaitingAtExactly(Elements.IN_QUEUE);
        assertThat(row.team).as("the default option").isEqualTo("1");
        assertThat(path(pi)).containsExactly(Elements.START,
                Elements.IN_MENU, Elements.MENU_CHOICE, Elements.ROUTE_CHOICE,
                Elements.IN_MENU, Elements.MENU_CHOICE, Elements.ROUTE_CHOICE,
                Elements.IN_MENU, Elements.MENU_CHOICE, Elements.ROUTE_CHOICE,
                Elements.ENQUEUE, Elements.IN_QUEUE);
        assertThat(ran).containsExactly(Beans.ROUTE_CHOICE, Beans.ROUTE_CHOICE, Beans.ROUTE_CHOICE, Beans.ENQUEUE);
        assertOnlyTheCallIdIsWritten(pi);
    }

    /** A wrong key and then a good one: the good one routes, with tries still left. */
    @Test
    void aGoodKeyAfterAWrongOneIsRouted() {
        ProcessInstance pi = start();

        choose(pi, "7");
        choose(pi, "1");

        assertThat(pi).isWaitingAtExactly(Elements.IN_QUEUE);
        assertThat(row.team).isEqualTo("1");
        assertThat(ran).containsExactly(Beans.ROUTE_CHOICE, Beans.ROUTE_CHOICE, Beans.ENQUEUE);
    }

    /**
     * A key to a ticket group, after a wrong one: the call is left to the group (its voicemail or the website form)
     * and the instance ends there, never queued; the call's end later is no message for it.
     */
    @Test
    void aKeyToAGroupLeavesTheCallToTheGroupAndEnds() {
        ProcessInstance pi = start();
        choose(pi, "9");

        choose(pi, GROUP_KEY);

        assertThat(pi).isEnded();
        assertThat(row.group).isEqualTo(GROUP_KEY);
        assertThat(path(pi)).containsExactly(Elements.START, Elements.IN_MENU, Elements.MENU_CHOICE,
                Elements.ROUTE_CHOICE, Elements.IN_MENU, Elements.MENU_CHOICE, Elements.ROUTE_CHOICE,
                Elements.ROUTE_TO_GROUP, Elements.END_ROUTED_TO_GROUP);
        assertThat(ran).containsExactly(Beans.ROUTE_CHOICE, Beans.ROUTE_CHOICE, Beans.ROUTE_TO_GROUP);
        assertThatThrownBy(() -> correlate(Messages.CALL_ENDED))
                .isInstanceOf(MismatchingMessageCorrelationException.class);
        assertOnlyTheCallIdIsWritten(pi);
    }

    /** The caller hangs up in the menu, at once or after a wrong key: abandoned, never queued. */
    @ParameterizedTest(name = "after {0} wrong key(s)")
    @ValueSource(ints = {0, 1})
    void aCallerWhoHangsUpInTheMenuAbandonsTheCall(int wrongKeys) {
        ProcessInstance pi = start();
        for (int i = 0; i < wrongKeys; i++) {
            choose(pi, "9");
        }

        correlate(Messages.CALL_ENDED);

        assertThat(pi).isEnded().hasPassed(Elements.MENU_CALL_ENDED, Elements.RECORD_ABANDONED,
                Elements.END_ABANDONED).hasNotPassed(Elements.ENQUEUE, Elements.RECORD_LOST);
        List<String> path = path(pi);
        assertThat(path.subList(path.size() - 4, path.size())).containsExactly(Elements.IN_MENU,
                Elements.MENU_CALL_ENDED, Elements.RECORD_ABANDONED, Elements.END_ABANDONED);
        List<String> expected = new ArrayList<>(Collections.nCopies(wrongKeys, Beans.ROUTE_CHOICE));
        expected.add(Beans.RECORD_ABANDONED);
        assertThat(ran).isEqualTo(expected);
        assertOnlyTheCallIdIsWritten(pi);
    }

    // ------------------------------------------------------------------------------------------ the queue

    /** An agent is assigned, the caller joins them, and the conversation ends: served. */
    @Test
    void aCallerConnectedToAnAgentIsServed() {
        ProcessInstance pi = queued();

        correlate(Messages.AGENT_ASSIGNED);
        assertThat(pi).isWaitingAtExactly(Elements.CONNECTING);
        correlate(Messages.CALLER_BRIDGED);
        assertThat(pi).isWaitingAtExactly(Elements.SERVED_CALL_ENDED);
        assertThat(ran).endsWith(Beans.RECORD_SERVED);

        correlate(Messages.CALL_ENDED);

        assertThat(pi).isEnded();
        assertThat(path(pi)).containsExactly(Elements.START, Elements.IN_MENU, Elements.MENU_CHOICE,
                Elements.ROUTE_CHOICE, Elements.ENQUEUE, Elements.IN_QUEUE, Elements.AGENT_ASSIGNED,
                Elements.CONNECTING, Elements.CALLER_BRIDGED, Elements.RECORD_SERVED, Elements.SERVED_CALL_ENDED,
                Elements.RECORD_CALL_ENDED, Elements.END_SERVED);
        assertThat(ran).containsExactly(Beans.ROUTE_CHOICE, Beans.ENQUEUE, Beans.RECORD_SERVED, Beans.RECORD_ENDED);
        assertThat(pi.getBusinessKey()).isEqualTo(BUSINESS_KEY);
        assertOnlyTheCallIdIsWritten(pi);
    }

    /**
     * The caller could not be moved to the agent, twice: each time back to waiting in the queue, place kept (no
     * second enqueue). A third agent takes the call.
     */
    @Test
    void aWithdrawnAssignmentPutsTheCallerBackToWaitingUntilAnotherAgentTakesTheCall() {
        ProcessInstance pi = queued();

        for (int withdrawn = 1; withdrawn <= 2; withdrawn++) {
            correlate(Messages.AGENT_ASSIGNED);
            assertThat(pi).isWaitingAtExactly(Elements.CONNECTING);
            correlate(Messages.ASSIGNMENT_WITHDRAWN);
            assertThat(pi).as("withdrawn %d time(s)", withdrawn).isWaitingAtExactly(Elements.IN_QUEUE);
        }
        correlate(Messages.AGENT_ASSIGNED);
        correlate(Messages.CALLER_BRIDGED);
        correlate(Messages.CALL_ENDED);

        assertThat(pi).isEnded();
        assertThat(path(pi)).containsExactly(Elements.START, Elements.IN_MENU, Elements.MENU_CHOICE,
                Elements.ROUTE_CHOICE, Elements.ENQUEUE,
                Elements.IN_QUEUE, Elements.AGENT_ASSIGNED, Elements.CONNECTING, Elements.ASSIGNMENT_WITHDRAWN,
                Elements.IN_QUEUE, Elements.AGENT_ASSIGNED, Elements.CONNECTING, Elements.ASSIGNMENT_WITHDRAWN,
                Elements.IN_QUEUE, Elements.AGENT_ASSIGNED, Elements.CONNECTING, Elements.CALLER_BRIDGED,
                Elements.RECORD_SERVED, Elements.SERVED_CALL_ENDED, Elements.RECORD_CALL_ENDED, Elements.END_SERVED);
        assertThat(ran).containsExactly(Beans.ROUTE_CHOICE, Beans.ENQUEUE, Beans.RECORD_SERVED, Beans.RECORD_ENDED);
        assertOnlyTheCallIdIsWritten(pi);
    }

    /** The caller asks for a callback while waiting: the request is taken and the call leaves the queue. */
    @Test
    void aCallbackRequestedWhileQueuedLeavesTheQueue() {
        ProcessInstance pi = queued();

        correlate(Messages.CALLBACK_REQUESTED);

        assertThat(pi).isEnded();
        assertThat(path(pi)).endsWith(Elements.IN_QUEUE, Elements.CALLBACK_REQUESTED, Elements.REQUEST_CALLBACK,
                Elements.END_CALLBACK_REQUESTED);
        assertThat(ran).containsExactly(Beans.ROUTE_CHOICE, Beans.ENQUEUE, Beans.REQUEST_CALLBACK);
        assertOnlyTheCallIdIsWritten(pi);
    }

    /** After a withdrawn assignment the caller is queued as before, and may still ask for a callback. */
    @Test
    void aCallbackCanBeRequestedAfterAWithdrawnAssignment() {
        ProcessInstance pi = queued();
        correlate(Messages.AGENT_ASSIGNED);
        correlate(Messages.ASSIGNMENT_WITHDRAWN);

        correlate(Messages.CALLBACK_REQUESTED);

        assertThat(pi).isEnded().hasPassed(Elements.ASSIGNMENT_WITHDRAWN, Elements.END_CALLBACK_REQUESTED);
        assertThat(ran).containsExactly(Beans.ROUTE_CHOICE, Beans.ENQUEUE, Beans.REQUEST_CALLBACK);
    }

    /** Where the caller was when they hung up before reaching an agent. */
    enum HungUp {
        QUEUED, CONNECTING
    }

    /**
     * The caller hangs up while waiting or while being connected: the call is lost. If the number's lost calls
     * become callbacks, one is scheduled; otherwise the call just ends lost.
     */
    @ParameterizedTest(name = "hung up {0}, lost calls become callbacks: {1}")
    @CsvSource({"QUEUED, true", "QUEUED, false", "CONNECTING, true", "CONNECTING, false"})
    void aCallerWhoHangsUpBeforeReachingAnAgentIsLost(HungUp where, boolean lostCallsBecomeCallbacks) {
        row.lostCallsBecomeCallbacks = lostCallsBecomeCallbacks;
        ProcessInstance pi = queued();
        if (where == HungUp.CONNECTING) {
            correlate(Messages.AGENT_ASSIGNED);
        }

        correlate(Messages.CALL_ENDED);

        assertThat(pi).isEnded();
        List<String> expectedPath = new ArrayList<>(List.of(Elements.START, Elements.IN_MENU, Elements.MENU_CHOICE,
                Elements.ROUTE_CHOICE, Elements.ENQUEUE, Elements.IN_QUEUE));
        expectedPath.addAll(where == HungUp.QUEUED ? List.of(Elements.QUEUE_CALL_ENDED)
                : List.of(Elements.AGENT_ASSIGNED, Elements.CONNECTING, Elements.CONNECTING_CALL_ENDED));
        expectedPath.add(Elements.RECORD_LOST);
        expectedPath.addAll(lostCallsBecomeCallbacks ? List.of(Elements.LOST_CALL_CALLBACK,
                Elements.END_LOST_CALLED_BACK) : List.of(Elements.END_LOST));
        assertThat(path(pi)).isEqualTo(expectedPath);

        List<String> expectedRan = new ArrayList<>(List.of(Beans.ROUTE_CHOICE, Beans.ENQUEUE, Beans.RECORD_LOST));
        if (lostCallsBecomeCallbacks) {
            expectedRan.add(Beans.LOST_CALL_CALLBACK);
        }
        assertThat(ran).isEqualTo(expectedRan);
        assertThat(pi).hasNotPassed(Elements.RECORD_SERVED, Elements.RECORD_CALL_ENDED, Elements.RECORD_ABANDONED);
        assertOnlyTheCallIdIsWritten(pi);
    }

    // ------------------------------------------------------------------------------------------ refusals

    static Stream<Arguments> messagesNotAwaited() {
        return ACCEPTED.entrySet().stream().flatMap(state -> ALL_MESSAGES.stream()
                .filter(message -> !state.getValue().contains(message))
                .map(message -> Arguments.of(state.getKey(), message)));
    }

    /**
     * A message the call does not wait for where it is (a bridge heard in the menu, a menu choice heard in the
     * queue) is refused by the engine, and the call stays where it was with nothing run.
     */
    @ParameterizedTest(name = "{1} at {0}")
    @MethodSource("messagesNotAwaited")
    void aMessageIsRefusedWhereTheCallDoesNotWaitForIt(String waitingAt, String message) {
        ProcessInstance pi = reach(waitingAt);
        List<String> pathBefore = path(pi);
        List<String> ranBefore = List.copyOf(ran);

        assertThatThrownBy(() -> correlate(message)).isInstanceOf(MismatchingMessageCorrelationException.class);

        assertThat(pi).isWaitingAtExactly(waitingAt);
        assertThat(path(pi)).isEqualTo(pathBefore);
        assertThat(ran).isEqualTo(ranBefore);
    }

    /** After its end the call takes no message at all; the adapter answers late webhooks from the row. */
    @ParameterizedTest
    @ValueSource(strings = {Messages.MENU_CHOICE, Messages.AGENT_ASSIGNED, Messages.ASSIGNMENT_WITHDRAWN,
            Messages.CALLER_BRIDGED, Messages.CALLBACK_REQUESTED, Messages.CALL_ENDED})
    void anEndedCallTakesNoMessage(String message) {
        ProcessInstance pi = start();
        correlate(Messages.CALL_ENDED);
        assertThat(pi).isEnded();

        assertThatThrownBy(() -> correlate(message)).isInstanceOf(MismatchingMessageCorrelationException.class);
    }

    /** A message for another call's business key finds no instance, and this call is untouched. */
    @Test
    void aMessageForAnotherCallIsRefused() {
        ProcessInstance pi = start();

        assertThatThrownBy(() -> runtimeService().createMessageCorrelation(Messages.CALL_ENDED)
                .processInstanceBusinessKey(Long.toString(CALL_ID + 1)).correlateWithResult())
                .isInstanceOf(MismatchingMessageCorrelationException.class);

        assertThat(pi).isWaitingAtExactly(Elements.IN_MENU);
    }

    /**
     * Each step runs in the transaction of the webhook's correlation: a step that fails fails the correlation, and
     * the call stays where it waited, for the webhook to be retried.
     */
    @Test
    void aStepThatFailsLeavesTheCallWhereItWaited() {
        ProcessInstance pi = queued();
        correlate(Messages.AGENT_ASSIGNED);
        Mocks.register(Beans.RECORD_SERVED, (JavaDelegate) execution -> {
            throw new IllegalStateException("database unavailable");
        });

        assertThatThrownBy(() -> correlate(Messages.CALLER_BRIDGED)).hasMessageContaining("database unavailable");

        assertThat(pi).isWaitingAtExactly(Elements.CONNECTING).hasNotPassed(Elements.CALLER_BRIDGED);
        assertThat(managementService().createJobQuery().processInstanceId(pi.getId()).count())
                .as("no job, no incident: the webhook's caller sees the failure").isZero();
    }

    // ------------------------------------------------------------------------------------------ the model

    @Test
    void theModelNamesWhatTheConstantsSay() throws IOException {
        BpmnModelInstance model = Bpmn.readModelFromStream(resource());
        for (var field : Elements.class.getFields()) {
            try {
                String id = (String) field.get(null);
                assertThat(model.<BaseElement>getModelElementById(id)).as(field.getName() + " " + id).isNotNull();
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(model.<BaseElement>getModelElementById(InboundCallProcess.PROCESS_KEY)).isNotNull();

        assertThat(model.getModelElementsByType(Message.class).stream().map(Message::getName))
                .containsExactlyInAnyOrderElementsOf(ALL_MESSAGES);
        Map<String, String> catches = Map.of(Elements.MENU_CHOICE, Messages.MENU_CHOICE,
                Elements.MENU_CALL_ENDED, Messages.CALL_ENDED,
                Elements.AGENT_ASSIGNED, Messages.AGENT_ASSIGNED,
                Elements.CALLBACK_REQUESTED, Messages.CALLBACK_REQUESTED,
                Elements.QUEUE_CALL_ENDED, Messages.CALL_ENDED,
                Elements.CALLER_BRIDGED, Messages.CALLER_BRIDGED,
                Elements.ASSIGNMENT_WITHDRAWN, Messages.ASSIGNMENT_WITHDRAWN,
                Elements.CONNECTING_CALL_ENDED, Messages.CALL_ENDED,
                Elements.SERVED_CALL_ENDED, Messages.CALL_ENDED);
        assertThat(model.getModelElementsByType(IntermediateCatchEvent.class)).hasSize(catches.size())
                .allSatisfy(event -> assertThat(event.getChildElementsByType(MessageEventDefinition.class))
                        .singleElement().satisfies(definition -> assertThat(definition.getMessage().getName())
                                .as(event.getId()).isEqualTo(catches.get(event.getId()))));

        String xml = new String(resource().readAllBytes(), StandardCharsets.UTF_8);
        for (String bean : List.of(Beans.FACTS, Beans.ROUTE_CHOICE, Beans.ENQUEUE, Beans.ROUTE_TO_GROUP,
                Beans.RECORD_SERVED,
                Beans.RECORD_ENDED, Beans.REQUEST_CALLBACK, Beans.RECORD_LOST, Beans.LOST_CALL_CALLBACK,
                Beans.RECORD_ABANDONED)) {
            assertThat(xml).as(bean).contains("${" + bean);
        }
        assertThat(model.getModelElementsByType(SequenceFlow.class).stream()
                .filter(flow -> flow.getConditionExpression() != null)
                .map(flow -> flow.getConditionExpression().getTextContent()))
                .as("the route's conditions name every route").containsAll(Stream.of(Route.values())
                        .map(route -> "${" + Beans.FACTS + ".route(execution) == '" + route + "'}").toList());
        assertThat(xml).as("no async boundary: each step runs in the transaction of the webhook that reached it")
                .doesNotContain("camunda:async");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void checkCall(DelegateExecution execution) {
        assertThat(Variables.INBOUND_CALL_ID.get(execution)).isEqualTo(CALL_ID);
        assertThat(execution.getProcessBusinessKey()).isEqualTo(BUSINESS_KEY);
    }

    /** A delegate stand-in: checks it runs for this call, records its bean, then does {@code then}. */
    private JavaDelegate recording(String bean, JavaDelegate then) {
        return execution -> {
            checkCall(execution);
            ran.add(bean);
            then.execute(execution);
        };
    }

    /**
     * As the application's router: a key of the menu is that team's or that group's; otherwise ask again while tries
     * are left.
     */
    private void routeTheChoice(DelegateExecution execution) {
        if (GROUP_KEY.equals(row.key)) {
            row.group = row.key;
            row.route = Route.GROUP;
        } else if (row.key != null && MENU_KEYS.contains(row.key)) {
            row.team = row.key;
            row.route = Route.QUEUE;
        } else if (++row.wrongAnswers < MENU_ATTEMPTS) {
            row.route = Route.ASK_AGAIN;
        } else {
            row.team = MENU_KEYS.get(0);
            row.route = Route.QUEUE;
        }
    }

    private ProcessInstance start() {
        ProcessInstance pi = runtimeService().startProcessInstanceByKey(InboundCallProcess.PROCESS_KEY, BUSINESS_KEY,
                ProcessVariable.values().with(Variables.INBOUND_CALL_ID, CALL_ID).asMap());
        assertThat(pi).isStarted();
        return pi;
    }

    /** The caller presses {@code key} (null: no answer); the webhook writes it to the row and tells the instance. */
    private ProcessInstance choose(ProcessInstance pi, String key) {
        row.key = key;
        correlate(Messages.MENU_CHOICE);
        return pi;
    }

    private ProcessInstance queued() {
        ProcessInstance pi = start();
        choose(pi, "1");
        assertThat(pi).isWaitingAtExactly(Elements.IN_QUEUE);
        return pi;
    }

    private ProcessInstance reach(String waitingAt) {
        ProcessInstance pi = start();
        if (!waitingAt.equals(Elements.IN_MENU)) {
            choose(pi, "1");
        }
        if (waitingAt.equals(Elements.CONNECTING) || waitingAt.equals(Elements.SERVED_CALL_ENDED)) {
            correlate(Messages.AGENT_ASSIGNED);
        }
        if (waitingAt.equals(Elements.SERVED_CALL_ENDED)) {
            correlate(Messages.CALLER_BRIDGED);
        }
        assertThat(pi).isWaitingAtExactly(waitingAt);
        return pi;
    }

    private void correlate(String message) {
        runtimeService().createMessageCorrelation(message).processInstanceBusinessKey(BUSINESS_KEY)
                .correlateWithResult();
    }

    /** The activities the instance passed, in order, without the exclusive gateways that only merge or decide. */
    private static List<String> path(ProcessInstance pi) {
        return historyService().createHistoricActivityInstanceQuery().processInstanceId(pi.getId())
                .orderPartiallyByOccurrence().asc().list().stream()
                .filter(activity -> !"exclusiveGateway".equals(activity.getActivityType()))
                .map(HistoricActivityInstance::getActivityId)
                .toList();
    }

    /** The model writes one variable, the call's id, once: everything else is read from the row. */
    private static void assertOnlyTheCallIdIsWritten(ProcessInstance pi) {
        List<HistoricVariableInstance> variables = historyService().createHistoricVariableInstanceQuery()
                .processInstanceId(pi.getId()).list();
        assertThat(variables).singleElement().satisfies(variable -> {
            assertThat(variable.getName()).isEqualTo(Variables.INBOUND_CALL_ID.name());
            assertThat(variable.getValue()).isEqualTo(CALL_ID);
        });
        assertThat(Variables.ALL).containsExactly(Variables.INBOUND_CALL_ID);
        assertThat(historyService().createHistoricDetailQuery().processInstanceId(pi.getId()).variableUpdates()
                .count()).as("set once, at the start").isEqualTo(1);
    }

    private InputStream resource() {
        InputStream stream = getClass().getClassLoader().getResourceAsStream("bpmn/inbound-call.bpmn");
        assertThat(stream).isNotNull();
        return stream;
    }
}
