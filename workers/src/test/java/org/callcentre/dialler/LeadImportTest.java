package org.callcentre.dialler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Enumeration;
import java.util.List;

import org.callcentre.problem.RefusedException;
import org.callcentre.support.OnEachDatabase;
import org.callcentre.support.StoreDatabase;
import org.junit.jupiter.api.BeforeEach;

/** The CSV import on the real schema, on H2 and on PostgreSQL. */
class LeadImportTest {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
    private static final String HEADER = "first_name,last_name,phone,phone_2,phone_3,email,time_zone,external_ref\n";

    private StoreDatabase database;
    private LeadImport imports;
    private Leads leads;
    private long campaign;
    private long list;
    private long otherList;

    @BeforeEach
    void setUp(StoreDatabase database) {
        this.database = database;
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        imports = new LeadImport(database.jdbc(), database.transaction().getTransactionManager(), clock);
        leads = new Leads(database.jdbc(), clock, new DiallerProperties(15), new LeadHistory(database.jdbc(), clock));
        ListFixtures lists = new ListFixtures(database.jdbc(), clock);
        campaign = lists.campaign("Winter appeal", "GB", "Europe/London");
        list = lists.callList("Lapsed donors", campaign);
        otherList = lists.callList("Raffle", campaign);
    }

    @OnEachDatabase
    void nationalNumbersAreReadForTheCampaignsRegionAndTheZoneDefaultsToTheCampaigns(StoreDatabase database) {
        LeadImport.Report report = importInto(list, HEADER
                + "Ada,Lovelace,07911 123456,020 7946 0018,+1 212 555 0100,ada@example.org,,A-1\n"
                + "Alan,Turing,+44 161 496 0000,,,,America/New_York,\n");

        assertThat(report).isEqualTo(new LeadImport.Report(2, 0, List.of(), 0));
        LeadView ada = leads.view(leadIdByRef("A-1")).orElseThrow();
        assertThat(ada.phones()).extracting(LeadView.Phone::number)
                .containsExactly("+447911123456", "+442079460018", "+12125550100");
        assertThat(ada.timeZone()).isEqualTo("Europe/London");
        assertThat(ada.firstName()).isEqualTo("Ada");
        assertThat(ada.email()).isEqualTo("ada@example.org");
        assertThat(ada.callListIds()).containsExactly(list);
        assertThat(ada.callable()).isTrue();
        LeadView alan = leads.view(leadIdByPhone("+441614960000")).orElseThrow();
        assertThat(alan.externalRef()).isNull();
        assertThat(alan.timeZone()).isEqualTo("America/New_York");
        assertThat(database.jdbc().queryForList("select time_zone from lead_time_zone order by time_zone",
                String.class)).containsExactly("America/New_York", "Europe/London");
    }

    @OnEachDatabase
    void anotherCampaignsRegionReadsTheSameDigitsElsewhere(StoreDatabase database) {
        ListFixtures lists = new ListFixtures(database.jdbc(), Clock.fixed(T0, ZoneOffset.UTC));
        long australian = lists.callList("Sydney", lists.campaign("Sydney appeal", "AU", "Australia/Sydney"));

        assertThat(importInto(australian, "phone\n0412 345 678\n").imported()).isEqualTo(1);
        assertThat(leadIdByPhone("+61412345678")).isPositive();
        assertThatThrownBy(() -> importInto(list, "phone\n0412 345 678\n"))
                .isInstanceOfSatisfying(UnprocessableContent.class, e -> assertThat(e.rejected()).containsExactly(
                        new Rejection(2, "phone '0412 345 678' is not a valid phone number (numbers without + are "
                                + "read for GB)")));
    }

    @OnEachDatabase
    void aRowNamingAnExistingLeadByReferenceAddsItToTheList(StoreDatabase database) {
        importInto(list, HEADER + "Ada,Lovelace,07911 123456,,,,,A-1\n");

        LeadImport.Report report = importInto(otherList, HEADER + "Ada,L,07911 123499,,,,,A-1\n");

        assertThat(report).isEqualTo(new LeadImport.Report(0, 1, List.of(), 0));
        long id = leadIdByRef("A-1");
        assertThat(leads.view(id).orElseThrow().callListIds()).containsExactly(list, otherList);
        assertThat(leads.view(id).orElseThrow().phones()).extracting(LeadView.Phone::number)
                .containsExactly("+447911123456");
        assertThat(leads.history(id)).extracting(LeadHistory.Event::kind, LeadHistory.Event::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LeadHistory.Kind.IMPORTED, "imported into call list " + list),
                org.assertj.core.groups.Tuple.tuple(LeadHistory.Kind.ADDED_TO_LIST, "added to call list " + otherList));
        assertThat(count("lead")).isOne();
    }

    @OnEachDatabase
    void aRowWithoutReferenceMatchesByItsFirstNumber(StoreDatabase database) {
        importInto(list, "phone,phone_2\n07911 123456,07911 123457\n");

        assertThat(importInto(otherList, "phone\n+447911123456\n")).isEqualTo(new LeadImport.Report(0, 1, List.of(), 0));
        // Only the first number identifies a lead: the same number second is someone else.
        assertThat(importInto(otherList, "phone\n+447911123457\n")).isEqualTo(new LeadImport.Report(1, 0, List.of(), 0));
        assertThat(count("lead")).isEqualTo(2);
    }

    @OnEachDatabase
    void aLeadAlreadyInTheListIsNeitherCountedNorAddedAgain(StoreDatabase database) {
        importInto(list, HEADER + "Ada,Lovelace,07911 123456,,,,,A-1\n");

        assertThat(importInto(list, HEADER + "Ada,Lovelace,07911 123456,,,,,A-1\n,,07911 123456,,,,,\n"))
                .isEqualTo(new LeadImport.Report(0, 0, List.of(), 0));
        assertThat(count("lead_call_list")).isOne();
        assertThat(count("lead_history")).isOne();
    }

    @OnEachDatabase
    void duplicateRowsInOneFileMakeOneLead(StoreDatabase database) {
        LeadImport.Report report = importInto(list, HEADER
                + "Ada,Lovelace,07911 123456,,,,,A-1\n"
                + "Ada,Again,07911 111111,,,,,A-1\n"
                + "Bea,Bell,07911 222222,,,,,\n"
                + "Bea,Twice,07911 222222,,,,,\n"
                + "Ada,ByPhone,07911 123456,,,,,\n");

        assertThat(report).isEqualTo(new LeadImport.Report(2, 0, List.of(), 0));
        assertThat(count("lead")).isEqualTo(2);
        assertThat(count("lead_call_list")).isEqualTo(2);
        assertThat(leads.view(leadIdByRef("A-1")).orElseThrow().lastName()).isEqualTo("Lovelace");
    }

    @OnEachDatabase
    void anyBadRowRefusesTheWholeFileWithEveryBadLine(StoreDatabase database) {
        String file = HEADER
                + "Ada,Lovelace,07911 123456,,,,,A-1\n"
                + "No,Phone,,,,,,\n"
                + "Bad,Number,12345,,,,,\n"
                + "Bad,Second,07911 123457,999,,,,\n"
                + "Bad,Zone,07911 123458,,,,Mars/Olympus,\n"
                + "Short,Row,07911 123459\n"
                + "Bea,Bell,07911 222222,,,,,\n";

        assertThatThrownBy(() -> importInto(list, file)).isInstanceOfSatisfying(UnprocessableContent.class, e -> {
            assertThat(e.getMessage()).startsWith("5 row(s) of the file are malformed; nothing was imported");
            assertThat(e.rejected()).containsExactly(
                    new Rejection(3, "phone is required"),
                    new Rejection(4, "phone '12345' is not a valid phone number (numbers without + are read for GB)"),
                    new Rejection(5, "phone_2 '999' is not a valid phone number (numbers without + are read for GB)"),
                    new Rejection(6, "time_zone 'Mars/Olympus' is not an IANA time zone such as Europe/London"),
                    new Rejection(7, "the row has 3 fields where the header has 8"));
        });
        assertThat(count("lead")).isZero();
        assertThat(count("lead_phone")).isZero();
        assertThat(count("lead_call_list")).isZero();
        assertThat(count("lead_history")).isZero();
        assertThat(count("lead_time_zone")).isZero();
    }

    @OnEachDatabase
    void skipInvalidImportsTheGoodRowsAndListsTheBadOnes(StoreDatabase database) {
        LeadImport.Report report = imports.importLeads(list, csv(HEADER
                + "Ada,Lovelace,07911 123456,,,,,A-1\n"
                + "Bad,Number,12345,,,,,\n"
                + "\"Multi\nLine\",Quoted,07911 222222,,,,,\n"
                + "No,Phone,,,,,,\n"), true, "agentadmin");

        assertThat(report).isEqualTo(new LeadImport.Report(2, 0, List.of(
                new Rejection(3, "phone '12345' is not a valid phone number (numbers without + are read for GB)"),
                new Rejection(6, "phone is required")), 1 + 1));
        assertThat(count("lead")).isEqualTo(2);
        assertThat(leads.view(leadIdByPhone("+447911222222")).orElseThrow().firstName()).isEqualTo("Multi\nLine");
        assertThat(database.jdbc().queryForObject("select user_id from lead_history where kind = 'IMPORTED' "
                + "order by id fetch first 1 rows only", String.class)).isEqualTo("agentadmin");
    }

    @OnEachDatabase
    void anUnknownOrMissingColumnRefusesTheFile(StoreDatabase database) {
        assertThatThrownBy(() -> importInto(list, "phone,nickname\n07911 123456,Ada\n"))
                .isInstanceOf(UnprocessableContent.class).hasMessageStartingWith("unknown column 'nickname'");
        assertThatThrownBy(() -> importInto(list, "first_name,last_name\nAda,Lovelace\n"))
                .isInstanceOf(UnprocessableContent.class).hasMessage("the file has no phone column: it is required");
        assertThatThrownBy(() -> importInto(list, ""))
                .isInstanceOf(UnprocessableContent.class).hasMessageStartingWith("the file is empty");
        assertThatThrownBy(() -> importInto(list + otherList + 10, "phone\n07911 123456\n"))
                .isInstanceOfSatisfying(RefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RefusedException.Reason.NOT_FOUND));
        assertThat(count("lead")).isZero();
    }

    @OnEachDatabase
    void aLeadWhoseEveryNumberIsOnTheDoNotCallListIsImportedUndialable(StoreDatabase database) {
        database.jdbc().update("insert into do_not_call (number, added_at) values ('+447911123456', ?)",
                java.sql.Timestamp.from(T0));

        importInto(list, "phone,phone_2,external_ref\n07911 123456,,ALL-DNC\n07911 123456,07911 123457,ONE-GOOD\n");

        assertThat(dialable("ALL-DNC")).isFalse();
        assertThat(leads.view(leadIdByRef("ALL-DNC")).orElseThrow().notCallableReason()).isEqualTo(Leads.NO_NUMBER_LEFT);
        assertThat(dialable("ONE-GOOD")).isTrue();
    }

    @OnEachDatabase
    void aHundredThousandRowsImportInBatches(StoreDatabase database) {
        int rows = 100_000;
        long started = System.nanoTime();
        LeadImport.Report report = imports.importLeads(list, generated(rows), false, "agentadmin");
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("Imported %,d leads on %s in %,d ms (%,d rows/s)%n", rows, database, millis,
                rows * 1000L / Math.max(1, millis));

        assertThat(report).isEqualTo(new LeadImport.Report(rows, 0, List.of(), 0));
        assertThat(count("lead")).isEqualTo(rows);
        assertThat(count("lead_phone")).isEqualTo(2L * rows);
        assertThat(count("lead_history")).isEqualTo(rows);
        assertThat(count("lead_call_list")).isEqualTo(rows);
    }

    /** A file of {@code rows} leads with two numbers each, produced as it is read. */
    static InputStream generated(int rows) {
        Enumeration<InputStream> parts = new Enumeration<>() {
            int next = -1;

            @Override
            public boolean hasMoreElements() {
                return next < rows;
            }

            @Override
            public InputStream nextElement() {
                StringBuilder chunk = new StringBuilder();
                if (next < 0) {
                    chunk.append(HEADER);
                    next = 0;
                }
                for (int end = Math.min(rows, next + 1000); next < end; next++) {
                    chunk.append("First").append(next).append(",Last,07911 ").append(String.format("%06d", next))
                            .append(",+1 212 555 0100,,donor").append(next).append("@example.org,,REF-").append(next)
                            .append('\n');
                }
                return new ByteArrayInputStream(chunk.toString().getBytes(StandardCharsets.UTF_8));
            }
        };
        return new SequenceInputStream(parts);
    }

    private LeadImport.Report importInto(long callListId, String file) {
        return imports.importLeads(callListId, csv(file), false, "agentadmin");
    }

    private static InputStream csv(String file) {
        return new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8));
    }

    private long leadIdByRef(String ref) {
        return database.jdbc().queryForObject("select id from lead where external_ref = ?", Long.class, ref);
    }

    private long leadIdByPhone(String phone) {
        return database.jdbc().queryForObject("select id from lead where first_phone = ?", Long.class, phone);
    }

    private boolean dialable(String ref) {
        return database.jdbc().queryForObject("select dialable from lead where external_ref = ?", Boolean.class, ref);
    }

    private long count(String table) {
        return database.jdbc().queryForObject("select count(*) from " + table, Long.class);
    }

}
