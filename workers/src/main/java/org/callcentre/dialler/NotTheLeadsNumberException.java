package org.callcentre.dialler;

import org.callcentre.problem.RefusedException;

/** A number to call that is not one of the lead's: the request cannot be carried out as it stands (422). */
public class NotTheLeadsNumberException extends RefusedException {

    public NotTheLeadsNumberException(String message) {
        super(Reason.INVALID, message);
    }
}
