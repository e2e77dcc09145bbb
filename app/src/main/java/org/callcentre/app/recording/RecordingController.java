package org.callcentre.app.recording;

import static org.callcentre.app.security.EngineUserAuthenticationProvider.authority;
import static org.callcentre.problem.RefusedException.forbidden;
import static org.callcentre.problem.RefusedException.notFound;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.callcentre.app.recording.RecordingApi.RecordingView;
import org.callcentre.app.recording.RecordingApi.RestoreRequestView;
import org.callcentre.dialler.Leads;
import org.callcentre.processes.Groups;
import org.callcentre.recording.CallRecording;
import org.callcentre.recording.CallRecordings;
import org.callcentre.recording.RecordingAudio.Audio;
import org.callcentre.recording.RecordingExport;
import org.callcentre.recording.RecordingMedia;
import org.callcentre.recording.RecordingRestores;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Call recordings: a lead's, a period's (the Call Recordings page, and its CSV export), a recording's audio streamed
 * through the app, and requests to bring archived ones back. Only recordings of active users are listed. Which roles
 * reach which endpoint is SecurityConfiguration's; that an agent hears and lists only the recordings of their own
 * calls is decided here, from the recording's call.
 */
@RestController
public class RecordingController {

    private static final Set<String> SUPERVISORS = Set.of(authority(Groups.ADMIN_OPS), authority(Groups.CAMUNDA_ADMIN),
            authority(Groups.AGENT_ADMINS));
    private static final int COPY_BUFFER = 16 * 1024;

    private final CallRecordings recordings;
    private final RecordingMedia media;
    private final RecordingExport export;
    private final RecordingRestores restores;
    private final Leads leads;

    public RecordingController(CallRecordings recordings, RecordingMedia media, RecordingExport export,
            RecordingRestores restores, Leads leads) {
        this.recordings = recordings;
        this.media = media;
        this.export = export;
        this.restores = restores;
        this.leads = leads;
    }

    /** The recordings of the lead's calls, newest first: an agent's own calls only. */
    @GetMapping("/api/leads/{leadId}/recordings")
    public List<RecordingView> ofLead(@PathVariable long leadId, Authentication caller) {
        if (!leads.exists(leadId)) {
            throw notFound("there is no lead " + leadId);
        }
        return recordings.ofLead(leadId, supervisor(caller) ? null : caller.getName()).stream()
                .map(RecordingView::of).toList();
    }

    /** The recordings that started in the period, newest first; one user's with {@code userId}. */
    @GetMapping("/api/recordings")
    public List<RecordingView> inPeriod(@RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String userId) {
        RecordingPeriod period = RecordingPeriod.of(from, to);
        return recordings.startedBetween(period.from(), period.to(), blankToNull(userId)).stream()
                .map(RecordingView::of).toList();
    }

    /** The same as CSV ({@code text/csv}), archived recordings marked as such. */
    @GetMapping("/api/recordings/export")
    public void exportPeriod(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String userId, HttpServletResponse response) throws IOException {
        RecordingPeriod period = RecordingPeriod.of(from, to);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"recordings.csv\"");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        export.write(writer, period.from(), period.to(), blankToNull(userId));
        writer.flush();
    }

    /**
     * The recording's audio, fetched by the app (from Twilio with the account's credentials, or from where it was
     * restored) and passed on as it arrives. An archived recording answers 410, saying how to ask for it back.
     */
    @GetMapping("/api/recordings/{recordingId}/media")
    public void play(@PathVariable long recordingId, Authentication caller, HttpServletResponse response)
            throws IOException {
        CallRecording recording = recording(recordingId);
        if (!supervisor(caller) && !caller.getName().equals(recording.userId())) {
            throw forbidden("recording " + recordingId + " is of another agent's call");
        }
        try (Audio audio = media.open(recording)) {
            response.setContentType(audio.contentType());
            if (audio.length() >= 0) {
                response.setContentLengthLong(audio.length());
            }
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            copy(audio.body(), response.getOutputStream());
        }
    }

    /** Asks for an archived recording back: Admin Operations get a "Call recording restore" task in Tasklist. */
    @PostMapping("/api/recordings/{recordingId}/restore-requests")
    public ResponseEntity<RestoreRequestView> requestRestore(@PathVariable long recordingId, Authentication caller) {
        RestoreRequestView request = RestoreRequestView.of(restores.request(recordingId, caller.getName()));
        return ResponseEntity.created(URI.create("/api/recordings/" + recordingId + "/restore-requests/"
                + request.id())).body(request);
    }

    private CallRecording recording(long recordingId) {
        return recordings.recording(recordingId).orElseThrow(() -> notFound("there is no recording " + recordingId));
    }

    /** Admin Operations, the engine's administrators and agent admins see every recording; agents their own. */
    private static boolean supervisor(Authentication caller) {
        return caller.getAuthorities().stream().map(GrantedAuthority::getAuthority).anyMatch(SUPERVISORS::contains);
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        for (int read; (read = in.read(buffer)) != -1;) {
            out.write(buffer, 0, read);
        }
        out.flush();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
