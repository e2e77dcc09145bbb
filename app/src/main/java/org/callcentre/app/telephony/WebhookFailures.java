package org.callcentre.app.telephony;

import java.util.HashSet;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Describes a webhook's failure for the log without any message: a message can quote the request (a gather's
 * {@code Digits} that failed to bind, say), and a webhook's request can hold card digits. The exception classes
 * along the cause chain and the first frame of this application's code locate the failure well enough.
 */
public final class WebhookFailures {

    private static final String OUR_CODE = "org.callcentre.";

    private WebhookFailures() {
    }

    public static String describe(Throwable failure) {
        StringJoiner chain = new StringJoiner(" caused by ");
        Set<Throwable> seen = new HashSet<>();
        StackTraceElement ours = null;
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t.getClass().getName());
            if (ours == null) {
                for (StackTraceElement frame : t.getStackTrace()) {
                    if (frame.getClassName().startsWith(OUR_CODE)) {
                        ours = frame;
                        break;
                    }
                }
            }
        }
        return ours == null ? chain.toString() : chain + " at " + ours;
    }
}
