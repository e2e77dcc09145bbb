package org.callcentre.processes.dialler;

import org.callcentre.processes.ProcessVariable;

/**
 * Everything code and tests need to know about {@code dmn/call-outcome.dmn}: the decision table an analyst edits in
 * Camunda Modeler to say what follows each call outcome. Its inputs are facts read from the application's tables
 * when an outcome is recorded; its outputs are applied by the dialler in the same transaction. The latest deployed
 * version is the one evaluated, so a table deployed from Modeler changes behaviour without a code change.
 */
public final class CallOutcomeDecision {

    private CallOutcomeDecision() {
    }

    public static final String DECISION_KEY = "call-outcome";
    public static final String RESOURCE = "dmn/call-outcome.dmn";

    /** What follows the outcome: the values of the output {@code action}. */
    public enum Action {
        /** Offer the lead again after {@code retryInMinutes} (never sooner than the campaign's rules allow). */
        RETRY,
        /** Call the lead on its next number; the called number is marked bad when {@code markNumberBad}. */
        NEXT_NUMBER,
        /** Every number of the lead goes on the do-not-call list and the lead leaves every call list. */
        DO_NOT_CALL,
        /** Next Lead no longer offers the lead; calling it by hand stays as the blocking statuses decide. */
        STOP,
        /** Nothing follows. */
        NONE
    }

    /** The table's inputs. */
    public static final class Inputs {
        private Inputs() {
        }

        /** The call status's name ({@code NO_ANSWER}, {@code BUSY}, ...). */
        public static final ProcessVariable<String> STATUS = ProcessVariable.string("status");
        /** Calls Twilio placed to the lead so far. */
        public static final ProcessVariable<Integer> ATTEMPTS = ProcessVariable.integer("attempts");
        /**
         * Consecutive recent calls to the called number that were not answered (no answer, busy, answering machine),
         * this one included.
         */
        public static final ProcessVariable<Integer> NUMBER_UNANSWERED = ProcessVariable.integer("numberUnanswered");
        /** The lead's other numbers that may still be dialled (not invalid, not on the do-not-call list). */
        public static final ProcessVariable<Integer> OTHER_DIALABLE_NUMBERS =
                ProcessVariable.integer("otherDialableNumbers");
    }

    /** The table's outputs. */
    public static final class Outputs {
        private Outputs() {
        }

        /** One of {@link Action}'s names. */
        public static final String ACTION = "action";
        /** Minutes until the lead may be offered again; empty: no wait of the decision's own. */
        public static final String RETRY_IN_MINUTES = "retryInMinutes";
        /** Whether the called number is marked bad (never dialled again). */
        public static final String MARK_NUMBER_BAD = "markNumberBad";
    }
}
