package org.callcentre.app.security;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.callcentre.app.web.ProblemResponses;
import org.camunda.bpm.webapp.impl.security.auth.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * Process variables are for administrators. Anyone else reaches them through the engine's REST API
 * ({@code /engine-rest}) or the webapps' copy of it ({@code /camunda/api/engine}) only as their own task's form
 * allows:
 * <ul>
 * <li>the variable resources (task, process instance, execution and case variables, variable instances,
 * historic variables and details) are refused;</li>
 * <li>a task's form variables ({@code /task/{id}/form-variables}) are limited to the variables its form shows;</li>
 * <li>completing a task ({@code complete}, {@code submit-form}, {@code resolve}) may set only its form's editable
 * fields; a value sent for a read-only field is dropped, anything else refuses the whole request, and the
 * variables are not returned ({@code withVariablesInReturn});</li>
 * <li>throwing a BPMN error or escalation from a task, which no form offers, is refused;</li>
 * <li>running a job by hand ({@code /job/{id}/execute}) is refused: the engine checks that permission inside the
 * job's run, so its refusal counts as a failed attempt and takes one of the job's retries (a payment step's, say).
 * </li>
 * </ul>
 * The engine's own authorizations still apply afterwards (a task that is not the user's is refused there). These
 * variables hold the ids the models run on, so a user with a task could otherwise steer a process; what decides
 * money is read from the application's tables in any case.
 * <p>
 * The caller is identified here without relying on filter order: from the webapps' session, or from the HTTP Basic
 * header that the engine's authentication filter then checks. A header that cannot be read exactly as that filter
 * reads it counts as a user who is not an administrator. A request with no credentials at all passes: its door
 * answers 401.
 */
public class ProcessVariableGuard extends OncePerRequestFilter {

    /** The largest body read from a request this guard inspects; a larger one is refused before it is read. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final String BASIC = "Basic ";
    private static final Set<String> VARIABLE_SEGMENTS = Set.of("variables", "localVariables", "variables-async");
    private static final Set<String> VARIABLE_RESOURCES = Set.of("variable-instance");
    private static final Set<String> HISTORIC_VARIABLE_RESOURCES = Set.of("variable-instance", "detail");
    static final Set<String> COMPLETIONS = Set.of("complete", "submit-form", "resolve");
    private static final Set<String> THROWS = Set.of("bpmnError", "bpmnEscalation");
    private static final Set<String> COMPLETION_FIELDS = Set.of("variables", "withVariablesInReturn");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final TaskForms forms;
    private final String engineRestPath;
    private final String webappEnginePath;

    /**
     * @param engineRestPath   the engine's REST API, e.g. {@code /engine-rest}
     * @param webappEnginePath the webapps' engine API up to the engine's name, e.g. {@code /camunda/api/engine/engine}
     */
    public ProcessVariableGuard(TaskForms forms, String engineRestPath, String webappEnginePath) {
        this.forms = forms;
        this.engineRestPath = engineRestPath;
        this.webappEnginePath = webappEnginePath;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        EngineCall call = EngineCall.of(request, engineRestPath, webappEnginePath);
        if (call == null) {
            chain.doFilter(request, response);
            return;
        }
        if (call.malformed()) {
            ProblemResponses.write(response, HttpStatus.BAD_REQUEST, "the path could not be read");
            return;
        }
        Guarded guarded = guarded(call.resource(), request.getMethod());
        if (guarded == Guarded.NO) {
            chain.doFilter(request, response);
            return;
        }
        Caller caller = call.webapp() ? webappCaller(request, call.engineName()) : restCaller(request);
        if (caller.anonymous() || (caller.userId() != null && forms.isAdministrator(caller.userId()))) {
            chain.doFilter(request, response);
            return;
        }
        String taskId = call.resource().size() > 1 ? call.resource().get(1) : null;
        switch (guarded) {
            case VARIABLES -> ProblemResponses.write(response, HttpStatus.FORBIDDEN,
                    "process variables are for administrators; a task's variables are set through its form");
            case THROW -> ProblemResponses.write(response, HttpStatus.FORBIDDEN, "a task is finished through its form");
            case JOB_RUN -> ProblemResponses.write(response, HttpStatus.FORBIDDEN,
                    "jobs are run by hand only by administrators");
            case FORM_VARIABLES -> formVariables(request, response, chain, taskId);
            case COMPLETION -> completion(request, response, chain, taskId);
            default -> chain.doFilter(request, response);
        }
    }

    /** What kind of request this is for the guard; most pass without a look at the caller. */
    private enum Guarded { NO, VARIABLES, FORM_VARIABLES, COMPLETION, THROW, JOB_RUN }

    private static Guarded guarded(List<String> path, String method) {
        if (path.stream().anyMatch(VARIABLE_SEGMENTS::contains)
                || (!path.isEmpty() && VARIABLE_RESOURCES.contains(path.get(0)))
                || (path.size() > 1 && path.get(0).equals("history")
                        && HISTORIC_VARIABLE_RESOURCES.contains(path.get(1)))) {
            return Guarded.VARIABLES;
        }
        if (path.size() == 3 && path.get(0).equals("job") && path.get(2).equals("execute")) {
            return Guarded.JOB_RUN;
        }
        if (path.size() == 3 && path.get(0).equals("task")) {
            String operation = path.get(2);
            if (operation.equals("form-variables")) {
                return Guarded.FORM_VARIABLES;
            }
            if (THROWS.contains(operation)) {
                return Guarded.THROW;
            }
            if (COMPLETIONS.contains(operation) && "POST".equalsIgnoreCase(method)) {
                return Guarded.COMPLETION;
            }
        }
        return Guarded.NO;
    }

    /** Lets the form load only the variables it shows. */
    private void formVariables(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
            String taskId) throws IOException, ServletException {
        Optional<TaskForm> form = forms.ofTask(taskId);
        if (form.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Set<String> names = new TreeSet<>(form.get().shown());
        String[] asked = request.getParameterValues("variableNames");
        if (asked != null) {
            Set<String> wanted = new LinkedHashSet<>();
            for (String value : asked) {
                wanted.addAll(List.of(value.split(",")));
            }
            names.retainAll(wanted);
        }
        names.removeIf(name -> name.contains(","));
        chain.doFilter(new OnlyVariables(request, names), response);
    }

    /** Lets a completion through with only the form's editable fields, or refuses it. */
    private void completion(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String taskId)
            throws IOException, ServletException {
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
            ProblemResponses.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "a task is completed with a plain JSON body");
            return;
        }
        byte[] body;
        try {
            body = CachedBodyRequest.read(request, MAX_BODY_BYTES).body();
        } catch (CachedBodyRequest.TooLarge tooLarge) {
            ProblemResponses.write(response, HttpStatus.PAYLOAD_TOO_LARGE,
                    "a task's variables fit in " + MAX_BODY_BYTES + " bytes");
            return;
        }
        if (isBlank(body)) {
            chain.doFilter(CachedBodyRequest.of(request, body), response);
            return;
        }
        String contentType = request.getContentType();
        if (contentType == null || !MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType))) {
            ProblemResponses.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "a task is completed with a JSON body");
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException notJson) {
            ProblemResponses.write(response, HttpStatus.BAD_REQUEST, "the body is not a JSON object");
            return;
        }
        if (json == null || !json.isObject()) {
            ProblemResponses.write(response, HttpStatus.BAD_REQUEST, "the body is not a JSON object");
            return;
        }
        for (Iterator<String> fields = json.fieldNames(); fields.hasNext();) {
            String field = fields.next();
            if (!COMPLETION_FIELDS.contains(field)) {
                ProblemResponses.write(response, HttpStatus.BAD_REQUEST, "unexpected field " + field);
                return;
            }
        }
        JsonNode withVariablesInReturn = json.get("withVariablesInReturn");
        if (withVariablesInReturn != null && !withVariablesInReturn.isNull()
                && !(withVariablesInReturn.isBoolean() && !withVariablesInReturn.asBoolean())) {
            ProblemResponses.write(response, HttpStatus.FORBIDDEN, "process variables are for administrators");
            return;
        }
        JsonNode variables = json.get("variables");
        if (variables != null && !variables.isNull()) {
            if (!variables.isObject()) {
                ProblemResponses.write(response, HttpStatus.BAD_REQUEST, "variables must be a JSON object");
                return;
            }
            Optional<TaskForm> form = forms.ofTask(taskId);
            if (form.isEmpty()) {
                ProblemResponses.write(response, HttpStatus.NOT_FOUND, "no such task");
                return;
            }
            List<String> dropped = new ArrayList<>();
            for (Iterator<String> names = variables.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (form.get().readOnly().contains(name)) {
                    dropped.add(name);
                } else if (!form.get().writable().contains(name)) {
                    ProblemResponses.write(response, HttpStatus.FORBIDDEN,
                            "'" + name + "' is not a field of this task's form");
                    return;
                }
            }
            ((ObjectNode) variables).remove(dropped);
        }
        // The engine reads exactly what was checked here.
        chain.doFilter(CachedBodyRequest.of(request, JSON.writeValueAsBytes(json)), response);
    }

    private Caller restCaller(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return Caller.NOBODY;
        }
        if (!authorization.startsWith(BASIC)) {
            return Caller.UNKNOWN;
        }
        try {
            String credentials = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length())),
                    StandardCharsets.UTF_8);
            int colon = credentials.indexOf(':');
            return colon < 0 ? Caller.UNKNOWN : new Caller(credentials.substring(0, colon), false);
        } catch (IllegalArgumentException notStrictBase64) {
            return Caller.UNKNOWN;
        }
    }

    private static Caller webappCaller(HttpServletRequest request, String engineName) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return Caller.NOBODY;
        }
        Authentications authentications = AuthenticationUtil.getAuthsFromSession(session);
        Authentication user = authentications.getAuthenticationForProcessEngine(engineName);
        return user == null || user.getIdentityId() == null ? Caller.NOBODY : new Caller(user.getIdentityId(), false);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Who is calling: a user id (not yet checked against a password: the door's authentication does that), no one
     * (no credentials: the door refuses), or someone unknown (credentials this guard cannot read: treated as a
     * user who is not an administrator).
     */
    private record Caller(String userId, boolean anonymous) {
        static final Caller NOBODY = new Caller(null, true);
        static final Caller UNKNOWN = new Caller(null, false);
    }

    /**
     * A request to one of the engine APIs: which door, which engine, and the resource path as the engine's JAX-RS
     * routing sees it (decoded segments, without matrix parameters or empty segments).
     */
    record EngineCall(boolean webapp, String engineName, List<String> resource, boolean malformed) {

        static EngineCall of(HttpServletRequest request, String engineRestPath, String webappEnginePath) {
            List<String> segments;
            try {
                segments = segments(request.getRequestURI().substring(request.getContextPath().length()));
            } catch (IllegalArgumentException unreadable) {
                return new EngineCall(false, null, List.of(), true);
            }
            List<String> rest = segments(engineRestPath);
            List<String> webapp = segments(webappEnginePath);
            if (startsWith(segments, rest)) {
                List<String> resource = segments.subList(rest.size(), segments.size());
                if (resource.size() >= 2 && resource.get(0).equals("engine")) {
                    return new EngineCall(false, resource.get(1), resource.subList(2, resource.size()), false);
                }
                return new EngineCall(false, "default", resource, false);
            }
            if (startsWith(segments, webapp) && segments.size() > webapp.size()) {
                return new EngineCall(true, segments.get(webapp.size()),
                        segments.subList(webapp.size() + 1, segments.size()), false);
            }
            return null;
        }

        private static List<String> segments(String path) {
            List<String> segments = new ArrayList<>();
            for (String raw : path.split("/")) {
                int matrix = raw.indexOf(';');
                String segment = UriUtils.decode(matrix < 0 ? raw : raw.substring(0, matrix), StandardCharsets.UTF_8);
                if (segment.equals("..") || segment.contains("/")) {
                    throw new IllegalArgumentException("path traversal");
                }
                if (!segment.isEmpty() && !segment.equals(".")) {
                    segments.add(segment);
                }
            }
            return segments;
        }

        private static boolean startsWith(List<String> path, List<String> prefix) {
            return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
        }
    }

    /** The request with the query parameter {@code variableNames} set to the names the form may load. */
    private static final class OnlyVariables extends HttpServletRequestWrapper {
        private final String queryString;
        private final Map<String, String[]> parameters;

        OnlyVariables(HttpServletRequest request, Set<String> names) {
            super(request);
            String joined = String.join(",", names);
            List<String> kept = new ArrayList<>();
            if (request.getQueryString() != null) {
                for (String pair : request.getQueryString().split("&")) {
                    String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                    if (!UriUtils.decode(name.replace('+', ' '), StandardCharsets.UTF_8).equals("variableNames")
                            && !pair.isEmpty()) {
                        kept.add(pair);
                    }
                }
            }
            kept.add("variableNames=" + URLEncoder.encode(joined, StandardCharsets.UTF_8));
            this.queryString = String.join("&", kept);
            Map<String, String[]> parameters = new HashMap<>(request.getParameterMap());
            parameters.put("variableNames", new String[] {joined});
            this.parameters = Collections.unmodifiableMap(parameters);
        }

        @Override
        public String getQueryString() {
            return queryString;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters;
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters.get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public String[] getParameterValues(String name) {
            return parameters.get(name);
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters.keySet());
        }
    }
}
