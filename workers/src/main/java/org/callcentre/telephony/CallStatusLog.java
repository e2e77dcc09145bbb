package org.callcentre.telephony;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every status callback of every call ({@code telephony_call_event}) and each call's current status
 * ({@code telephony_call}), ordered by Twilio's {@code SequenceNumber}: callbacks can arrive twice and out of order.
 *
 * <ul>
 * <li>A callback is recorded once per call and sequence number: a repeat is recognised by the unique key.</li>
 * <li>The call's status only moves forward, to a higher sequence number; a late lower one is recorded as an event
 * and changes nothing else.</li>
 * <li>Without a readable sequence number the callback cannot be placed in order. It is recorded (every time: there
 * is nothing to tell a repeat by) and becomes the call's status only when the call is unknown, or when it ends a
 * call whose current status has not ended: an ended call never comes back, so an end heard in any order is true,
 * while any other status without a number might be older than what is known.</li>
 * </ul>
 *
 * Concurrent deliveries of one call race on the unique keys and on a conditional update, never on a read-then-write:
 * the insert that loses (on its own savepoint, so that PostgreSQL's transaction goes on) is a repeat or finds the
 * call's row, which it then updates only where its number is higher.
 */
public class CallStatusLog {

    private static final String ENDED_STATUSES = CallStatusUpdate.ENDED.stream().sorted()
            .collect(Collectors.joining("', '", "('", "')"));

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final TransactionTemplate savepoint;

    public CallStatusLog(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Records one status callback, in one transaction (the caller's, if there is one); answers what it was for the
     * call.
     */
    public CallStatusUpdate record(String callSid, String status, Integer sequenceNumber) {
        return transaction.execute(tx -> {
            Timestamp now = Timestamp.from(clock.instant());
            boolean repeated = !insertOnce("insert into telephony_call_event (call_sid, sequence_number, status, "
                    + "received_at) values (?, ?, ?, ?)", callSid, sequenceNumber, status, now);
            boolean current = !repeated && moveCall(callSid, status, sequenceNumber, now);
            return new CallStatusUpdate(callSid, status, sequenceNumber, repeated, current);
        });
    }

    private boolean moveCall(String callSid, String status, Integer sequenceNumber, Timestamp now) {
        if (advance(callSid, status, sequenceNumber, now)) {
            return true;
        }
        if (insertOnce("insert into telephony_call (call_sid, status, sequence_number, updated_at) values (?, ?, ?, ?)",
                callSid, status, sequenceNumber, now)) {
            return true;
        }
        // Another delivery created the call meanwhile (and has committed, or the insert would still wait for it).
        return advance(callSid, status, sequenceNumber, now);
    }

    private boolean advance(String callSid, String status, Integer sequenceNumber, Timestamp now) {
        if (sequenceNumber == null) {
            return CallStatusUpdate.isEnded(status) && jdbc.update("update telephony_call set status = ?, "
                    + "updated_at = ? where call_sid = ? and status not in " + ENDED_STATUSES, status, now, callSid) == 1;
        }
        return jdbc.update("update telephony_call set status = ?, sequence_number = ?, updated_at = ? "
                + "where call_sid = ? and (sequence_number is null or sequence_number < ?)",
                status, sequenceNumber, now, callSid, sequenceNumber) == 1;
    }

    /** Runs an insert on a savepoint: false if its unique key was taken, and the surrounding transaction goes on. */
    private boolean insertOnce(String sql, Object... args) {
        try {
            savepoint.executeWithoutResult(tx -> jdbc.update(sql, args));
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    /** The call's current status, if any callback for it was recorded. */
    public Optional<CallState> call(String callSid) {
        return transaction.execute(tx -> jdbc.query("select call_sid, status, sequence_number from telephony_call "
                + "where call_sid = ?", (rs, n) -> new CallState(rs.getString("call_sid"), rs.getString("status"),
                        rs.getObject("sequence_number", Integer.class)), callSid).stream().findFirst());
    }

    /** Every recorded callback of the call, in the order Twilio numbered them (unnumbered ones last). */
    public List<CallEvent> events(String callSid) {
        return transaction.execute(tx -> jdbc.query("select sequence_number, status, received_at "
                + "from telephony_call_event where call_sid = ? order by case when sequence_number is null then 1 else 0 end, sequence_number, "
                + "received_at", (rs, n) -> new CallEvent(rs.getObject("sequence_number", Integer.class),
                        rs.getString("status"), rs.getTimestamp("received_at").toInstant()), callSid));
    }

    /** A call as its status callbacks left it. */
    public record CallState(String callSid, String status, Integer sequenceNumber) {
    }

    /** One recorded status callback; {@code sequenceNumber} is null when it came without a readable one. */
    public record CallEvent(Integer sequenceNumber, String status, Instant receivedAt) {
    }
}
