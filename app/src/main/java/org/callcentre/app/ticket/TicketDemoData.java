package org.callcentre.app.ticket;

import java.util.List;

import org.callcentre.app.security.DemoUsers;
import org.callcentre.ticket.TicketGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo's ticket groups, as Fresh Start's call centre has them: Info (where the info address's mail lands),
 * Agency, Clients (whose callers may leave a voicemail), Donations and Volunteers on the public web form, and the
 * Director, President and Web Master groups that are not. The demo agent works Info, Donations and Volunteers; the
 * demo agent admin is in every group. Exists only with {@code app.demo.enabled}; set up once, after the demo users.
 */
@Component
@ConditionalOnProperty(name = "app.demo.enabled", havingValue = "true")
public class TicketDemoData {

    private static final Logger log = LoggerFactory.getLogger(TicketDemoData.class);

    private record Demo(String key, String name, boolean publicGroup, boolean takesVoicemail, String inbox) {
    }

    private static final List<Demo> GROUPS = List.of(
            new Demo(TicketGroups.INFO, "Info", true, false, "info@callcentre.test"),
            new Demo("Agency", "Agency", true, false, null),
            new Demo("Clients", "Clients", true, true, null),
            new Demo("Donations", "Donations", true, false, null),
            new Demo("Volunteers", "Volunteers", true, false, null),
            new Demo("Director", "Director", false, false, null),
            new Demo("President", "President", false, false, null),
            new Demo("WebMaster", "Web Master", false, false, null));
    private static final List<String> AGENTS_GROUPS = List.of(TicketGroups.INFO, "Donations", "Volunteers");

    private final TicketGroups groups;

    public TicketDemoData(TicketGroups groups) {
        this.groups = groups;
    }

    @EventListener
    @Order(2)
    @Transactional
    public void onApplicationReady(ApplicationReadyEvent ready) {
        if (groups.group(TicketGroups.INFO).isPresent()) {
            return;
        }
        for (Demo demo : GROUPS) {
            groups.create(new TicketGroups.Written(demo.key(), demo.name(), demo.publicGroup(), demo.takesVoicemail(),
                    demo.inbox()));
            groups.replaceMembers(demo.key(), AGENTS_GROUPS.contains(demo.key())
                    ? List.of(DemoUsers.AGENT, DemoUsers.AGENT_ADMIN) : List.of(DemoUsers.AGENT_ADMIN));
        }
        log.info("Demo data: {} ticket groups", GROUPS.size());
    }
}
