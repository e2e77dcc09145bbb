package org.callcentre.processes.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Beans;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Elements;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Entry;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Errors;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Messages;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Settlement;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.Error;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ReceiveTask;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CardCaptureProcess is what the app and the workers know about {@code card-capture.bpmn}; this checks that the
 * model still has every element, message, error and bean the constants name, and that the model's expressions
 * speak only in the contract's variables and enum values.
 */
class CardCaptureModelContractTest {

    private static final String MODEL = "/bpmn/" + CardCaptureProcess.PROCESS_KEY + ".bpmn";

    private static BpmnModelInstance model;

    @BeforeAll
    static void readModel() throws IOException {
        try (InputStream in = CardCaptureModelContractTest.class.getResourceAsStream(MODEL)) {
            assertThat(in).as(MODEL).isNotNull();
            model = Bpmn.readModelFromStream(in);
        }
    }

    @Test
    void processKeyIsTheExecutableProcess() {
        BaseElement process = model.getModelElementById(CardCaptureProcess.PROCESS_KEY);
        assertThat(process).isInstanceOf(Process.class);
        assertThat(((Process) process).isExecutable()).isTrue();
    }

    @Test
    void everyElementIdIsInTheModel() {
        Map<String, String> ids = constants(Elements.class);
        assertThat(ids).isNotEmpty();
        ids.forEach((name, id) -> assertThat(model.<BaseElement>getModelElementById(id))
                .as("Elements.%s = %s", name, id).isInstanceOf(FlowNode.class));
    }

    @Test
    void promptsAreReceiveTasksAndPaymentStepsAreAsyncServiceTasks() {
        assertThat(Elements.PROMPTS).allSatisfy(id -> assertThat(model.<BaseElement>getModelElementById(id))
                .as(id).isInstanceOf(ReceiveTask.class));
        assertThat(Elements.PAYMENT_STEPS).allSatisfy(id -> {
            BaseElement step = model.getModelElementById(id);
            assertThat(step).as(id).isInstanceOf(ServiceTask.class);
            assertThat(((ServiceTask) step).isCamundaAsyncBefore()).as("%s is asyncBefore", id).isTrue();
        });
    }

    @Test
    void everyMessageNameIsInTheModel() {
        Set<String> messageNames = model.getModelElementsByType(Message.class).stream()
                .map(Message::getName)
                .collect(Collectors.toSet());
        assertThat(messageNames).containsAll(constants(Messages.class).values());
    }

    @Test
    void everyErrorCodeIsInTheModel() {
        Set<String> errorCodes = model.getModelElementsByType(Error.class).stream()
                .map(Error::getErrorCode)
                .collect(Collectors.toSet());
        assertThat(errorCodes).containsAll(constants(Errors.class).values());
    }

    @Test
    void theModelReachesExactlyTheContractsBeans() {
        Set<String> referenced = new HashSet<>();
        model.getModelElementsByType(ServiceTask.class)
                .forEach(task -> referenced.add(beanName(task.getCamundaDelegateExpression())));
        model.getModelElementsByType(CamundaExecutionListener.class)
                .forEach(listener -> referenced.add(beanName(listener.getCamundaDelegateExpression())));
        model.getModelElementsByType(CamundaTaskListener.class)
                .forEach(listener -> referenced.add(beanName(listener.getCamundaDelegateExpression())));
        Set<String> delegates = new HashSet<>(constants(Beans.class).values());
        delegates.remove(Beans.CAPTURE_FACTS);
        assertThat(referenced).containsExactlyInAnyOrderElementsOf(delegates);
    }

    /**
     * What decides money (the payment path, how many cards were declined) is read from the capture's row through the
     * facts bean, never from the variables of the same name, which a user with a task could write.
     */
    @Test
    void moneyDecidingConditionsReadTheCapturesRow() {
        List<String> conditions = model.getModelElementsByType(SequenceFlow.class).stream()
                .filter(flow -> flow.getConditionExpression() != null)
                .map(flow -> flow.getConditionExpression().getTextContent())
                .toList();
        assertThat(conditions).filteredOn(c -> c.contains(Beans.CAPTURE_FACTS + ".paymentPath(execution)")).hasSize(4);
        assertThat(conditions).filteredOn(c -> c.contains(Beans.CAPTURE_FACTS + ".declines(execution)")).hasSize(1);
        for (String condition : conditions) {
            String withoutFacts = condition.replaceAll(Beans.CAPTURE_FACTS + "\\.\\w+\\(execution\\)", "");
            assertThat(withoutFacts).as(condition).doesNotContainPattern("\\b(" + Variables.PAYMENT_PATH.name() + "|"
                    + Variables.DECLINES.name() + ")\\b");
        }
    }

    @Test
    void cardDataIsErasedWheneverTheProcessEnds() {
        Process process = model.getModelElementById(CardCaptureProcess.PROCESS_KEY);
        assertThat(process.getExtensionElements().getElementsQuery().filterByType(CamundaExecutionListener.class)
                .list())
                .anySatisfy(listener -> {
                    assertThat(listener.getCamundaEvent()).isEqualTo("end");
                    assertThat(listener.getCamundaDelegateExpression()).isEqualTo("${" + Beans.ERASE_CARD_DATA + "}");
                });
    }

    /**
     * Every user task says whom and what it is about: the names bean names it from the capture's row when it is
     * created (a name in a variable could be written by whoever has the task).
     */
    @Test
    void everyUserTaskIsNamedFromTheCapturesRowWhenCreated() {
        assertThat(model.getModelElementsByType(UserTask.class)).isNotEmpty().allSatisfy(task -> {
            assertThat(task.getName()).as("%s has a name for the diagram", task.getId()).isNotBlank();
            assertThat(task.getExtensionElements().getElementsQuery().filterByType(CamundaTaskListener.class).list())
                    .as("task listeners of %s", task.getId())
                    .anySatisfy(listener -> {
                        assertThat(listener.getCamundaEvent()).isEqualTo("create");
                        assertThat(listener.getCamundaDelegateExpression()).isEqualTo("${" + Beans.TASK_NAMES + "}");
                    });
        });
    }

    /**
     * Once the donor is back with the agent, no task waits for the agent: the console shows the outcome. What may
     * follow is a task for the back office (offered to groups, assigned to nobody) or the charge's settlement.
     */
    @Test
    void nothingAfterTheDonorsReturnWaitsForTheAgent() {
        FlowNode returned = model.getModelElementById(Elements.RETURN_DONOR_TO_AGENT);
        Set<FlowNode> after = new HashSet<>();
        List<FlowNode> next = new ArrayList<>(returned.getSucceedingNodes().list());
        while (!next.isEmpty()) {
            FlowNode node = next.remove(next.size() - 1);
            if (after.add(node)) {
                next.addAll(node.getSucceedingNodes().list());
            }
        }
        assertThat(after).filteredOn(UserTask.class::isInstance).isNotEmpty().allSatisfy(node -> {
            UserTask task = (UserTask) node;
            assertThat(task.getCamundaAssignee()).as("assignee of %s", task.getId()).isNull();
            assertThat(task.getCamundaCandidateGroups()).as("candidate groups of %s", task.getId()).isNotBlank();
        });
    }

    @Test
    void conditionsReadOnlyContractVariablesAndValues() {
        Set<String> variables = new HashSet<>(variableNames());
        // The facts bean, its methods and their one argument.
        variables.addAll(Set.of(Beans.CAPTURE_FACTS, "paymentPath", "declines", "execution"));
        Set<String> values = Stream.of(Entry.values(), PaymentPath.values(), Outcome.values(), Settlement.values())
                .flatMap(Arrays::stream)
                .map(Enum::name)
                .collect(Collectors.toSet());
        Set<String> juelWords = Set.of("and", "or", "not", "eq", "ne", "lt", "gt", "le", "ge", "true", "false",
                "null", "empty", "div", "mod", "instanceof");

        Set<String> identifiersUsed = new HashSet<>();
        Set<String> literalsUsed = new HashSet<>();
        for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
            if (flow.getConditionExpression() == null) {
                continue;
            }
            String condition = flow.getConditionExpression().getTextContent();
            literalsUsed.addAll(matches(Pattern.compile("'([^']*)'"), condition));
            String withoutLiterals = condition.replaceAll("'[^']*'", "''");
            matches(Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)"), withoutLiterals).stream()
                    .filter(word -> !juelWords.contains(word))
                    .forEach(identifiersUsed::add);
        }
        assertThat(identifiersUsed).as("variables read by conditions").isNotEmpty().isSubsetOf(variables);
        assertThat(literalsUsed).as("values compared in conditions").isNotEmpty().isSubsetOf(values);
    }

    @Test
    void outcomeParametersAreOutcomes() {
        Set<String> outcomes = Arrays.stream(Outcome.values()).map(Enum::name).collect(Collectors.toSet());
        List<CamundaInputParameter> parameters = model.getModelElementsByType(CamundaInputParameter.class).stream()
                .filter(parameter -> Variables.OUTCOME.name().equals(parameter.getCamundaName()))
                .toList();
        assertThat(parameters).isNotEmpty()
                .allSatisfy(parameter -> assertThat(parameter.getTextContent()).isIn(outcomes));
    }

    @Test
    void everyFormAUserTaskRefersToIsDeployedWithTheModel() throws IOException {
        for (UserTask task : model.getModelElementsByType(UserTask.class)) {
            String formRef = task.getCamundaFormRef();
            assertThat(formRef).as("formRef of %s", task.getId()).isNotBlank();
            assertThat(task.getCamundaFormRefBinding()).as("formRefBinding of %s", task.getId()).isEqualTo("latest");
            try (InputStream form = getClass().getResourceAsStream("/forms/" + CardCaptureProcess.PROCESS_KEY + "/" + formRef + ".form")) {
                assertThat(form).as("forms/%s/%s.form", CardCaptureProcess.PROCESS_KEY, formRef).isNotNull();
                String json = new String(form.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(json).contains("\"id\": \"" + formRef + "\"");
            }
        }
    }

    /** Variables.ALL is every variable the contract declares, so the checks that use it miss none. */
    @Test
    void everyDeclaredVariableIsListedOnceByAName() throws IllegalAccessException {
        List<ProcessVariable<?>> declared = new ArrayList<>();
        for (Field field : Variables.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ProcessVariable.class) {
                declared.add((ProcessVariable<?>) field.get(null));
            }
        }
        assertThat(Variables.ALL).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(variableNames()).hasSameSizeAs(declared);
    }

    /** What the forms show and write are the contract's variables, under the names the constants give them. */
    @Test
    void formFieldsAreContractVariables() throws IOException {
        Set<String> keys = new HashSet<>();
        for (UserTask task : model.getModelElementsByType(UserTask.class)) {
            try (InputStream form = getClass().getResourceAsStream("/forms/" + CardCaptureProcess.PROCESS_KEY + "/"
                    + task.getCamundaFormRef() + ".form")) {
                String json = new String(form.readAllBytes(), StandardCharsets.UTF_8);
                keys.addAll(matches(Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\""), json));
                keys.addAll(matches(Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}"), json));
            }
        }
        assertThat(keys).isNotEmpty().isSubsetOf(variableNames());
    }

    /**
     * A form tells outcomes in words, never as codes: no field or text shows a variable that holds an enum's name
     * (an outcome, an entry, a payment path, a settlement).
     */
    @Test
    void formsShowNoCodes() throws IOException {
        Set<String> codes = Set.of(Variables.OUTCOME.name(), Variables.ENTRY.name(), Variables.PAYMENT_PATH.name(),
                Variables.SETTLEMENT.name());
        for (UserTask task : model.getModelElementsByType(UserTask.class)) {
            try (InputStream form = getClass().getResourceAsStream("/forms/" + CardCaptureProcess.PROCESS_KEY + "/"
                    + task.getCamundaFormRef() + ".form")) {
                String json = new String(form.readAllBytes(), StandardCharsets.UTF_8);
                Set<String> shown = new HashSet<>(matches(Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\""), json));
                shown.addAll(matches(Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}"), json));
                assertThat(shown).as("variables the form of %s shows", task.getId()).doesNotContainAnyElementsOf(codes);
                Arrays.stream(Outcome.values()).forEach(outcome -> assertThat(json).as(task.getCamundaFormRef())
                        .doesNotContain(outcome.name()));
            }
        }
    }

    private static Set<String> variableNames() {
        return Variables.ALL.stream().map(ProcessVariable::name).collect(Collectors.toSet());
    }

    /** The public static String constants of a contract class, by field name. */
    static Map<String, String> constants(Class<?> contract) {
        Map<String, String> constants = new LinkedHashMap<>();
        for (Field field : contract.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && field.getType() == String.class) {
                try {
                    constants.put(field.getName(), (String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return constants;
    }

    private static String beanName(String delegateExpression) {
        assertThat(delegateExpression).matches("\\$\\{[A-Za-z0-9]+}");
        return delegateExpression.substring(2, delegateExpression.length() - 1);
    }

    private static Collection<String> matches(Pattern pattern, String text) {
        Set<String> found = new HashSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
