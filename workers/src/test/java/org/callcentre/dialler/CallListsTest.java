package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Currency;
import java.util.Locale;

import org.callcentre.campaign.CampaignBook;
import org.callcentre.dialler.CallLists.LeadCallList;
import org.callcentre.support.MovableClock;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;

/** The call lists that hold a lead, with their campaigns, on H2 and on PostgreSQL. */
class CallListsTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    private StoreDatabase database;
    private CallLists callLists;
    private LeadImport imports;
    private long winter;
    private long euro;

    @BeforeEach
    void setUp(StoreDatabase database) {
        this.database = database;
        MovableClock clock = new MovableClock(T0);
        callLists = new CallLists(database.jdbc(), clock);
        imports = new LeadImport(database.jdbc(), database.transaction().getTransactionManager(), clock);
        winter = new ListFixtures(database.jdbc(), clock).campaign("Winter appeal", "GB", "Europe/London");
        euro = new CampaignBook(database.jdbc(), clock).addCampaign("Euro appeal", Currency.getInstance("EUR"),
                Locale.GERMANY, true, false, false);
        database.jdbc().update("update campaign set default_region = 'DE', default_time_zone = 'Europe/Berlin' "
                + "where id = ?", euro);
    }

    @OnEachDatabase
    void aLeadInListsOfTwoCampaignsNamesEachListWithItsCampaignAndCurrency(StoreDatabase database) {
        long lapsed = callLists.create("Lapsed donors", winter);
        long recent = callLists.create("Recent donors", euro);
        long other = callLists.create("Other donors", winter);
        importInto(lapsed, "+447911123456,A-1\n");
        importInto(recent, "+447911123456,A-1\n");
        importInto(other, "+447911222222,B-2\n");
        long lead = leadId("A-1");

        assertThat(callLists.ofLead(lead)).containsExactly(
                new LeadCallList(lapsed, "Lapsed donors", winter, "Winter appeal", "GBP"),
                new LeadCallList(recent, "Recent donors", euro, "Euro appeal", "EUR"));
        assertThat(callLists.ofLead(leadId("B-2"))).extracting(LeadCallList::id).containsExactly(other);
    }

    @OnEachDatabase
    void anUnknownLeadIsInNoList(StoreDatabase database) {
        assertThat(callLists.ofLead(987_654_321L)).isEmpty();
    }

    private void importInto(long callList, String rows) {
        LeadImport.Report report = imports.importLeads(callList, new ByteArrayInputStream(("phone,external_ref\n" + rows)
                .getBytes(StandardCharsets.UTF_8)), false, "agentadmin");
        assertThat(report.rejected()).isEmpty();
    }

    private long leadId(String externalRef) {
        return database.jdbc().queryForObject("select id from lead where external_ref = ?", Long.class, externalRef);
    }
}
