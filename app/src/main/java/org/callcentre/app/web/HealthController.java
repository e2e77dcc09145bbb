package org.callcentre.app.web;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a load balancer polls to decide whether this node takes traffic: a fixed {@code OK} once the app serves
 * requests. It needs no login and no Twilio signature (SecurityConfiguration), and touches neither the engine nor
 * the database, so a slow database does not take every node out of the balancer at once.
 */
@RestController
public class HealthController {

    public static final String PATH = "/health";

    @GetMapping(value = PATH, produces = MediaType.TEXT_PLAIN_VALUE)
    public String health() {
        return "OK";
    }
}
