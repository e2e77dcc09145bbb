package org.callcentre.emulator.twilio;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An HTTP error answer raised from inside a handler; the emulator's router sends it. */
final class HttpError extends RuntimeException {

    final int status;
    final ObjectNode body;

    HttpError(int status, ObjectNode body) {
        super(null, null, false, false);
        this.status = status;
        this.body = body;
    }

    /** An error as Twilio's REST API answers it: its code, message and documentation link. */
    static HttpError twilio(int status, int code, String message) {
        return new HttpError(status, twilioBody(status, code, message));
    }

    static ObjectNode twilioBody(int status, int code, String message) {
        ObjectNode n = JsonExchange.JSON.createObjectNode();
        n.put("code", code);
        n.put("message", message);
        n.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        n.put("status", status);
        return n;
    }

    /** An error of the control page's endpoints. */
    static HttpError control(int status, String message) {
        ObjectNode n = JsonExchange.JSON.createObjectNode();
        n.put("error", message);
        n.put("status", status);
        return new HttpError(status, n);
    }
}
