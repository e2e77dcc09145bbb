package org.callcentre.processes.cardcapture;

import java.util.List;
import java.util.Set;

import org.callcentre.processes.ProcessVariable;

/**
 * Everything code and tests need to know about {@code bpmn/card-capture.bpmn}: the process key, the ids of
 * the elements they refer to, message names, error codes and typed variables. The model is the source of
 * truth; a test (CardCaptureModelContractTest) checks that every id here exists in it.
 *
 * <p>The business key of an instance is the card capture's id (a UUID string, row in {@code card_capture}).
 * Card numbers, expiry dates and security codes never appear in a variable: they sit in the card vault,
 * referenced by the capture id.
 */
public final class CardCaptureProcess {

    private CardCaptureProcess() {
    }

    public static final String PROCESS_KEY = "card-capture";

    /** Element ids. */
    public static final class Elements {
        private Elements() {
        }

        public static final String START = "StartEvent_CaptureRequested";
        public static final String MOVE_DONOR_TO_IVR = "Task_MoveDonorToIvr";
        public static final String CARD_ENTRY = "SubProcess_CardEntry";
        public static final String CAPTURE_IN_PROGRESS = "UserTask_CaptureInProgress";
        public static final String CARD_NUMBER = "ReceiveTask_CardNumber";
        public static final String EXPIRY = "ReceiveTask_Expiry";
        public static final String SECURITY_CODE = "ReceiveTask_SecurityCode";
        public static final String CHARGE_CARD = "Task_ChargeCard";
        public static final String TOKENISE_CHARGED_CARD = "Task_TokeniseChargedCard";
        public static final String TOKENISE_CARD = "Task_TokeniseCard";
        public static final String CHARGE_TOKEN = "Task_ChargeToken";
        public static final String RECORD_DECLINE = "Task_RecordDecline";
        public static final String RECORD_SUCCESS = "Task_RecordSuccess";
        public static final String RETURN_DONOR_TO_AGENT = "Task_ReturnDonorToAgent";
        public static final String RECORD_UNKNOWN = "Task_RecordPaymentUnconfirmed";
        public static final String SETTLE_PAYMENT = "Task_SettlePayment";
        public static final String SETTLE_BACKOFF = "Timer_SettleBackoff";
        public static final String RECORD_SETTLED_PAYMENT = "Task_RecordSettledPayment";
        public static final String RECORD_SETTLED_DECLINE = "Task_RecordSettledDecline";
        public static final String RECORD_FAILED = "Task_RecordFailed";
        public static final String RECORD_ABANDONED = "Task_RecordAbandoned";
        public static final String FLAG_TOKEN_FOLLOW_UP = "Task_FlagTokenFollowUp";
        public static final String TOKEN_FOLLOW_UP = "UserTask_TokeniseFollowUp";

        public static final String END_SUCCEEDED = "EndEvent_CaptureSucceeded";
        public static final String END_DECLINED = "EndEvent_CaptureDeclined";
        public static final String END_RETURNED = "EndEvent_ReturnedToAgent";
        public static final String END_CANCELLED = "EndEvent_CancelledByAgent";
        public static final String END_ABANDONED = "EndEvent_CaptureAbandoned";
        public static final String END_FAILED = "EndEvent_CaptureFailed";
        public static final String END_PAYMENT_SETTLED = "EndEvent_PaymentSettled";
        public static final String END_SETTLED_DECLINED = "EndEvent_SettledDeclined";

        /** The donor prompts: wait states whose TwiML is a {@code <Gather>}. */
        public static final Set<String> PROMPTS = Set.of(CARD_NUMBER, EXPIRY, SECURITY_CODE);

        /** Gateway calls: while one of these runs, the donor is on hold and cannot be interrupted. */
        public static final Set<String> PAYMENT_STEPS = Set.of(CHARGE_CARD, TOKENISE_CHARGED_CARD, TOKENISE_CARD,
                CHARGE_TOKEN);
    }

    /** Message names (the {@code name} of the BPMN message, not its id). */
    public static final class Messages {
        private Messages() {
        }

        public static final String CARD_NUMBER_ENTERED = "CardNumberEntered";
        public static final String EXPIRY_ENTERED = "ExpiryEntered";
        public static final String SECURITY_CODE_ENTERED = "SecurityCodeEntered";
        public static final String DONOR_HUNG_UP = "DonorHungUp";
    }

    /** BPMN error codes. */
    public static final class Errors {
        private Errors() {
        }

        public static final String AGENT_CANCELLED = "AGENT_CANCELLED";
        public static final String DONOR_ESCAPED = "DONOR_ESCAPED";
        public static final String TOO_MANY_FAILURES = "TOO_MANY_FAILURES";
        public static final String CARD_DECLINED = "CARD_DECLINED";
        public static final String GATEWAY_UNAVAILABLE = "GATEWAY_UNAVAILABLE";
        /** A charge was sent but its outcome is not known (no answer, or the gateway is still processing it). */
        public static final String PAYMENT_UNCONFIRMED = "PAYMENT_UNCONFIRMED";
        public static final String CALL_ENDED = "CALL_ENDED";
    }

    /**
     * Process variables: few, primitive, never card data. Read and written only through these, which carry each
     * variable's name and type ({@code CAPTURE_ID.get(execution)}, {@code FAILURES.set(execution, 0)}).
     */
    public static final class Variables {
        private Variables() {
        }

        /** The card capture's id (also the business key). */
        public static final ProcessVariable<String> CAPTURE_ID = ProcessVariable.string("captureId");
        /** The pledge being paid. */
        public static final ProcessVariable<Long> PLEDGE_ID = ProcessVariable.longValue("pledgeId");
        /** The agent (engine user id) who started the capture; assignee of the agent's tasks. */
        public static final ProcessVariable<String> AGENT_ID = ProcessVariable.string("agentId");
        /**
         * For Cockpit only. The model's gateways and the delegates read the path from the capture's row (the
         * {@code cardCaptureFacts} bean), never from this variable.
         */
        public static final ProcessVariable<PaymentPath> PAYMENT_PATH =
                ProcessVariable.enumeration("paymentPath", PaymentPath.class);
        /** Set with each prompt's message. */
        public static final ProcessVariable<Entry> ENTRY = ProcessVariable.enumeration("entry", Entry.class);
        /** Consecutive failed entries at the current prompt (0 after a valid one). */
        public static final ProcessVariable<Integer> FAILURES = ProcessVariable.integer("failures");
        /** How many cards the gateway declined in this conversation; for Cockpit, the row decides. */
        public static final ProcessVariable<Integer> DECLINES = ProcessVariable.integer("declines");
        /** The card was charged but could not be tokenised; an agent admin follows up. */
        public static final ProcessVariable<Boolean> TOKEN_FOLLOW_UP = ProcessVariable.bool("tokenFollowUp");
        /** The masked card ("VISA ending 4242"), the only form in which a card may appear. */
        public static final ProcessVariable<String> MASKED_CARD = ProcessVariable.string("maskedCard");
        /** The capture's final status, set by the outcome input parameter. */
        public static final ProcessVariable<Outcome> OUTCOME = ProcessVariable.enumeration("outcome", Outcome.class);
        /** What the last look at an unconfirmed charge found. */
        public static final ProcessVariable<Settlement> SETTLEMENT =
                ProcessVariable.enumeration("settlement", Settlement.class);

        /** What the agent admin did to save the card as a token: the follow-up task's form writes it. */
        public static final ProcessVariable<String> NOTE = ProcessVariable.string("note");

        /**
         * The capture in words ("Paid: Visa ending 4242"), read from the capture's row when a user task is created and
         * set on that task alone, for its form to show. Text only, never card data beyond the masked card; nothing
         * reads it back.
         */
        public static final ProcessVariable<String> CAPTURE_DESCRIPTION = ProcessVariable.string("captureDescription");

        /** Every variable above, for the checks that the model and the engine speak only in these. */
        public static final List<ProcessVariable<?>> ALL = List.of(CAPTURE_ID, PLEDGE_ID, AGENT_ID, PAYMENT_PATH, ENTRY,
                FAILURES, DECLINES, TOKEN_FOLLOW_UP, MASKED_CARD, OUTCOME, SETTLEMENT, NOTE, CAPTURE_DESCRIPTION);
    }

    /** How a campaign's gateway settings turn into a path through the model. */
    public enum PaymentPath {
        /** Instant payment and tokens, "first run a payment and then tokenize" checked. */
        CHARGE_THEN_TOKENISE,
        /** Instant payment and tokens, unchecked: tokenise, then charge the token. */
        TOKENISE_THEN_CHARGE,
        /** Instant payment only. */
        CHARGE_ONLY,
        /** Tokens only (a recurring pledge). */
        TOKENISE_ONLY;

        public static PaymentPath of(boolean instantPayment, boolean tokensEnabled, boolean paymentFirst) {
            if (instantPayment && tokensEnabled) {
                return paymentFirst ? CHARGE_THEN_TOKENISE : TOKENISE_THEN_CHARGE;
            }
            if (instantPayment) {
                return CHARGE_ONLY;
            }
            if (tokensEnabled) {
                return TOKENISE_ONLY;
            }
            throw new IllegalArgumentException("a campaign without instant payment or tokens takes no card");
        }
    }

    /** What the donor's key presses at a prompt amounted to. */
    public enum Entry {
        VALID, INVALID, ESCAPE
    }

    /**
     * The capture's status as the pledge shows it. {@code UNKNOWN}: a charge was sent and its outcome is not known
     * yet; the capture is settled later and no new capture can start for the pledge meanwhile. {@code CANCELLED}: the
     * process instance was deleted (in Cockpit, say) without the conversation recording an outcome; no model path
     * ends with it.
     */
    public enum Outcome {
        IN_PROGRESS, SUCCEEDED, DECLINED, RETURNED_TO_AGENT, CANCELLED_BY_AGENT, ABANDONED, FAILED, UNKNOWN, CANCELLED
    }

    /** What a look at an unconfirmed charge found. */
    public enum Settlement {
        /** The money moved. */
        SUCCEEDED,
        /** The charge was refused: no money moved. */
        DECLINED,
        /** Still no answer, or still processing: look again later. */
        PENDING
    }

    /** Delegate bean names the model refers to with {@code camunda:delegateExpression}. */
    public static final class Beans {
        private Beans() {
        }

        public static final String MOVE_DONOR_TO_IVR = "moveDonorToIvrDelegate";
        public static final String CHARGE_CARD = "chargeCardDelegate";
        public static final String TOKENISE_CARD = "tokeniseCardDelegate";
        public static final String CHARGE_TOKEN = "chargeTokenDelegate";
        public static final String RECORD_DECLINE = "recordDeclineDelegate";
        public static final String RECORD_SUCCESS = "recordSuccessDelegate";
        public static final String RECORD_OUTCOME = "recordOutcomeDelegate";
        public static final String FLAG_TOKEN_FOLLOW_UP = "flagTokenFollowUpDelegate";
        public static final String RETURN_DONOR_TO_AGENT = "returnDonorToAgentDelegate";
        public static final String SETTLE_PAYMENT = "settlePaymentDelegate";
        /** Reads the facts the model's gateways decide on from the capture's row (payment path, declines). */
        public static final String CAPTURE_FACTS = "cardCaptureFacts";
        /** Execution listener on the process end: erases the card vault entry whatever way the process ends. */
        public static final String ERASE_CARD_DATA = "eraseCardDataListener";
        /**
         * Task listener on the creation of each user task: names the task after the donor and the pledge and sets
         * {@link Variables#CAPTURE_DESCRIPTION} on it, from the capture's row.
         */
        public static final String TASK_NAMES = "cardCaptureTaskNames";
    }
}
