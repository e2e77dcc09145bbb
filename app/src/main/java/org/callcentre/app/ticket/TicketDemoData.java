package org.callcentre.app.ticket;

import java.util.List;

import org.callcentre.app.security.DemoUsers;
import org.callcentre.dialler.Caller;
import org.callcentre.ticket.TicketGroups;
import org.callcentre.ticket.mail.CannedResponses;
import org.callcentre.user.Role;
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
 * demo agent admin is in every group. A few canned responses per group, with placeholders such as
 * {@code [Enter dates]} to fill in. Donations's Call Center home counts the demo team's callers: InboundDemoData links
 * it to the team once the dialler's demo data has made it. Exists only with {@code app.demo.enabled}; set up once, after the demo users.
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

    private record Canned(String groupKey, String title, String subject, String html) {
    }

    private static final List<Canned> CANNED = List.of(
            new Canned(TicketGroups.INFO, "Passed to the right team", "Your message to Fresh Start",
                    "<p>Hello [Name],</p><p>Thank you for writing to Fresh Start. We have passed your message to our "
                    + "[Team] team, who will be in touch soon.</p><p>Fresh Start</p>"),
            new Canned("Donations", "Photos of the furniture", "Your furniture donation",
                    "<p>Hello [Name],</p><p>Thank you for offering your furniture. Please reply to this email with a "
                    + "photo of each piece, so we can see whether we can take it.</p><p>Fresh Start Donations</p>"),
            new Canned("Donations", "Pick-up booked", "Your pick-up is booked",
                    "<p>Hello [Name],</p><p>Our van will collect your donation on [Enter date], between "
                    + "[Enter times]. Please have it ready by the door.</p><p>Fresh Start Donations</p>"),
            new Canned("Agency", "Agency training", "Fresh Start agency training",
                    "<p>Hello [Name],</p><p>Our next training sessions for new agencies are on [Enter dates]. "
                    + "Reply to this email to book a place.</p><p>Fresh Start</p>"),
            new Canned("Clients", "Appointment", "Your Fresh Start appointment",
                    "<p>Hello [Name],</p><p>Your appointment at our showroom is on [Enter date and time]. Please "
                    + "bring your referral letter.</p><p>Fresh Start</p>"),
            new Canned("Volunteers", "New volunteer tour", "Volunteering at Fresh Start",
                    "<p>Hello [Name],</p><p>Thank you for wanting to volunteer. We run tours and training for new "
                    + "volunteers on [Enter dates]; reply to this email to book one.</p>"
                    + "<p>Fresh Start Volunteers</p>"));

    private final TicketGroups groups;
    private final CannedResponses canned;

    public TicketDemoData(TicketGroups groups, CannedResponses canned) {
        this.groups = groups;
        this.canned = canned;
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
        Caller supervisor = new Caller(DemoUsers.AGENT_ADMIN, Role.AGENT_ADMIN);
        for (Canned response : CANNED) {
            canned.create(supervisor, response.groupKey(), new CannedResponses.Written(response.title(),
                    response.subject(), response.html()));
        }
        log.info("Demo data: {} ticket groups, {} canned responses", GROUPS.size(), CANNED.size());
    }
}
