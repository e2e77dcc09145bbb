package org.callcentre.app.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.callcentre.problem.RefusedException;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * A refusal raised inside the engine's REST API ({@code /engine-rest}) is answered as the JSON API answers it: a
 * problem detail with the refusal's status, not the engine's 500. A model step that runs in a user's request refuses
 * this way: completing the Talk task for a call whose outcome the console recorded first is a 409 that says so. The
 * engine's own errors keep the engine's answers.
 */
@Configuration(proxyBeanMethods = false)
public class EngineRestProblems {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Bean
    ResourceConfigCustomizer engineRestRefusals() {
        return config -> config.register(new Refusals());
    }

    /** Jersey picks the mapper of the nearest exception type: this one before the engine's catch-all. */
    static final class Refusals implements ExceptionMapper<RefusedException> {

        @Override
        public Response toResponse(RefusedException refused) {
            ProblemDetail problem = ApiProblems.problemOf(refused);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", problem.getType().toString());
            body.put("title", problem.getTitle() != null ? problem.getTitle()
                    : HttpStatus.valueOf(problem.getStatus()).getReasonPhrase());
            body.put("status", problem.getStatus());
            body.put("detail", problem.getDetail());
            if (problem.getProperties() != null) {
                body.putAll(problem.getProperties());
            }
            try {
                return Response.status(problem.getStatus()).type(MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                        .entity(JSON.writeValueAsBytes(body)).build();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
