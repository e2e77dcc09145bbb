package org.callcentre.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CardCaptureScenario;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.RecordedResponses;
import org.callcentre.app.support.Users;
import org.callcentre.processes.Groups;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.cardcapture.CardCaptureProcess;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Elements;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Who may do what through the engine's REST API (and, for task variables and completion, the webapps' copy of
 * it): every role against every operation, read as a table. Each cell sends the same request as that role and
 * checks the status; a refusal must also leave everything as it was, and an operation that writes must have
 * written when it is allowed.
 * <p>
 * Targets: a card capture in card entry, whose "Card capture in progress" task is the agent's own (variables are
 * written under a name of their own, so the capture goes on unharmed); a probe process deployed by this test, a
 * fresh instance per cell, for what an administrator may do but a capture must not suffer (a message, a signal, a
 * job, an incident, completing a task of the agent's with the follow-up form: an editable {@code note} and a
 * read-only {@code captureDescription}); and things created by name and removed afterwards.
 */
@Order(4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineRestPermissionsEndToEndTest extends EndToEndTest {

    enum Role { ANONYMOUS, AGENT, AGENT_ADMIN, ADMIN }

    /** One operation, and the status each role gets. */
    record Row(Operation operation, int anonymous, int agent, int agentAdmin, int admin) {
        int expected(Role role) {
            return switch (role) {
                case ANONYMOUS -> anonymous;
                case AGENT -> agent;
                case AGENT_ADMIN -> agentAdmin;
                case ADMIN -> admin;
            };
        }
    }

    static final List<Row> MATRIX = List.of(
            //                                                      anonymous agent agentadmin admin
            new Row(Operation.TASK_VARIABLES_GET,                        401,  403,  403,       200),
            new Row(Operation.TASK_VARIABLE_PUT,                         401,  403,  403,       204),
            new Row(Operation.TASK_VARIABLES_MODIFY,                     401,  403,  403,       204),
            new Row(Operation.TASK_LOCAL_VARIABLE_PUT,                   401,  403,  403,       204),
            new Row(Operation.TASK_FORM_VARIABLES_GET,                   401,  200,  403,       200),
            new Row(Operation.PROCESS_INSTANCE_VARIABLES_GET,            401,  403,  403,       200),
            new Row(Operation.PROCESS_INSTANCE_VARIABLE_PUT,             401,  403,  403,       204),
            new Row(Operation.PROCESS_INSTANCE_VARIABLES_MODIFY,         401,  403,  403,       204),
            new Row(Operation.EXECUTION_VARIABLES_GET,                   401,  403,  403,       200),
            new Row(Operation.EXECUTION_VARIABLE_PUT,                    401,  403,  403,       204),
            new Row(Operation.VARIABLE_INSTANCES_GET,                    401,  403,  403,       200),
            new Row(Operation.HISTORIC_VARIABLE_INSTANCES_GET,           401,  403,  403,       200),
            new Row(Operation.TASK_COMPLETE_WITH_FORM_FIELDS,            401,  204,  403,       204),
            new Row(Operation.TASK_COMPLETE_WITH_NON_FORM_VARIABLE,      401,  403,  403,       204),
            new Row(Operation.TASK_SUBMIT_FORM_WITH_NON_FORM_VARIABLE,   401,  403,  403,       204),
            new Row(Operation.TASK_COMPLETE_RETURNING_VARIABLES,         401,  403,  403,       200),
            new Row(Operation.TASK_BPMN_ERROR,                           401,  403,  403,       204),
            new Row(Operation.MESSAGE_CORRELATE,                         401,  403,  403,       204),
            new Row(Operation.PROCESS_START,                             401,  403,  403,       200),
            new Row(Operation.SIGNAL,                                    401,  403,  403,       204),
            new Row(Operation.JOB_RETRIES,                               401,  403,  403,       204),
            new Row(Operation.JOB_EXECUTE,                               401,  403,  403,       204),
            new Row(Operation.INCIDENT_CREATE,                           401,  403,  403,       200),
            new Row(Operation.INCIDENT_RESOLVE,                          401,  403,  403,       204),
            new Row(Operation.DEPLOYMENT_CREATE,                         401,  403,  403,       200),
            // A deployment the user may not read is one the engine does not show them: not found.
            new Row(Operation.DEPLOYMENT_REDEPLOY,                       401,  404,  404,       200),
            new Row(Operation.FILTER_CREATE,                             401,  403,  403,       200),
            new Row(Operation.USER_CREATE,                               401,  403,  403,       204),
            new Row(Operation.GROUP_CREATE,                              401,  403,  403,       204),
            new Row(Operation.AUTHORIZATION_CREATE,                      401,  403,  403,       200),
            new Row(Operation.WEBAPP_TASK_VARIABLES_GET,                 401,  403,  403,       200),
            new Row(Operation.WEBAPP_TASK_VARIABLE_PUT,                  401,  403,  403,       204),
            new Row(Operation.WEBAPP_TASK_COMPLETE_WITH_NON_FORM_VARIABLE, 401, 403, 403,       204));

    static final String PROBE_KEY = "authz-probe";
    static final String PROBE_SIGNAL = "AuthzProbeSignal";
    static final String PROBE_MESSAGE = "AuthzProbeMessage";
    /** The read-only field of the probe task's form (the tokenise follow-up's), as the naming listener sets it. */
    static final String PROBE_DESCRIPTION = "Paid: Visa ending 4242";
    /** What this test creates by name, so it can tell "nothing changed" and clean up. */
    static final String NAME = "matrix";
    /** A member of admin operations only, not of the engine's administrators. */
    static final String ADMIN_OPERATOR = NAME + "ops";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @Autowired
    RuntimeService runtime;
    @Autowired
    TaskService tasks;
    @Autowired
    ManagementService management;
    @Autowired
    RepositoryService repository;
    @Autowired
    IdentityService identity;
    @Autowired
    AuthorizationService authorizations;
    @Autowired
    FilterService filters;
    @Autowired
    JdbcTemplate jdbc;

    CardCaptureScenario call;
    Fixture fixture;
    Deployment probeDeployment;
    /** A deployment of this test's own, for redeploying: a release again, from what the engine already holds. */
    Deployment sourceDeployment;
    final Map<Role, WebappSession> webapp = new EnumMap<>(Role.class);

    @BeforeAll
    void startACaptureAndDeployTheProbe() {
        call = CardCaptureScenario.pledge(admin, twilio, true, false, false, "20", "ONE_OFF");
        BpmnModelInstance probe = Bpmn.createExecutableProcess(PROBE_KEY).camundaHistoryTimeToLive(1)
                .startEvent().parallelGateway("Gateway_Fork")
                .userTask("UserTask_Probe").camundaAssignee(call.agent.user()).camundaFormRef("tokenise-follow-up")
                .camundaFormRefBinding("latest").endEvent()
                .moveToNode("Gateway_Fork").receiveTask("ReceiveTask_Probe").message(PROBE_MESSAGE).endEvent()
                .moveToNode("Gateway_Fork").intermediateCatchEvent("SignalEvent_Probe").signal(PROBE_SIGNAL).endEvent()
                .moveToNode("Gateway_Fork").intermediateCatchEvent("TimerEvent_Probe").timerWithDuration("P1D")
                .endEvent()
                .done();
        probeDeployment = repository.createDeployment().name(PROBE_KEY).addModelInstance(PROBE_KEY + ".bpmn", probe)
                .deploy();
        sourceDeployment = repository.createDeployment().name(NAME + "-source")
                .addModelInstance(NAME + "-source.bpmn", Bpmn.createExecutableProcess(NAME + "-source")
                        .camundaHistoryTimeToLive(1).startEvent().endEvent().done())
                .deploy();

        call.start();
        assertThat(call.prompt().prompt()).containsIgnoringCase("card number");
        String instance = await().atMost(WAIT).until(() -> jdbc.queryForList("select process_instance_id from "
                + "card_capture where pledge_id = ?", String.class, call.pledgeId).stream().findFirst().orElse(null),
                id -> id != null);
        Task inProgress = await().atMost(WAIT).until(() -> tasks.createTaskQuery().processInstanceId(instance)
                .taskDefinitionKey(Elements.CAPTURE_IN_PROGRESS).singleResult(), task -> task != null);
        fixture = new Fixture(instance, inProgress.getId(), inProgress.getExecutionId(), sourceDeployment.getId());

        webapp.put(Role.ANONYMOUS, WebappSession.anonymous(BASE));
        webapp.put(Role.AGENT, WebappSession.logIn(BASE, call.agent.user(), call.agentPassword));
        webapp.put(Role.AGENT_ADMIN, WebappSession.logIn(BASE, "agentadmin", PASSWORD));
        webapp.put(Role.ADMIN, WebappSession.logIn(BASE, "admin", PASSWORD));
    }

    @AfterAll
    void cleanUp() {
        repository.deleteDeployment(probeDeployment.getId(), true, true);
        repository.createDeploymentQuery().deploymentNameLike(NAME + "%").list()
                .forEach(deployment -> repository.deleteDeployment(deployment.getId(), true, true));
        runtime.createProcessInstanceQuery().processInstanceBusinessKeyLike(NAME + "%").list()
                .forEach(instance -> runtime.deleteProcessInstance(instance.getId(), NAME, true, true));
        filters.createFilterQuery().filterName(NAME).list().forEach(filter -> filters.deleteFilter(filter.getId()));
        identity.deleteUser(NAME);
        identity.deleteUser(ADMIN_OPERATOR);
        identity.deleteGroup(NAME);
        authorizations.createAuthorizationQuery().resourceId(NAME).list()
                .forEach(authorization -> authorizations.deleteAuthorization(authorization.getId()));
        assertThat(call.agent.delete("/api/pledges/" + call.pledgeId + "/card-capture").status()).isEqualTo(202);
        call.awaitBackWithAgent();
    }

    static Stream<Arguments> cells() {
        return MATRIX.stream().flatMap(row -> Stream.of(Role.values())
                .map(role -> Arguments.of(row.operation(), role, row.expected(role))));
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @MethodSource("cells")
    void everyRoleGetsWhatTheMatrixSays(Operation operation, Role role, int expected) {
        Cell cell = new Cell(fixture, operation.target == Target.PROBE ? newProbe() : null, UNIQUE.incrementAndGet());
        Object before = operation.state.apply(this, cell);
        AgentApi.Reply reply = send(role, operation.request.apply(cell));
        assertThat(reply.status()).as(operation + " as " + role + ": " + reply).isEqualTo(expected);
        Object after = operation.state.apply(this, cell);
        if (expected >= 400 || !operation.writes) {
            assertThat(after).as(operation + " as " + role + " changes nothing").isEqualTo(before);
        } else {
            assertThat(after).as(operation + " as " + role + " took effect").isNotEqualTo(before);
        }
    }

    /**
     * A deployed model can run scripts and call any bean, so deploying is running code: models are released through
     * the build, and through the engine's API only the engine's administrators deploy. Admin operations, who may do
     * everything else in the webapps, may not, and there is no role for analysts deploying from Camunda Modeler.
     */
    @Test
    void onlyTheEngineAdministratorsDeploy() {
        Users.ensure(identity, ADMIN_OPERATOR, Groups.ADMIN_OPS);
        assertThat(identity.createUserQuery().userId(ADMIN_OPERATOR).memberOfGroup(Groups.CAMUNDA_ADMIN).count())
                .isZero();
        Cell cell = new Cell(fixture, null, UNIQUE.incrementAndGet());
        Object before = namedState(cell);
        for (Operation operation : List.of(Operation.DEPLOYMENT_CREATE, Operation.DEPLOYMENT_REDEPLOY)) {
            AgentApi.Reply reply = send(ADMIN_OPERATOR, operation.request.apply(cell));
            assertThat(reply.status()).as(operation + " as admin operations: " + reply).isIn(403, 404);
        }
        assertThat(namedState(cell)).as("nothing deployed").isEqualTo(before);
    }

    @Test
    void completingATaskSetsItsEditableFieldsButNotItsReadOnlyOnes() {
        Cell cell = new Cell(fixture, newProbe(), 0);
        AgentApi.Reply reply = call.agent.post("/engine-rest/task/" + cell.probe().task() + "/complete",
                Map.of("variables", Map.of(Variables.NOTE.name(), Map.of("value", "called the donor back"),
                        Variables.CAPTURE_DESCRIPTION.name(), Map.of("value", "tampered"))));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(204);
        Map<String, Object> variables = runtime.getVariables(cell.probe().instance());
        assertThat(Variables.NOTE.from(variables)).isEqualTo("called the donor back");
        assertThat(Variables.CAPTURE_DESCRIPTION.from(variables)).isEqualTo(PROBE_DESCRIPTION);
    }

    @Test
    void tasklistLoadsOnlyWhatTheFormShows() {
        Cell cell = new Cell(fixture, newProbe(), 0);
        runtime.setVariables(cell.probe().instance(), ProcessVariable.values()
                .with(Variables.NOTE, "earlier note")
                .with(Variables.PLEDGE_ID, 7L)
                .with(Variables.CAPTURE_ID, "not on the form")
                .asMap());
        AgentApi.Reply all = webapp.get(Role.AGENT).send("GET", "/camunda/api/engine/engine/default/task/"
                + cell.probe().task() + "/form-variables", null);
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(names(all)).containsExactlyInAnyOrder(Variables.PLEDGE_ID.name(),
                Variables.CAPTURE_DESCRIPTION.name(), Variables.NOTE.name());
        AgentApi.Reply asked = call.agent.get("/engine-rest/task/" + cell.probe().task()
                + "/form-variables?variableNames=secret,note");
        assertThat(asked.status()).as(asked.toString()).isEqualTo(200);
        assertThat(names(asked)).containsExactly("note");
    }

    @Test
    void aLargeCompletionIsRefusedBeforeItIsRead() {
        Cell cell = new Cell(fixture, newProbe(), 0);
        String note = "x".repeat(ProcessVariableGuard.MAX_BODY_BYTES);
        AgentApi.Reply reply = call.agent.post("/engine-rest/task/" + cell.probe().task() + "/complete",
                Map.of("variables", Map.of("note", Map.of("value", note))));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(413);
        assertThat(tasks.createTaskQuery().taskId(cell.probe().task()).count()).isOne();
    }

    @Test
    void trickedPathsAreStillVariablePaths() {
        String task = fixture.liveTask();
        for (String path : List.of("/engine-rest/task/" + task + "/variables;x=y/matrixTrick",
                "/engine-rest//task/" + task + "/variables/matrixTrick",
                "/engine-rest/task/" + task + "/%76ariables/matrixTrick",
                "/engine-rest/engine/default/task/" + task + "/variables/matrixTrick")) {
            AgentApi.Reply reply = call.agent.send("PUT", path, Map.of("value", "x"));
            assertThat(reply.status()).as(path + ": " + reply).isIn(400, 403, 404);
        }
        assertThat(runtime.getVariables(fixture.liveInstance())).doesNotContainKey("matrixTrick");
    }

    // ---------------------------------------------------------------------------------------------------------

    enum Target { LIVE, PROBE, NAMED }

    /** The running capture (shared by every cell), and the deployment the redeploy cells ask to release again. */
    record Fixture(String liveInstance, String liveTask, String liveExecution, String sourceDeployment) {
    }

    /** A probe instance of its own: its user task, its message's execution, its timer job, an incident. */
    record Probe(String instance, String task, String messageExecution, String timerJob, String incident) {
    }

    record Cell(Fixture live, Probe probe, int unique) {
        String value() {
            return NAME + "-" + unique;
        }
    }

    /** A request through the engine's REST API or, with {@code webapp}, through the webapps' engine API. */
    record Request(String method, String path, String json, boolean webapp, Multipart multipart) {
        static Request rest(String method, String path, String json) {
            return new Request(method, "/engine-rest" + path, json, false, null);
        }

        static Request webapp(String method, String path, String json) {
            return new Request(method, "/camunda/api/engine/engine/default" + path, json, true, null);
        }
    }

    record Multipart(String boundary, byte[] body) {
    }

    enum Operation {
        TASK_VARIABLES_GET(Target.LIVE, false, c -> Request.rest("GET", "/task/" + c.live().liveTask() + "/variables", null)),
        TASK_VARIABLE_PUT(Target.LIVE, true, c -> Request.rest("PUT", "/task/" + c.live().liveTask()
                + "/variables/matrixProbe", value(c))),
        TASK_VARIABLES_MODIFY(Target.LIVE, true, c -> Request.rest("POST", "/task/" + c.live().liveTask()
                + "/variables", "{\"modifications\":{\"matrixProbe\":" + value(c) + "}}")),
        TASK_LOCAL_VARIABLE_PUT(Target.LIVE, true, c -> Request.rest("PUT", "/task/" + c.live().liveTask()
                + "/localVariables/matrixProbe", value(c))),
        TASK_FORM_VARIABLES_GET(Target.LIVE, false, c -> Request.rest("GET", "/task/" + c.live().liveTask()
                + "/form-variables", null)),
        PROCESS_INSTANCE_VARIABLES_GET(Target.LIVE, false, c -> Request.rest("GET", "/process-instance/"
                + c.live().liveInstance() + "/variables", null)),
        PROCESS_INSTANCE_VARIABLE_PUT(Target.LIVE, true, c -> Request.rest("PUT", "/process-instance/"
                + c.live().liveInstance() + "/variables/matrixProbe", value(c))),
        PROCESS_INSTANCE_VARIABLES_MODIFY(Target.LIVE, true, c -> Request.rest("POST", "/process-instance/"
                + c.live().liveInstance() + "/variables", "{\"modifications\":{\"matrixProbe\":" + value(c) + "}}")),
        EXECUTION_VARIABLES_GET(Target.LIVE, false, c -> Request.rest("GET", "/execution/" + c.live().liveExecution()
                + "/localVariables", null)),
        EXECUTION_VARIABLE_PUT(Target.LIVE, true, c -> Request.rest("PUT", "/execution/" + c.live().liveExecution()
                + "/localVariables/matrixProbe", value(c))),
        VARIABLE_INSTANCES_GET(Target.LIVE, false, c -> Request.rest("GET", "/variable-instance?processInstanceIdIn="
                + c.live().liveInstance(), null)),
        HISTORIC_VARIABLE_INSTANCES_GET(Target.LIVE, false, c -> Request.rest("GET",
                "/history/variable-instance?processInstanceId=" + c.live().liveInstance(), null)),
        TASK_COMPLETE_WITH_FORM_FIELDS(Target.PROBE, true, c -> Request.rest("POST", "/task/" + c.probe().task()
                + "/complete", "{\"variables\":{\"note\":" + value(c) + "}}")),
        TASK_COMPLETE_WITH_NON_FORM_VARIABLE(Target.PROBE, true, c -> Request.rest("POST", "/task/" + c.probe().task()
                + "/complete", "{\"variables\":{\"note\":" + value(c) + ",\"pledgeId\":{\"value\":1}}}")),
        TASK_SUBMIT_FORM_WITH_NON_FORM_VARIABLE(Target.PROBE, true, c -> Request.rest("POST", "/task/"
                + c.probe().task() + "/submit-form", "{\"variables\":{\"pledgeId\":{\"value\":1}}}")),
        TASK_COMPLETE_RETURNING_VARIABLES(Target.PROBE, true, c -> Request.rest("POST", "/task/" + c.probe().task()
                + "/complete", "{\"variables\":{\"note\":" + value(c) + "},\"withVariablesInReturn\":true}")),
        TASK_BPMN_ERROR(Target.PROBE, true, c -> Request.rest("POST", "/task/" + c.probe().task() + "/bpmnError",
                "{\"errorCode\":\"MATRIX\"}")),
        MESSAGE_CORRELATE(Target.PROBE, true, c -> Request.rest("POST", "/message", "{\"messageName\":\""
                + PROBE_MESSAGE + "\",\"processInstanceId\":\"" + c.probe().instance()
                + "\",\"processVariables\":{\"matrixProbe\":" + value(c) + "}}")),
        PROCESS_START(Target.NAMED, true, c -> Request.rest("POST", "/process-definition/key/"
                + CardCaptureProcess.PROCESS_KEY + "/start", "{\"businessKey\":\"" + c.value() + "\","
                + "\"variables\":{\"agentId\":{\"value\":\"" + NAME + "\"}},\"skipCustomListeners\":true,"
                + "\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\""
                + Elements.TOKEN_FOLLOW_UP + "\"}]}")),
        SIGNAL(Target.PROBE, true, c -> Request.rest("POST", "/signal", "{\"name\":\"" + PROBE_SIGNAL + "\"}")),
        JOB_RETRIES(Target.PROBE, true, c -> Request.rest("PUT", "/job/" + c.probe().timerJob() + "/retries",
                "{\"retries\":" + (10 + c.unique()) + "}")),
        JOB_EXECUTE(Target.PROBE, true, c -> Request.rest("POST", "/job/" + c.probe().timerJob() + "/execute", null)),
        INCIDENT_CREATE(Target.PROBE, true, c -> Request.rest("POST", "/execution/" + c.probe().messageExecution()
                + "/create-incident", "{\"incidentType\":\"" + NAME + "\",\"configuration\":\"" + c.value() + "\"}")),
        INCIDENT_RESOLVE(Target.PROBE, true, c -> Request.rest("DELETE", "/incident/" + c.probe().incident(), null)),
        DEPLOYMENT_CREATE(Target.NAMED, true, c -> deployment(c)),
        DEPLOYMENT_REDEPLOY(Target.NAMED, true, c -> Request.rest("POST", "/deployment/"
                + c.live().sourceDeployment() + "/redeploy", "{}")),
        FILTER_CREATE(Target.NAMED, true, c -> Request.rest("POST", "/filter/create", "{\"resourceType\":\"Task\","
                + "\"name\":\"" + NAME + "\",\"query\":{}}")),
        USER_CREATE(Target.NAMED, true, c -> Request.rest("POST", "/user/create", "{\"profile\":{\"id\":\"" + NAME
                + "\",\"firstName\":\"M\",\"lastName\":\"X\"},\"credentials\":{\"password\":\"" + c.value() + "\"}}")),
        GROUP_CREATE(Target.NAMED, true, c -> Request.rest("POST", "/group/create", "{\"id\":\"" + NAME
                + "\",\"name\":\"" + NAME + "\",\"type\":\"WORKFLOW\"}")),
        AUTHORIZATION_CREATE(Target.NAMED, true, c -> Request.rest("POST", "/authorization/create", "{\"type\":1,"
                + "\"permissions\":[\"ACCESS\"],\"userId\":\"" + c.value() + "\",\"resourceType\":0,"
                + "\"resourceId\":\"" + NAME + "\"}")),
        WEBAPP_TASK_VARIABLES_GET(Target.LIVE, false, c -> Request.webapp("GET", "/task/" + c.live().liveTask()
                + "/variables", null)),
        WEBAPP_TASK_VARIABLE_PUT(Target.LIVE, true, c -> Request.webapp("PUT", "/task/" + c.live().liveTask()
                + "/variables/matrixProbe", value(c))),
        WEBAPP_TASK_COMPLETE_WITH_NON_FORM_VARIABLE(Target.PROBE, true, c -> Request.webapp("POST", "/task/"
                + c.probe().task() + "/complete", "{\"variables\":{\"pledgeId\":{\"value\":1}}}"));

        final Target target;
        final boolean writes;
        final Function<Cell, Request> request;
        final State state;

        Operation(Target target, boolean writes, Function<Cell, Request> request) {
            this.target = target;
            this.writes = writes;
            this.request = request;
            this.state = switch (target) {
                case LIVE -> EngineRestPermissionsEndToEndTest::liveState;
                case PROBE -> EngineRestPermissionsEndToEndTest::probeState;
                case NAMED -> EngineRestPermissionsEndToEndTest::namedState;
            };
        }
    }

    @FunctionalInterface
    interface State {
        Object apply(EngineRestPermissionsEndToEndTest test, Cell cell);
    }

    private static String value(Cell cell) {
        return "{\"value\":\"" + cell.value() + "\",\"type\":\"String\"}";
    }

    private static Request deployment(Cell cell) {
        String boundary = "matrix" + cell.unique();
        String bpmn = Bpmn.convertToString(Bpmn.createExecutableProcess(NAME + "-process").camundaHistoryTimeToLive(1)
                .startEvent().endEvent().done());
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\n" + NAME
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"" + NAME
                + ".bpmn\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bpmn + "\r\n--" + boundary + "--\r\n";
        return new Request("POST", "/engine-rest/deployment/create", null, false,
                new Multipart(boundary, body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The capture's variables at every scope the operations write to, and whether its task is open. */
    private Object liveState(Cell cell) {
        Map<String, Object> state = new TreeMap<>();
        runtime.getVariables(cell.live().liveInstance()).forEach((name, value) -> state.put("instance." + name, value));
        runtime.getVariablesLocal(cell.live().liveExecution()).forEach((name, value) -> state.put("execution." + name,
                value));
        tasks.getVariablesLocal(cell.live().liveTask()).forEach((name, value) -> state.put("task." + name, value));
        state.put("task open", tasks.createTaskQuery().taskId(cell.live().liveTask()).count());
        return state;
    }

    /** Where the probe waits, its variables, tasks, jobs and open incidents. */
    private Object probeState(Cell cell) {
        String instance = cell.probe().instance();
        Map<String, Object> state = new TreeMap<>();
        boolean running = runtime.createProcessInstanceQuery().processInstanceId(instance).count() == 1;
        state.put("running", running);
        if (running) {
            state.put("waiting at", new TreeMap<>(Map.of("ids", runtime.getActiveActivityIds(instance).stream()
                    .sorted().toList())));
            state.put("variables", new TreeMap<>(runtime.getVariables(instance)));
        }
        state.put("tasks", tasks.createTaskQuery().processInstanceId(instance).list().stream().map(Task::getId)
                .sorted().toList());
        state.put("jobs", management.createJobQuery().processInstanceId(instance).list().stream()
                .map(job -> job.getId() + ":" + job.getRetries()).sorted().toList());
        state.put("incidents", runtime.createIncidentQuery().processInstanceId(instance).list().stream()
                .map(Incident::getId).sorted().toList());
        return state;
    }

    /** Everything this test creates by name. */
    private Object namedState(Cell cell) {
        return List.of(
                runtime.createProcessInstanceQuery().processInstanceBusinessKeyLike(NAME + "%").count(),
                repository.createDeploymentQuery().deploymentNameLike(NAME + "%").count(),
                filters.createFilterQuery().filterName(NAME).count(),
                identity.createUserQuery().userId(NAME).count(),
                identity.createGroupQuery().groupId(NAME).count(),
                authorizations.createAuthorizationQuery().resourceId(NAME).count());
    }

    private Probe newProbe() {
        String instance = runtime.startProcessInstanceByKey(PROBE_KEY, NAME + "-probe",
                ProcessVariable.values().with(Variables.CAPTURE_DESCRIPTION, PROBE_DESCRIPTION).asMap()).getId();
        String task = tasks.createTaskQuery().processInstanceId(instance).singleResult().getId();
        String messageExecution = runtime.createExecutionQuery().processInstanceId(instance)
                .messageEventSubscriptionName(PROBE_MESSAGE).singleResult().getId();
        Job timer = management.createJobQuery().processInstanceId(instance).timers().singleResult();
        Incident incident = runtime.createIncident(NAME, messageExecution, NAME);
        return new Probe(instance, task, messageExecution, timer.getId(), incident.getId());
    }

    private AgentApi.Reply send(Role role, Request request) {
        if (request.webapp()) {
            return webapp.get(role).send(request.method(), request.path(), request.json());
        }
        return send(switch (role) {
            case ANONYMOUS -> null;
            case AGENT -> call.agent.user();
            case AGENT_ADMIN -> "agentadmin";
            case ADMIN -> "admin";
        }, request);
    }

    /** The capturing agent's own password; the demo's and this test's users share one. */
    private String passwordOf(String user) {
        return user.equals(call.agent.user()) ? call.agentPassword : PASSWORD;
    }

    private AgentApi.Reply send(String user, Request request) {
        HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(BASE + request.path()))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (user != null) {
            http.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + passwordOf(user))
                    .getBytes(StandardCharsets.UTF_8)));
        }
        if (request.multipart() != null) {
            http.header("Content-Type", "multipart/form-data; boundary=" + request.multipart().boundary());
            http.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.multipart().body()));
        } else if (request.json() != null) {
            http.header("Content-Type", "application/json");
            http.method(request.method(), HttpRequest.BodyPublishers.ofString(request.json()));
        } else {
            http.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
            RecordedResponses.record(request.method() + " " + request.path() + " -> " + response.statusCode(),
                    response.body());
            return new AgentApi.Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.path() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(AgentApi.Reply reply) {
        List<String> names = new ArrayList<>();
        reply.json().fieldNames().forEachRemaining(names::add);
        return names;
    }
}
