package org.callcentre.app.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Compensating control for CVE-2026-109432: Camunda 7.24 CE evaluates expressions that reach a task query
 * through {@code orQueries}, although expressions in ad-hoc queries are switched off. The fix exists only
 * in Enterprise patches, so every task and filter query through the engine's REST API (and the webapps' copy
 * of it) that names an {@code ...Expression} parameter, at any depth of its JSON or in its query string, is
 * refused with 400 before it reaches the engine.
 */
public class TaskQueryExpressionGuard extends OncePerRequestFilter {

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
        if (contentType == null || !contentType.toLowerCase().contains("json")) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
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
        chain.doFilter(new CachedBody(request, body), response);
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
        response.setStatus(400);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                + "\"detail\":\"expressions are not allowed in task queries (" + parameter + ")\"}");
    }

    /** The request with its already-read body available again. */
    private static final class CachedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous only");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
