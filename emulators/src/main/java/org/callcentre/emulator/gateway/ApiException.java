package org.callcentre.emulator.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An API error answered in Stripe's shape: {@code {"error":{"type":…,"code":…,"message":…}}}.
 * Messages are written by the simulator and never contain card data.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, Object> error;

    ApiException(int status, Map<String, Object> error) {
        super(String.valueOf(error.get("message")), null, false, false);
        this.status = status;
        this.error = error;
    }

    int status() {
        return status;
    }

    Map<String, Object> error() {
        return error;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        return body;
    }

    static ApiException invalidRequest(int status, String code, String param, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        if (code != null) {
            e.put("code", code);
        }
        e.put("message", message);
        if (param != null) {
            e.put("param", param);
        }
        e.put("type", "invalid_request_error");
        if (code != null) {
            e.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        }
        return new ApiException(status, e);
    }

    static ApiException missing(String param) {
        return invalidRequest(400, "parameter_missing", param, "Missing required param: " + param + ".");
    }

    static ApiException invalid(String param, String message) {
        return invalidRequest(400, "parameter_invalid", param, message);
    }

    static ApiException resourceMissing(int status, String param, String message) {
        return invalidRequest(status, "resource_missing", param, message);
    }

    static ApiException apiError() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", "An unknown error occurred");
        e.put("type", "api_error");
        return new ApiException(500, e);
    }

    static ApiException idempotency(int status, String code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        if (code != null) {
            e.put("code", code);
        }
        e.put("message", message);
        e.put("type", "idempotency_error");
        return new ApiException(status, e);
    }
}
