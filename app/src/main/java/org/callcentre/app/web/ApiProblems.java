package org.callcentre.app.web;

import java.util.stream.Collectors;

import org.callcentre.problem.RefusedException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Every refusal of the JSON API as an RFC 9457 problem detail: status, title, and a detail that says what
 * to change. Malformed JSON and failed validation are answered by Spring's handler in the same form.
 */
@RestControllerAdvice
public class ApiProblems extends ResponseEntityExceptionHandler {

    @ExceptionHandler(RefusedException.class)
    public ProblemDetail refused(RefusedException e) {
        return problemOf(e);
    }

    /** The one mapping of a refusal to its problem detail, for this API and the engine's ({@link EngineRestProblems}). */
    public static ProblemDetail problemOf(RefusedException e) {
        HttpStatus status = switch (e.reason()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case INVALID -> HttpStatus.BAD_REQUEST;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_ENTITY;
            case GONE -> HttpStatus.GONE;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        e.properties().forEach(problem::setProperty);
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = e.getBindingResult().getFieldErrors().stream()
                .map(error -> error.getField() + " " + error.getDefaultMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = e.getCause() instanceof JsonMappingException mapping
                && PlainAmount.RULE.equals(mapping.getOriginalMessage())
                        ? "the body is not the JSON this endpoint takes: amount " + PlainAmount.RULE
                        : "the body is not the JSON this endpoint takes (check field types and enum values)";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Malformed request");
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(OptimisticLockingException.class)
    public ProblemDetail raced(OptimisticLockingException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "what this request changes was changed by another at the same moment; look at it again and retry");
    }
}
