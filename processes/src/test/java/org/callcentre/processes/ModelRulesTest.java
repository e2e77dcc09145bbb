package org.callcentre.processes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BusinessRuleTask;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Gateway;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ParallelGateway;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SendTask;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnDiagram;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.xml.instance.DomElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The house rules for every BPMN model in this module (STYLE.md, "Models" and "Ids"), checked on every
 * {@code .bpmn} under {@code src/main/resources} so that a model added later is held to them too.
 */
class ModelRulesTest {

    private static final Path RESOURCES = Path.of("src/main/resources");

    private static final String BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private static final String BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI";
    private static final String CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn";

    /**
     * A type prefix, an underscore and a business name in PascalCase. Camunda Modeler generates ids as the
     * prefix plus seven lower-case base-36 characters ({@code Gateway_1qz3k0d}, {@code Flow_0abc123},
     * {@code Activity_0x7f3a1}): requiring the name to start with a capital letter rejects every one of them,
     * and {@code Activity} and {@code Event} are not prefixes here at all.
     */
    static final Pattern ID = Pattern.compile("^(StartEvent|EndEvent|Task|UserTask|ReceiveTask|SendTask|ServiceTask"
            + "|BusinessRuleTask|CallActivity|Gateway|BoundaryEvent|SubProcess|IntermediateCatchEvent|Catch"
            + "|IntermediateThrowEvent|Flow|Message|Error|Escalation|Signal|Timer|Participant|Lane|Collaboration"
            + "|Process|Definitions|DataObject|DataObjectReference|DataStoreReference|TextAnnotation|Association|Group)"
            + "_[A-Z][A-Za-z0-9]*$");

    /** Which prefixes an element of a given BPMN type may carry. Types not listed only need to match {@link #ID}. */
    private static final Map<String, Set<String>> PREFIXES = Map.ofEntries(
            Map.entry("startEvent", Set.of("StartEvent", "Timer")),
            Map.entry("endEvent", Set.of("EndEvent")),
            Map.entry("boundaryEvent", Set.of("BoundaryEvent", "Timer")),
            // Catch_ is the short form a model with many message catches uses (inbound-call.bpmn).
            Map.entry("intermediateCatchEvent", Set.of("IntermediateCatchEvent", "Catch", "Timer")),
            Map.entry("intermediateThrowEvent", Set.of("IntermediateThrowEvent")),
            Map.entry("task", Set.of("Task")),
            Map.entry("serviceTask", Set.of("Task", "ServiceTask")),
            Map.entry("userTask", Set.of("UserTask", "Task")),
            Map.entry("receiveTask", Set.of("ReceiveTask", "Task")),
            Map.entry("sendTask", Set.of("SendTask", "Task")),
            Map.entry("businessRuleTask", Set.of("BusinessRuleTask", "Task")),
            Map.entry("callActivity", Set.of("CallActivity", "Task")),
            Map.entry("subProcess", Set.of("SubProcess")),
            Map.entry("exclusiveGateway", Set.of("Gateway")),
            Map.entry("parallelGateway", Set.of("Gateway")),
            Map.entry("inclusiveGateway", Set.of("Gateway")),
            Map.entry("eventBasedGateway", Set.of("Gateway")),
            Map.entry("sequenceFlow", Set.of("Flow")),
            Map.entry("messageFlow", Set.of("Flow")),
            Map.entry("message", Set.of("Message")),
            Map.entry("error", Set.of("Error")),
            Map.entry("escalation", Set.of("Escalation")),
            Map.entry("signal", Set.of("Signal")),
            Map.entry("participant", Set.of("Participant")),
            Map.entry("lane", Set.of("Lane")),
            Map.entry("collaboration", Set.of("Collaboration")),
            Map.entry("process", Set.of("Process")),
            Map.entry("definitions", Set.of("Definitions")),
            Map.entry("dataObject", Set.of("DataObject")),
            Map.entry("dataObjectReference", Set.of("DataObjectReference", "DataObject")),
            Map.entry("dataStoreReference", Set.of("DataStoreReference")),
            Map.entry("textAnnotation", Set.of("TextAnnotation")),
            Map.entry("association", Set.of("Association")),
            Map.entry("group", Set.of("Group")));

    /**
     * BPMN elements whose ids Camunda Modeler generates without ever showing them (event definitions, lane sets,
     * data associations, group categories): nothing refers to them, so their generated ids are accepted.
     */
    private static boolean idIsGeneratedByTheModeler(String localName) {
        return localName.endsWith("EventDefinition")
                || Set.of("laneSet", "dataInputAssociation", "dataOutputAssociation", "property", "category",
                        "categoryValue", "ioSpecification", "dataInput", "dataOutput", "inputSet", "outputSet")
                        .contains(localName);
    }

    private static final Pattern BEAN_EXPRESSION = Pattern.compile("^\\$\\{[a-z][A-Za-z0-9]*}$");
    /** A group the facts bean of a process reads from the application's tables: {@code ${xFacts.y(execution)}}. */
    private static final Pattern FACTS_GROUP = Pattern.compile("^\\$\\{[a-z][A-Za-z0-9]*Facts\\.[a-z][A-Za-z0-9]*"
            + "\\(execution\\)}$");
    private static final Pattern JUEL_EXPRESSION = Pattern.compile("^\\s*\\$\\{.+}\\s*$", Pattern.DOTALL);

    static Stream<Path> models() throws IOException {
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            return files.filter(file -> file.toString().endsWith(".bpmn")).sorted().toList().stream();
        }
    }

    @Test
    void modelsAreFound() throws IOException {
        assertThat(RESOURCES).isDirectory();
        assertThat(models()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyFlowNodeAndSequenceFlowIsDrawn(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        assertThat(model.getModelElementsByType(BpmnDiagram.class)).as("BPMNDiagram").isNotEmpty();

        Set<String> shapes = model.getModelElementsByType(BpmnShape.class).stream()
                .map(shape -> shape.getBpmnElement().getId())
                .collect(Collectors.toSet());
        Set<String> edges = model.getModelElementsByType(BpmnEdge.class).stream()
                .filter(edge -> edge.getWaypoints().size() >= 2)
                .map(edge -> edge.getBpmnElement().getId())
                .collect(Collectors.toSet());

        assertThat(ids(model.getModelElementsByType(FlowNode.class).stream().map(FlowNode::getId)))
                .as("flow nodes without a shape").isSubsetOf(shapes);
        assertThat(ids(model.getModelElementsByType(SequenceFlow.class).stream().map(SequenceFlow::getId)))
                .as("sequence flows without an edge with waypoints").isSubsetOf(edges);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyExecutableProcessHasAHistoryTimeToLive(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        for (Process process : model.getModelElementsByType(Process.class)) {
            if (process.isExecutable()) {
                assertThat(process.getCamundaHistoryTimeToLiveString())
                        .as("historyTimeToLive of %s", process.getId()).isNotBlank();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void delegatesAreReachedByBeanName(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        List<String> problems = new ArrayList<>();
        model.getModelElementsByType(ServiceTask.class).forEach(task -> checkDelegate(problems, task.getId(),
                task.getCamundaDelegateExpression(), task.getCamundaExpression()));
        model.getModelElementsByType(SendTask.class).forEach(task -> checkDelegate(problems, task.getId(),
                task.getCamundaDelegateExpression(), task.getCamundaExpression()));
        model.getModelElementsByType(BusinessRuleTask.class).stream()
                .filter(task -> task.getCamundaDecisionRef() == null)
                .forEach(task -> checkDelegate(problems, task.getId(), task.getCamundaDelegateExpression(),
                        task.getCamundaExpression()));
        model.getModelElementsByType(MessageEventDefinition.class).stream()
                .filter(definition -> definition.getCamundaClass() != null || definition.getCamundaExpression() != null)
                .forEach(definition -> problems.add(((FlowNode) definition.getParentElement()).getId()
                        + " throws its message through a class or expression, not a delegate bean"));
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void serviceTasksSayWhatTheyAreFor(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        assertThat(model.getModelElementsByType(ServiceTask.class))
                .allSatisfy(task -> assertThat(task.getDocumentations())
                        .as("documentation of %s", task.getId())
                        .anySatisfy(documentation -> assertThat(documentation.getTextContent()).isNotBlank()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void noCamundaClassAnywhere(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        List<String> classes = new ArrayList<>();
        walk(model.getDocument().getRootElement(), element -> {
            String camundaClass = element.getAttribute(CAMUNDA_NS, "class");
            // listeners (camunda:executionListener, camunda:taskListener) carry a plain "class" attribute
            String listenerClass = CAMUNDA_NS.equals(element.getNamespaceURI()) ? element.getAttribute("class") : null;
            if (camundaClass != null || listenerClass != null) {
                classes.add(element.getLocalName() + " " + element.getAttribute("id") + ": "
                        + (camundaClass != null ? camundaClass : listenerClass));
            }
        });
        assertThat(classes).as("camunda:class / listener class (use a delegate bean)").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void idsSayWhatTheElementIs(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        String processKey = file.getFileName().toString().replaceFirst("\\.bpmn$", "");
        List<String> badIds = new ArrayList<>();
        walk(model.getDocument().getRootElement(), element -> {
            String id = element.getAttribute("id");
            String type = element.getLocalName();
            if (id == null) {
                return;
            }
            if (BPMNDI_NS.equals(element.getNamespaceURI())) {
                String bpmnElement = element.getAttribute("bpmnElement");
                boolean ok = switch (type) {
                    case "BPMNShape", "BPMNEdge" -> id.equals(bpmnElement + "_di");
                    case "BPMNDiagram", "BPMNPlane" -> id.matches("BPMN(Diagram|Plane)_[A-Za-z0-9]+");
                    default -> true;
                };
                if (!ok) {
                    badIds.add(type + " " + id);
                }
                return;
            }
            if (!BPMN_NS.equals(element.getNamespaceURI()) || idIsGeneratedByTheModeler(type)) {
                return;
            }
            if (type.equals("process") && id.equals(processKey)) {
                return; // the process key is the file name (STYLE.md, Models)
            }
            var matcher = ID.matcher(id);
            Set<String> allowed = PREFIXES.get(type);
            if (!matcher.matches() || (allowed != null && !allowed.contains(matcher.group(1)))) {
                badIds.add(type + " " + id + (allowed != null ? " (expected " + allowed + "_Name)" : ""));
            }
        });
        assertThat(badIds).as("ids that are not <TypePrefix>_<BusinessName>").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void flowNodesHaveNames(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        List<String> unnamed = model.getModelElementsByType(FlowNode.class).stream()
                .filter(node -> !(node instanceof ParallelGateway))
                .filter(node -> !(node instanceof Gateway) || node.getOutgoing().size() > 1)
                .filter(node -> node.getName() == null || node.getName().isBlank())
                .map(FlowNode::getId)
                .toList();
        assertThat(unnamed).as("flow nodes without a name (only merging and parallel gateways may go unnamed)")
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void conditionsAreJuelExpressions(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
            ConditionExpression condition = flow.getConditionExpression();
            if (condition != null) {
                assertThat(condition.getLanguage()).as("script condition on %s", flow.getId()).isNull();
                assertThat(condition.getTextContent()).as("condition of %s", flow.getId())
                        .matches(JUEL_EXPRESSION);
            }
        }
    }

    /**
     * Candidate groups name a role through the {@code groups} bean ({@code ${groups.agentAdmins}}) or a group read
     * from the application's tables by a process's facts bean ({@code ${callbackFacts.teamGroup(execution)}}, a
     * team's group), never as a literal id that could drift from the groups the app creates; candidate users are
     * expressions (a variable holding an engine user id), never a literal user.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void candidatesAreNamedThroughTheGroupsBeanOrAnExpression(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        Set<String> groupProperties = Stream.of(Groups.class.getMethods())
                .filter(method -> method.getDeclaringClass() == Groups.class && method.getParameterCount() == 0
                        && method.getName().startsWith("get"))
                .map(method -> Character.toLowerCase(method.getName().charAt(3)) + method.getName().substring(4))
                .collect(Collectors.toSet());
        Pattern groupExpression = Pattern.compile("^\\$\\{" + Groups.BEAN + "\\.([A-Za-z]+)}$");
        List<String> literals = new ArrayList<>();
        walk(model.getDocument().getRootElement(), element -> {
            for (String attribute : List.of("candidateGroups", "candidateStarterGroups")) {
                for (String group : candidates(element.getAttribute(CAMUNDA_NS, attribute))) {
                    var matcher = groupExpression.matcher(group);
                    boolean role = matcher.matches() && groupProperties.contains(matcher.group(1));
                    if (!role && !FACTS_GROUP.matcher(group).matches()) {
                        literals.add(element.getAttribute("id") + " " + attribute + "=" + group);
                    }
                }
            }
            for (String attribute : List.of("candidateUsers", "candidateStarterUsers", "assignee")) {
                for (String user : candidates(element.getAttribute(CAMUNDA_NS, attribute))) {
                    if (!JUEL_EXPRESSION.matcher(user).matches()) {
                        literals.add(element.getAttribute("id") + " " + attribute + "=" + user);
                    }
                }
            }
        });
        assertThat(literals).as("literal groups or users (use ${groups.<role>}, a facts bean or a variable)")
                .isEmpty();
    }

    @Test
    void aLiteralGroupIsNotAGroupExpression() {
        assertThat(candidates("agentadmins, ${groups.agentAdmins}")).containsExactly("agentadmins",
                "${groups.agentAdmins}");
        assertThat(new Groups().getAgentAdmins()).isEqualTo(Groups.AGENT_ADMINS);
    }

    @Test
    void aGroupReadByAFactsBeanIsAcceptedButNoOtherExpression() {
        assertThat(FACTS_GROUP.matcher("${callbackFacts.teamGroup(execution)}").matches()).isTrue();
        assertThat(FACTS_GROUP.matcher("${'agentadmins'}").matches()).isFalse();
        assertThat(FACTS_GROUP.matcher("${teamGroup}").matches()).isFalse();
        assertThat(FACTS_GROUP.matcher("${callbackFacts.teamGroup('agentadmins')}").matches()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Gateway_1qz3k0d", "Flow_0abc123", "Activity_0x7f3a1", "Event_1b5x9mz", "Task_0x7f3a",
            "Task_chargeCard", "Task_", "ChargeCard", "Task_Charge_Card", "Catch_1b5x9mz", "Process_1h2k3lm",
            "Definitions_1x0qpgn"})
    void idPatternRejectsGeneratedAndShapelessIds(String id) {
        assertThat(ID.matcher(id).matches()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Task_ChargeCard", "Flow_CardNumberValid", "Gateway_CardEntryFork",
            "BoundaryEvent_ChargeCardDeclined", "Definitions_CardCapture", "Message_DonorHungUp", "Error_CallEnded",
            "ReceiveTask_SecurityCode", "SubProcess_CardEntry", "Flow_Step2", "Catch_AgentAssigned"})
    void idPatternAcceptsBusinessNames(String id) {
        assertThat(ID.matcher(id).matches()).isTrue();
    }

    private static void checkDelegate(List<String> problems, String id, String delegateExpression,
            String expression) {
        if (delegateExpression == null || !BEAN_EXPRESSION.matcher(delegateExpression).matches()) {
            problems.add(id + " has no camunda:delegateExpression=\"${beanName}\" (" + delegateExpression + ")");
        }
        if (expression != null) {
            problems.add(id + " uses camunda:expression instead of a delegate bean");
        }
    }

    /** The comma-separated entries of a candidates attribute (commas inside an expression do not split it). */
    private static List<String> candidates(String attribute) {
        List<String> entries = new ArrayList<>();
        if (attribute == null) {
            return entries;
        }
        int depth = 0;
        StringBuilder entry = new StringBuilder();
        for (char c : attribute.toCharArray()) {
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                entries.add(entry.toString().trim());
                entry.setLength(0);
            } else {
                entry.append(c);
            }
        }
        if (!entry.toString().isBlank()) {
            entries.add(entry.toString().trim());
        }
        return entries;
    }

    private static Set<String> ids(Stream<String> ids) {
        return ids.collect(Collectors.toSet());
    }

    private static void walk(DomElement element, Consumer<DomElement> visitor) {
        visitor.accept(element);
        for (DomElement child : element.getChildElements()) {
            walk(child, visitor);
        }
    }
}
