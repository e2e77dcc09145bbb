package org.callcentre.app.ticket;

import java.util.List;

import org.callcentre.app.security.Callers;
import org.callcentre.ticket.TicketHome;
import org.callcentre.ticket.TicketHome.GroupCounts;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Call Center home's figures: one entry per ticket group the signed-in user works (an agent: the groups they are
 * in; Agent Admins and Admin Operations: every group), by name.
 */
@RestController
public class TicketHomeController {

    public static final String PATH = "/api/users/me/ticket-groups";

    private final TicketHome home;

    public TicketHomeController(TicketHome home) {
        this.home = home;
    }

    @GetMapping(PATH)
    @Transactional(readOnly = true)
    public List<GroupCounts> mine(Authentication user) {
        return home.of(Callers.of(user));
    }
}
