package org.callcentre.app.journey;

import static org.callcentre.problem.RefusedException.invalid;

import java.util.List;

import org.callcentre.app.security.Callers;
import org.callcentre.journey.Activity;
import org.callcentre.journey.CallJourney;
import org.callcentre.journey.CallJourneys;
import org.callcentre.journey.CustomerJourneys;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Journeys: a customer's (by number or by lead) and a call's. Agent Admins and Admin Operations see every one; an
 * agent sees a lead's while holding its lock, a number's while on an inbound call from it, their own outbound calls'
 * and the inbound calls' put through to them (CustomerJourneys and CallJourneys decide).
 */
@RestController
public class JourneyController {

    private final CustomerJourneys customers;
    private final CallJourneys calls;

    public JourneyController(CustomerJourneys customers, CallJourneys calls) {
        this.customers = customers;
        this.calls = calls;
    }

    /** The customer's inbound calls, outbound calls and callbacks, oldest first: by {@code phone} or {@code leadId}. */
    @GetMapping("/api/journeys")
    @Transactional(readOnly = true)
    public List<Activity> journey(@RequestParam(required = false) String phone,
            @RequestParam(required = false) String leadId, Authentication user) {
        return customers.journey(phone, leadId == null || leadId.isBlank() ? null : id("leadId", leadId),
                Callers.of(user));
    }

    @GetMapping("/api/calls/{id}/journey")
    @Transactional(readOnly = true)
    public CallJourney outboundCall(@PathVariable long id, Authentication user) {
        return calls.outbound(id, Callers.of(user));
    }

    @GetMapping("/api/inbound-calls/{id}/journey")
    @Transactional(readOnly = true)
    public CallJourney inboundCall(@PathVariable long id, Authentication user) {
        return calls.inbound(id, Callers.of(user));
    }

    private static long id(String name, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw invalid(name + " must be a number, not '" + value.strip() + "'");
        }
    }
}
