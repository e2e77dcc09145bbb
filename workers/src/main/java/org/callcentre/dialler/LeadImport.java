package org.callcentre.dialler;

import static org.callcentre.dialler.Leads.placeholders;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.callcentre.problem.RefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a call list's leads from a CSV file: one lead a row, numbers made E.164 with the campaign's region, a row
 * that names an existing lead (by {@code external_ref}, or without one by its first number) adding that lead to the
 * list instead of creating another.
 * <p>
 * The upload is read once, as it arrives, and every row is checked and normalised into a temporary file; only when
 * the whole file has been read does anything reach the database, in one transaction, from that file, in batches of
 * {@value #BATCH} rows. Two passes rather than one transaction rolled back at the first bad row: the answer must list
 * every bad row, not the first; the upload arrives at the network's pace, which must not hold a transaction and its
 * row locks open; and the second pass, which reads a normalised local file, keeps the database busy at its own pace.
 * Memory stays bounded by one batch (and the listed rejections), whatever the file's size.
 */
public class LeadImport {

    /** The columns a file may have; {@code phone} is required. */
    public static final List<String> COLUMNS = List.of("first_name", "last_name", "phone", "phone_2", "phone_3",
            "email", "time_zone", "external_ref");
    /** Rows written to the database per batch. */
    static final int BATCH = 1000;
    /** Rejections listed in an answer; more are only counted. */
    static final int LISTED_REJECTIONS = 10_000;

    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    private static final CSVFormat NORMALISED = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    /** Rows written by one import from which the database's statistics are refreshed. */
    private static final long REFRESH_STATISTICS_AFTER = 10_000;
    private static final Logger log = LoggerFactory.getLogger(LeadImport.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public LeadImport(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * What an import did.
     *
     * @param imported      leads created
     * @param addedToList   leads that existed and joined the list
     * @param rejected      the rows not taken (at most {@value #LISTED_REJECTIONS} listed)
     * @param rejectedCount how many rows were not taken in all
     */
    public record Report(long imported, long addedToList, List<Rejection> rejected, long rejectedCount) {
    }

    /**
     * Imports {@code csv} (UTF-8) into the call list. With {@code skipInvalid} the good rows are imported and the bad
     * ones listed; without it, any bad row refuses the whole file ({@link UnprocessableContent}) and nothing is
     * imported.
     */
    public Report importLeads(long callListId, InputStream csv, boolean skipInvalid, String userId) {
        ListSettings list = listSettings(callListId);
        Path normalised = null;
        try {
            normalised = Files.createTempFile("lead-import-", ".csv");
            Checked checked = check(csv, list, normalised);
            if (checked.rejectedCount > 0 && !skipInvalid) {
                throw new UnprocessableContent(checked.rejectedCount + " row(s) of the file are malformed; nothing was "
                        + "imported (import with skipInvalid=true to take the good rows)", checked.rejected);
            }
            Path rows = normalised;
            long[] counts = transaction.execute(status -> write(callListId, rows, checked.zones, userId));
            if (counts[0] + counts[1] >= REFRESH_STATISTICS_AFTER) {
                refreshStatistics();
            }
            return new Report(counts[0], counts[1], checked.rejected, checked.rejectedCount);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (normalised != null) {
                try {
                    Files.deleteIfExists(normalised);
                } catch (IOException ignored) {
                    // A temporary file: the system's cleanup takes it.
                }
            }
        }
    }

    private record ListSettings(ZoneId defaultZone, String region) {
    }

    private boolean postgres() {
        return jdbc.execute((ConnectionCallback<Boolean>) connection -> connection.getMetaData()
                .getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres"));
    }

    /**
     * After a large import PostgreSQL's statistics still describe the tables as they were, and its planner may choose
     * plans for Next Lead and the lead search that suit a small table until autovacuum analyses them. Analysing the
     * three tables takes a sample, about a second for a million leads.
     */
    private void refreshStatistics() {
        if (postgres()) {
            try {
                jdbc.execute("analyze lead, lead_call_list, lead_phone");
            } catch (DataAccessException e) {
                log.warn("Could not refresh the statistics of the lead tables after an import: {}", e.getMessage());
            }
        }
    }

    private ListSettings listSettings(long callListId) {
        return jdbc.query("select c.default_time_zone, c.default_region from call_list l join campaign c "
                + "on c.id = l.campaign_id where l.id = ?", (rs, n) -> new ListSettings(
                        ZoneId.of(rs.getString("default_time_zone")), rs.getString("default_region").trim()),
                callListId).stream().findFirst()
                .orElseThrow(() -> RefusedException.notFound("there is no call list " + callListId));
    }

    /** A row as checked: E.164 numbers, a known zone, blanks as nulls. */
    private record Row(String externalRef, String firstName, String lastName, String email, String timeZone,
            List<String> phones) {

        String key() {
            return externalRef != null ? "ref:" + externalRef : "phone:" + phones.get(0);
        }
    }

    private static final class Checked {
        final List<Rejection> rejected = new ArrayList<>();
        final Set<String> zones = new TreeSet<>();
        long rejectedCount;

        void reject(long line, String reason) {
            rejectedCount++;
            if (rejected.size() < LISTED_REJECTIONS) {
                rejected.add(new Rejection(line, reason));
            }
        }
    }

    /** The first pass: reads the upload, checks every row and writes the good ones, normalised, to {@code out}. */
    private Checked check(InputStream csv, ListSettings list, Path out) throws IOException {
        Checked checked = new Checked();
        Reader reader = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8), 1 << 16);
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get();
        try (CSVParser parser = format.parse(reader);
                CSVPrinter printer = new CSVPrinter(new BufferedWriter(Files.newBufferedWriter(out), 1 << 16),
                        NORMALISED)) {
            Iterator<CSVRecord> records = parser.iterator();
            Map<String, Integer> columns = header(next(records, parser));
            int width = columns.size();
            CSVRecord record;
            while ((record = next(records, parser)) != null) {
                long line = parser.getCurrentLineNumber();
                if (record.size() != width) {
                    checked.reject(line, "the row has " + record.size() + " fields where the header has " + width);
                    continue;
                }
                String problem = null;
                List<String> phones = new ArrayList<>(3);
                for (String column : List.of("phone", "phone_2", "phone_3")) {
                    String raw = value(record, columns, column);
                    if (raw == null) {
                        if (column.equals("phone")) {
                            problem = "phone is required";
                            break;
                        }
                        continue;
                    }
                    Optional<String> number = PhoneNumbers.e164(raw, list.region);
                    if (number.isEmpty()) {
                        problem = column + " '" + raw + "' is not a valid phone number (numbers without + are read "
                                + "for " + list.region + ")";
                        break;
                    }
                    if (!phones.contains(number.get())) {
                        phones.add(number.get());
                    }
                }
                String zone = value(record, columns, "time_zone");
                if (problem == null && zone != null && !ZONES.contains(zone)) {
                    problem = "time_zone '" + zone + "' is not an IANA time zone such as Europe/London";
                }
                Row row = new Row(value(record, columns, "external_ref"), value(record, columns, "first_name"),
                        value(record, columns, "last_name"), value(record, columns, "email"),
                        zone == null ? list.defaultZone.getId() : zone, phones);
                if (problem == null) {
                    problem = tooLong("external_ref", row.externalRef, 100);
                }
                if (problem == null) {
                    problem = tooLong("first_name", row.firstName, 100);
                }
                if (problem == null) {
                    problem = tooLong("last_name", row.lastName, 100);
                }
                if (problem == null) {
                    problem = tooLong("email", row.email, 254);
                }
                if (problem != null) {
                    checked.reject(line, problem);
                    continue;
                }
                checked.zones.add(row.timeZone);
                printer.printRecord(row.externalRef, row.firstName, row.lastName, row.email, row.timeZone,
                        row.phones.get(0), row.phones.size() > 1 ? row.phones.get(1) : null,
                        row.phones.size() > 2 ? row.phones.get(2) : null);
            }
        }
        return checked;
    }

    /** The next record, or null at the end; a file that is not CSV is refused with the line it broke at. */
    private static CSVRecord next(Iterator<CSVRecord> records, CSVParser parser) {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new UnprocessableContent("the file is not valid CSV at line " + (parser.getCurrentLineNumber() + 1)
                    + ": " + e.getMessage());
        }
    }

    /** The header's columns by position; an unknown, repeated or missing required column refuses the file. */
    private static Map<String, Integer> header(CSVRecord header) {
        if (header == null) {
            throw new UnprocessableContent("the file is empty: it needs a header row naming its columns");
        }
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i).replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name)) {
                throw new UnprocessableContent("unknown column '" + name + "': the columns are "
                        + String.join(", ", COLUMNS));
            }
            if (columns.put(name, i) != null) {
                throw new UnprocessableContent("the column '" + name + "' appears twice");
            }
        }
        if (!columns.containsKey("phone")) {
            throw new UnprocessableContent("the file has no phone column: it is required");
        }
        return columns;
    }

    private static String value(CSVRecord record, Map<String, Integer> columns, String column) {
        Integer index = columns.get(column);
        if (index == null) {
            return null;
        }
        String value = record.get(index);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String tooLong(String column, String value, int max) {
        return value != null && value.length() > max ? column + " has more than " + max + " characters" : null;
    }

    /** The second pass, in one transaction: the normalised rows, batch by batch. Answers {imported, addedToList}. */
    private long[] write(long callListId, Path rows, Set<String> zones, String userId) {
        if (postgres()) {
            // The lookups of existing leads run once a batch while the import grows the tables they read. A plan that
            // PostgreSQL cached while the table was small (a sequential scan) would be kept for the whole import and
            // make it quadratic; custom plans are made for the table as it is at each batch.
            jdbc.execute("set local plan_cache_mode = force_custom_plan");
        }
        long[] counts = new long[2];
        Timestamp now = Timestamp.from(clock.instant());
        try (Reader reader = Files.newBufferedReader(rows); CSVParser parser = NORMALISED.parse(reader)) {
            List<Row> batch = new ArrayList<>(BATCH);
            for (CSVRecord record : parser) {
                List<String> phones = new ArrayList<>(3);
                for (int i = 5; i < 8; i++) {
                    if (!record.get(i).isEmpty()) {
                        phones.add(record.get(i));
                    }
                }
                batch.add(new Row(blankToNull(record.get(0)), blankToNull(record.get(1)), blankToNull(record.get(2)),
                        blankToNull(record.get(3)), record.get(4), phones));
                if (batch.size() == BATCH) {
                    writeBatch(callListId, batch, now, userId, counts);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                writeBatch(callListId, batch, now, userId, counts);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        addZones(zones);
        return counts;
    }

    private void writeBatch(long callListId, List<Row> batch, Timestamp now, String userId, long[] counts) {
        // The leads the batch's rows name that exist already: earlier batches' new leads included (same transaction).
        Set<String> refs = new LinkedHashSet<>();
        Set<String> firstPhones = new LinkedHashSet<>();
        for (Row row : batch) {
            if (row.externalRef != null) {
                refs.add(row.externalRef);
            } else {
                firstPhones.add(row.phones.get(0));
            }
        }
        Map<String, Long> existing = new HashMap<>();
        if (!refs.isEmpty()) {
            jdbc.query("select id, external_ref from lead where external_ref in (" + placeholders(refs.size()) + ")",
                    rs -> {
                        existing.put("ref:" + rs.getString("external_ref"), rs.getLong("id"));
                    }, refs.toArray());
        }
        if (!firstPhones.isEmpty()) {
            jdbc.query("select min(id) as id, first_phone from lead where first_phone in ("
                    + placeholders(firstPhones.size()) + ") group by first_phone", rs -> {
                        existing.put("phone:" + rs.getString("first_phone"), rs.getLong("id"));
                    }, firstPhones.toArray());
        }
        // New leads, once each: a later row naming one (by reference, or by its first number) is the same lead.
        List<Row> created = new ArrayList<>();
        Map<String, Row> createdByKey = new HashMap<>();
        Set<Long> named = new LinkedHashSet<>();
        for (Row row : batch) {
            Long id = existing.get(row.key());
            if (id != null) {
                named.add(id);
            } else if (!createdByKey.containsKey(row.key())) {
                created.add(row);
                createdByKey.put(row.key(), row);
                createdByKey.putIfAbsent("phone:" + row.phones.get(0), row);
            }
        }
        List<Long> joining = new ArrayList<>(named);
        if (!named.isEmpty()) {
            joining.removeAll(jdbc.queryForList("select lead_id from lead_call_list where call_list_id = ? and lead_id "
                    + "in (" + placeholders(named.size()) + ")", Long.class, concat(callListId, named)));
        }
        long[] ids = insertLeads(created, now, doNotCall(created));
        List<Object[]> phones = new ArrayList<>();
        List<Object[]> memberships = new ArrayList<>();
        List<Object[]> events = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            List<String> numbers = created.get(i).phones;
            for (int p = 0; p < numbers.size(); p++) {
                phones.add(new Object[] {ids[i], p + 1, numbers.get(p)});
            }
            memberships.add(new Object[] {callListId, ids[i], now});
            events.add(new Object[] {ids[i], now, userId, LeadHistory.Kind.IMPORTED.name(),
                "imported into call list " + callListId});
        }
        for (long id : joining) {
            memberships.add(new Object[] {callListId, id, now});
            events.add(new Object[] {id, now, userId, LeadHistory.Kind.ADDED_TO_LIST.name(),
                "added to call list " + callListId});
        }
        insertRows("lead_phone (lead_id, position, number)", phones, null);
        insertRows("lead_call_list (call_list_id, lead_id, added_at)", memberships, null);
        insertRows("lead_history (lead_id, at, user_id, kind, detail)", events, null);
        counts[0] += ids.length;
        counts[1] += joining.size();
    }

    /** Which of the new leads' numbers are on the do-not-call list. */
    private Set<String> doNotCall(List<Row> created) {
        List<String> numbers = created.stream().flatMap(r -> r.phones.stream()).distinct().toList();
        Set<String> listed = new HashSet<>();
        for (int from = 0; from < numbers.size(); from += BATCH) {
            List<String> chunk = numbers.subList(from, Math.min(numbers.size(), from + BATCH));
            listed.addAll(jdbc.queryForList("select number from do_not_call where number in ("
                    + placeholders(chunk.size()) + ")", String.class, chunk.toArray()));
        }
        return listed;
    }

    /**
     * Inserts the new leads, many to a statement, and answers their ids in the rows' order. The ids are read back by
     * the key that made each row a new lead (reference, or first number without one), unique within the batch.
     */
    private long[] insertLeads(List<Row> rows, Timestamp now, Set<String> doNotCall) {
        if (rows.isEmpty()) {
            return new long[0];
        }
        List<Object[]> values = new ArrayList<>(rows.size());
        for (Row row : rows) {
            values.add(new Object[] {row.externalRef, row.firstName, row.lastName, row.email, row.timeZone,
                row.phones.get(0), row.phones.stream().anyMatch(n -> !doNotCall.contains(n)), now});
        }
        List<Long> ids = new ArrayList<>(rows.size());
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        insertRows("lead (external_ref, first_name, last_name, email, time_zone, first_phone, dialable, created_at)",
                values, keys);
        for (Map<String, Object> key : keys.getKeyList()) {
            ids.add(((Number) key.values().iterator().next()).longValue());
        }
        if (ids.size() != rows.size()) {
            throw new IllegalStateException("the database answered " + ids.size() + " ids for " + rows.size()
                    + " new leads");
        }
        Map<String, Long> byKey = new HashMap<>();
        jdbc.query("select id, external_ref, first_phone from lead where id in (" + placeholders(ids.size()) + ")",
                rs -> {
                    String ref = rs.getString("external_ref");
                    byKey.put(ref != null ? "ref:" + ref : "phone:" + rs.getString("first_phone"), rs.getLong("id"));
                }, ids.toArray());
        return rows.stream().mapToLong(row -> byKey.get(row.key())).toArray();
    }

    /**
     * Inserts the rows with as few statements as the parameter limits allow: one statement of many rows is parsed
     * and planned once and travels in one round trip, where a JDBC batch of single-row statements executes each.
     */
    private void insertRows(String tableAndColumns, List<Object[]> rows, GeneratedKeyHolder keys) {
        if (rows.isEmpty()) {
            return;
        }
        int width = rows.get(0).length;
        String row = "(" + placeholders(width) + ")";
        for (int from = 0; from < rows.size(); from += BATCH) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + BATCH));
            String sql = "insert into " + tableAndColumns + " values "
                    + String.join(", ", Collections.nCopies(chunk.size(), row));
            Object[] arguments = new Object[chunk.size() * width];
            for (int i = 0; i < chunk.size(); i++) {
                System.arraycopy(chunk.get(i), 0, arguments, i * width, width);
            }
            if (keys == null) {
                jdbc.update(sql, arguments);
            } else {
                GeneratedKeyHolder chunkKeys = new GeneratedKeyHolder();
                jdbc.update(c -> {
                    PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"});
                    for (int i = 0; i < arguments.length; i++) {
                        StatementCreatorUtils.setParameterValue(ps, i + 1,
                                SqlTypeValue.TYPE_UNKNOWN, arguments[i]);
                    }
                    return ps;
                }, chunkKeys);
                keys.getKeyList().addAll(chunkKeys.getKeyList());
            }
        }
    }

    /** Zones no lead lived in before join the list Next Lead checks calling hours for. */
    private void addZones(Set<String> zones) {
        if (zones.isEmpty()) {
            return;
        }
        Set<String> missing = new TreeSet<>(zones);
        missing.removeAll(jdbc.queryForList("select time_zone from lead_time_zone where time_zone in ("
                + placeholders(zones.size()) + ")", String.class, zones.toArray()));
        jdbc.batchUpdate("insert into lead_time_zone (time_zone) values (?)",
                missing.stream().map(z -> new Object[] {z}).toList());
    }

    private static Object[] concat(Object first, Set<Long> rest) {
        Object[] all = Arrays.copyOf(new Object[] {first}, rest.size() + 1);
        int i = 1;
        for (Long each : rest) {
            all[i++] = each;
        }
        return all;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
