package org.callcentre.dialler;

import static org.callcentre.problem.RefusedException.invalid;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;

/**
 * A campaign's caller IDs and how much each was used today, "today" being the day in the campaign's default time
 * zone. Calls cycle through the numbers: each call is placed from the least used one today, never from a
 * spam-flagged one (a number flagged as spam burns the leads it calls).
 */
public class CallerIds {

    /** A caller ID as the campaign's list shows it. */
    public record CallerId(String number, int usedToday, boolean spamFlagged) {
    }

    /** Conditional updates that lose to others this many times in a row are a fault, not contention. */
    private static final int MAX_TRIES = 1000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate attempt;
    private final Clock clock;

    public CallerIds(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.attempt = new TransactionTemplate(transactions);
        attempt.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = clock;
    }

    /** The campaign's numbers, in order. */
    public List<CallerId> list(long campaignId) {
        LocalDate today = today(campaignId);
        return jdbc.query("select number, used_on, used_count, spam_flagged from caller_id where campaign_id = ? "
                + "order by number", (rs, n) -> {
                    Date usedOn = rs.getDate("used_on");
                    boolean usedToday = usedOn != null && usedOn.toLocalDate().equals(today);
                    return new CallerId(rs.getString("number"), usedToday ? rs.getInt("used_count") : 0,
                            rs.getBoolean("spam_flagged"));
                }, campaignId);
    }

    /**
     * Makes the campaign's numbers exactly {@code numbers}: numbers that stay keep today's use and their spam flag,
     * new ones start unused. Every number must be a valid number written in E.164.
     */
    public void replace(long campaignId, List<String> numbers) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String number : numbers) {
            wanted.add(e164(number));
        }
        List<String> present = jdbc.queryForList("select number from caller_id where campaign_id = ?", String.class,
                campaignId);
        for (String number : present) {
            if (!wanted.contains(number)) {
                jdbc.update("delete from caller_id where campaign_id = ? and number = ?", campaignId, number);
            }
        }
        for (String number : wanted) {
            if (!present.contains(number)) {
                jdbc.update("insert into caller_id (campaign_id, number) values (?, ?)", campaignId, number);
            }
        }
    }

    /** Retires the number from the cycle; false when the campaign has no such number. */
    public boolean flagAsSpam(long campaignId, String number) {
        return jdbc.update("update caller_id set spam_flagged = ?, spam_flagged_at = coalesce(spam_flagged_at, ?) "
                + "where campaign_id = ? and number = ?", true, Timestamp.from(clock.instant()), campaignId,
                number) == 1;
    }

    /**
     * Chooses the number to place a call from: the least used today of the campaign's numbers that are not
     * spam-flagged (ties by number), and counts the use, in the caller's transaction. Empty when the campaign has no
     * such number.
     * <p>
     * The count is a conditional update on what was read: when another call took the same number in between, the
     * update changes nothing (PostgreSQL and H2 re-read the row once its lock is released) and the choice is made
     * again, so no use is lost and no number is counted twice for one call. Each try runs on a savepoint that a
     * losing try rolls back: the databases keep the row they re-read locked although they did not change it, and
     * two calls each holding the number the other wants next would deadlock.
     */
    public Optional<String> takeLeastUsed(long campaignId) {
        LocalDate today = today(campaignId);
        Date day = Date.valueOf(today);
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            List<Candidate> least = jdbc.query("select number, used_on, used_count from caller_id "
                    + "where campaign_id = ? and spam_flagged = false "
                    + "order by case when used_on = ? then used_count else 0 end, number "
                    + "fetch first 1 rows only", (rs, n) -> new Candidate(rs.getString("number"),
                            rs.getDate("used_on"), rs.getInt("used_count")), campaignId, day);
            if (least.isEmpty()) {
                return Optional.empty();
            }
            Candidate candidate = least.get(0);
            if (Boolean.TRUE.equals(attempt.execute(tx -> {
                boolean counted = count(campaignId, day, candidate);
                if (!counted) {
                    tx.setRollbackOnly();
                }
                return counted;
            }))) {
                return Optional.of(candidate.number());
            }
        }
        throw new IllegalStateException("could not count a use of a caller ID of campaign " + campaignId + " in "
                + MAX_TRIES + " tries");
    }

    private boolean count(long campaignId, Date day, Candidate candidate) {
        int counted = candidate.usedOn() == null
                ? jdbc.update("update caller_id set used_on = ?, used_count = 1 where campaign_id = ? and number = ? "
                        + "and spam_flagged = false and used_on is null", day, campaignId, candidate.number())
                : jdbc.update("update caller_id set used_on = ?, used_count = case when used_on = ? "
                        + "then used_count + 1 else 1 end where campaign_id = ? and number = ? "
                        + "and spam_flagged = false and used_on = ? and used_count = ?", day, day, campaignId,
                        candidate.number(), candidate.usedOn(), candidate.usedCount());
        return counted == 1;
    }

    /** The number in E.164 when libphonenumber takes it as valid and it is written that way; a refusal otherwise. */
    public static String e164(String number) {
        PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
        try {
            if (number != null && number.startsWith("+")) {
                var parsed = phones.parse(number, null);
                if (phones.isValidNumber(parsed) && phones.format(parsed, PhoneNumberFormat.E164).equals(number)) {
                    return number;
                }
            }
        } catch (NumberParseException e) {
            // Refused below, as any other malformed number.
        }
        throw invalid(number + " is not a valid phone number in E.164 (such as +447911123456)");
    }

    private LocalDate today(long campaignId) {
        ZoneId zone = jdbc.query("select default_time_zone from campaign where id = ?",
                (rs, n) -> ZoneId.of(rs.getString(1)), campaignId).stream().findFirst().orElse(ZoneId.of("UTC"));
        return clock.instant().atZone(zone).toLocalDate();
    }

    private record Candidate(String number, Date usedOn, int usedCount) {
    }
}
