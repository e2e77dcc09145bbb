package org.callcentre.app.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The RFC 9457 problem detail that a servlet filter answers with, written by Jackson so that whatever the
 * detail quotes from the request stays inside its string. Sent at once: a filter that refuses a request
 * before reading its body must not wait for Tomcat to drain that body before the client hears the answer.
 */
public final class ProblemResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponses() {
    }

    /**
     * Answers a request whose body will not be read: sent and flushed at once, so the client hears it and Tomcat
     * closes the connection instead of draining the body.
     */
    public static void send(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        byte[] body = JSON.writeValueAsBytes(problem(status, detail));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** Answers a refusal as any other answer: the connection is kept, and Tomcat reads what is left of the body. */
    public static void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), problem(status, detail));
    }

    private static Map<String, Object> problem(HttpStatus status, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        return problem;
    }
}
