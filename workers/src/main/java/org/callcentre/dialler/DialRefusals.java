package org.callcentre.dialler;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.callcentre.dialler.DiallingCompliance.Rule;
import org.callcentre.dialler.LeadHistory.Kind;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Calls the dialling compliance refused, each with an entry in the lead's history. A refusal of a request is kept in a
 * transaction of its own ({@link #recordApart}), because the request's own transaction rolls back.
 */
public class DialRefusals {

    /**
     * A refused call: to {@code number} of the lead for the campaign, placed by {@code userId}; {@code callId} when
     * the call existed (refused just before Twilio was asked), else null.
     */
    public record Refusal(long leadId, long campaignId, String number, Rule rule, String detail, String userId,
            Long callId) {
    }

    /** A refusal as recorded. */
    public record Recorded(long id, String number, long campaignId, Rule rule, String detail, String userId,
            Long callId, Instant refusedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final LeadHistory history;
    private final TransactionTemplate apart;

    public DialRefusals(JdbcTemplate jdbc, Clock clock, LeadHistory history, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.history = history;
        this.apart = new TransactionTemplate(transactions);
        this.apart.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Records the refusal and its history entry in the caller's transaction. */
    public void record(Refusal refusal) {
        jdbc.update("insert into dial_refusal (lead_id, campaign_id, number, rule, detail, user_id, call_id, "
                + "refused_at) values (?, ?, ?, ?, ?, ?, ?, ?)", refusal.leadId(), refusal.campaignId(),
                refusal.number(), refusal.rule().name(), truncate(refusal.detail()), refusal.userId(), refusal.callId(),
                Timestamp.from(clock.instant()));
        history.record(refusal.leadId(), refusal.userId(), Kind.DIAL_REFUSED, truncate((refusal.callId() == null ? ""
                : "call " + refusal.callId() + ": ") + refusal.rule() + ": " + refusal.detail()));
    }

    /** Records the refusal in a transaction of its own, committed whatever becomes of the caller's. */
    public void recordApart(Refusal refusal) {
        apart.executeWithoutResult(tx -> record(refusal));
    }

    /** The lead's refusals, newest first. */
    public List<Recorded> of(long leadId) {
        return jdbc.query("select id, number, campaign_id, rule, detail, user_id, call_id, refused_at "
                + "from dial_refusal where lead_id = ? order by id desc", (rs, n) -> new Recorded(rs.getLong("id"),
                        rs.getString("number"), rs.getLong("campaign_id"), Rule.valueOf(rs.getString("rule")),
                        rs.getString("detail"), rs.getString("user_id"),
                        rs.getObject("call_id") == null ? null : rs.getLong("call_id"),
                        rs.getTimestamp("refused_at").toInstant()), leadId);
    }

    private static String truncate(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
