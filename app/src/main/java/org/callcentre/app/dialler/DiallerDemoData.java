package org.callcentre.app.dialler;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.app.inbound.InboundDemoData;
import org.callcentre.app.security.DemoUsers;
import org.callcentre.dialler.CallLists;
import org.callcentre.dialler.CallStatus;
import org.callcentre.dialler.CallerIds;
import org.callcentre.dialler.CampaignDialling;
import org.callcentre.dialler.DiallingRules;
import org.callcentre.dialler.DoNotCallList;
import org.callcentre.dialler.LeadImport;
import org.callcentre.dialler.Leads;
import org.callcentre.dialler.Teams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo run's dialler: dialling rules and caller IDs for every demo campaign, the call list "Spring Appeal – lapsed
 * donors" with twenty donors, and the "Demo team" that holds the demo agent and the list, so Next Lead offers a lead at
 * once, and the demo's inbound number, whose callers queue for that team. The demo campaigns call all day (00:00 to 00:00) so the demo works at any hour; a real campaign would call
 * 09:00 to 21:00 in each donor's own time zone. Exists only with {@code app.demo.enabled} (the demo profile) and is set
 * up once, with the demo campaigns (see {@code CardCaptureDemoData}, whose pledges are taken on these donors).
 */
@Component
@ConditionalOnProperty(name = "app.demo.enabled", havingValue = "true")
public class DiallerDemoData {

    public static final String CALL_LIST = "Spring Appeal – lapsed donors";
    public static final String TEAM = "Demo team";
    /** The donors of the demo pledges: the first rows of the list. */
    public static final String JANE = "+447911123001";
    public static final String JOHN = "+447911123002";
    public static final String PRIYA = "+447911123003";
    public static final String TOM = "+447911123004";
    /** A donor whose number is on the do-not-call list: never offered. */
    static final String ON_DO_NOT_CALL_LIST = "+447911123019";
    /** A donor who asked to be removed (status REMOVE): never offered until the status is edited. */
    static final String REMOVED = "+447911123020";

    /** The demo's calling hours: all day (equal start and end), in each donor's own time zone. */
    static final LocalTime ALL_DAY = LocalTime.MIDNIGHT;
    static final List<String> CALLER_IDS = List.of("+441134960001", "+441134960002", "+441134960003");

    // The import answers with its own lines (the header is line 1); two donors live in New York.
    private static final String LEADS = """
            first_name,last_name,phone,phone_2,email,time_zone,external_ref
            Jane,Donor,+447911123001,,jane@demo.invalid,,SA-0001
            John,Giver,07911 123002,,john@demo.invalid,,SA-0002
            Priya,Patel,+447911123003,,,,SA-0003
            Tom,Smith,+447911123004,,,,SA-0004
            Amira,Khan,+447911123005,,,,SA-0005
            Ben,Carter,+447911123006,,,,SA-0006
            Chloe,Evans,+447911123007,,,,SA-0007
            Daniel,Hughes,+447911123008,020 7946 0008,,,SA-0008
            Emma,Wright,+447911123009,,,,SA-0009
            Farid,Ahmed,+447911123010,,,,SA-0010
            Grace,Lewis,+447911123011,,,,SA-0011
            Harry,Walker,+447911123012,,,,SA-0012
            Isla,Morgan,+447911123013,,,,SA-0013
            Jack,Robinson,+447911123014,,,,SA-0014
            Keira,Thompson,+447911123015,,,,SA-0015
            Leo,Turner,+447911123016,,,,SA-0016
            Maya,Brooks,+447911123017,+12125550123,,America/New_York,SA-0017
            Noah,Bennett,+16465550142,,,America/New_York,SA-0018
            Olivia,Price,+447911123019,,,,SA-0019
            Peter,Cole,+447911123020,,,,SA-0020
            """;

    private static final Logger log = LoggerFactory.getLogger(DiallerDemoData.class);

    private final CampaignDialling dialling;
    private final CallerIds callerIds;
    private final CallLists callLists;
    private final LeadImport leadImport;
    private final DoNotCallList doNotCall;
    private final Leads leads;
    private final Teams teams;
    private final InboundDemoData inbound;

    public DiallerDemoData(CampaignDialling dialling, CallerIds callerIds, CallLists callLists, LeadImport leadImport,
            DoNotCallList doNotCall, Leads leads, Teams teams, InboundDemoData inbound) {
        this.inbound = inbound;
        this.dialling = dialling;
        this.callerIds = callerIds;
        this.callLists = callLists;
        this.leadImport = leadImport;
        this.doNotCall = doNotCall;
        this.leads = leads;
        this.teams = teams;
    }

    /**
     * Sets up the dialler for the demo campaigns, the list in {@code listCampaignId}, and answers the lead ids of the
     * demo pledges' donors by number. Runs once, in the transaction that creates the demo campaigns.
     */
    @Transactional
    public Map<String, Long> setUp(List<Long> campaignIds, long listCampaignId) {
        for (long campaignId : campaignIds) {
            // The demo's calls are recorded: a card capture pauses the recording while the donor keys their card.
            dialling.update(new DiallingRules(campaignId, 60, 3, 10, ALL_DAY, ALL_DAY,
                    ZoneId.of("Europe/London"), "GB", true));
            callerIds.replace(campaignId, CALLER_IDS);
        }
        long list = callLists.create(CALL_LIST, listCampaignId);
        LeadImport.Report report = leadImport.importLeads(list,
                new ByteArrayInputStream(LEADS.getBytes(StandardCharsets.UTF_8)), false, DemoUsers.AGENT_ADMIN);
        doNotCall.add(ON_DO_NOT_CALL_LIST, DemoUsers.AGENT_ADMIN);
        leads.recordStatus(leadId(list, REMOVED), CallStatus.REMOVE, null, "asked to be removed from our lists",
                DemoUsers.AGENT_ADMIN, false);
        long team = teams.create(TEAM, List.of(DemoUsers.AGENT), List.of(new Teams.Weighting(list, 1)));
        inbound.setUp(team, listCampaignId);
        Map<String, Long> donors = new LinkedHashMap<>();
        for (String phone : List.of(JANE, JOHN, PRIYA, TOM)) {
            donors.put(phone, leadId(list, phone));
        }
        log.info("Demo data: call list {} ({} leads), team {}, calling all day", list, report.imported(), team);
        return donors;
    }

    private long leadId(long list, String phone) {
        return leads.search(new Leads.Search(list, phone, null, 0, 1)).items().get(0).id();
    }
}
