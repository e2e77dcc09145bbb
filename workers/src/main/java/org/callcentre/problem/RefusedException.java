package org.callcentre.problem;

import java.util.Map;

/**
 * A request that cannot be carried out, whatever capability it is for; nothing was changed. The message says what to
 * change and is shown to the caller as a problem detail, so it never quotes card data or secrets.
 */
public class RefusedException extends RuntimeException {

    public enum Reason {
        /** What the request names does not exist. */
        NOT_FOUND,
        /** The request contradicts the current state (already running, already paid, a name taken). */
        CONFLICT,
        /** The request itself is wrong (a field out of range, an unknown code). */
        INVALID,
        /** The caller's role does not allow it. */
        FORBIDDEN,
        /** The request is well formed but its content cannot be used (a file's bad rows, say). */
        UNPROCESSABLE,
        /** What the request names existed but is no longer available here (an archived recording, say). */
        GONE,
        /** A service the request needs could not do its part (Twilio, say); trying again later may work. */
        UNAVAILABLE
    }

    private final Reason reason;
    private final Map<String, Object> properties;

    public RefusedException(Reason reason, String message) {
        this(reason, message, Map.of());
    }

    /** A refusal whose problem detail also carries {@code properties} (who holds a lead, say), as JSON members. */
    public RefusedException(Reason reason, String message, Map<String, Object> properties) {
        super(message);
        this.reason = reason;
        this.properties = Map.copyOf(properties);
    }

    public static RefusedException notFound(String message) {
        return new RefusedException(Reason.NOT_FOUND, message);
    }

    public static RefusedException conflict(String message) {
        return new RefusedException(Reason.CONFLICT, message);
    }

    public static RefusedException invalid(String message) {
        return new RefusedException(Reason.INVALID, message);
    }

    public static RefusedException forbidden(String message) {
        return new RefusedException(Reason.FORBIDDEN, message);
    }

    public static RefusedException unprocessable(String message) {
        return new RefusedException(Reason.UNPROCESSABLE, message);
    }

    public static RefusedException gone(String message) {
        return new RefusedException(Reason.GONE, message);
    }

    public static RefusedException unavailable(String message) {
        return new RefusedException(Reason.UNAVAILABLE, message);
    }

    public Reason reason() {
        return reason;
    }

    /** What the refusal adds to its problem detail beside the message (who holds a lead, a file's rejected rows). */
    public Map<String, Object> properties() {
        return properties;
    }
}
