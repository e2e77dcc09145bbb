package org.callcentre.app.security;

import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.callcentre.app.web.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Compensating control for CVE-2026-109432: Camunda 7.24 CE evaluates expressions that reach a task query
 * through {@code orQueries}, although expressions in ad-hoc queries are switched off. The fix exists only
 * in Enterprise patches, so every task and filter query through the engine's REST API (and the webapps' copy
 * of it) that names an {@code ...Expression} parameter, at any depth of its JSON or in its query string, is
 * refused with 400 before it reaches the engine.
 * <p>
 * To look, the guard reads the JSON body, so on {@code /engine-rest} it runs after the engine's authentication
 * filter (SecurityConfiguration orders them) and reads nothing of a request without a login. It refuses a body
 * over {@link #BODY_LIMIT} bytes with 413, from its declared length before reading any of it. On the webapps'
 * door their own login check comes after it, so there the bounded body is read first.
 */
public class TaskQueryExpressionGuard extends OncePerRequestFilter {

    /** Far above any task or filter query a person or Tasklist sends. */
    static final int BODY_LIMIT = 64 * 1024;

    private static final Pattern GUARDED = Pattern.compile(".*/(task|filter|history/task)(/.*)?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !GUARDED.matcher(request.getRequestURI()).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String name : request.getParameterMap().keySet()) {
            if (isExpression(name)) {
                refuse(response, name);
                return;
            }
        }
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            chain.doFilter(request, response);
            return;
        }
        CachedBodyRequest cached;
        try {
            cached = CachedBodyRequest.read(request, BODY_LIMIT);
        } catch (CachedBodyRequest.TooLarge e) {
            ProblemResponses.send(response, HttpStatus.PAYLOAD_TOO_LARGE,
                    "a task or filter query has at most " + BODY_LIMIT + " bytes");
            return;
        }
        byte[] body = cached.body();
        if (body.length > 0) {
            try {
                String offending = findExpression(JSON.readTree(body));
                if (offending != null) {
                    refuse(response, offending);
                    return;
                }
            } catch (JsonProcessingException notJson) {
                // The engine answers malformed JSON itself.
            }
        }
        chain.doFilter(cached, response);
    }

    private static String findExpression(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (isExpression(field.getKey())) {
                    return field.getKey();
                }
                String nested = findExpression(field.getValue());
                if (nested != null) {
                    return nested;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                String nested = findExpression(element);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    private static boolean isExpression(String name) {
        return name.endsWith("Expression");
    }

    private static void refuse(HttpServletResponse response, String parameter) throws IOException {
        ProblemResponses.send(response, HttpStatus.BAD_REQUEST,
                "expressions are not allowed in task queries (" + parameter + ")");
    }
}
