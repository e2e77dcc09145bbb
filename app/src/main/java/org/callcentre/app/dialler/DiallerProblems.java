package org.callcentre.app.dialler;

import org.callcentre.dialler.UnprocessableContent;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Content that is well formed but cannot be used (a file's bad rows, a call that is not the lead's) as 422, with the
 * rejected rows when there are any. Before the API's general mapping, which would answer 400.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class DiallerProblems {

    @ExceptionHandler(UnprocessableContent.class)
    public ProblemDetail unprocessable(UnprocessableContent e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
        if (!e.rejected().isEmpty()) {
            problem.setProperty("rejected", e.rejected());
        }
        return problem;
    }
}
