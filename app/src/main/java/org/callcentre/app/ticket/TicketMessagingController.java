package org.callcentre.app.ticket;

import java.util.ArrayList;
import java.util.List;

import org.callcentre.app.telephony.Twiml;
import org.callcentre.ticket.TicketMessaging;
import org.callcentre.ticket.TicketMessaging.Fetched;
import org.callcentre.ticket.TicketMessaging.IncomingMessage;
import org.callcentre.ticket.TicketMessaging.Media;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;

/**
 * Twilio's incoming-message webhook (each number's messaging URL), signed like every /twilio endpoint: an SMS or
 * MMS becomes correspondence on the sender's ticket, with its photos ({@link TicketMessaging}). The media are fetched
 * before the ticket's transaction and deleted from Twilio after it commits. Answered with a short thank-you
 * ({@code tickets.messaging.reply}), the same for a message Twilio sends again, which adds nothing.
 */
@RestController
public class TicketMessagingController {

    public static final String PATH = "/twilio/messaging/inbound";
    /** Twilio sends at most ten media with a message. */
    private static final int MAX_MEDIA = 10;

    private final TicketMessaging messaging;
    private final TransactionTemplate transaction;

    public TicketMessagingController(TicketMessaging messaging, PlatformTransactionManager transactions) {
        this.messaging = messaging;
        this.transaction = new TransactionTemplate(transactions);
    }

    @PostMapping(PATH)
    public ResponseEntity<String> incoming(@RequestParam MultiValueMap<String, String> params) {
        String sid = params.getFirst("MessageSid");
        if (sid == null || sid.isBlank()) {
            return Twiml.ok(new MessagingResponse.Builder().build().toXml());
        }
        List<Media> media = new ArrayList<>();
        int count = Math.min(MAX_MEDIA, number(params.getFirst("NumMedia")));
        for (int i = 0; i < count; i++) {
            media.add(new Media(params.getFirst("MediaUrl" + i), params.getFirst("MediaContentType" + i)));
        }
        IncomingMessage message = new IncomingMessage(sid, params.getFirst("From"), params.getFirst("To"),
                params.getFirst("Body"), media);
        if (!Boolean.TRUE.equals(transaction.execute(tx -> messaging.filed(sid)))) {
            Fetched fetched = messaging.fetch(message);
            boolean filed;
            try {
                filed = Boolean.TRUE.equals(transaction.execute(tx -> {
                    if (messaging.filed(sid)) {
                        return false;
                    }
                    messaging.file(message, fetched);
                    return true;
                }));
            } catch (DuplicateKeyException sameMessageAtTheSameMoment) {
                filed = false;
            }
            if (filed) {
                messaging.deleteMedia(message);
            }
        }
        return Twiml.ok(reply());
    }

    private String reply() {
        String text = messaging.properties().reply();
        MessagingResponse.Builder twiml = new MessagingResponse.Builder();
        if (text != null && !text.isBlank()) {
            twiml.message(new Message.Builder().body(new Body.Builder(text.strip()).build()).build());
        }
        return twiml.build().toXml();
    }

    private static int number(String value) {
        try {
            return value == null ? 0 : Math.max(0, Integer.parseInt(value.strip()));
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }
}
