package org.callcentre.bench.dialler;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark's leads as CSV files, one per call list, made on the fly while they are sent: never the whole file
 * in memory. Lead {@code n} (from 0) is the same person in every file: reference {@code bench-n}, a UK mobile
 * number from n, time zone UTC. The leads are split evenly over the lists in order; the second list also repeats
 * every {@link #OVERLAP_EVERY}th lead of the first (same reference and number), so that those join both lists.
 */
public final class LeadFile {

    public static final String HEADER = "first_name,last_name,phone,time_zone,external_ref\n";
    /** The second list repeats one lead in this many of the first list's: 5%. */
    public static final int OVERLAP_EVERY = 20;
    /**
     * Numbers +4474[0-4]xxxxxxx: mobile numbers libphonenumber accepts as valid for GB (unlike +447700 9xxxxx, the
     * drama range), 50,000,000 of them.
     */
    static final long MAX_LEADS = 50_000_000L;

    private final long leads;
    private final int lists;

    public LeadFile(long leads, int lists) {
        if (leads < 1 || leads > MAX_LEADS) {
            throw new IllegalArgumentException("leads: " + leads + " is not between 1 and " + MAX_LEADS);
        }
        if (lists < 1 || lists > leads) {
            throw new IllegalArgumentException("lists: " + lists + " for " + leads + " leads");
        }
        this.leads = leads;
        this.lists = lists;
    }

    public int lists() {
        return lists;
    }

    /** The leads that are first seen in list {@code list} (from 0): the import creates them. */
    public long newLeads(int list) {
        return firstLead(list + 1) - firstLead(list);
    }

    /** The rows of list {@code list} that repeat another list's lead: the import adds those leads to this list. */
    public long repeatedLeads(int list) {
        return list == 1 ? (newLeads(0) + OVERLAP_EVERY - 1) / OVERLAP_EVERY : 0;
    }

    public long rows(int list) {
        return newLeads(list) + repeatedLeads(list);
    }

    public long totalRows() {
        long rows = 0;
        for (int list = 0; list < lists; list++) {
            rows += rows(list);
        }
        return rows;
    }

    public long leads() {
        return leads;
    }

    private long firstLead(int list) {
        return leads * list / lists;
    }

    /** The lead of row {@code row} (from 0, the header not counted) of list {@code list}. */
    long leadOf(int list, long row) {
        long own = newLeads(list);
        return row < own ? firstLead(list) + row : (row - own) * OVERLAP_EVERY;
    }

    public static String phone(long lead) {
        return String.format("+4474%08d", lead);
    }

    public static String externalRef(long lead) {
        return "bench-" + lead;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of list {@code list}, with the header, as CSV. */
    public InputStream csv(int list, long from, long to) {
        if (from < 0 || to > rows(list) || from > to) {
            throw new IllegalArgumentException("rows " + from + " to " + to + " of list " + list + " with "
                    + rows(list) + " rows");
        }
        return new Rows(list, from, to);
    }

    /** The CSV, one row made each time the previous one has been read. */
    private final class Rows extends InputStream {

        private final int list;
        private final long to;
        private long next;
        private byte[] line = HEADER.getBytes(StandardCharsets.US_ASCII);
        private int position;

        Rows(int list, long from, long to) {
            this.list = list;
            this.next = from;
            this.to = to;
        }

        /** True while there is something left to read in {@link #line}. */
        private boolean fill() {
            if (position < line.length) {
                return true;
            }
            if (next >= to) {
                return false;
            }
            long lead = leadOf(list, next++);
            line = ("Bench,Lead " + lead + "," + phone(lead) + ",UTC," + externalRef(lead) + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            position = 0;
            return true;
        }

        @Override
        public int read() {
            return fill() ? line[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            int read = 0;
            while (read < length && fill()) {
                int n = Math.min(length - read, line.length - position);
                System.arraycopy(line, position, buffer, offset + read, n);
                position += n;
                read += n;
            }
            return read == 0 ? -1 : read;
        }
    }
}
