package org.callcentre.dialler;

import static org.callcentre.dialler.CallStatus.ANSWERING_MACHINE;
import static org.callcentre.dialler.CallStatus.BUSY;
import static org.callcentre.dialler.CallStatus.NO_ANSWER;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.callcentre.cardvault.CardBrand;
import org.callcentre.dialler.LeadHistory.Kind;
import org.callcentre.problem.RefusedException;
import org.callcentre.processes.Groups;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.dialler.CallOutcomeDecision;
import org.callcentre.processes.dialler.CallOutcomeDecision.Action;
import org.callcentre.processes.dialler.CallOutcomeDecision.Inputs;
import org.callcentre.processes.dialler.CallOutcomeDecision.Outputs;
import org.callcentre.processes.engine.AsSystem;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.Group;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An agent's outcome of a call, and what follows it. Recording one writes the status ({@link Leads#recordStatus}),
 * evaluates the latest deployed version of the call-outcome decision ({@code dmn/call-outcome.dmn}) with the engine's
 * decision service, so that each evaluation is in the decision history Cockpit shows, and applies its answer in the
 * same transaction:
 * <ul>
 * <li>{@code RETRY}: the lead's next call is not before now plus the minutes, nor before what the campaign's rules
 * had set ({@code lead.next_call_at} takes the later), and Next Lead's readiness follows;</li>
 * <li>{@code NEXT_NUMBER}: the called number is marked bad when the table says so, and the lead's next call dials
 * its next dialable number ({@code lead.next_number});</li>
 * <li>{@code DO_NOT_CALL}: every number of the lead goes on the do-not-call list and the lead leaves every call
 * list;</li>
 * <li>{@code STOP}: Next Lead no longer offers the lead ({@code lead.calling_stopped}); calling it by hand stays as
 * the blocking statuses decide;</li>
 * <li>{@code NONE}: nothing.</li>
 * </ul>
 * Every applied decision is written to the lead's history ("Busy: retry in 15 minutes"), and what it changed is kept
 * ({@code call_outcome_effect}) so that editing the status takes exactly that back before the new status's decision
 * applies. The decision's inputs are read from the application's tables, never from process variables.
 * <p>
 * One outcome per call: the call's row is locked before anything is written, and a unique index on
 * {@code lead_call_status.call_id} settles what the lock does not; the second recorder is refused with 409.
 */
public class CallOutcomes {

    private static final Logger log = LoggerFactory.getLogger(CallOutcomes.class);

    /** The statuses of a call nobody came to: they count towards a number's unanswered calls in a row. */
    static final Set<CallStatus> UNANSWERED = EnumSet.of(NO_ANSWER, BUSY, ANSWERING_MACHINE);
    /** How far back a number's unanswered calls in a row are counted, in the lead's statuses. */
    private static final int RECENT_STATUSES = 50;
    /** The longest note, as the API's validation and the column allow. */
    static final int MAX_NOTE = 1000;
    /** 13 to 19 digits standing on their own, with single spaces or hyphens between groups: a card number's shape. */
    private static final Pattern CARD_NUMBER_SHAPE = Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])");
    /** The groups whose members record outcomes without holding the lead's lock (as the API's callers). */
    private static final Set<String> WITHOUT_LOCKS = Set.of(Groups.ADMIN_OPS, Groups.AGENT_ADMINS,
            Groups.CAMUNDA_ADMIN);

    /** What an effect row says was changed. */
    enum Effect {
        NEXT_CALL_AT, NUMBER_BAD, NEXT_NUMBER, DO_NOT_CALL, LEFT_CALL_LIST
    }

    /**
     * The decision as applied.
     *
     * @param retryAt when Next Lead may offer the lead again, when the decision moved it; null otherwise
     * @param summary the sentence written to the lead's history
     */
    public record Decision(Action action, Instant retryAt, String summary) {
    }

    /** A recorded outcome: the status's id and what followed it. */
    public record Recorded(long statusId, Decision decision) {
    }

    /** The table's answer. */
    private record Answer(Action action, Integer retryInMinutes, boolean markNumberBad) {
    }

    private record EffectRow(Effect kind, String number, String previousNumber, Long callListId, Timestamp previousAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Leads leads;
    private final LeadLocks locks;
    private final OutboundCalls calls;
    private final DoNotCallList doNotCall;
    private final LeadHistory history;
    private final ProcessEngine engine;
    private final OutboundCallMessages messages;
    private final TransactionTemplate transaction;
    private final List<DiallerEvents> listeners;

    public CallOutcomes(JdbcTemplate jdbc, Clock clock, Leads leads, LeadLocks locks, OutboundCalls calls,
            DoNotCallList doNotCall, LeadHistory history, ProcessEngine engine, OutboundCallMessages messages,
            PlatformTransactionManager transactions, List<DiallerEvents> listeners) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.leads = leads;
        this.locks = locks;
        this.calls = calls;
        this.doNotCall = doNotCall;
        this.history = history;
        this.engine = engine;
        this.messages = messages;
        this.transaction = new TransactionTemplate(transactions);
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Records the outcome and applies the decision, in the caller's transaction. {@code mustHoldLock}: the user is an
     * agent, who may do so only while holding the lead's live lock (which the outcome touches). {@code callId}, when
     * given, must be a call to this lead without an outcome yet.
     */
    public Recorded record(long leadId, CallStatus status, Long callId, String note, String userId,
            boolean mustHoldLock) {
        requireUsableNote(note);
        OutboundCall call = null;
        if (callId != null) {
            // The call's row before the lead's (Leads locks it), as the create job does: an outcome and the Talk
            // task's start are decided one after the other (OutboundCallFacts.talkNeeded).
            Optional<OutboundCall> locked = calls.lock(callId);
            if (locked.isPresent() && locked.get().leadId() == leadId) {
                call = locked.get();
                refuseIfRecorded(callId);
            }
        }
        long statusId;
        try {
            statusId = leads.recordStatus(leadId, status, callId, note, userId, mustHoldLock);
        } catch (DuplicateKeyException anotherWon) {
            throw alreadyRecorded(callId);
        }
        locks.touch(leadId, userId);
        Decision decision = decideAndApply(leadId, statusId, status, call, userId);
        String called = call == null ? null : call.to();
        Long servedCall = call == null ? null : call.id();
        listeners.forEach(listener -> listener.outcomeRecorded(leadId, servedCall, called, status, decision, userId));
        return new Recorded(statusId, decision);
    }

    /**
     * The API's outcome: recorded and applied in a transaction of its own, then the call's Talk task, if open, is
     * closed (after the commit, so that the task never closes for an outcome that was not kept). Called outside any
     * transaction.
     */
    public Recorded recordAndCloseTalk(long leadId, CallStatus status, Long callId, String note, String userId,
            boolean mustHoldLock) {
        return recordAndCloseTalk(leadId, status, callId, note, userId, mustHoldLock, recorded -> {
        });
    }

    /**
     * As {@link #recordAndCloseTalk(long, CallStatus, Long, String, String, boolean)}, with {@code alsoThen} run in
     * the outcome's transaction after it is recorded (a callback scheduled with a Call back outcome, say): if it
     * refuses, the outcome is not recorded either.
     */
    public Recorded recordAndCloseTalk(long leadId, CallStatus status, Long callId, String note, String userId,
            boolean mustHoldLock, Consumer<Recorded> alsoThen) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("the outcome must be committed before the Talk task is closed");
        }
        Recorded recorded = transaction.execute(tx -> {
            Recorded inTransaction = record(leadId, status, callId, note, userId, mustHoldLock);
            alsoThen.accept(inTransaction);
            return inTransaction;
        });
        if (callId != null) {
            try {
                // Under the call's row lock, which the Talk task's completion takes first too
                // (TalkCompletedListener): a completion either sees the task gone or finishes before it closes.
                transaction.executeWithoutResult(tx -> {
                    calls.lock(callId);
                    messages.outcomeRecorded(callId);
                });
            } catch (RuntimeException stillOpen) {
                // The outcome is kept: the task, if it stays open, refuses to record a second one.
                log.warn("Outcome of call {} recorded, but its Talk task could not be closed", callId, stillOpen);
            }
        }
        return recorded;
    }

    /**
     * The outcome from the call's Talk task, completed by {@code userId} (its assignee), in the task's completion:
     * recorded as the API records it, the lead's lock required of an agent as there.
     */
    public Recorded recordFromTalk(long callId, CallStatus status, String note, String userId) {
        OutboundCall call = calls.call(callId).orElseThrow(() -> RefusedException.notFound("there is no call "
                + callId));
        return record(call.leadId(), status, callId, note, userId, mustHoldLock(userId));
    }

    /**
     * Changes the lead's most recent status ({@link Leads#editLatestStatus}) and re-applies the decision: what the
     * old status's decision changed is taken back, then the new status's decision applies. In the caller's
     * transaction.
     */
    public Recorded edit(long leadId, CallStatus status, String userId, boolean mustHoldLock) {
        long statusId = leads.editLatestStatus(leadId, status, userId, mustHoldLock);
        locks.touch(leadId, userId);
        undo(leadId, statusId, userId);
        Long callId = jdbc.queryForObject("select call_id from lead_call_status where id = ?", Long.class, statusId);
        OutboundCall call = callId == null ? null : calls.call(callId).orElse(null);
        return new Recorded(statusId, decideAndApply(leadId, statusId, status, call, userId));
    }

    /** The status in the words agents use: "No answer", "Do not call". */
    public static String words(CallStatus status) {
        return switch (status) {
            case NO_ANSWER -> "No answer";
            case BUSY -> "Busy";
            case ANSWERING_MACHINE -> "Answering machine";
            case WRONG_NUMBER -> "Wrong number";
            case CALL_BACK -> "Call back";
            case NOT_INTERESTED -> "Not interested";
            case PLEDGE -> "Pledge";
            case COMPLETE -> "Complete";
            case REMOVE -> "Remove";
            case DO_NOT_CALL -> "Do not call";
        };
    }

    // ------------------------------------------------------------------------------------------ the decision

    private Decision decideAndApply(long leadId, long statusId, CallStatus status, OutboundCall call, String userId) {
        String called = call == null ? null : call.to();
        int attempts = jdbc.queryForObject("select attempts from lead where id = ?", Integer.class, leadId);
        int unanswered = called == null ? (UNANSWERED.contains(status) ? 1 : 0) : unansweredInARow(leadId, called);
        int otherNumbers = (int) leads.dialableNumbers(leadId).stream().filter(n -> !n.equals(called)).count();
        Answer answer = evaluate(status, attempts, unanswered, otherNumbers);

        List<String> said = new ArrayList<>();
        Instant retryAt = switch (answer.action()) {
            case RETRY -> retry(leadId, statusId, answer.retryInMinutes(), said);
            case NEXT_NUMBER -> nextNumber(leadId, statusId, status, called, answer, unanswered, said);
            case DO_NOT_CALL -> {
                doNotCall(leadId, statusId, userId, said);
                yield null;
            }
            case STOP -> {
                said.add("Next Lead no longer offers the lead");
                yield null;
            }
            case NONE -> {
                said.add("nothing follows");
                yield null;
            }
        };
        jdbc.update("update lead set calling_stopped = ? where id = ?", answer.action() == Action.STOP, leadId);
        leads.recomputeDialable(leadId);
        jdbc.update("update lead_call_status set outcome_action = ?, retry_at = ? where id = ?",
                answer.action().name(), timestamp(retryAt), statusId);
        String summary = words(status) + ": " + String.join("; ", said);
        history.record(leadId, userId, Kind.OUTCOME_APPLIED, summary);
        return new Decision(answer.action(), retryAt, summary);
    }

    /** The latest deployed table's first matching row; no row at all (a table without its last row) is NONE. */
    private Answer evaluate(CallStatus status, int attempts, int unanswered, int otherNumbers) {
        var inputs = ProcessVariable.values().with(Inputs.STATUS, status.name()).with(Inputs.ATTEMPTS, attempts)
                .with(Inputs.NUMBER_UNANSWERED, unanswered).with(Inputs.OTHER_DIALABLE_NUMBERS, otherNumbers)
                .asMap();
        DmnDecisionResult result = asSystem(() -> engine.getDecisionService()
                .evaluateDecisionByKey(CallOutcomeDecision.DECISION_KEY).variables(inputs).evaluate());
        if (result.isEmpty()) {
            return new Answer(Action.NONE, null, false);
        }
        // An empty cell of the row is no entry at all: read the entries as a map, where it is null.
        DmnDecisionResultEntries entries = result.getFirstResult();
        Object action = entries.get(Outputs.ACTION);
        Object minutes = entries.get(Outputs.RETRY_IN_MINUTES);
        Object bad = entries.get(Outputs.MARK_NUMBER_BAD);
        Action known = Arrays.stream(Action.values()).filter(a -> a.name().equals(action)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the call-outcome decision answered the action '"
                        + action + "', which is none of " + Arrays.toString(Action.values())));
        return new Answer(known, minutes instanceof Number n ? n.intValue() : null, Boolean.TRUE.equals(bad));
    }

    /** Calls to {@code number} that nobody came to, newest first, until one that somebody did; this one included. */
    private int unansweredInARow(long leadId, String number) {
        List<String[]> recent = jdbc.query("select s.status, c.to_number from lead_call_status s "
                + "join outbound_call c on c.id = s.call_id where s.lead_id = ? order by s.id desc limit "
                + RECENT_STATUSES, (rs, n) -> new String[] {rs.getString(1), rs.getString(2)}, leadId);
        int count = 0;
        for (String[] status : recent) {
            if (!number.equals(status[1])) {
                continue;
            }
            if (!UNANSWERED.contains(CallStatus.valueOf(status[0]))) {
                break;
            }
            count++;
        }
        return count;
    }

    private Instant retry(long leadId, long statusId, Integer minutes, List<String> said) {
        int wait = minutes == null ? 0 : Math.max(0, minutes);
        Instant wanted = clock.instant().plus(Duration.ofMinutes(wait));
        Timestamp before = jdbc.queryForObject("select next_call_at from lead where id = ?", Timestamp.class, leadId);
        if (before != null && !before.toInstant().isBefore(wanted)) {
            said.add("retry in " + duration(wait) + ", but not before " + before.toInstant() + " (already set)");
            return before.toInstant();
        }
        jdbc.update("update lead set next_call_at = ? where id = ?", Timestamp.from(wanted), leadId);
        effect(statusId, Effect.NEXT_CALL_AT, null, null, null, before);
        said.add(wait == 0 ? "retry at once" : "retry in " + duration(wait));
        return wanted;
    }

    private Instant nextNumber(long leadId, long statusId, CallStatus status, String called, Answer answer,
            int unanswered, List<String> said) {
        if (called == null) {
            said.add("the outcome names no call, so no number is marked and the next number is unchanged");
        } else {
            if (answer.markNumberBad() && leads.markInvalid(leadId, called, "marked bad after the outcome "
                    + words(status))) {
                effect(statusId, Effect.NUMBER_BAD, called, null, null, null);
                said.add(called + " marked bad");
            } else if (UNANSWERED.contains(status)) {
                said.add(unanswered + " unanswered calls in a row to " + called);
            }
            List<String> numbers = jdbc.queryForList("select number from lead_phone where lead_id = ? "
                    + "order by position", String.class, leadId);
            String next = nextAfter(numbers, leads.dialableNumbers(leadId), called);
            if (next == null) {
                said.add("no other number left to dial");
            } else {
                String before = jdbc.queryForObject("select next_number from lead where id = ?", String.class,
                        leadId);
                if (!next.equals(before)) {
                    jdbc.update("update lead set next_number = ? where id = ?", next, leadId);
                    effect(statusId, Effect.NEXT_NUMBER, next, before, null, null);
                }
                said.add("the next call dials " + next);
            }
        }
        return answer.retryInMinutes() != null && answer.retryInMinutes() > 0
                ? retry(leadId, statusId, answer.retryInMinutes(), said)
                : null;
    }

    /** The dialable number after {@code called} in the lead's order, coming round to the first; never itself. */
    static String nextAfter(List<String> numbers, List<String> dialable, String called) {
        int from = numbers.indexOf(called);
        for (int step = 1; step <= numbers.size(); step++) {
            String candidate = numbers.get(Math.floorMod(from + step, numbers.size()));
            if (!candidate.equals(called) && dialable.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private void doNotCall(long leadId, long statusId, String userId, List<String> said) {
        List<String> added = new ArrayList<>();
        for (String number : jdbc.queryForList("select number from lead_phone where lead_id = ? order by position",
                String.class, leadId)) {
            if (doNotCall.add(number, userId)) {
                effect(statusId, Effect.DO_NOT_CALL, number, null, null, null);
                added.add(number);
            }
        }
        List<EffectRow> memberships = jdbc.query("select call_list_id, added_at from lead_call_list where lead_id = ? "
                + "order by call_list_id", (rs, n) -> new EffectRow(Effect.LEFT_CALL_LIST, null, null,
                        rs.getLong("call_list_id"), rs.getTimestamp("added_at")), leadId);
        List<Long> lists = new ArrayList<>();
        for (EffectRow left : memberships) {
            effect(statusId, Effect.LEFT_CALL_LIST, null, null, left.callListId(), left.previousAt());
            lists.add(left.callListId());
        }
        jdbc.update("delete from lead_call_list where lead_id = ?", leadId);
        said.add(added.isEmpty() ? "its numbers were on the do-not-call list already"
                : String.join(", ", added) + " on the do-not-call list");
        said.add(lists.isEmpty() ? "it was on no call list" : "left call list " + joined(lists));
    }

    // ------------------------------------------------------------------------------------------ editing

    /** Takes back what the decision applied after the status changed, newest change first. */
    private void undo(long leadId, long statusId, String userId) {
        List<EffectRow> effects = jdbc.query("select kind, number, previous_number, call_list_id, previous_at "
                + "from call_outcome_effect where status_id = ? order by id desc", (rs, n) -> new EffectRow(
                        Effect.valueOf(rs.getString("kind")), rs.getString("number"), rs.getString("previous_number"),
                        rs.getObject("call_list_id", Long.class), rs.getTimestamp("previous_at")), statusId);
        String action = jdbc.queryForObject("select outcome_action from lead_call_status where id = ?", String.class,
                statusId);
        Timestamp retryAt = jdbc.queryForObject("select retry_at from lead_call_status where id = ?", Timestamp.class,
                statusId);
        List<String> said = new ArrayList<>();
        for (EffectRow effect : effects) {
            switch (effect.kind()) {
                case NEXT_CALL_AT -> {
                    // Only while nothing later (a call placed since) has moved it.
                    if (retryAt != null && jdbc.update("update lead set next_call_at = ? where id = ? "
                            + "and next_call_at = ?", effect.previousAt(), leadId, retryAt) > 0) {
                        said.add("the retry time is taken back");
                    }
                }
                case NUMBER_BAD -> {
                    if (leads.restoreNumber(leadId, effect.number())) {
                        said.add(effect.number() + " may be dialled again");
                    }
                }
                case NEXT_NUMBER -> {
                    if (jdbc.update("update lead set next_number = ? where id = ? and next_number = ?",
                            effect.previousNumber(), leadId, effect.number()) > 0) {
                        said.add(effect.previousNumber() == null ? "the next call dials the first number again"
                                : "the next call dials " + effect.previousNumber() + " again");
                    }
                }
                case DO_NOT_CALL -> {
                    if (doNotCall.remove(effect.number())) {
                        said.add(effect.number() + " off the do-not-call list");
                    }
                }
                case LEFT_CALL_LIST -> {
                    if (rejoin(leadId, effect.callListId(), effect.previousAt())) {
                        said.add("back on call list " + effect.callListId());
                    }
                }
            }
        }
        if (Action.STOP.name().equals(action)) {
            said.add("Next Lead may offer the lead again");
        }
        jdbc.update("delete from call_outcome_effect where status_id = ?", statusId);
        jdbc.update("update lead_call_status set outcome_action = null, retry_at = null where id = ?", statusId);
        if (!said.isEmpty()) {
            history.record(leadId, userId, Kind.OUTCOME_UNDONE, "Taken back with the edited status: "
                    + String.join("; ", said));
        }
    }

    /** The lead joins the list again with its first joining time, unless the list is gone or it is on it already. */
    private boolean rejoin(long leadId, long callListId, Timestamp addedAt) {
        if (jdbc.queryForObject("select count(*) from call_list where id = ?", Integer.class, callListId) == 0
                || jdbc.queryForObject("select count(*) from lead_call_list where call_list_id = ? and lead_id = ?",
                        Integer.class, callListId, leadId) > 0) {
            return false;
        }
        jdbc.update("insert into lead_call_list (call_list_id, lead_id, added_at) values (?, ?, ?)", callListId,
                leadId, addedAt);
        return true;
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void effect(long statusId, Effect kind, String number, String previousNumber, Long callListId,
            Timestamp previousAt) {
        jdbc.update("insert into call_outcome_effect (status_id, kind, number, previous_number, call_list_id, "
                + "previous_at) values (?, ?, ?, ?, ?, ?)", statusId, kind.name(), number, previousNumber, callListId,
                previousAt);
    }

    private void refuseIfRecorded(long callId) {
        if (jdbc.queryForObject("select count(*) from lead_call_status where call_id = ?", Integer.class,
                callId) > 0) {
            throw alreadyRecorded(callId);
        }
    }

    private RefusedException alreadyRecorded(long callId) {
        List<String[]> outcome = jdbc.query("select status, user_id from lead_call_status where call_id = ?",
                (rs, n) -> new String[] {rs.getString(1), rs.getString(2)}, callId);
        String said = outcome.isEmpty() ? "" : " (" + words(CallStatus.valueOf(outcome.get(0)[0])) + ", recorded by "
                + outcome.get(0)[1] + ")";
        return RefusedException.conflict("call " + callId + " already has its outcome" + said
                + ": a call has one outcome; edit the lead's latest status to change it");
    }

    /** Agents record only while holding the lead's lock; Admin Operations and Agent Admin users step in without. */
    private boolean mustHoldLock(String userId) {
        List<Group> groups = asSystem(() -> engine.getIdentityService().createGroupQuery().groupMember(userId).list());
        return groups.stream().map(Group::getId).noneMatch(WITHOUT_LOCKS::contains);
    }

    /**
     * A note is written to the lead's history and, from the Talk task, to the engine's history: it must not hold a
     * card number (PCI DSS 3.3.1). Refusing rolls back the whole completion, the form's values included.
     */
    static void requireUsableNote(String note) {
        if (note == null) {
            return;
        }
        if (note.length() > MAX_NOTE) {
            throw RefusedException.invalid("note is at most " + MAX_NOTE + " characters long");
        }
        Matcher digits = CARD_NUMBER_SHAPE.matcher(note);
        while (digits.find()) {
            if (CardBrand.passesLuhn(digits.group().replaceAll("[ -]", ""))) {
                throw RefusedException.unprocessable("the note looks like it holds a card number: card numbers are "
                        + "never written down; take card payments with card capture");
            }
        }
    }

    /**
     * Runs an engine call as the system: the decision is the business's rule applied by the dialler, not a right of
     * the user whose request (a Tasklist completion, say) is being served.
     */
    private <T> T asSystem(Callable<T> work) {
        return AsSystem.call(engine, work);
    }

    static String duration(int minutes) {
        if (minutes > 0 && minutes % 1440 == 0) {
            return minutes / 1440 + (minutes == 1440 ? " day" : " days");
        }
        if (minutes > 0 && minutes % 60 == 0) {
            return minutes / 60 + (minutes == 60 ? " hour" : " hours");
        }
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }

    private static String joined(List<Long> ids) {
        return String.join(", ", ids.stream().map(String::valueOf).toList());
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
