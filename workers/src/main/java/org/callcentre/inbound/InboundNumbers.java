package org.callcentre.inbound;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;
import static org.callcentre.problem.RefusedException.unprocessable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.callcentre.dialler.PhoneNumbers;
import org.callcentre.inbound.InboundNumber.CallbackOffer;
import org.callcentre.inbound.InboundNumber.Option;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/** The inbound numbers and their menus ({@code inbound_number}, {@code inbound_option}), in the caller's transaction. */
public class InboundNumbers {

    /** The longest a callback offer may put a callback off: a day. */
    static final int MAX_CALLBACK_MINUTES = 1440;
    private static final Set<String> KEYS = Set.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#");

    /** What an admin writes; validated by {@link InboundNumbers#create} and {@link InboundNumbers#replace}. */
    public record Written(String number, String locale, String greeting, List<Option> options,
            CallbackOffer callbackOffer, boolean lostCallsBecomeCallbacks, Long campaignId, String voicemailGroup) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public InboundNumbers(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public long create(Written written) {
        Checked checked = check(written);
        Timestamp now = Timestamp.from(clock.instant());
        KeyHolder key = new GeneratedKeyHolder();
        try {
            jdbc.update(connection -> {
                var insert = connection.prepareStatement("insert into inbound_number (number, locale, greeting, "
                        + "callback_key, callback_minutes, lost_calls_become_callbacks, campaign_id, created_at, "
                        + "updated_at, voicemail_group) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
                insert.setString(1, checked.number());
                insert.setString(2, checked.locale().toLanguageTag());
                insert.setString(3, written.greeting().trim());
                insert.setString(4, written.callbackOffer() == null ? null : written.callbackOffer().key());
                insert.setObject(5, written.callbackOffer() == null ? null : written.callbackOffer().minutes());
                insert.setBoolean(6, written.lostCallsBecomeCallbacks());
                insert.setObject(7, written.campaignId());
                insert.setTimestamp(8, now);
                insert.setTimestamp(9, now);
                insert.setString(10, checked.voicemailGroup());
                return insert;
            }, key);
        } catch (DuplicateKeyException taken) {
            throw conflict(checked.number() + " is already an inbound number");
        }
        long id = key.getKey().longValue();
        writeOptions(id, written.options());
        return id;
    }

    /** Replaces the number's settings and menu; false if there is no such number. */
    public boolean replace(long id, Written written) {
        Checked checked = check(written);
        int updated;
        try {
            updated = jdbc.update("update inbound_number set number = ?, locale = ?, greeting = ?, callback_key = ?, "
                    + "callback_minutes = ?, lost_calls_become_callbacks = ?, campaign_id = ?, updated_at = ?, "
                    + "voicemail_group = ? where id = ?", checked.number(), checked.locale().toLanguageTag(), written.greeting().trim(),
                    written.callbackOffer() == null ? null : written.callbackOffer().key(),
                    written.callbackOffer() == null ? null : written.callbackOffer().minutes(),
                    written.lostCallsBecomeCallbacks(), written.campaignId(), Timestamp.from(clock.instant()),
                    checked.voicemailGroup(), id);
        } catch (DuplicateKeyException taken) {
            throw conflict(checked.number() + " is already an inbound number");
        }
        if (updated == 0) {
            return false;
        }
        jdbc.update("delete from inbound_option where inbound_number_id = ?", id);
        writeOptions(id, written.options());
        return true;
    }

    public Optional<InboundNumber> number(long id) {
        return jdbc.query("select * from inbound_number where id = ?", this::row, id).stream().findFirst();
    }

    /** The number Twilio says was called ({@code To}). */
    public Optional<InboundNumber> byNumber(String number) {
        return jdbc.query("select * from inbound_number where number = ?", this::row, number).stream().findFirst();
    }

    public List<InboundNumber> all() {
        return jdbc.query("select * from inbound_number order by id", this::row);
    }

    private void writeOptions(long id, List<Option> options) {
        jdbc.batchUpdate("insert into inbound_option (inbound_number_id, menu_key, label, team_id, group_key) "
                + "values (?, ?, ?, ?, ?)", options.stream().map(option -> new Object[] {id, option.key(),
                        option.label().trim(), option.teamId(), option.groupKey()}).toList());
    }

    private record Checked(String number, Locale locale, String voicemailGroup) {
    }

    private Checked check(Written written) {
        if (written.number() == null || !written.number().trim().startsWith("+")) {
            throw invalid("number must be written in E.164, with its country code (+441632960000)");
        }
        String number = PhoneNumbers.e164(written.number(), null)
                .orElseThrow(() -> invalid("'" + written.number() + "' is not a phone number"));
        Locale locale = locale(written.locale());
        if (written.greeting() == null || written.greeting().isBlank()) {
            throw invalid("greeting is required: what callers hear first");
        }
        if (written.greeting().length() > 500) {
            throw invalid("greeting is longer than 500 characters");
        }
        if (written.options() == null || written.options().isEmpty()) {
            throw invalid("options are required: at least one key that routes callers to a team's queue or a group");
        }
        Set<String> keys = new HashSet<>();
        for (Option option : written.options()) {
            if (option == null || option.key() == null || !KEYS.contains(option.key())) {
                throw invalid("each option's key is one of 0-9, * or #");
            }
            if (!keys.add(option.key())) {
                throw invalid("key " + option.key() + " is used twice");
            }
            if (option.label() == null || option.label().isBlank() || option.label().length() > 200) {
                throw invalid("option " + option.key() + " needs a label of at most 200 characters");
            }
            if ((option.teamId() == null) == (option.groupKey() == null || option.groupKey().isBlank())) {
                throw invalid("option " + option.key() + " routes to either a teamId or a groupKey");
            }
            if (option.teamId() == null) {
                if (!groupExists(option.groupKey(), false)) {
                    throw unprocessable("option " + option.key() + ": there is no group " + option.groupKey());
                }
                continue;
            }
            if (jdbc.queryForObject("select count(*) from team where id = ?", Integer.class, option.teamId()) == 0) {
                throw unprocessable("option " + option.key() + ": there is no team " + option.teamId());
            }
        }
        CallbackOffer offer = written.callbackOffer();
        if (offer != null) {
            if (offer.key() == null || !KEYS.contains(offer.key())) {
                throw invalid("callbackOffer.key is one of 0-9, * or #");
            }
            if (offer.minutes() < 0 || offer.minutes() > MAX_CALLBACK_MINUTES) {
                throw invalid("callbackOffer.minutes is between 0 (as soon as an agent is free) and "
                        + MAX_CALLBACK_MINUTES);
            }
        }
        if ((offer != null || written.lostCallsBecomeCallbacks()) && written.campaignId() == null) {
            throw invalid("campaignId is required with a callback offer or lost calls becoming callbacks: its calling "
                    + "hours and caller IDs apply to the callbacks");
        }
        if (written.campaignId() != null && jdbc.queryForObject("select count(*) from campaign where id = ?",
                Integer.class, written.campaignId()) == 0) {
            throw unprocessable("there is no campaign " + written.campaignId());
        }
        String voicemailGroup = written.voicemailGroup() == null || written.voicemailGroup().isBlank() ? null
                : written.voicemailGroup().strip();
        if (voicemailGroup != null && !groupExists(voicemailGroup, true)) {
            throw unprocessable("voicemailGroup: there is no group " + voicemailGroup + " that takes voicemail");
        }
        return new Checked(number, locale, voicemailGroup);
    }

    private boolean groupExists(String key, boolean takingVoicemail) {
        return jdbc.queryForObject("select count(*) from ticket_group where group_key = ?"
                + (takingVoicemail ? " and takes_voicemail = true" : ""), Integer.class, key) > 0;
    }

    private static Locale locale(String tag) {
        if (tag == null || tag.isBlank()) {
            throw invalid("locale is required (en-GB, de-DE…): the language of the menu and prompts");
        }
        Locale locale = Locale.forLanguageTag(tag.trim());
        if (locale.getLanguage().isEmpty() || !List.of(Locale.getISOLanguages()).contains(locale.getLanguage())) {
            throw invalid("'" + tag + "' is not a language tag such as en-GB");
        }
        return locale;
    }

    private InboundNumber row(ResultSet rs, int n) throws SQLException {
        long id = rs.getLong("id");
        List<Option> options = new ArrayList<>(jdbc.query("select * from inbound_option where inbound_number_id = ? "
                + "order by menu_key", (o, i) -> new Option(o.getString("menu_key"), o.getString("label"),
                        (Long) o.getObject("team_id", Long.class), o.getString("group_key")), id));
        String callbackKey = rs.getString("callback_key");
        return new InboundNumber(id, rs.getString("number"), Locale.forLanguageTag(rs.getString("locale")),
                rs.getString("greeting"), List.copyOf(options),
                callbackKey == null ? null : new CallbackOffer(callbackKey, rs.getInt("callback_minutes")),
                rs.getBoolean("lost_calls_become_callbacks"), rs.getObject("campaign_id", Long.class),
                rs.getString("voicemail_group"));
    }
}
