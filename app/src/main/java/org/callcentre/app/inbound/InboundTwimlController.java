package org.callcentre.app.inbound;

import java.util.Optional;

import org.callcentre.app.telephony.IvrMessages;
import org.callcentre.app.telephony.Speech;
import org.callcentre.app.telephony.Twiml;
import org.callcentre.dialler.AgentPhone;
import org.callcentre.inbound.InboundCall;
import org.callcentre.inbound.InboundCall.Result;
import org.callcentre.inbound.InboundCall.Status;
import org.callcentre.inbound.InboundCallDesk;
import org.callcentre.inbound.InboundCalls;
import org.callcentre.inbound.InboundNumber;
import org.callcentre.inbound.InboundNumbers;
import org.callcentre.inbound.InboundUrls;
import org.callcentre.inbound.InboundVoicemails;
import org.callcentre.ticket.TicketGroup;
import org.callcentre.ticket.TicketGroups;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Conference;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Enqueue;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Leave;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Redirect;

/**
 * The TwiML of inbound calls, signed like every /twilio endpoint: the menu, the queue and what a caller hears in
 * it, the callback offer, the move to an agent, and a ticket group's voicemail (or the website form, for a group that
 * takes none). Each request writes the call's row and tells its instance in
 * one transaction (the call's row locked first), then answers from what the row now says. Words come from the
 * {@code i18n/inbound} bundle in the number's locale.
 */
@RestController
public class InboundTwimlController {

    private final InboundCallDesk desk;
    private final InboundCalls calls;
    private final InboundNumbers numbers;
    private final InboundUrls urls;
    private final TransactionTemplate transaction;
    private final InboundVoicemails voicemails;
    private final TicketGroups groups;
    private final IvrMessages messages = new IvrMessages("i18n/inbound");

    public InboundTwimlController(InboundCallDesk desk, InboundCalls calls, InboundNumbers numbers, InboundUrls urls,
            PlatformTransactionManager transactions, InboundVoicemails voicemails, TicketGroups groups) {
        this.desk = desk;
        this.calls = calls;
        this.numbers = numbers;
        this.urls = urls;
        this.transaction = new TransactionTemplate(transactions);
        this.voicemails = voicemails;
        this.groups = groups;
    }

    /** A new call to one of the inbound numbers (each number's Voice URL). */
    @PostMapping(InboundUrls.VOICE)
    public ResponseEntity<String> voice(@RequestParam(name = "CallSid") String callSid,
            @RequestParam(name = "To") String to, @RequestParam(name = "From", required = false) String from) {
        Optional<InboundCall> call = transaction.execute(tx -> desk.receive(callSid, to, from));
        if (call.isEmpty()) {
            return Twiml.ok(new VoiceResponse.Builder().say(messages.in(java.util.Locale.UK).say("notInService"))
                    .hangup(new Hangup.Builder().build()).build().toXml());
        }
        InboundNumber number = number(call.get());
        if (call.get().status() == Status.QUEUED) {
            return Twiml.ok(enqueue(call.get(), number, null));
        }
        return Twiml.ok(menu(call.get(), number, null));
    }

    /** The menu's answer; Twilio posts here without Digits when the caller pressed nothing. */
    @PostMapping(InboundUrls.BASE + "calls/{id}/menu")
    public ResponseEntity<String> menu(@PathVariable long id,
            @RequestParam(name = "Digits", required = false) String digits) {
        InboundCall call = transaction.execute(tx -> calls.call(id).map(known -> desk.pressed(id, digits)))
                .orElse(null);
        if (call == null) {
            return Twiml.ok(hangUp());
        }
        InboundNumber number = number(call);
        return switch (call.status()) {
            case IVR -> Twiml.ok(menu(call, number, digits == null || digits.isBlank() ? "menu.noInput"
                    : "menu.notAnOption"));
            case QUEUED -> Twiml.ok(enqueue(call, number, "queue.joined"));
            case ENDED -> Twiml.ok(call.result() == Result.VOICEMAIL ? voicemail(call, number, null)
                    : call.result() == Result.REFERRED ? referral(call, number) : Twiml.EMPTY);
            default -> Twiml.ok(Twiml.EMPTY);
        };
    }

    /** What a queued caller hears, fetched again each time it runs out: position, the offer, hold music. */
    @PostMapping(InboundUrls.BASE + "calls/{id}/wait")
    public ResponseEntity<String> waiting(@PathVariable long id) {
        Optional<InboundCall> found = transaction.execute(tx -> calls.call(id));
        if (found.isEmpty() || found.get().status() != Status.QUEUED) {
            return Twiml.ok(new VoiceResponse.Builder().pause(new Pause.Builder().length(1).build()).build().toXml());
        }
        InboundCall call = found.get();
        InboundNumber number = number(call);
        Speech speech = messages.in(number.locale());
        int position = transaction.execute(tx -> calls.ahead(call)) + 1;
        VoiceResponse.Builder twiml = new VoiceResponse.Builder().say(speech.say("queue.position", position));
        if (number.callbackOffer() != null && transaction.execute(tx -> desk.offersCallback(call))) {
            String key = number.callbackOffer().key();
            twiml.gather(new Gather.Builder().numDigits(1).timeout(1).action(urls.callbackRequest(id))
                    .method(HttpMethod.POST).actionOnEmptyResult(false)
                    .say(speech.say(number.callbackOffer().minutes() == 0 ? "queue.callbackOffer"
                            : "queue.callbackOfferLater", key, number.callbackOffer().minutes()))
                    .build());
        }
        twiml.play(new Play.Builder(desk.properties().holdMusicUrl()).build());
        return Twiml.ok(twiml.build().toXml());
    }

    /** The key pressed at the callback offer: the caller leaves the queue, and hears the answer from the action. */
    @PostMapping(InboundUrls.BASE + "calls/{id}/callback-request")
    public ResponseEntity<String> callbackRequest(@PathVariable long id,
            @RequestParam(name = "Digits", required = false) String digits) {
        InboundCall call = transaction.execute(tx -> calls.call(id).map(known -> desk.callbackKeyPressed(id, digits)))
                .orElse(null);
        if (call == null) {
            return Twiml.ok(Twiml.EMPTY);
        }
        if (call.result() == Result.CALLBACK || call.result() == Result.MISSED
                || call.result() == Result.VOICEMAIL) {
            return Twiml.ok(new VoiceResponse.Builder().leave(new Leave.Builder().build()).build().toXml());
        }
        // Another key, or the caller was already on the way to an agent: keep waiting.
        return Twiml.ok(new VoiceResponse.Builder().redirect(new Redirect.Builder(urls.waiting(id))
                .method(HttpMethod.POST).build()).build().toXml());
    }

    /** How the caller left the queue ({@code QueueResult}): a callback's answer, or a hang-up that loses the call. */
    @PostMapping(InboundUrls.BASE + "calls/{id}/queue-result")
    public ResponseEntity<String> queueResult(@PathVariable long id,
            @RequestParam(name = "QueueResult", required = false) String result) {
        Optional<InboundCall> found = transaction.execute(tx -> calls.call(id));
        if (found.isEmpty()) {
            return Twiml.ok(hangUp());
        }
        if ("hangup".equals(result) || "error".equals(result) || "system-error".equals(result)) {
            transaction.executeWithoutResult(tx -> desk.ended(id));
            return Twiml.ok(Twiml.EMPTY);
        }
        InboundCall call = found.get();
        Speech speech = messages.in(number(call).locale());
        if ("leave".equals(result) && call.result() == Result.CALLBACK) {
            InboundNumber number = number(call);
            boolean booked = transaction.execute(tx -> desk.bookedBefore(call));
            String spoken = Speech.digits(call.from());
            String key = booked ? "callback.alreadyBooked" : number.callbackOffer() == null
                    || number.callbackOffer().minutes() == 0 ? "callback.confirmed" : "callback.confirmedLater";
            return Twiml.ok(new VoiceResponse.Builder().say(speech.say(key, spoken,
                    number.callbackOffer() == null ? 0 : number.callbackOffer().minutes()))
                    .hangup(new Hangup.Builder().build()).build().toXml());
        }
        if ("leave".equals(result) && call.result() == Result.VOICEMAIL) {
            return Twiml.ok(voicemail(call, number(call), "voicemail.queueFull"));
        }
        if ("leave".equals(result) && call.result() == Result.MISSED) {
            return Twiml.ok(new VoiceResponse.Builder().say(speech.say("missed")).hangup(new Hangup.Builder().build())
                    .build().toXml());
        }
        if ("queue-full".equals(result)) {
            transaction.executeWithoutResult(tx -> desk.ended(id));
            return Twiml.ok(new VoiceResponse.Builder().say(speech.say("queue.failed"))
                    .hangup(new Hangup.Builder().build()).build().toXml());
        }
        // bridged, redirected: the call went on elsewhere; Twilio ignores this answer.
        return Twiml.ok(Twiml.EMPTY);
    }

    /** Twilio moved the caller here when an agent took them: into the agent's conference. */
    @PostMapping(InboundUrls.BASE + "calls/{id}/bridge")
    public ResponseEntity<String> bridge(@PathVariable long id) {
        InboundCall call = transaction.execute(tx -> calls.call(id).map(known -> desk.bridged(id))).orElse(null);
        if (call == null) {
            return Twiml.ok(hangUp());
        }
        if (call.status() != Status.ASSIGNED || call.assignedTo() == null) {
            // The assignment was withdrawn meanwhile: back into the queue, where the row keeps the caller's place.
            return Twiml.ok(call.status() == Status.QUEUED ? enqueue(call, number(call), null) : hangUp());
        }
        Speech speech = messages.in(number(call).locale());
        return Twiml.ok(new VoiceResponse.Builder().say(speech.say("connecting"))
                .dial(new Dial.Builder().conference(new Conference.Builder(AgentPhone.conferenceOf(call.assignedTo()))
                        .startConferenceOnEnter(true).endConferenceOnExit(false).build()).build())
                .build().toXml());
    }

    /**
     * The voicemail's {@code <Record>} action: the caller's message (its recording is filed on a ticket of the call's
     * group), or nothing heard. After a hang-up Twilio still reports the message here and ignores the answer.
     */
    @PostMapping(InboundUrls.BASE + "calls/{id}/voicemail")
    public ResponseEntity<String> voicemailLeft(@PathVariable long id,
            @RequestParam(name = "RecordingSid", required = false) String recordingSid,
            @RequestParam(name = "RecordingUrl", required = false) String recordingUrl) {
        Optional<InboundCall> found = transaction.execute(tx -> {
            voicemails.recorded(id, recordingSid, recordingUrl);
            return calls.call(id);
        });
        if (found.isEmpty()) {
            return Twiml.ok(hangUp());
        }
        Speech speech = messages.in(number(found.get()).locale());
        return Twiml.ok(new VoiceResponse.Builder().say(speech.say(recordingSid == null || recordingSid.isBlank()
                ? "voicemail.nothingHeard" : "voicemail.thanks")).hangup(new Hangup.Builder().build()).build()
                .toXml());
    }

    /** The voicemail's recording status callback: a completed recording is filed like the action's. */
    @PostMapping(InboundUrls.BASE + "calls/{id}/voicemail/recording")
    public ResponseEntity<String> voicemailRecording(@PathVariable long id,
            @RequestParam(name = "RecordingSid", required = false) String recordingSid,
            @RequestParam(name = "RecordingUrl", required = false) String recordingUrl,
            @RequestParam(name = "RecordingStatus", required = false) String status) {
        if ("completed".equals(status)) {
            transaction.executeWithoutResult(tx -> voicemails.recorded(id, recordingSid, recordingUrl));
        }
        return Twiml.ok(Twiml.EMPTY);
    }

    /** The voicemail's transcription: its text on the ticket's message, or a note that it failed. */
    @PostMapping(InboundUrls.BASE + "calls/{id}/voicemail/transcription")
    public ResponseEntity<String> voicemailTranscription(@PathVariable long id,
            @RequestParam(name = "RecordingSid", required = false) String recordingSid,
            @RequestParam(name = "RecordingUrl", required = false) String recordingUrl,
            @RequestParam(name = "TranscriptionStatus", required = false) String status,
            @RequestParam(name = "TranscriptionText", required = false) String text) {
        transaction.executeWithoutResult(tx -> voicemails.transcribed(id, recordingSid, recordingUrl, text,
                "completed".equals(status)));
        return Twiml.ok(Twiml.EMPTY);
    }

    /** The prompt (after {@code beforeKey}'s words, if any) and the {@code <Record>} of a group's voicemail. */
    private String voicemail(InboundCall call, InboundNumber number, String beforeKey) {
        Speech speech = messages.in(number.locale());
        VoiceResponse.Builder twiml = new VoiceResponse.Builder();
        if (beforeKey != null) {
            twiml.say(speech.say(beforeKey));
        }
        return twiml.say(speech.say("voicemail.prompt", groupName(call)))
                .record(new Record.Builder().action(urls.voicemail(call.id())).method(HttpMethod.POST)
                        .maxLength(desk.properties().voicemailMaxSeconds()).finishOnKey("#").playBeep(true)
                        .transcribe(true).transcribeCallback(urls.voicemailTranscription(call.id()))
                        .recordingStatusCallback(urls.voicemailRecording(call.id()))
                        .recordingStatusCallbackMethod(HttpMethod.POST)
                        .recordingStatusCallbackEvents(Record.RecordingEvent.COMPLETED).build())
                // A message with nothing in it requests no action: the document goes on here.
                .say(speech.say("voicemail.nothingHeard")).hangup(new Hangup.Builder().build()).build().toXml();
    }

    /** A group that takes no voicemail: the caller is told to use the website form. */
    private String referral(InboundCall call, InboundNumber number) {
        return new VoiceResponse.Builder().say(messages.in(number.locale()).say("website.referral", groupName(call),
                desk.properties().websiteAddress())).hangup(new Hangup.Builder().build()).build().toXml();
    }

    private String groupName(InboundCall call) {
        return transaction.execute(tx -> groups.group(call.groupKey())).map(TicketGroup::name)
                .orElse(call.groupKey());
    }

    private String menu(InboundCall call, InboundNumber number, String sorryKey) {
        Speech speech = messages.in(number.locale());
        Gather.Builder gather = new Gather.Builder().numDigits(1).timeout(desk.properties().menuTimeoutSeconds())
                .action(urls.menu(call.id())).method(HttpMethod.POST).actionOnEmptyResult(true);
        if (sorryKey != null) {
            gather.say(speech.say(sorryKey));
        } else {
            gather.say(speech.sayText(number.greeting()));
        }
        for (InboundNumber.Option option : number.options()) {
            gather.say(speech.say("menu.option", option.label(), option.key()));
        }
        return new VoiceResponse.Builder().gather(gather.build()).build().toXml();
    }

    private String enqueue(InboundCall call, InboundNumber number, String sayKey) {
        VoiceResponse.Builder twiml = new VoiceResponse.Builder();
        if (sayKey != null) {
            twiml.say(messages.in(number.locale()).say(sayKey));
        }
        return twiml.enqueue(new Enqueue.Builder(queueName(call.teamId())).action(urls.queueResult(call.id()))
                .method(HttpMethod.POST).waitUrl(urls.waiting(call.id())).waitUrlMethod(HttpMethod.POST).build())
                .build().toXml();
    }

    /** The Twilio queue of a team: one per team, whatever number the caller dialled. */
    static String queueName(long teamId) {
        return "team-" + teamId;
    }

    private InboundNumber number(InboundCall call) {
        return transaction.execute(tx -> numbers.number(call.inboundNumberId())).orElseThrow();
    }

    private static String hangUp() {
        return new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build().toXml();
    }
}
