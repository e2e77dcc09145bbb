package org.callcentre.inbound;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.callcentre.dialler.CallLists;
import org.callcentre.dialler.LeadHistory;
import org.callcentre.dialler.LeadHistory.Kind;
import org.callcentre.dialler.LeadReadiness;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * The lead a caller's number belongs to, for the console and for callbacks. A caller no lead matches, who needs a
 * callback, becomes a lead of the campaign's "Inbound callers" list: no team works that list, so the call lists
 * never offer it; only its callback does.
 */
public class CallerLeads {

    static final String INBOUND_CALLERS = "Inbound callers";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CallLists callLists;
    private final LeadReadiness readiness;
    private final LeadHistory history;

    public CallerLeads(JdbcTemplate jdbc, Clock clock, CallLists callLists, LeadReadiness readiness,
            LeadHistory history) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.callLists = callLists;
        this.readiness = readiness;
        this.history = history;
    }

    /** The lead holding the number: the one with an open callback, else the oldest. */
    public Optional<Long> match(String number) {
        if (number == null || !number.startsWith("+")) {
            return Optional.empty();
        }
        List<Long> leads = jdbc.queryForList("select l.id from lead_phone p join lead l on l.id = p.lead_id "
                + "where p.number = ? order by case when l.open_callback_id is null then 1 else 0 end, l.id",
                Long.class, number);
        return leads.stream().findFirst();
    }

    /** The caller's lead, created in the campaign's "Inbound callers" list if no lead holds the number. */
    public long leadFor(String number, long campaignId, long inboundCallId) {
        Optional<Long> known = match(number);
        if (known.isPresent()) {
            return known.get();
        }
        String zone = jdbc.queryForObject("select default_time_zone from campaign where id = ?", String.class,
                campaignId);
        Timestamp now = Timestamp.from(clock.instant());
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var insert = connection.prepareStatement("insert into lead (time_zone, first_phone, dialable, created_at) "
                    + "values (?, ?, true, ?)", new String[] {"id"});
            insert.setString(1, zone);
            insert.setString(2, number);
            insert.setTimestamp(3, now);
            return insert;
        }, key);
        long leadId = key.getKey().longValue();
        jdbc.update("insert into lead_phone (lead_id, position, number) values (?, 1, ?)", leadId, number);
        if (jdbc.queryForObject("select count(*) from lead_time_zone where time_zone = ?", Integer.class, zone) == 0) {
            jdbc.update("insert into lead_time_zone (time_zone) values (?)", zone);
        }
        jdbc.update("insert into lead_call_list (call_list_id, lead_id, added_at) values (?, ?, ?)",
                inboundCallers(campaignId), leadId, now);
        readiness.sync(leadId);
        history.record(leadId, null, Kind.CALLED_IN, "a lead for a caller no lead matched (inbound call " + inboundCallId + ")");
        return leadId;
    }

    /** The campaign's "Inbound callers" list, made the first time it is needed (the campaign's row serialises it). */
    private long inboundCallers(long campaignId) {
        jdbc.queryForObject("select id from campaign where id = ? for update", Long.class, campaignId);
        return jdbc.queryForList("select id from call_list where campaign_id = ? and name = ? order by id", Long.class,
                campaignId, INBOUND_CALLERS).stream().findFirst()
                .orElseGet(() -> callLists.create(INBOUND_CALLERS, campaignId));
    }
}
