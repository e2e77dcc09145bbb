package org.callcentre.app.ticket;

import static org.callcentre.problem.RefusedException.notFound;

import java.io.IOException;

import org.callcentre.app.security.Callers;
import org.callcentre.problem.RefusedException;
import org.callcentre.recording.RecordingAudio;
import org.callcentre.recording.RecordingAudio.Audio;
import org.callcentre.ticket.Tickets;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletResponse;

/**
 * A voicemail's recording, played from Twilio with the account's credentials, for those who may work the ticket's
 * group. The ticket is read in a short transaction; the audio streams after it.
 */
@RestController
public class TicketVoicemailController {

    private final Tickets tickets;
    private final RecordingAudio audio;
    private final TransactionTemplate transaction;

    public TicketVoicemailController(Tickets tickets, RecordingAudio audio, PlatformTransactionManager transactions) {
        this.tickets = tickets;
        this.audio = audio;
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setReadOnly(true);
    }

    @GetMapping("/api/tickets/{number}/messages/{messageId}/recording")
    public void play(@PathVariable long number, @PathVariable long messageId, Authentication user,
            HttpServletResponse response) throws IOException {
        String recordingSid = transaction.execute(tx -> {
            tickets.readable(Callers.of(user), number);
            return tickets.voicemailRecording(number, messageId)
                    .orElseThrow(() -> notFound("ticket " + number + " has no voicemail " + messageId));
        });
        try (Audio recording = audio.fromTwilio(recordingSid)) {
            response.setContentType(recording.contentType());
            if (recording.length() >= 0) {
                response.setContentLengthLong(recording.length());
            }
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            recording.body().transferTo(response.getOutputStream());
        } catch (RecordingAudio.AudioUnavailableException unavailable) {
            throw new RefusedException(RefusedException.Reason.UNAVAILABLE, "the recording cannot be played now: "
                    + unavailable.getMessage());
        }
    }
}
