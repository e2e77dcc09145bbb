package org.callcentre.dialler;

import java.util.List;
import java.util.Optional;

import org.callcentre.dialler.DiallingLists.Entry;
import org.callcentre.dialler.DiallingLists.Which;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Whether a campaign may dial a number, asked before every call is placed and again before Twilio is asked to create
 * it. The rules, in order: the do-not-call list, the company's block list, the campaign's allowed countries (empty:
 * every country), which the company's allow list may override; an allow-list entry never overrides the do-not-call
 * list or the block list. Read from the tables in the caller's transaction.
 */
public class DiallingCompliance {

    /** The rule that refused a number. */
    public enum Rule {
        DO_NOT_CALL, BLOCK_LIST, COUNTRY_NOT_ALLOWED
    }

    /** The answer: allowed ({@code rule} null), or refused by {@code rule}, with a sentence that says why. */
    public record Verdict(Rule rule, String detail) {

        public static final Verdict ALLOWED = new Verdict(null, null);

        public boolean allowed() {
            return rule == null;
        }
    }

    private final JdbcTemplate jdbc;
    private final DiallingLists lists;
    private final CampaignDialling dialling;

    public DiallingCompliance(JdbcTemplate jdbc, DiallingLists lists, CampaignDialling dialling) {
        this.jdbc = jdbc;
        this.lists = lists;
        this.dialling = dialling;
    }

    /** May campaign {@code campaignId} dial {@code number} (E.164)? */
    public Verdict check(long campaignId, String number) {
        if (jdbc.queryForObject("select count(*) from do_not_call where number = ?", Integer.class, number) > 0) {
            return new Verdict(Rule.DO_NOT_CALL, number + " is on the do-not-call list");
        }
        List<Entry> blocked = lists.matching(Which.BLOCK, number);
        if (!blocked.isEmpty()) {
            return new Verdict(Rule.BLOCK_LIST, number + " is on the block list" + as(blocked.get(0)) + ": "
                    + blocked.get(0).reason());
        }
        var allowed = dialling.allowedCountries(campaignId);
        Optional<String> country = PhoneNumbers.country(number);
        if (allowed.isEmpty() || country.isPresent() && allowed.contains(country.get())
                || !lists.matching(Which.ALLOW, number).isEmpty()) {
            return Verdict.ALLOWED;
        }
        return new Verdict(Rule.COUNTRY_NOT_ALLOWED, number + (country.isPresent() ? " is a number of "
                + country.get() : "'s country is not known") + ", and campaign " + campaignId
                + " dials only numbers of " + String.join(", ", allowed.stream().sorted().toList())
                + " (the allow list does not hold it)");
    }

    private static String as(Entry entry) {
        return entry.kind() == DiallingLists.Kind.PREFIX ? " (prefix " + entry.entry() + ")" : "";
    }
}
