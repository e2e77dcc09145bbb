package org.callcentre.app.inbound;

import java.util.List;

import org.callcentre.inbound.InboundNumber;
import org.callcentre.inbound.InboundNumbers;
import org.callcentre.ticket.TicketGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The demo's inbound number, {@value #NUMBER}: key 1 puts a caller into the demo team's queue, key 9 while waiting
 * asks for a callback as soon as an agent is free, and a caller who hangs up while waiting is called back; key 2
 * reaches the Clients group's voicemail (a message becomes a ticket), which also takes the callback requests the
 * team's queue has no room for. The Donations group's Call Center home counts the demo team's callers (waiting, or
 * lost and not yet called back). The emulator sends that number's calls to the app (see
 * {@code app.emulators.inbound-numbers}); place one from the emulator's page. Exists only with
 * {@code app.demo.enabled}; set up once, with the dialler's demo data.
 */
@Component
@ConditionalOnProperty(name = "app.demo.enabled", havingValue = "true")
public class InboundDemoData {

    public static final String NUMBER = "+441134960100";
    /** The ticket group whose voicemail key 2 reaches (TicketDemoData). */
    static final String CLIENTS = "Clients";
    /** The ticket group whose home counts the demo team's callers (TicketDemoData). */
    static final String DONATIONS = "Donations";

    private static final Logger log = LoggerFactory.getLogger(InboundDemoData.class);

    private final InboundNumbers numbers;
    private final TicketGroups groups;

    public InboundDemoData(InboundNumbers numbers, TicketGroups groups) {
        this.numbers = numbers;
        this.groups = groups;
    }

    /** In the caller's transaction. */
    public void setUp(long teamId, long campaignId) {
        long id = numbers.create(new InboundNumbers.Written(NUMBER, "en-GB",
                "Thank you for calling the Hope Foundation.",
                List.of(new InboundNumber.Option("1", "donations and pledges", teamId, null),
                        new InboundNumber.Option("2", "food parcels and other help", null, CLIENTS)),
                new InboundNumber.CallbackOffer("9", 0), true, campaignId, CLIENTS));
        groups.linkTeam(DONATIONS, teamId);
        log.info("Demo data: inbound number {} ({}), key 1 to the demo team's queue (counted on the Donations "
                + "group's home), key 2 to the Clients group's voicemail", NUMBER, id);
    }
}
