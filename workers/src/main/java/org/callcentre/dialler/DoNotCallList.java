package org.callcentre.dialler;

import static org.callcentre.dialler.Leads.placeholders;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Numbers never to be dialled, whichever lead holds them. Every change keeps {@code lead.dialable} of the leads
 * holding the number, in the caller's transaction.
 */
public class DoNotCallList {

    private static final int BATCH = 1000;
    private static final int LISTED_REJECTIONS = 10_000;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Leads leads;

    public DoNotCallList(JdbcTemplate jdbc, Clock clock, Leads leads) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.leads = leads;
    }

    /** An entry of the list. */
    public record Entry(String number, Instant addedAt) {
    }

    /** What an upload did: numbers newly on the list, and the rows not taken. */
    public record Report(long added, List<Rejection> rejected) {
    }

    /**
     * Adds the numbers of a CSV file (UTF-8, a header row with a {@code phone} column) to the list, read in
     * {@code region} when written without +. Rows that are not valid numbers are listed and skipped; numbers already
     * on the list are not counted again.
     */
    public Report add(InputStream csv, String region, String userId) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get();
        List<Rejection> rejected = new ArrayList<>();
        long added = 0;
        try (CSVParser parser = format.parse(new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8)))) {
            Iterator<CSVRecord> records = parser.iterator();
            int column = phoneColumn(records.hasNext() ? records.next() : null);
            Map<String, Boolean> batch = new LinkedHashMap<>();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                long line = parser.getCurrentLineNumber();
                String raw = column < record.size() ? record.get(column) : "";
                Optional<String> number = PhoneNumbers.e164(raw, region);
                if (number.isEmpty()) {
                    if (rejected.size() < LISTED_REJECTIONS) {
                        rejected.add(new Rejection(line, raw.isBlank() ? "phone is required"
                                : "phone '" + raw + "' is not a valid phone number (numbers without + are read for "
                                        + region + ")"));
                    }
                    continue;
                }
                batch.put(number.get(), true);
                if (batch.size() == BATCH) {
                    added += addBatch(batch.keySet(), userId);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                added += addBatch(batch.keySet(), userId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new UnprocessableContent("the file is not valid CSV: " + e.getMessage());
        }
        return new Report(added, rejected);
    }

    private static int phoneColumn(CSVRecord header) {
        if (header == null) {
            throw new UnprocessableContent("the file is empty: it needs a header row with a phone column");
        }
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT).equals("phone")) {
                return i;
            }
        }
        throw new UnprocessableContent("the file has no phone column: it is required");
    }

    private int addBatch(java.util.Collection<String> numbers, String userId) {
        List<String> fresh = new ArrayList<>(numbers);
        fresh.removeAll(jdbc.queryForList("select number from do_not_call where number in ("
                + placeholders(numbers.size()) + ")", String.class, numbers.toArray()));
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.batchUpdate("insert into do_not_call (number, added_at, added_by) values (?, ?, ?)",
                fresh.stream().map(n -> new Object[] {n, now, userId}).toList());
        leads.recomputeDialableForNumbers(fresh);
        return fresh.size();
    }

    /** Adds one number (E.164); answers whether it was new to the list. */
    public boolean add(String number, String userId) {
        return addBatch(List.of(number), userId) == 1;
    }

    public Optional<Entry> entry(String number) {
        return jdbc.query("select number, added_at from do_not_call where number = ?",
                (rs, n) -> new Entry(rs.getString("number"), rs.getTimestamp("added_at").toInstant()), number).stream()
                .findFirst();
    }

    /** Takes the number off the list; answers whether it was on it. */
    public boolean remove(String number) {
        if (jdbc.update("delete from do_not_call where number = ?", number) == 0) {
            return false;
        }
        leads.recomputeDialableForNumbers(List.of(number));
        return true;
    }
}
