package org.callcentre.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.callcentre.recording.CallRecordings.Paused;
import org.callcentre.recording.CallRecordings.Report;
import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;

/**
 * The recordings' store on the real schema, on H2 and on PostgreSQL: a callback once, its status only forward; lists
 * of active users' recordings by lead and by period; the archive; restore requests; the pauses of card capture; the
 * CSV export.
 */
class CallRecordingsTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    private final MovableClock clock = new MovableClock(T0);
    private CallRecordings recordings;
    private RecordingRows rows;
    private long campaign;
    private long lead;

    @BeforeEach
    void store(StoreDatabase database) {
        clock.set(T0);
        recordings = new CallRecordings(database.jdbc(), database.transaction().getTransactionManager(), clock);
        rows = new RecordingRows(database.jdbc());
        campaign = rows.campaign();
        lead = rows.lead("Jane", "Donor");
        rows.user("amy", true);
    }

    @OnEachDatabase
    void aRecordingIsStoredOnceAndOnlyMovesForward(StoreDatabase database) {
        String call = rows.call(campaign, lead, "amy", true);
        String sid = RecordingRows.newSid("RE");
        Instant started = T0.minusSeconds(30);

        assertThat(recordings.report(new Report(sid, call, "in-progress", null, "https://api.twilio.com/r/" + sid,
                started))).isTrue();
        assertThat(recordings.report(new Report(sid, call, "in-progress", null, null, started))).as("a retry")
                .isFalse();
        assertThat(recordings.report(new Report(sid, call, "completed", 42, "https://api.twilio.com/r/" + sid,
                started))).isTrue();
        assertThat(recordings.report(new Report(sid, call, "in-progress", null, null, started))).as("late")
                .isFalse();
        assertThat(recordings.report(new Report(sid, call, "absent", 0, null, started))).as("a second end")
                .isFalse();

        CallRecording recording = recordings.ofLead(lead, null).get(0);
        assertThat(recording.recordingSid()).isEqualTo(sid);
        assertThat(recording.status()).isEqualTo("completed");
        assertThat(recording.durationSeconds()).isEqualTo(42);
        assertThat(recording.startedAt()).isEqualTo(started);
        assertThat(recording.mediaUrl()).isEqualTo("https://api.twilio.com/r/" + sid);
        assertThat(recording.callId()).isEqualTo(rows.callId(call));
        assertThat(recording.leadId()).isEqualTo(lead);
        assertThat(recording.userId()).isEqualTo("amy");
        assertThat(recording.playable()).isTrue();
        assertThat(database.jdbc().queryForObject("select count(*) from call_recording", Integer.class)).isEqualTo(1);
    }

    @OnEachDatabase
    void anEndHeardBeforeTheStartStaysTheEnd(StoreDatabase database) {
        String call = rows.call(campaign, lead, "amy", true);
        String sid = RecordingRows.newSid("RE");
        recordings.report(new Report(sid, call, "completed", 12, null, null));
        recordings.report(new Report(sid, call, "in-progress", null, null, null));

        CallRecording recording = recordings.ofLead(lead, null).get(0);
        assertThat(recording.status()).isEqualTo("completed");
        assertThat(recording.startedAt()).as("when it was heard, without a start time").isEqualTo(T0);
        assertThatThrownBy(() -> recordings.report(new Report(sid, call, "exploded", null, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @OnEachDatabase
    void aRecordingReportedBeforeItsCallHasItsSidIsListedOnceItHas(StoreDatabase database) {
        String sid = RecordingRows.newSid("RE");
        String callSid = RecordingRows.newSid("CA");
        recordings.report(new Report(sid, callSid, "in-progress", null, null, T0));
        assertThat(recordings.ofLead(lead, null)).isEmpty();

        database.jdbc().update("insert into outbound_call (lead_id, user_id, campaign_id, conference_name, call_sid, "
                + "to_number, status, placed_at) values (?, 'amy', ?, 'agent-amy', ?, '+447700900001', 'queued', ?)",
                lead, campaign, callSid, java.sql.Timestamp.from(T0));
        assertThat(recordings.ofLead(lead, null)).extracting(CallRecording::recordingSid).containsExactly(sid);
    }

    @OnEachDatabase
    void onlyActiveUsersRecordingsAreListed(StoreDatabase database) {
        rows.user("bob", false);
        String amys = recorded(rows.call(campaign, lead, "amy", true), T0.minusSeconds(60), "completed");
        String bobs = recorded(rows.call(campaign, lead, "bob", true), T0.minusSeconds(30), "completed");
        // A user without a profile (the configured administrator) counts as active.
        String admins = recorded(rows.call(campaign, lead, "admin", true), T0, "completed");

        assertThat(recordings.ofLead(lead, null)).extracting(CallRecording::recordingSid).containsExactly(admins, amys);
        assertThat(recordings.ofLead(lead, "amy")).extracting(CallRecording::recordingSid).containsExactly(amys);
        assertThat(recordings.ofLead(lead, "bob")).isEmpty();
        assertThat(recordings.startedBetween(T0.minusSeconds(3600), T0.plusSeconds(1), null))
                .extracting(CallRecording::recordingSid).containsExactly(admins, amys).doesNotContain(bobs);

        database.jdbc().update("update call_centre_user set active = true where user_id = 'bob'");
        assertThat(recordings.ofLead(lead, null)).extracting(CallRecording::recordingSid)
                .containsExactly(admins, bobs, amys);
    }

    @OnEachDatabase
    void aPeriodIsFromInclusiveToExclusiveAndMayNameOneUser(StoreDatabase database) {
        rows.user("cat", true);
        String before = recorded(rows.call(campaign, lead, "amy", true), T0.minusSeconds(1), "completed");
        String first = recorded(rows.call(campaign, lead, "amy", true), T0, "completed");
        String cats = recorded(rows.call(campaign, lead, "cat", true), T0.plusSeconds(10), "in-progress");
        String atTheEnd = recorded(rows.call(campaign, lead, "amy", true), T0.plusSeconds(60), "completed");

        assertThat(recordings.startedBetween(T0, T0.plusSeconds(60), null)).extracting(CallRecording::recordingSid)
                .containsExactly(cats, first).doesNotContain(before, atTheEnd);
        assertThat(recordings.startedBetween(T0, T0.plusSeconds(61), "cat")).extracting(CallRecording::recordingSid)
                .containsExactly(cats);
    }

    @OnEachDatabase
    void theArchiveTakesEveryRecordingOlderThanTheCutoffOnce(StoreDatabase database) {
        Instant cutoff = T0.minus(Duration.ofDays(61));
        String call = rows.call(campaign, lead, "amy", true);
        for (int i = 0; i < CallRecordings.ARCHIVE_BATCH + 3; i++) {
            recorded(call, cutoff.minusSeconds(i + 1L), "completed");
        }
        String recent = recorded(call, cutoff, "completed");

        assertThat(recordings.archiveStartedBefore(cutoff)).isEqualTo(CallRecordings.ARCHIVE_BATCH + 3);
        assertThat(recordings.archiveStartedBefore(cutoff)).as("a second run").isZero();

        List<CallRecording> all = recordings.ofLead(lead, null);
        assertThat(all).filteredOn(CallRecording::archived).hasSize(CallRecordings.ARCHIVE_BATCH + 3)
                .allSatisfy(old -> assertThat(old.playable()).isFalse());
        assertThat(all).filteredOn(r -> r.recordingSid().equals(recent)).singleElement()
                .satisfies(r -> assertThat(r.archived()).isFalse());
        assertThat(database.jdbc().queryForObject("select count(*) from call_recording where archived = true "
                + "and archived_at = ?", Integer.class, java.sql.Timestamp.from(T0)))
                .isEqualTo(CallRecordings.ARCHIVE_BATCH + 3);
    }

    @OnEachDatabase
    void aRestoreIsAskedOnceAndMakesTheRecordingPlayAgain(StoreDatabase database) {
        String sid = recorded(rows.call(campaign, lead, "amy", true), T0.minus(Duration.ofDays(90)), "completed");
        recordings.archiveStartedBefore(T0.minus(Duration.ofDays(61)));
        long id = recordings.ofLead(lead, null).get(0).id();

        long restore = recordings.requestRestore(id, "agentadmin");
        recordings.restoreStarted(restore, "instance-1");
        assertThat(recordings.recording(id).orElseThrow().restoreRequested()).isTrue();
        assertThat(recordings.openRestore(id)).hasValueSatisfying(open -> {
            assertThat(open.requestedBy()).isEqualTo("agentadmin");
            assertThat(open.requestedAt()).isEqualTo(T0);
        });
        assertThat(recordings.restoreOfInstance("instance-1")).hasValueSatisfying(r -> assertThat(r.id())
                .isEqualTo(restore));

        clock.advance(Duration.ofHours(3));
        String location = "https://restores.example.org/call-centre/" + sid + ".wav";
        assertThat(recordings.restored(restore, "admin", location)).isTrue();
        assertThat(recordings.restored(restore, "admin", "https://restores.example.org/other.wav")).as("a repeat")
                .isFalse();

        CallRecording restored = recordings.recording(id).orElseThrow();
        assertThat(restored.archived()).isTrue();
        assertThat(restored.restoreRequested()).isFalse();
        assertThat(restored.restoredMediaUrl()).isEqualTo(location);
        assertThat(restored.playable()).isTrue();
        assertThat(recordings.openRestore(id)).isEmpty();
        assertThat(recordings.archiveStartedBefore(T0)).as("a restored recording stays restored").isZero();
    }

    @OnEachDatabase
    void aPausedRecordingWaitsForItsCaptureToLetTheDonorGo(StoreDatabase database) {
        String call = rows.call(campaign, lead, "amy", true);
        String sid = recorded(call, T0, "in-progress");
        assertThat(recordings.callRecorded(call)).isTrue();
        assertThat(recordings.callRecorded(rows.call(campaign, lead, "amy", false))).isFalse();
        assertThat(recordings.runningOf(call)).containsExactly(sid);
        String capture = rows.capture(campaign, lead, call);

        recordings.pausedFor(sid, capture);
        assertThat(recordings.recording(recordings.ofLead(lead, null).get(0).id()).orElseThrow().status())
                .isEqualTo("paused");
        assertThat(recordings.report(new Report(sid, call, "in-progress", null, null, T0))).as("a late start")
                .isFalse();
        assertThat(recordings.pausedFor(capture)).containsExactly(new Paused(sid, call, capture));
        assertThat(recordings.pausedPastTheirCapture()).as("the donor may still hear a card prompt").isEmpty();

        rows.donorReturned(capture);
        assertThat(recordings.pausedPastTheirCapture()).containsExactly(new Paused(sid, call, capture));

        recordings.resumed(sid, "another-capture");
        assertThat(recordings.pausedFor(capture)).as("only its own capture resumes it").hasSize(1);
        recordings.resumed(sid, capture);
        assertThat(recordings.pausedFor(capture)).isEmpty();
        assertThat(recordings.ofLead(lead, null).get(0).status()).isEqualTo("in-progress");
    }

    @OnEachDatabase
    void aPauseForACaptureThatEndedOrNeverExistedIsOverdue(StoreDatabase database) {
        String call = rows.call(campaign, lead, "amy", true);
        String ended = recorded(call, T0, "in-progress");
        String neverStarted = recorded(call, T0.plusSeconds(1), "in-progress");
        String capture = rows.capture(campaign, lead, call);
        recordings.pausedFor(ended, capture);
        recordings.pausedFor(neverStarted, "a-capture-that-rolled-back");

        assertThat(recordings.pausedPastTheirCapture()).extracting(Paused::recordingSid).containsExactly(neverStarted);
        rows.captureEnded(capture, "SUCCEEDED");
        assertThat(recordings.pausedPastTheirCapture()).extracting(Paused::recordingSid)
                .containsExactly(ended, neverStarted);

        recordings.report(new Report(ended, call, "completed", 5, null, T0));
        assertThat(recordings.pausedPastTheirCapture()).as("a recording that ended needs no resume")
                .extracting(Paused::recordingSid).containsExactly(neverStarted);
    }

    @OnEachDatabase
    void theExportMarksArchivedRecordingsInsteadOfFailing(StoreDatabase database) throws Exception {
        String old = recorded(rows.call(campaign, lead, "amy", true), T0.minus(Duration.ofDays(90)), "completed");
        String recent = recorded(rows.call(campaign, lead, "amy", true), T0.minusSeconds(5), "completed");
        String running = recorded(rows.call(campaign, lead, "amy", true), T0.minusSeconds(1), "in-progress");
        recordings.archiveStartedBefore(T0.minus(Duration.ofDays(61)));

        StringWriter out = new StringWriter();
        new RecordingExport(recordings).write(out, T0.minus(Duration.ofDays(100)), T0, null);

        List<CSVRecord> csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new java.io.StringReader(out.toString())).getRecords();
        assertThat(out.toString()).startsWith(String.join(",", RecordingExport.HEADER) + "\n");
        assertThat(csv).extracting(r -> r.get("recording_sid")).containsExactly(running, recent, old);
        CSVRecord archived = csv.get(2);
        assertThat(archived.get("archived")).isEqualTo("true");
        assertThat(archived.get("audio")).contains("archived").contains("/api/recordings/" + archived.get("id")
                + "/restore-requests");
        assertThat(csv.get(1).get("audio")).isEqualTo("/api/recordings/" + csv.get(1).get("id") + "/media");
        assertThat(csv.get(1).get("duration_seconds")).isEqualTo("30");
        assertThat(csv.get(1).get("started_at")).isEqualTo(T0.minusSeconds(5).toString());
        assertThat(csv.get(0).get("audio")).isEqualTo("not available (in-progress)");
        assertThat(csv.get(0).get("user_id")).isEqualTo("amy");
    }

    /** A recording of the call reported with this status (and 30 s once completed); answers its sid. */
    private String recorded(String callSid, Instant startedAt, String status) {
        String sid = RecordingRows.newSid("RE");
        recordings.report(new Report(sid, callSid, "in-progress", null, null, startedAt));
        if (!status.equals("in-progress")) {
            recordings.report(new Report(sid, callSid, status, 30, null, startedAt));
        }
        return sid;
    }
}
