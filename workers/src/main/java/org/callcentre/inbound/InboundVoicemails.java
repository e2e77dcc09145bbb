package org.callcentre.inbound;

import java.util.List;
import java.util.Optional;

import org.callcentre.dialler.PhoneNumbers;
import org.callcentre.ticket.EndUser;
import org.callcentre.ticket.Ticket.Origin;
import org.callcentre.ticket.Tickets;
import org.callcentre.ticket.Tickets.Incoming;

/**
 * A caller's voicemail for a ticket group, in the caller's transaction with the call's row locked first. Twilio
 * reports a message three times, in no fixed order: the {@code <Record>}'s action and the recording status callback
 * (each with the RecordingSid and RecordingUrl) and the transcription callback. The first report files the message on
 * a ticket of the call's group ({@link Tickets#receive}: appended to the open ticket of the caller's number there, or
 * a new one), with the RecordingSid as the message's Twilio sid; the later ones complete that message (the
 * transcript, the URL), and one heard again changes nothing.
 */
public class InboundVoicemails {

    private final InboundCalls calls;
    private final Tickets tickets;
    private final InboundNumbers numbers;

    public InboundVoicemails(InboundCalls calls, Tickets tickets, InboundNumbers numbers) {
        this.calls = calls;
        this.tickets = tickets;
        this.numbers = numbers;
    }

    /** The recording of the caller's message (the action, or the recording status callback); the ticket, if filed. */
    public Optional<Long> recorded(long callId, String recordingSid, String recordingUrl) {
        return calls.lock(callId).filter(call -> call.groupKey() != null && present(recordingSid))
                .map(call -> file(call, recordingSid, present(recordingUrl) ? recordingUrl : null, null, false));
    }

    /** The transcription of the caller's message: its text, or none when it failed. */
    public Optional<Long> transcribed(long callId, String recordingSid, String recordingUrl, String text,
            boolean completed) {
        return calls.lock(callId).filter(call -> call.groupKey() != null && present(recordingSid))
                .map(call -> file(call, recordingSid, present(recordingUrl) ? recordingUrl : null,
                        completed && present(text) ? text.strip() : null, !completed));
    }

    private long file(InboundCall call, String recordingSid, String recordingUrl, String transcript,
            boolean transcriptionFailed) {
        Optional<Long> filed = tickets.ticketOfTwilioSid(recordingSid);
        if (filed.isPresent()) {
            tickets.voicemailUpdated(recordingSid, recordingUrl, transcript, transcriptionFailed);
            return filed.get();
        }
        Optional<String> phone = PhoneNumbers.e164(call.from(), null);
        EndUser caller = phone.map(number -> EndUser.of(null, null, number, tickets.properties().phoneRegion()))
                .orElse(new EndUser(null, null, null));
        String to = numbers.number(call.inboundNumberId()).map(InboundNumber::number).orElse(null);
        long ticket = tickets.receive(new Incoming(call.groupKey(), caller, Origin.VOICEMAIL,
                "Voicemail from " + phone.orElse("a withheld number"), transcript, null, phone.orElse(null), to, null,
                recordingSid, recordingUrl, List.of())).number();
        if (transcriptionFailed) {
            tickets.voicemailUpdated(recordingSid, null, null, true);
        }
        if (call.ticketId() == null) {
            calls.voicemailFiled(call.id(), ticket);
        }
        return ticket;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
