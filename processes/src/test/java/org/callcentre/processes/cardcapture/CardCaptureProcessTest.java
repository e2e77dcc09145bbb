package org.callcentre.processes.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.formService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.init;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.taskService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.callcentre.processes.Groups;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Beans;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Elements;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Entry;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Errors;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Messages;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Settlement;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.EndEvent;
import org.camunda.bpm.model.bpmn.instance.ErrorEventDefinition;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Gateway;
import org.camunda.community.process_test_coverage.junit5.platform7.ProcessEngineCoverageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.InOrder;

/**
 * Runs {@code card-capture.bpmn} on an in-memory engine with every delegate mocked, through every way a card
 * capture can go: the donor at the keypad (message correlations, as the IVR adapter sends them), the agent in
 * Tasklist (user tasks), and the gateway calls (async jobs executed one by one, delegates throwing BpmnErrors).
 * Once the donor is back with the agent, an outcome that only informs ends the instance at once (the console shows
 * it); only a task someone must act on (a token to arrange) or a charge to settle keeps it open.
 * The coverage extension fails the build when these tests leave more than a tenth of the model unexercised.
 */
@Deployment(resources = {
        "bpmn/card-capture.bpmn",
        "forms/card-capture/card-capture-in-progress.form",
        "forms/card-capture/tokenise-follow-up.form"})
class CardCaptureProcessTest {

    /** Share of the model's flow nodes and sequence flows the tests in this class must run through. */
    private static final double MINIMUM_COVERAGE = 0.9;

    @RegisterExtension
    static final ProcessEngineCoverageExtension ENGINE = ProcessEngineCoverageExtension.builder()
            .assertClassCoverageAtLeast(MINIMUM_COVERAGE)
            .build();

    private static final String CAPTURE_ID = "6f1c2a9e-3b1d-4c55-9a0e-2f8d7c1b4e21";
    private static final long PLEDGE_ID = 4711L;
    private static final String AGENT_ID = "agent.amy";
    private static final String MASKED_CARD = "VISA ending 4242";

    private final JavaDelegate moveDonorToIvr = mock(JavaDelegate.class);
    private final JavaDelegate chargeCard = mock(JavaDelegate.class);
    private final JavaDelegate tokeniseCard = mock(JavaDelegate.class);
    private final JavaDelegate chargeToken = mock(JavaDelegate.class);
    private final JavaDelegate recordDecline = mock(JavaDelegate.class);
    private final JavaDelegate recordSuccess = mock(JavaDelegate.class);
    private final JavaDelegate recordOutcome = mock(JavaDelegate.class);
    private final JavaDelegate flagTokenFollowUp = mock(JavaDelegate.class);
    private final JavaDelegate returnDonorToAgent = mock(JavaDelegate.class);
    private final JavaDelegate settlePayment = mock(JavaDelegate.class);
    private final CaptureRow captureRow = new CaptureRow();
    private final ExecutionListener eraseCardData = mock(ExecutionListener.class);
    private final TaskNames taskNames = new TaskNames();

    /** The {@code outcome} input parameter each recordOutcome call saw, read while the task ran. */
    private final List<Outcome> recordedOutcomes = new ArrayList<>();

    /** The first "Card capture in progress" task of the instance startAndEnterCard started. */
    private String firstCaptureInProgressTaskId;

    /** The donor prompts, in the order the donor hears them. */
    enum Prompt {
        CARD_NUMBER(Elements.CARD_NUMBER, Messages.CARD_NUMBER_ENTERED),
        EXPIRY(Elements.EXPIRY, Messages.EXPIRY_ENTERED),
        SECURITY_CODE(Elements.SECURITY_CODE, Messages.SECURITY_CODE_ENTERED);

        final String activityId;
        final String message;

        Prompt(String activityId, String message) {
            this.activityId = activityId;
            this.message = message;
        }

        Prompt next() {
            return this == SECURITY_CODE ? null : values()[ordinal() + 1];
        }
    }

    /** The business errors a gateway call throws. */
    enum GatewayError {
        CARD_DECLINED(Errors.CARD_DECLINED), GATEWAY_UNAVAILABLE(Errors.GATEWAY_UNAVAILABLE);

        final String code;

        GatewayError(String code) {
            this.code = code;
        }
    }

    @BeforeEach
    void registerDelegates() throws Exception {
        init(ENGINE.getProcessEngine());
        Mocks.register(Beans.MOVE_DONOR_TO_IVR, moveDonorToIvr);
        Mocks.register(Beans.CHARGE_CARD, chargeCard);
        Mocks.register(Beans.TOKENISE_CARD, tokeniseCard);
        Mocks.register(Beans.CHARGE_TOKEN, chargeToken);
        Mocks.register(Beans.RECORD_DECLINE, recordDecline);
        Mocks.register(Beans.RECORD_SUCCESS, recordSuccess);
        Mocks.register(Beans.RECORD_OUTCOME, recordOutcome);
        Mocks.register(Beans.FLAG_TOKEN_FOLLOW_UP, flagTokenFollowUp);
        Mocks.register(Beans.RETURN_DONOR_TO_AGENT, returnDonorToAgent);
        Mocks.register(Beans.SETTLE_PAYMENT, settlePayment);
        Mocks.register(Beans.CAPTURE_FACTS, captureRow);
        Mocks.register(Beans.ERASE_CARD_DATA, eraseCardData);
        Mocks.register(Beans.TASK_NAMES, taskNames);
        Mocks.register(Groups.BEAN, new Groups());

        // What the real delegates do to the variables the model's gateways read.
        doAnswer(call -> {
            DelegateExecution execution = call.getArgument(0);
            recordedOutcomes.add(Variables.OUTCOME.getLocal(execution));
            return null;
        }).when(recordOutcome).execute(any());
        doAnswer(call -> {
            DelegateExecution execution = call.getArgument(0);
            captureRow.declines++;
            Variables.DECLINES.set(execution, captureRow.declines);
            return null;
        }).when(recordDecline).execute(any());
        doAnswer(call -> {
            DelegateExecution execution = call.getArgument(0);
            Variables.TOKEN_FOLLOW_UP.set(execution, true);
            return null;
        }).when(flagTokenFollowUp).execute(any());
    }

    @AfterEach
    void resetDelegates() {
        Mocks.reset();
    }

    // ------------------------------------------------------------------------------------------ payment paths

    @Test
    void chargeThenTokeniseSucceeds() throws Exception {
        ProcessInstance pi = startAndEnterCard(PaymentPath.CHARGE_THEN_TOKENISE);

        runJob(pi, Elements.CHARGE_CARD);
        runJob(pi, Elements.TOKENISE_CHARGED_CARD);
        returnDonor(pi);

        assertThat(pi).hasPassed(Elements.RECORD_SUCCESS, Elements.END_SUCCEEDED)
                .hasNotPassed(Elements.FLAG_TOKEN_FOLLOW_UP, Elements.RECORD_DECLINE);
        InOrder order = inOrder(chargeCard, tokeniseCard, recordSuccess, returnDonorToAgent);
        order.verify(chargeCard).execute(any());
        order.verify(tokeniseCard).execute(any());
        order.verify(recordSuccess).execute(any());
        order.verify(returnDonorToAgent).execute(any());
        verify(recordOutcome, never()).execute(any());
        assertThat(variable(pi, Variables.OUTCOME)).isEqualTo(Outcome.SUCCEEDED);
        assertThat(variable(pi, Variables.MASKED_CARD)).isEqualTo(MASKED_CARD);

        assertEndedWith(pi, Elements.END_SUCCEEDED);
    }

    @Test
    void tokeniseThenChargeSucceeds() throws Exception {
        ProcessInstance pi = startAndEnterCard(PaymentPath.TOKENISE_THEN_CHARGE);

        runJob(pi, Elements.TOKENISE_CARD);
        runJob(pi, Elements.CHARGE_TOKEN);
        returnDonor(pi);

        InOrder order = inOrder(tokeniseCard, chargeToken, recordSuccess);
        order.verify(tokeniseCard).execute(any());
        order.verify(chargeToken).execute(any());
        order.verify(recordSuccess).execute(any());
        verify(chargeCard, never()).execute(any());
        assertThat(variable(pi, Variables.OUTCOME)).isEqualTo(Outcome.SUCCEEDED);

        assertEndedWith(pi, Elements.END_SUCCEEDED);
    }

    @Test
    void chargeOnlySucceedsWithoutToken() throws Exception {
        ProcessInstance pi = startAndEnterCard(PaymentPath.CHARGE_ONLY);

        runJob(pi, Elements.CHARGE_CARD);
        returnDonor(pi);

        assertThat(pi).hasNotPassed(Elements.TOKENISE_CHARGED_CARD, Elements.TOKENISE_CARD);
        verify(chargeCard).execute(any());
        verifyNoInteractions(tokeniseCard, chargeToken);
        assertEndedWith(pi, Elements.END_SUCCEEDED);
    }

    @Test
    void tokeniseOnlySucceedsWithoutCharge() throws Exception {
        ProcessInstance pi = startAndEnterCard(PaymentPath.TOKENISE_ONLY);

        runJob(pi, Elements.TOKENISE_CARD);
        returnDonor(pi);

        assertThat(pi).hasNotPassed(Elements.CHARGE_TOKEN, Elements.CHARGE_CARD);
        verify(tokeniseCard).execute(any());
        verifyNoInteractions(chargeCard, chargeToken);
        assertEndedWith(pi, Elements.END_SUCCEEDED);
    }

    /** Charged but not tokenised: the pledge stays paid, the card is never charged twice, an admin follows up. */
    @ParameterizedTest
    @EnumSource(GatewayError.class)
    void tokenisingTheChargedCardFailsSoAnAdminFollowsUp(GatewayError error) throws Exception {
        doThrow(new BpmnError(error.code)).when(tokeniseCard).execute(any());
        ProcessInstance pi = startAndEnterCard(PaymentPath.CHARGE_THEN_TOKENISE);

        runJob(pi, Elements.CHARGE_CARD);
        runJob(pi, Elements.TOKENISE_CHARGED_CARD);
        returnDonor(pi);

        assertThat(pi).hasPassed(Elements.FLAG_TOKEN_FOLLOW_UP, Elements.RECORD_SUCCESS)
                .hasNotPassed(Elements.RECORD_DECLINE, Elements.RECORD_FAILED)
                .isWaitingAtExactly(Elements.TOKEN_FOLLOW_UP);
        verify(chargeCard, times(1)).execute(any());
        verify(recordOutcome, never()).execute(any());
        assertThat(variable(pi, Variables.OUTCOME)).isEqualTo(Outcome.SUCCEEDED);
        assertThat(variable(pi, Variables.TOKEN_FOLLOW_UP)).isEqualTo(true);

        Task followUp = task(Elements.TOKEN_FOLLOW_UP);
        assertThat(followUp).hasCandidateGroup(Groups.AGENT_ADMINS).hasCandidateGroup(Groups.ADMIN_OPS)
                .isNotAssigned();
        assertNamedWhenCreated(followUp, "Tokenise the card with the donor");
        assertThat(deployedForm(followUp)).contains("\"id\": \"tokenise-follow-up\"",
                "\"key\": \"" + Variables.CAPTURE_DESCRIPTION.name() + "\"");
        complete(followUp, withVariables(Variables.NOTE.name(), "Token set up with the donor by phone"));

        assertEndedWith(pi, Elements.END_SUCCEEDED);
    }

    // ------------------------------------------------------------------------------------------ declines

    @Test
    void declinedCardThenAnotherCardSucceeds() throws Exception {
        doThrow(new BpmnError(Errors.CARD_DECLINED)).doNothing().when(chargeCard).execute(any());
        ProcessInstance pi = startAndEnterCard(PaymentPath.CHARGE_ONLY);
        String firstAgentTask = firstCaptureInProgressTaskId;

        runJob(pi, Elements.CHARGE_CARD);

        assertThat(pi).hasPassed(Elements.RECORD_DECLINE);
        assertWaitingAtPrompt(pi, Prompt.CARD_NUMBER);
        assertThat(variable(pi, Variables.DECLINES)).isEqualTo(1);
        Task secondAgentTask = task(Elements.CAPTURE_IN_PROGRESS);
        assertThat(secondAgentTask.getId()).isNotEqualTo(firstAgentTask);
        assertThat(secondAgentTask).isAssignedTo(AGENT_ID);

        enterCard(pi);
        runJob(pi, Elements.CHARGE_CARD);
        returnDonor(pi);

        verify(chargeCard, times(2)).execute(any());
        verify(recordDecline, times(1)).execute(any());
        assertThat(variable(pi, Variables.OUTCOME)).isEqualTo(Outcome.SUCCEEDED);
        assertEndedWith(pi, Elements.END_SUCCEEDED);
    }

    /** Whichever gateway call declines, the donor may try one other card; the second decline ends it. */
    @ParameterizedTest
    @MethodSource("gatewayCalls")
    void twoDeclinesEndDeclined(PaymentPath path, String failingStep) throws Exception {
        doThrow(new BpmnError(Errors.CARD_DECLINED)).when(delegateOf(failingStep)).execute(any());
        ProcessInstance pi = startAndEnterCard(path);

        runPaymentUntil(pi, path, failingStep);
        assertWaitingAtPrompt(pi, Prompt.CARD_NUMBER);
        enterCard(pi);
        runPaymentUntil(pi, path, failingStep);
        returnDonor(pi);

        verify(recordDecline, times(2)).execute(any());
        verify(delegateOf(failingStep), times(2)).execute(any());
        verify(recordSuccess, never()).execute(any());
        assertOutcomeRecorded(pi, Outcome.DECLINED);
        assertEndedWith(pi, Elements.END_DECLINED);
    }

    // ------------------------------------------------------------------------------------------ gateway outages

    /** A gateway outage before anything was charged: the donor is told and returned, and the capture has failed. */
    @ParameterizedTest
    @MethodSource("gatewayCalls")
    void gatewayOutageBeforeAChargeEndsFailed(PaymentPath path, String failingStep) throws Exception {
        doThrow(new BpmnError(Errors.GATEWAY_UNAVAILABLE)).when(delegateOf(failingStep)).execute(any());
        ProcessInstance pi = startAndEnterCard(path);

        runPaymentUntil(pi, path, failingStep);
        returnDonor(pi);

        assertThat(pi).hasPassed(Elements.RECORD_FAILED).hasNotPassed(Elements.RECORD_DECLINE, Elements.RECORD_SUCCESS,
                Elements.RECORD_UNKNOWN, Elements.SETTLE_PAYMENT);
        assertOutcomeRecorded(pi, Outcome.FAILED);
        assertEndedWith(pi, Elements.END_FAILED);
    }

    /**
     * A charge sent without an answer: the donor is returned, the capture is UNKNOWN, and the model looks at the
     * charge again, waiting longer each time, until the gateway says it went through.
     */
    @ParameterizedTest
    @MethodSource("charges")
    void unconfirmedChargeIsSettledUntilTheGatewayAnswers(PaymentPath path, String chargeStep) throws Exception {
        doThrow(new BpmnError(Errors.PAYMENT_UNCONFIRMED)).when(delegateOf(chargeStep)).execute(any());
        settleAs(Settlement.PENDING, Settlement.PENDING, Settlement.SUCCEEDED);
        ProcessInstance pi = startAndEnterCard(path);

        runPaymentUntil(pi, path, chargeStep);
        returnDonor(pi);
        assertOutcomeRecorded(pi, Outcome.UNKNOWN);
        assertThat(pi).hasPassed(Elements.RECORD_UNKNOWN).hasNotPassed(Elements.RECORD_FAILED, Elements.RECORD_SUCCESS);

        runJob(pi, Elements.SETTLE_PAYMENT);
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).count())
                .as("nobody waits on a task while the charge is settled").isZero();
        assertThat(pi).isWaitingAtExactly(Elements.SETTLE_BACKOFF);
        execute(job(Elements.SETTLE_BACKOFF));
        runJob(pi, Elements.SETTLE_PAYMENT);
        execute(job(Elements.SETTLE_BACKOFF));
        runJob(pi, Elements.SETTLE_PAYMENT);

        verify(settlePayment, times(3)).execute(any());
        verify(recordSuccess).execute(any());
        assertThat(captureRow.backoffsAsked).isEqualTo(2);
        assertEndedWith(pi, Elements.END_PAYMENT_SETTLED);
    }

    @Test
    void unconfirmedChargeFoundDeclinedEndsDeclined() throws Exception {
        doThrow(new BpmnError(Errors.PAYMENT_UNCONFIRMED)).when(chargeCard).execute(any());
        settleAs(Settlement.DECLINED);
        ProcessInstance pi = startAndEnterCard(PaymentPath.CHARGE_ONLY);
        runJob(pi, Elements.CHARGE_CARD);
        returnDonor(pi);

        runJob(pi, Elements.SETTLE_PAYMENT);

        assertThat(recordedOutcomes).containsExactly(Outcome.UNKNOWN, Outcome.DECLINED);
        verify(recordSuccess, never()).execute(any());
        assertEndedWith(pi, Elements.END_SETTLED_DECLINED);
    }

    /**
     * The model's gateways read the payment path from the capture's row, not from the variable a user could write:
     * a forged variable changes nothing.
     */
    @Test
    void aForgedPaymentPathVariableDoesNotChangeThePath() throws Exception {
        ProcessInstance pi = startAtPrompt(PaymentPath.TOKENISE_ONLY, Prompt.CARD_NUMBER);
        runtimeService().setVariable(pi.getId(), Variables.PAYMENT_PATH.name(),
                Variables.PAYMENT_PATH.toStored(PaymentPath.CHARGE_ONLY));
        for (Prompt prompt : Prompt.values()) {
            enter(prompt, Entry.VALID, 0);
        }

        runJob(pi, Elements.TOKENISE_CARD);
        returnDonor(pi);

        verifyNoInteractions(chargeCard, chargeToken);
        verify(tokeniseCard).execute(any());
        verify(recordSuccess).execute(any());
    }

    // ------------------------------------------------------------------------------------------ the donor at the keypad

    @ParameterizedTest
    @EnumSource(Prompt.class)
    void threeInvalidEntriesReturnTheDonorToTheAgent(Prompt prompt) throws Exception {
        ProcessInstance pi = startAtPrompt(PaymentPath.CHARGE_ONLY, prompt);

        enter(prompt, Entry.INVALID, 1);
        assertWaitingAtPrompt(pi, prompt);
        enter(prompt, Entry.INVALID, 2);
        assertWaitingAtPrompt(pi, prompt);
        enter(prompt, Entry.INVALID, 3);

        assertThat(pi).hasPassed(errorEndAfter(prompt, Errors.TOO_MANY_FAILURES));
        returnDonor(pi);
        verifyNoInteractions(chargeCard, tokeniseCard, chargeToken);
        assertOutcomeRecorded(pi, Outcome.RETURNED_TO_AGENT);
        assertEndedWith(pi, Elements.END_RETURNED);
    }

    @ParameterizedTest
    @EnumSource(Prompt.class)
    void validEntryAfterTwoFailuresCarriesOn(Prompt prompt) throws Exception {
        ProcessInstance pi = startAtPrompt(PaymentPath.CHARGE_ONLY, prompt);

        enter(prompt, Entry.INVALID, 1);
        enter(prompt, Entry.INVALID, 2);
        enter(prompt, Entry.VALID, 0);

        if (prompt.next() != null) {
            assertWaitingAtPrompt(pi, prompt.next());
            for (Prompt later = prompt.next(); later != null; later = later.next()) {
                enter(later, Entry.VALID, 0);
            }
        }
        runJob(pi, Elements.CHARGE_CARD);
        returnDonor(pi);
        assertEndedWith(pi, Elements.END_SUCCEEDED);
    }

    @ParameterizedTest
    @EnumSource(Prompt.class)
    void escapeReturnsTheDonorToTheAgent(Prompt prompt) throws Exception {
        ProcessInstance pi = startAtPrompt(PaymentPath.CHARGE_ONLY, prompt);

        enter(prompt, Entry.ESCAPE, 0);

        assertThat(pi).hasPassed(errorEndAfter(prompt, Errors.DONOR_ESCAPED));
        assertThat(taskService().createTaskQuery().taskDefinitionKey(Elements.CAPTURE_IN_PROGRESS).count()).isZero();
        returnDonor(pi);
        assertOutcomeRecorded(pi, Outcome.RETURNED_TO_AGENT);
        assertEndedWith(pi, Elements.END_RETURNED);
    }

    @ParameterizedTest
    @EnumSource(Prompt.class)
    void donorHangingUpAbandonsTheCapture(Prompt prompt) throws Exception {
        ProcessInstance pi = startAtPrompt(PaymentPath.CHARGE_ONLY, prompt);

        runtimeService().createMessageCorrelation(Messages.DONOR_HUNG_UP)
                .processInstanceBusinessKey(CAPTURE_ID)
                .correlate();

        assertThat(pi).hasPassed(Elements.RECORD_ABANDONED).hasNotPassed(Elements.RETURN_DONOR_TO_AGENT);
        verifyNoInteractions(returnDonorToAgent, chargeCard);
        assertOutcomeRecorded(pi, Outcome.ABANDONED);
        assertEndedWith(pi, Elements.END_ABANDONED);
    }

    @Test
    void callEndedBeforeTheIvrAbandonsTheCapture() throws Exception {
        doThrow(new BpmnError(Errors.CALL_ENDED)).when(moveDonorToIvr).execute(any());
        ProcessInstance pi = start(PaymentPath.CHARGE_THEN_TOKENISE);

        runJob(pi, Elements.MOVE_DONOR_TO_IVR);

        assertThat(pi).hasNotPassed(Elements.CARD_ENTRY, Elements.RETURN_DONOR_TO_AGENT);
        verifyNoInteractions(returnDonorToAgent);
        assertOutcomeRecorded(pi, Outcome.ABANDONED);
        assertEndedWith(pi, Elements.END_ABANDONED);
    }

    // ------------------------------------------------------------------------------------------ the agent

    /** Completing "Card capture in progress" is how the agent brings the donor back, at any prompt. */
    @ParameterizedTest
    @EnumSource(Prompt.class)
    void agentBringsTheDonorBackDuringAPrompt(Prompt prompt) throws Exception {
        ProcessInstance pi = startAtPrompt(PaymentPath.CHARGE_ONLY, prompt);

        complete(task(Elements.CAPTURE_IN_PROGRESS));

        assertThat(pi).isWaitingAtExactly(Elements.RETURN_DONOR_TO_AGENT);
        assertThat(taskService().createTaskQuery().taskDefinitionKey(Elements.CAPTURE_IN_PROGRESS).count()).isZero();
        returnDonor(pi);
        verifyNoInteractions(chargeCard, tokeniseCard, chargeToken);
        assertOutcomeRecorded(pi, Outcome.CANCELLED_BY_AGENT);
        assertEndedWith(pi, Elements.END_CANCELLED);
    }

    @Test
    void agentSeesTheCaptureInProgressWhileTheDonorTypes() throws Exception {
        ProcessInstance pi = start(PaymentPath.CHARGE_ONLY);
        runJob(pi, Elements.MOVE_DONOR_TO_IVR);

        Task inProgress = task(Elements.CAPTURE_IN_PROGRESS);
        assertThat(inProgress).isAssignedTo(AGENT_ID);
        assertNamedWhenCreated(inProgress, "Card capture in progress");
        assertThat(deployedForm(inProgress)).contains("\"id\": \"card-capture-in-progress\"",
                "\"key\": \"" + Variables.CAPTURE_DESCRIPTION.name() + "\"", "\"readonly\": true");

        enterCard(pi);

        assertThat(taskService().createTaskQuery().taskDefinitionKey(Elements.CAPTURE_IN_PROGRESS).count())
                .as("the card entered terminates the agent's task").isZero();
        assertThat(pi).isWaitingAtExactly(Elements.CHARGE_CARD);
        verifyNoInteractions(eraseCardData);
        // Only flags and ids reach the engine: no variable beyond the contract's.
        assertThat(runtimeService().getVariables(pi.getId()).keySet()).isSubsetOf(contractVariables());
    }

    // ------------------------------------------------------------------------------------------ helpers

    static Stream<Arguments> charges() {
        return Stream.of(
                Arguments.of(PaymentPath.CHARGE_ONLY, Elements.CHARGE_CARD),
                Arguments.of(PaymentPath.CHARGE_THEN_TOKENISE, Elements.CHARGE_CARD),
                Arguments.of(PaymentPath.TOKENISE_THEN_CHARGE, Elements.CHARGE_TOKEN));
    }

    /**
     * Stands in for the {@code cardCaptureTaskNames} listener, which names a task from the capture's row when it is
     * created: appends a donor to the model's name and sets the task's own description.
     */
    public static final class TaskNames implements TaskListener {
        static final String DONOR = "Jane Donor, £25.00 monthly";
        static final String DESCRIPTION = "The donor is entering their card details.";

        @Override
        public void notify(DelegateTask task) {
            assertThat(task.getEventName()).isEqualTo(TaskListener.EVENTNAME_CREATE);
            task.setName(task.getName() + ": " + DONOR);
            Variables.CAPTURE_DESCRIPTION.setLocal(task, DESCRIPTION);
        }
    }

    /** Each look at the unconfirmed charge answers the next of these settlements. */
    private void settleAs(Settlement... settlements) throws Exception {
        List<Settlement> answers = new ArrayList<>(List.of(settlements));
        doAnswer(call -> {
            DelegateExecution execution = call.getArgument(0);
            Variables.SETTLEMENT.set(execution, answers.remove(0));
            return null;
        }).when(settlePayment).execute(any());
    }

    /**
     * Stands in for the capture's row, which the real {@code cardCaptureFacts} bean reads: the path the capture was
     * started with and the declines the record-decline step counted.
     */
    public static final class CaptureRow {
        PaymentPath path;
        int declines;
        int backoffsAsked;

        public String paymentPath(DelegateExecution execution) {
            return path.name();
        }

        public int declines(DelegateExecution execution) {
            return declines;
        }

        public String settleBackoff(DelegateExecution execution) {
            backoffsAsked++;
            return "PT10S";
        }
    }

    static Stream<Arguments> gatewayCalls() {
        return Stream.of(
                Arguments.of(PaymentPath.CHARGE_ONLY, Elements.CHARGE_CARD),
                Arguments.of(PaymentPath.TOKENISE_ONLY, Elements.TOKENISE_CARD),
                Arguments.of(PaymentPath.TOKENISE_THEN_CHARGE, Elements.CHARGE_TOKEN));
    }

    private ProcessInstance start(PaymentPath path) {
        captureRow.path = path;
        ProcessInstance pi = runtimeService().startProcessInstanceByKey(CardCaptureProcess.PROCESS_KEY, CAPTURE_ID,
                ProcessVariable.values()
                        .with(Variables.CAPTURE_ID, CAPTURE_ID)
                        .with(Variables.PLEDGE_ID, PLEDGE_ID)
                        .with(Variables.AGENT_ID, AGENT_ID)
                        .with(Variables.PAYMENT_PATH, path)
                        .with(Variables.ENTRY, null)
                        .with(Variables.FAILURES, 0)
                        .with(Variables.DECLINES, 0)
                        .with(Variables.TOKEN_FOLLOW_UP, false)
                        .with(Variables.OUTCOME, Outcome.IN_PROGRESS)
                        .with(Variables.MASKED_CARD, null)
                        .asMap());
        assertThat(pi).isStarted().isWaitingAtExactly(Elements.MOVE_DONOR_TO_IVR);
        return pi;
    }

    private ProcessInstance startAtPrompt(PaymentPath path, Prompt prompt) throws Exception {
        ProcessInstance pi = start(path);
        runJob(pi, Elements.MOVE_DONOR_TO_IVR);
        for (Prompt earlier : Prompt.values()) {
            if (earlier == prompt) {
                break;
            }
            enter(earlier, Entry.VALID, 0);
        }
        assertWaitingAtPrompt(pi, prompt);
        return pi;
    }

    private ProcessInstance startAndEnterCard(PaymentPath path) throws Exception {
        ProcessInstance pi = start(path);
        runJob(pi, Elements.MOVE_DONOR_TO_IVR);
        verify(moveDonorToIvr).execute(any());
        firstCaptureInProgressTaskId = task(Elements.CAPTURE_IN_PROGRESS).getId();
        enterCard(pi);
        return pi;
    }

    private void enterCard(ProcessInstance pi) {
        for (Prompt prompt : Prompt.values()) {
            assertWaitingAtPrompt(pi, prompt);
            enter(prompt, Entry.VALID, 0);
        }
        assertThat(pi).hasPassed(Elements.CARD_ENTRY);
    }

    /** What the IVR adapter does with a gather result: correlate the prompt's message with the flags. */
    private void enter(Prompt prompt, Entry entry, int failures) {
        ProcessVariable.Values variables = ProcessVariable.values()
                .with(Variables.ENTRY, entry)
                .with(Variables.FAILURES, failures);
        if (prompt == Prompt.CARD_NUMBER && entry == Entry.VALID) {
            variables.with(Variables.MASKED_CARD, MASKED_CARD);
        }
        runtimeService().createMessageCorrelation(prompt.message)
                .processInstanceBusinessKey(CAPTURE_ID)
                .setVariables(variables.asMap())
                .correlate();
    }

    /** The donor hears the prompt while the agent's "Card capture in progress" task is open. */
    private void assertWaitingAtPrompt(ProcessInstance pi, Prompt prompt) {
        assertThat(pi).isWaitingAtExactly(Elements.CARD_ENTRY, prompt.activityId, Elements.CAPTURE_IN_PROGRESS);
    }

    private void runJob(ProcessInstance pi, String activityId) {
        assertThat(pi).isWaitingAt(activityId);
        execute(job(activityId));
    }

    /** Runs the payment path's gateway calls in order, up to and including {@code lastStep}. */
    private void runPaymentUntil(ProcessInstance pi, PaymentPath path, String lastStep) {
        List<String> steps = switch (path) {
            case CHARGE_THEN_TOKENISE -> List.of(Elements.CHARGE_CARD, Elements.TOKENISE_CHARGED_CARD);
            case TOKENISE_THEN_CHARGE -> List.of(Elements.TOKENISE_CARD, Elements.CHARGE_TOKEN);
            case CHARGE_ONLY -> List.of(Elements.CHARGE_CARD);
            case TOKENISE_ONLY -> List.of(Elements.TOKENISE_CARD);
        };
        for (String step : steps) {
            runJob(pi, step);
            if (step.equals(lastStep)) {
                return;
            }
        }
    }

    private JavaDelegate delegateOf(String paymentStep) {
        return switch (paymentStep) {
            case Elements.CHARGE_CARD -> chargeCard;
            case Elements.TOKENISE_CARD, Elements.TOKENISE_CHARGED_CARD -> tokeniseCard;
            case Elements.CHARGE_TOKEN -> chargeToken;
            default -> throw new IllegalArgumentException(paymentStep);
        };
    }

    /** The donor goes back to the agent; no task asks the agent to acknowledge the outcome. */
    private void returnDonor(ProcessInstance pi) throws Exception {
        runJob(pi, Elements.RETURN_DONOR_TO_AGENT);
        verify(returnDonorToAgent).execute(any());
        assertThat(taskService().createTaskQuery().processInstanceId(pi.getId()).taskAssignee(AGENT_ID).count())
                .as("tasks left for the agent once the donor is back").isZero();
    }

    /** The task listener named the task when it was created and gave it its own description. */
    private void assertNamedWhenCreated(Task task, String modelName) {
        assertThat(task.getName()).isEqualTo(modelName + ": " + TaskNames.DONOR);
        assertThat(taskService().getVariablesLocal(task.getId()))
                .containsEntry(Variables.CAPTURE_DESCRIPTION.name(), TaskNames.DESCRIPTION);
        assertThat(runtimeService().getVariables(task.getProcessInstanceId()))
                .doesNotContainKey(Variables.CAPTURE_DESCRIPTION.name());
    }

    private void assertEndedWith(ProcessInstance pi, String endEvent) throws Exception {
        assertThat(pi).isEnded().hasPassed(endEvent);
        for (String otherEnd : Set.of(Elements.END_SUCCEEDED, Elements.END_DECLINED, Elements.END_RETURNED,
                Elements.END_CANCELLED, Elements.END_ABANDONED, Elements.END_FAILED, Elements.END_PAYMENT_SETTLED,
                Elements.END_SETTLED_DECLINED)) {
            if (!otherEnd.equals(endEvent)) {
                assertThat(pi).hasNotPassed(otherEnd);
            }
        }
        verify(eraseCardData, times(1)).notify(any());
    }

    /** The outcome task ran once with the expected input parameter, and it became the process variable. */
    private void assertOutcomeRecorded(ProcessInstance pi, Outcome outcome) throws Exception {
        verify(recordOutcome, times(1)).execute(any());
        assertThat(recordedOutcomes).containsExactly(outcome);
        assertThat(variable(pi, Variables.OUTCOME)).isEqualTo(outcome);
    }

    /** A process-level variable, from history so that it also works once the instance has ended. */
    private <T> T variable(ProcessInstance pi, ProcessVariable<T> variable) {
        HistoricVariableInstance historic = historyService().createHistoricVariableInstanceQuery()
                .processInstanceId(pi.getId())
                .executionIdIn(pi.getId())
                .variableName(variable.name())
                .singleResult();
        assertThat(historic).as("process variable %s", variable).isNotNull();
        return variable.fromStored(historic.getValue());
    }

    private String deployedForm(Task task) throws IOException {
        try (InputStream form = formService().getDeployedTaskForm(task.getId())) {
            return new String(form.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The error end event, behind the prompt's gateway, that throws the given code. */
    private String errorEndAfter(Prompt prompt, String errorCode) {
        String definitionId = repositoryService().createProcessDefinitionQuery()
                .processDefinitionKey(CardCaptureProcess.PROCESS_KEY).latestVersion().singleResult().getId();
        BpmnModelInstance model = repositoryService().getBpmnModelInstance(definitionId);
        FlowNode receiveTask = model.getModelElementById(prompt.activityId);
        return receiveTask.getSucceedingNodes().filterByType(Gateway.class).singleResult()
                .getSucceedingNodes().filterByType(EndEvent.class).list().stream()
                .filter(end -> end.getEventDefinitions().stream()
                        .filter(ErrorEventDefinition.class::isInstance)
                        .map(definition -> ((ErrorEventDefinition) definition).getError().getErrorCode())
                        .anyMatch(errorCode::equals))
                .map(EndEvent::getId)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + errorCode + " end event after " + prompt.activityId));
    }

    private static Set<String> contractVariables() {
        return Stream.of(Variables.CAPTURE_ID, Variables.PLEDGE_ID, Variables.AGENT_ID, Variables.PAYMENT_PATH,
                Variables.ENTRY, Variables.FAILURES, Variables.DECLINES, Variables.TOKEN_FOLLOW_UP,
                Variables.MASKED_CARD, Variables.OUTCOME).map(ProcessVariable::name).collect(Collectors.toSet());
    }
}
