package org.callcentre.recording;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The call recordings ({@code call_recording}) and the requests to restore archived ones
 * ({@code call_recording_restore}).
 *
 * <ul>
 * <li>Twilio's recording status callbacks can come twice and in any order, and carry no sequence number: a recording
 * is inserted once (its sid is unique) and its status then only moves forward (in-progress or paused, then stopped or
 * processing, then completed, absent or failed), by a conditional update, so a late or repeated callback changes
 * nothing.</li>
 * <li>A recording belongs to its call by the call's sid, joined at read time: Twilio can report a recording before the
 * job that created the call has committed its sid.</li>
 * <li>Lists show only the recordings of active users (and of users without a profile, such as the configured
 * administrator).</li>
 * </ul>
 * Reads and writes run in the caller's transaction, or one of their own.
 */
public class CallRecordings {

    /** Twilio's recording statuses in the order a recording moves through them; one rank may hold several. */
    static final List<List<String>> RANKS = List.of(List.of("in-progress", "paused"), List.of("stopped", "processing"),
            List.of("completed", "absent", "failed", "deleted"));
    static final String ACTIVE = "('in-progress', 'paused')";
    /** Recordings archived per statement, so one run never holds a huge update. */
    static final int ARCHIVE_BATCH = 500;

    private static final String SELECT = "select r.id, r.recording_sid, r.call_sid, c.id as call_id, c.lead_id, "
            + "c.user_id, r.started_at, r.duration_seconds, r.status, r.media_url, r.archived, r.restored_media_url, "
            + "case when exists (select 1 from call_recording_restore q where q.recording_id = r.id "
            + "and q.restored_at is null) then true else false end as restore_requested "
            + "from call_recording r join outbound_call c on c.call_sid = r.call_sid ";
    private static final String ACTIVE_USERS = "left join call_centre_user u on u.user_id = c.user_id "
            + "where (u.user_id is null or u.active = true) ";
    private static final String NEWEST_FIRST = " order by r.started_at desc, r.id desc";

    private final JdbcTemplate jdbc;
    /** Reads an export in pieces: PostgreSQL then streams the rows instead of sending them all at once. */
    private final JdbcTemplate exportJdbc;
    private final Clock clock;
    private final TransactionTemplate transaction;
    private final TransactionTemplate savepoint;

    public CallRecordings(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.exportJdbc = new JdbcTemplate(jdbc.getDataSource());
        exportJdbc.setFetchSize(ARCHIVE_BATCH);
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * What one recording status callback said.
     *
     * @param status          Twilio's {@code RecordingStatus}
     * @param durationSeconds {@code RecordingDuration}, or null (not reported, or -1 while recording)
     * @param startedAt       {@code RecordingStartTime}, or null when missing or unreadable (then: when it was heard)
     */
    public record Report(String recordingSid, String callSid, String status, Integer durationSeconds, String mediaUrl,
            Instant startedAt) {
    }

    /** Whether Twilio's recording status is one this store knows (and so can place in order). */
    public static boolean knownStatus(String status) {
        return rank(status) >= 0;
    }

    /**
     * Records a callback: the recording is inserted the first time, and later moves only to a later status. Answers
     * whether anything changed.
     */
    public boolean report(Report report) {
        if (!knownStatus(report.status())) {
            throw new IllegalArgumentException("not a recording status: " + report.status());
        }
        return Boolean.TRUE.equals(transaction.execute(tx -> {
            Timestamp now = Timestamp.from(clock.instant());
            Timestamp started = report.startedAt() == null ? now : Timestamp.from(report.startedAt());
            if (insertOnce(report, started, now)) {
                return true;
            }
            return advance(report, now);
        }));
    }

    private boolean insertOnce(Report report, Timestamp started, Timestamp now) {
        try {
            savepoint.executeWithoutResult(tx -> jdbc.update("insert into call_recording (recording_sid, call_sid, "
                    + "status, duration_seconds, media_url, started_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)",
                    report.recordingSid(), report.callSid(), report.status(), report.durationSeconds(),
                    truncate(report.mediaUrl(), 500), started, now));
            return true;
        } catch (DuplicateKeyException known) {
            return false;
        }
    }

    private boolean advance(Report report, Timestamp now) {
        int rank = rank(report.status());
        if (rank == 0) {
            // Nothing comes before a running recording: a late or repeated start changes nothing.
            return false;
        }
        String earlier = RANKS.subList(0, rank).stream().flatMap(List::stream)
                .collect(Collectors.joining("', '", "('", "')"));
        boolean ended = rank == RANKS.size() - 1;
        return jdbc.update("update call_recording set status = ?, duration_seconds = coalesce(?, duration_seconds), "
                + "media_url = coalesce(?, media_url), updated_at = ?"
                + (ended ? ", paused_for_capture = null" : "")
                + " where recording_sid = ? and status in " + earlier,
                report.status(), report.durationSeconds(), truncate(report.mediaUrl(), 500), now,
                report.recordingSid()) == 1;
    }

    private static int rank(String status) {
        for (int i = 0; i < RANKS.size(); i++) {
            if (RANKS.get(i).contains(status)) {
                return i;
            }
        }
        return -1;
    }

    /** The recording, whoever's call it was. */
    public Optional<CallRecording> recording(long id) {
        return transaction.execute(tx -> jdbc.query(SELECT + "where r.id = ?", CallRecordings::row, id).stream()
                .findFirst());
    }

    /** The recordings of the lead's calls, newest first; only {@code userId}'s calls when it is given. */
    public List<CallRecording> ofLead(long leadId, String userId) {
        return transaction.execute(tx -> userId == null
                ? jdbc.query(SELECT + ACTIVE_USERS + "and c.lead_id = ?" + NEWEST_FIRST, CallRecordings::row, leadId)
                : jdbc.query(SELECT + ACTIVE_USERS + "and c.lead_id = ? and c.user_id = ?" + NEWEST_FIRST,
                        CallRecordings::row, leadId, userId));
    }

    /** The recordings that started in [from, to), newest first; only {@code userId}'s calls when it is given. */
    public List<CallRecording> startedBetween(Instant from, Instant to, String userId) {
        List<CallRecording> found = new ArrayList<>();
        eachStartedBetween(from, to, userId, found::add);
        return found;
    }

    /**
     * Hands each recording that started in [from, to) to {@code each}, newest first, as the rows are read: an
     * export of any size holds one row at a time.
     */
    public void eachStartedBetween(Instant from, Instant to, String userId, Consumer<CallRecording> each) {
        String sql = SELECT + ACTIVE_USERS + "and r.started_at >= ? and r.started_at < ?"
                + (userId == null ? "" : " and c.user_id = ?") + NEWEST_FIRST;
        Object[] args = userId == null ? new Object[] {Timestamp.from(from), Timestamp.from(to)}
                : new Object[] {Timestamp.from(from), Timestamp.from(to), userId};
        transaction.executeWithoutResult(tx -> exportJdbc.query(sql, rs -> {
            each.accept(row(rs, 0));
        }, args));
    }

    /**
     * Archives every recording that started before {@code cutoff} and is not archived yet, in batches; answers how
     * many. Restored recordings stay restored: archiving only ever applies to recordings not archived before.
     */
    public int archiveStartedBefore(Instant cutoff) {
        return transaction.execute(tx -> {
            Timestamp now = Timestamp.from(clock.instant());
            int archived = 0;
            while (true) {
                List<Long> batch = jdbc.queryForList("select id from call_recording where archived = false "
                        + "and started_at < ? order by id fetch first " + ARCHIVE_BATCH + " rows only", Long.class,
                        Timestamp.from(cutoff));
                if (batch.isEmpty()) {
                    return archived;
                }
                String ids = batch.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
                archived += jdbc.update("update call_recording set archived = true, archived_at = ? where id in " + ids
                        + " and archived = false", now);
            }
        });
    }

    // ------------------------------------------------------------------ pauses

    /** Whether the dialler placed this call with recording. */
    public boolean callRecorded(String callSid) {
        return transaction.execute(tx -> jdbc.queryForList("select recorded from outbound_call where call_sid = ?",
                Boolean.class, callSid).stream().anyMatch(Boolean.TRUE::equals));
    }

    /** Whether Twilio reported any recording of the call (running or ended). */
    public boolean anyOf(String callSid) {
        return transaction.execute(tx -> jdbc.queryForObject("select count(*) from call_recording where call_sid = ?",
                Integer.class, callSid) > 0);
    }

    /** The call's recordings that are still running (recording or paused), oldest first. */
    public List<String> runningOf(String callSid) {
        return transaction.execute(tx -> jdbc.queryForList("select recording_sid from call_recording where call_sid = ? "
                + "and status in " + ACTIVE + " order by id", String.class, callSid));
    }

    /** Twilio paused the recording for the card capture: it stays so until {@link #resumed}. */
    public void pausedFor(String recordingSid, String captureId) {
        transaction.executeWithoutResult(tx -> jdbc.update("update call_recording set paused_for_capture = ?, "
                + "status = case when status = 'in-progress' then 'paused' else status end, updated_at = ? "
                + "where recording_sid = ?", captureId, Timestamp.from(clock.instant()), recordingSid));
    }

    /** The recording runs again (or has ended): it is no longer held for the capture. */
    public void resumed(String recordingSid, String captureId) {
        transaction.executeWithoutResult(tx -> jdbc.update("update call_recording set paused_for_capture = null, "
                + "status = case when status = 'paused' then 'in-progress' else status end, updated_at = ? "
                + "where recording_sid = ? and paused_for_capture = ?", Timestamp.from(clock.instant()), recordingSid,
                captureId));
    }

    /** A recording paused for a card capture. */
    public record Paused(String recordingSid, String callSid, String captureId) {
    }

    /** The recordings paused for this capture. */
    public List<Paused> pausedFor(String captureId) {
        return transaction.execute(tx -> jdbc.query("select recording_sid, call_sid, paused_for_capture "
                + "from call_recording where paused_for_capture = ?", CallRecordings::paused, captureId));
    }

    /**
     * The recordings paused for a capture whose donor can no longer hear a card prompt: the capture ended, its donor
     * is on the way back to the agent or hung up, or it never started (its start rolled back).
     */
    public List<Paused> pausedPastTheirCapture() {
        return transaction.execute(tx -> jdbc.query("select r.recording_sid, r.call_sid, r.paused_for_capture "
                + "from call_recording r left join card_capture c on c.id = r.paused_for_capture "
                + "where r.paused_for_capture is not null and (c.id is null or c.status <> 'IN_PROGRESS' "
                + "or c.donor_returned = true or c.donor_hung_up = true) order by r.id", CallRecordings::paused));
    }

    // ------------------------------------------------------------------ restores

    /** A request to restore an archived recording. */
    public record RestoreRequest(long id, long recordingId, String requestedBy, Instant requestedAt,
            String processInstanceId, String restoredBy, Instant restoredAt) {
    }

    /** A new request to restore the recording; its task is started by the caller. */
    public long requestRestore(long recordingId, String userId) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        Timestamp now = Timestamp.from(clock.instant());
        transaction.executeWithoutResult(tx -> jdbc.update(connection -> {
            var insert = connection.prepareStatement("insert into call_recording_restore (recording_id, requested_by, "
                    + "requested_at) values (?, ?, ?)", new String[] {"id"});
            insert.setLong(1, recordingId);
            insert.setString(2, userId);
            insert.setTimestamp(3, now);
            return insert;
        }, key));
        return key.getKey().longValue();
    }

    public void restoreStarted(long restoreId, String processInstanceId) {
        transaction.executeWithoutResult(tx -> jdbc.update("update call_recording_restore set process_instance_id = ? "
                + "where id = ?", processInstanceId, restoreId));
    }

    /** The restore not yet done for the recording, if one was asked for. */
    public Optional<RestoreRequest> openRestore(long recordingId) {
        return transaction.execute(tx -> jdbc.query("select * from call_recording_restore where recording_id = ? "
                + "and restored_at is null order by id", CallRecordings::restore, recordingId).stream().findFirst());
    }

    /** The restore request a recording-restore instance works on. */
    public Optional<RestoreRequest> restoreOfInstance(String processInstanceId) {
        return transaction.execute(tx -> jdbc.query("select * from call_recording_restore where process_instance_id = ?",
                CallRecordings::restore, processInstanceId).stream().findFirst());
    }

    /**
     * The request is done: the recording plays from {@code location} from now on. False when it was done already (a
     * repeat changes nothing).
     */
    public boolean restored(long restoreId, String userId, String location) {
        return Boolean.TRUE.equals(transaction.execute(tx -> {
            Timestamp now = Timestamp.from(clock.instant());
            if (jdbc.update("update call_recording_restore set restored_by = ?, restored_at = ? where id = ? "
                    + "and restored_at is null", userId, now, restoreId) != 1) {
                return false;
            }
            jdbc.update("update call_recording set restored_media_url = ?, restored_at = ?, updated_at = ? "
                    + "where id = (select recording_id from call_recording_restore where id = ?)", location, now, now,
                    restoreId);
            return true;
        }));
    }

    private static CallRecording row(ResultSet rs, int n) throws SQLException {
        return new CallRecording(rs.getLong("id"), rs.getString("recording_sid"), rs.getString("call_sid"),
                rs.getLong("call_id"), rs.getLong("lead_id"), rs.getString("user_id"),
                rs.getTimestamp("started_at").toInstant(), rs.getObject("duration_seconds", Integer.class),
                rs.getString("status"), rs.getString("media_url"), rs.getBoolean("archived"),
                rs.getBoolean("restore_requested"), rs.getString("restored_media_url"));
    }

    private static Paused paused(ResultSet rs, int n) throws SQLException {
        return new Paused(rs.getString("recording_sid"), rs.getString("call_sid"), rs.getString("paused_for_capture"));
    }

    private static RestoreRequest restore(ResultSet rs, int n) throws SQLException {
        Timestamp restoredAt = rs.getTimestamp("restored_at");
        return new RestoreRequest(rs.getLong("id"), rs.getLong("recording_id"), rs.getString("requested_by"),
                rs.getTimestamp("requested_at").toInstant(), rs.getString("process_instance_id"),
                rs.getString("restored_by"), restoredAt == null ? null : restoredAt.toInstant());
    }

    private static String truncate(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
