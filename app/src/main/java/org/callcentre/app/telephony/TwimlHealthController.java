package org.callcentre.app.telephony;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A fixed TwiML answer behind the same signature check as every webhook: for Twilio's console "test this
 * webhook" button and load balancer health checks, and the HTTP floor the benchmark measures against.
 */
@RestController
public class TwimlHealthController {

    static final String OK = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>OK</Say></Response>";

    @PostMapping(value = "/twilio/health", produces = MediaType.APPLICATION_XML_VALUE)
    public String health() {
        return OK;
    }
}
