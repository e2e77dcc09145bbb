package org.callcentre.app.telephony;

import java.nio.charset.StandardCharsets;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Twilio's answers: always 200 and {@code text/xml}, which Twilio reads as TwiML. */
public final class Twiml {

    /** An empty document: nothing to do (Twilio ends a call whose TwiML runs out). */
    public static final String EMPTY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    private Twiml() {
    }

    public static final MediaType TEXT_XML = new MediaType("text", "xml", StandardCharsets.UTF_8);

    public static ResponseEntity<String> ok(String twiml) {
        return ResponseEntity.ok().contentType(TEXT_XML).body(twiml);
    }
}
