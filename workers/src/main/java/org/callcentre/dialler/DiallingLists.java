package org.callcentre.dialler;

import static org.callcentre.dialler.Leads.placeholders;
import static org.callcentre.problem.RefusedException.conflict;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The company's block list (numbers never dialled) and allow list (numbers dialled even when the campaign does not
 * allow their country), in the caller's transaction. An entry is an E.164 number or a prefix; a number matches every
 * entry it starts with, so {@code +1900} blocks every number that begins with it.
 */
public class DiallingLists {

    /** {@code +} and 1 to 15 digits: what a prefix (and an E.164 number) looks like. */
    public static final Pattern PREFIX = Pattern.compile("\\+[0-9]{1,15}");

    /** Which list. */
    public enum Which {
        BLOCK("block list"), ALLOW("allow list");

        private final String words;

        Which(String words) {
            this.words = words;
        }

        /** The list's name in a sentence. */
        public String words() {
            return words;
        }
    }

    /** How an entry was added: a whole number, or a prefix. */
    public enum Kind {
        NUMBER, PREFIX
    }

    /** An entry of a list, with who added it and when. */
    public record Entry(long id, String entry, Kind kind, String reason, String addedBy, Instant addedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DiallingLists(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Adds an entry ({@code entry} an E.164 number for {@link Kind#NUMBER}, a {@link #PREFIX} otherwise); refused
     * when the list holds it already.
     */
    public Entry add(Which list, String entry, Kind kind, String reason, String userId) {
        if (!PREFIX.matcher(entry).matches()) {
            throw new IllegalArgumentException("not a number or prefix: " + entry);
        }
        if (find(list, entry).isPresent()) {
            throw duplicate(list, entry);
        }
        try {
            jdbc.update("insert into dialling_list_entry (list, entry, kind, reason, added_by, added_at) "
                    + "values (?, ?, ?, ?, ?, ?)", list.name(), entry, kind.name(), reason, userId,
                    Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException e) {
            throw duplicate(list, entry);
        }
        return find(list, entry).orElseThrow();
    }

    /** The list, newest first. */
    public List<Entry> entries(Which list) {
        return jdbc.query("select id, entry, kind, reason, added_by, added_at from dialling_list_entry where list = ? "
                + "order by added_at desc, id desc", (rs, n) -> entry(rs), list.name());
    }

    public Optional<Entry> find(Which list, String entry) {
        return jdbc.query("select id, entry, kind, reason, added_by, added_at from dialling_list_entry "
                + "where entry = ? and list = ?", (rs, n) -> entry(rs), entry, list.name()).stream().findFirst();
    }

    /** Takes the entry off the list; answers whether it was on it. */
    public boolean remove(Which list, String entry) {
        return jdbc.update("delete from dialling_list_entry where entry = ? and list = ?", entry, list.name()) == 1;
    }

    /** The list's entries that {@code number} (E.164) starts with, the longest first. */
    public List<Entry> matching(Which list, String number) {
        List<String> prefixes = new ArrayList<>();
        for (int end = number.length(); end >= 2; end--) {
            prefixes.add(number.substring(0, end));
        }
        List<Object> arguments = new ArrayList<>(prefixes);
        arguments.add(list.name());
        return jdbc.query("select id, entry, kind, reason, added_by, added_at from dialling_list_entry where entry in ("
                + placeholders(prefixes.size()) + ") and list = ?", (rs, n) -> entry(rs), arguments.toArray())
                .stream().sorted((a, b) -> Integer.compare(b.entry().length(), a.entry().length())).toList();
    }

    private static Entry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Entry(rs.getLong("id"), rs.getString("entry"), Kind.valueOf(rs.getString("kind")),
                rs.getString("reason"), rs.getString("added_by"), rs.getTimestamp("added_at").toInstant());
    }

    private static RuntimeException duplicate(Which list, String entry) {
        return conflict(entry + " is already on the " + list.words());
    }
}
