package org.callcentre.processes.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.dialler.CallOutcomeDecision.Action;
import org.callcentre.processes.dialler.CallOutcomeDecision.Inputs;
import org.callcentre.processes.dialler.CallOutcomeDecision.Outputs;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricDecisionInstance;
import org.camunda.bpm.engine.history.HistoricDecisionOutputInstance;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.HitPolicy;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.camunda.bpm.model.dmn.instance.DecisionTable;
import org.camunda.bpm.model.dmn.instance.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code dmn/call-outcome.dmn} evaluated as the dialler evaluates it: by key with the engine's decision service, the
 * latest version. Every rule of the table is hit by a case below (the last test checks that none is left out), and
 * the evaluation's history names the rule that matched, so a case cannot pass on the wrong row.
 */
@Deployment(resources = CallOutcomeDecision.RESOURCE)
class CallOutcomeDecisionTest {

    @RegisterExtension
    static final ProcessEngineExtension ENGINE = ProcessEngineExtension.builder().build();

    /** One evaluation: the facts, the row that must match and what it must answer. */
    record Case(String status, int attempts, int numberUnanswered, int otherDialableNumbers, String rule,
            Action action, Integer retryInMinutes, boolean markNumberBad) {

        @Override
        public String toString() {
            return status + " (attempts " + attempts + ", unanswered " + numberUnanswered + ", other numbers "
                    + otherDialableNumbers + ") -> " + rule;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("WRONG_NUMBER", 1, 0, 1, "Rule_WrongNumber", Action.NEXT_NUMBER, null, true),
                new Case("WRONG_NUMBER", 4, 0, 0, "Rule_WrongNumber", Action.NEXT_NUMBER, null, true),
                new Case("DO_NOT_CALL", 1, 0, 2, "Rule_DoNotCall", Action.DO_NOT_CALL, null, false),
                new Case("REMOVE", 1, 0, 0, "Rule_Stop", Action.STOP, null, false),
                new Case("COMPLETE", 2, 0, 0, "Rule_Stop", Action.STOP, null, false),
                new Case("NOT_INTERESTED", 1, 0, 1, "Rule_Stop", Action.STOP, null, false),
                new Case("PLEDGE", 1, 0, 0, "Rule_Pledge", Action.STOP, null, false),
                new Case("CALL_BACK", 1, 0, 0, "Rule_CallBack", Action.NONE, null, false),
                // Three unanswered in a row and another number: the next number, whichever way it went unanswered.
                new Case("NO_ANSWER", 3, 3, 1, "Rule_UnansweredNumber", Action.NEXT_NUMBER, 60, false),
                new Case("BUSY", 5, 4, 2, "Rule_UnansweredNumber", Action.NEXT_NUMBER, 60, false),
                new Case("ANSWERING_MACHINE", 3, 3, 1, "Rule_UnansweredNumber", Action.NEXT_NUMBER, 60, false),
                // Three unanswered but no other number: the status's own row.
                new Case("BUSY", 3, 3, 0, "Rule_Busy", Action.RETRY, 15, false),
                new Case("BUSY", 1, 1, 1, "Rule_Busy", Action.RETRY, 15, false),
                new Case("NO_ANSWER", 6, 1, 0, "Rule_ManyAttempts", Action.RETRY, 1440, false),
                new Case("ANSWERING_MACHINE", 9, 2, 1, "Rule_ManyAttempts", Action.RETRY, 1440, false),
                new Case("NO_ANSWER", 1, 1, 1, "Rule_NoAnswer", Action.RETRY, 120, false),
                new Case("ANSWERING_MACHINE", 5, 2, 0, "Rule_NoAnswer", Action.RETRY, 120, false),
                new Case("NO_ANSWER", 3, 3, 0, "Rule_NoAnswer", Action.RETRY, 120, false),
                // A status the table does not know yet (added to the code before the table has a row for it).
                new Case("SOMETHING_NEW", 1, 0, 0, "Rule_Default", Action.NONE, null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachCaseMatchesItsRule(Case expected) {
        DmnDecisionResult result = evaluate(expected);

        assertThat(result).hasSize(1);
        Map<String, Object> answer = result.getSingleResult().getEntryMap();
        assertThat(answer.get(Outputs.ACTION)).isEqualTo(expected.action().name());
        assertThat(answer.get(Outputs.RETRY_IN_MINUTES)).isEqualTo(expected.retryInMinutes());
        assertThat(answer.get(Outputs.MARK_NUMBER_BAD)).isEqualTo(expected.markNumberBad());
        assertThat(matchedRule()).isEqualTo(expected.rule());
    }

    @Test
    void everyRuleIsCoveredByACase() {
        Set<String> covered = cases().map(Case::rule).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(ruleIds());
    }

    /** Each action the table may answer is one the dialler knows. */
    @Test
    void theActionsAreTheDiallersActions() {
        DecisionTable table = table();
        String values = table.getOutputs().stream().filter(o -> Outputs.ACTION.equals(o.getName())).findFirst()
                .orElseThrow().getOutputValues().getText().getTextContent();
        assertThat(values).isEqualTo(Arrays.stream(Action.values()).map(a -> "\"" + a.name() + "\"")
                .collect(Collectors.joining(",")));
        assertThat(table.getOutputs()).extracting(o -> o.getName()).containsExactly(Outputs.ACTION,
                Outputs.RETRY_IN_MINUTES, Outputs.MARK_NUMBER_BAD);
        assertThat(table.getInputs()).extracting(i -> i.getInputExpression().getText().getTextContent())
                .containsExactly(Inputs.STATUS.name(), Inputs.ATTEMPTS.name(), Inputs.NUMBER_UNANSWERED.name(),
                        Inputs.OTHER_DIALABLE_NUMBERS.name());
    }

    /** First match wins, and the last row matches anything: every status has an answer. */
    @Test
    void theFirstMatchingRowWinsAndTheLastRowMatchesAnything() {
        DecisionTable table = table();
        assertThat(table.getHitPolicy()).isEqualTo(HitPolicy.FIRST);
        List<Rule> rules = List.copyOf(table.getRules());
        assertThat(rules.get(rules.size() - 1).getInputEntries())
                .allSatisfy(entry -> assertThat(entry.getText().getTextContent()).isBlank());
    }

    @Test
    void theDecisionHasAHistoryTimeToLiveAndDeploys() {
        Decision decision = (Decision) model().getModelElementById(CallOutcomeDecision.DECISION_KEY);
        assertThat(decision.getCamundaHistoryTimeToLiveString()).isNotBlank();
        DecisionDefinition deployed = engine().getRepositoryService().createDecisionDefinitionQuery()
                .decisionDefinitionKey(CallOutcomeDecision.DECISION_KEY).latestVersion().singleResult();
        assertThat(deployed.getHistoryTimeToLive()).isPositive();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private DmnDecisionResult evaluate(Case facts) {
        engine().getRepositoryService().createDecisionDefinitionQuery()
                .decisionDefinitionKey(CallOutcomeDecision.DECISION_KEY).list()
                .forEach(definition -> engine().getHistoryService()
                        .deleteHistoricDecisionInstanceByDefinitionId(definition.getId()));
        Map<String, Object> inputs = new HashMap<>(ProcessVariable.values().with(Inputs.STATUS, facts.status())
                .with(Inputs.ATTEMPTS, facts.attempts()).with(Inputs.NUMBER_UNANSWERED, facts.numberUnanswered())
                .with(Inputs.OTHER_DIALABLE_NUMBERS, facts.otherDialableNumbers()).asMap());
        return engine().getDecisionService().evaluateDecisionByKey(CallOutcomeDecision.DECISION_KEY)
                .variables(inputs).evaluate();
    }

    /** The rule the evaluation matched, from the decision history Cockpit shows. */
    private String matchedRule() {
        HistoricDecisionInstance latest = engine().getHistoryService().createHistoricDecisionInstanceQuery()
                .decisionDefinitionKey(CallOutcomeDecision.DECISION_KEY).includeOutputs().singleResult();
        return latest.getOutputs().stream().map(HistoricDecisionOutputInstance::getRuleId).distinct()
                .reduce((a, b) -> a + "," + b).orElse(null);
    }

    private static ProcessEngine engine() {
        return ENGINE.getProcessEngine();
    }

    private static DmnModelInstance model() {
        return Dmn.readModelFromStream(CallOutcomeDecisionTest.class.getClassLoader()
                .getResourceAsStream(CallOutcomeDecision.RESOURCE));
    }

    private static DecisionTable table() {
        Decision decision = (Decision) model().getModelElementById(CallOutcomeDecision.DECISION_KEY);
        return (DecisionTable) decision.getExpression();
    }

    private static Set<String> ruleIds() {
        return table().getRules().stream().map(Rule::getId).collect(Collectors.toSet());
    }
}
