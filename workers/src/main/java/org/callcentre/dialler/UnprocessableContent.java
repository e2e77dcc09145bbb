package org.callcentre.dialler;

import java.util.List;
import java.util.Map;

import org.callcentre.problem.RefusedException;

/**
 * A request that is well formed but whose content cannot be used: a file with bad rows or columns, or a call that is
 * not the lead's. The API answers 422, listing the rejected rows when there are any. Nothing was changed.
 */
public class UnprocessableContent extends RefusedException {

    private final List<Rejection> rejected;

    public UnprocessableContent(String message) {
        this(message, List.of());
    }

    public UnprocessableContent(String message, List<Rejection> rejected) {
        super(Reason.UNPROCESSABLE, message);
        this.rejected = List.copyOf(rejected);
    }

    public List<Rejection> rejected() {
        return rejected;
    }

    @Override
    public Map<String, Object> properties() {
        return rejected.isEmpty() ? Map.of() : Map.of("rejected", rejected);
    }
}
