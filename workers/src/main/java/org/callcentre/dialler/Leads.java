package org.callcentre.dialler;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.callcentre.problem.RefusedException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/** Leads, their numbers, call lists and call statuses, in the application's tables. */
public class Leads {

    /** The reason a lead none of whose numbers may be dialled is not callable. */
    public static final String NO_NUMBER_LEFT = "no number left to dial: every number of the lead is invalid or on "
            + "the do-not-call list";

    /** How many numbers one recompute statement names. */
    private static final int NUMBERS_PER_STATEMENT = 1000;

    /**
     * The value of {@code lead.dialable} for the lead aliased {@code l}: its most recent status does not block
     * calling, that status's call-outcome decision did not stop calling it ({@code calling_stopped}), and one of its
     * numbers is neither invalid nor on the do-not-call list.
     */
    static final String DIALABLE = "case when (l.last_call_status is null or l.last_call_status not in ("
            + CallStatus.BLOCKING.stream().map(s -> "'" + s.name() + "'").sorted().collect(Collectors.joining(", "))
            + ")) and l.calling_stopped = false and exists (select 1 from lead_phone p where p.lead_id = l.id and p.invalid = false "
            + "and not exists (select 1 from do_not_call d where d.number = p.number)) then true else false end";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration lockIdle;
    private final LeadHistory history;
    private final LeadReadiness readiness;

    public Leads(JdbcTemplate jdbc, Clock clock, DiallerProperties properties, LeadHistory history) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.lockIdle = Duration.ofMinutes(properties.lockIdleMinutes());
        this.history = history;
        this.readiness = new LeadReadiness(jdbc, clock);
    }

    /** What a search asks for; null criteria are not applied. {@code page} counts from 0. */
    public record Search(Long callListId, String phone, String externalRef, int page, int size) {
    }

    /** A page of leads, newest first, and how many match in all. */
    public record Page(List<LeadView> items, int page, int size, long total) {
    }

    /** The lead as the API shows it. */
    public Optional<LeadView> view(long leadId) {
        List<LeadRow> rows = jdbc.query("select id, external_ref, first_name, last_name, email, time_zone, "
                + "last_call_status, attempts, locked_by, locked_at, lock_touched_at from lead where id = ?",
                Leads::leadRow, leadId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        LeadRow lead = rows.get(0);
        List<LeadView.Phone> phones = jdbc.query("select p.number, p.invalid, "
                + "case when d.number is null then false else true end as do_not_call from lead_phone p "
                + "left join do_not_call d on d.number = p.number where p.lead_id = ? order by p.position",
                (rs, n) -> new LeadView.Phone(rs.getString("number"), rs.getBoolean("do_not_call"),
                        rs.getBoolean("invalid")), leadId);
        List<Long> callListIds = jdbc.queryForList(
                "select call_list_id from lead_call_list where lead_id = ? order by call_list_id", Long.class, leadId);
        LeadView.Lock lock = lead.lockedBy != null && lead.lockTouchedAt != null
                && lead.lockTouchedAt.isAfter(clock.instant().minus(lockIdle))
                        ? new LeadView.Lock(lead.lockedBy, lead.lockedAt) : null;
        String notCallable = null;
        if (lead.lastCallStatus != null && lead.lastCallStatus.blocksCalling()) {
            notCallable = CallStatus.BLOCKED_MESSAGE;
        } else if (phones.stream().noneMatch(p -> !p.invalid() && !p.doNotCall())) {
            notCallable = NO_NUMBER_LEFT;
        }
        return Optional.of(new LeadView(lead.id, lead.externalRef, lead.firstName, lead.lastName, lead.email, phones,
                lead.timeZone, callListIds, lead.lastCallStatus, lead.attempts, lock, notCallable == null,
                notCallable));
    }

    /** The lead as the API shows it, or a refusal naming it. */
    public LeadView existing(long leadId) {
        return view(leadId).orElseThrow(() -> unknown(leadId));
    }

    /** The lead's numbers that may be dialled, in their order: neither invalid nor on the do-not-call list. */
    public List<String> dialableNumbers(long leadId) {
        return jdbc.queryForList("select p.number from lead_phone p where p.lead_id = ? and p.invalid = false "
                + "and not exists (select 1 from do_not_call d where d.number = p.number) order by p.position",
                String.class, leadId);
    }

    /**
     * The number is bad (Twilio refused it, or a call-outcome decision said so): it is marked invalid, never dialled
     * again, and the lead's dialable flag is kept. Answers whether it was marked now (false: it was already).
     */
    public boolean markInvalid(long leadId, String number, String reason) {
        int marked = jdbc.update("update lead_phone set invalid = true where lead_id = ? and number = ? "
                + "and invalid = false", leadId, number);
        if (marked > 0) {
            history.record(leadId, null, LeadHistory.Kind.NUMBER_INVALID,
                    reason == null || reason.isBlank() ? number : number + ": " + reason);
            recomputeDialable(leadId);
        }
        return marked > 0;
    }

    /**
     * A number a call-outcome decision had marked bad may be dialled again (the status that marked it was edited);
     * answers whether it was marked. The caller recomputes the lead's dialable flag and writes the history.
     */
    public boolean restoreNumber(long leadId, String number) {
        return jdbc.update("update lead_phone set invalid = false where lead_id = ? and number = ? and invalid = true",
                leadId, number) > 0;
    }

    /** Sets {@code lead.dialable} from the lead's most recent status, its numbers and the do-not-call list. */
    public void recomputeDialable(long leadId) {
        jdbc.update("update lead l set dialable = " + DIALABLE + " where l.id = ?", leadId);
        readiness.sync(leadId);
    }

    /** As {@link #recomputeDialable(long)}, for every lead holding one of {@code numbers} in any position. */
    public void recomputeDialableForNumbers(Collection<String> numbers) {
        List<String> all = new ArrayList<>(numbers);
        for (int from = 0; from < all.size(); from += NUMBERS_PER_STATEMENT) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + NUMBERS_PER_STATEMENT));
            jdbc.update("update lead l set dialable = " + DIALABLE + " where l.id in (select lead_id from lead_phone "
                    + "where number in (" + placeholders(chunk.size()) + "))", chunk.toArray());
            readiness.syncHolders(chunk);
        }
    }

    /** Leads that match every given criterion, newest first. */
    public Page search(Search search) {
        StringBuilder where = new StringBuilder(" from lead l where 1 = 1");
        List<Object> arguments = new ArrayList<>();
        if (search.callListId() != null) {
            where.append(" and exists (select 1 from lead_call_list c where c.lead_id = l.id and c.call_list_id = ?)");
            arguments.add(search.callListId());
        }
        if (search.phone() != null) {
            where.append(" and exists (select 1 from lead_phone p where p.lead_id = l.id and p.number = ?)");
            arguments.add(search.phone());
        }
        if (search.externalRef() != null) {
            where.append(" and l.external_ref = ?");
            arguments.add(search.externalRef());
        }
        long total = jdbc.queryForObject("select count(*)" + where, Long.class, arguments.toArray());
        List<Object> paged = new ArrayList<>(arguments);
        paged.add(search.size());
        paged.add((long) search.page() * search.size());
        List<Long> ids = jdbc.queryForList("select l.id" + where + " order by l.id desc limit ? offset ?", Long.class,
                paged.toArray());
        List<LeadView> items = ids.stream().map(this::view).flatMap(Optional::stream).toList();
        return new Page(items, search.page(), search.size(), total);
    }

    /** Everything that happened to the lead, oldest first. */
    public List<LeadHistory.Event> history(long leadId) {
        if (!exists(leadId)) {
            throw unknown(leadId);
        }
        return history.events(leadId);
    }

    /**
     * Records the agent's outcome of a call as the lead's most recent status. {@code mustHoldLock}: the user is an
     * agent, who may do so only while holding the lead's live lock. {@code callId}, when given, must be a call to
     * this lead. Answers the status's id.
     */
    public long recordStatus(long leadId, CallStatus status, Long callId, String note, String userId,
            boolean mustHoldLock) {
        lockForChange(leadId, userId, mustHoldLock);
        if (callId != null && jdbc.queryForObject("select count(*) from outbound_call where id = ? and lead_id = ?",
                Integer.class, callId, leadId) == 0) {
            throw new UnprocessableContent("call " + callId + " is not a call to lead " + leadId);
        }
        Timestamp now = Timestamp.from(clock.instant());
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var ps = c.prepareStatement("insert into lead_call_status (lead_id, status, call_id, note, user_id, "
                    + "recorded_at) values (?, ?, ?, ?, ?, ?)", new String[] {"id"});
            ps.setLong(1, leadId);
            ps.setString(2, status.name());
            ps.setObject(3, callId);
            ps.setString(4, note);
            ps.setString(5, userId);
            ps.setTimestamp(6, now);
            return ps;
        }, keys);
        long id = keys.getKey().longValue();
        jdbc.update("update lead set last_call_status = ?, last_status_at = ? where id = ?", status.name(), now, leadId);
        recomputeDialable(leadId);
        history.record(leadId, userId, LeadHistory.Kind.STATUS_RECORDED,
                status.name() + (callId == null ? "" : " (call " + callId + ")")
                        + (note == null || note.isBlank() ? "" : ": " + note));
        return id;
    }

    /**
     * Changes the lead's most recent status, as {@link #recordStatus} does for a new one; the history keeps both.
     * Answers the status's id.
     */
    public long editLatestStatus(long leadId, CallStatus status, String userId, boolean mustHoldLock) {
        lockForChange(leadId, userId, mustHoldLock);
        List<Long> latest = jdbc.queryForList("select id from lead_call_status where lead_id = ? order by id desc "
                + "limit 1", Long.class, leadId);
        if (latest.isEmpty()) {
            throw RefusedException.notFound("lead " + leadId + " has no call status to edit");
        }
        long id = latest.get(0);
        String old = jdbc.queryForObject("select status from lead_call_status where id = ?", String.class, id);
        jdbc.update("update lead_call_status set status = ?, edited_by = ?, edited_at = ? where id = ?", status.name(),
                userId, Timestamp.from(clock.instant()), id);
        jdbc.update("update lead set last_call_status = ? where id = ?", status.name(), leadId);
        recomputeDialable(leadId);
        history.record(leadId, userId, LeadHistory.Kind.STATUS_EDITED, old + " → " + status.name());
        return id;
    }

    public boolean exists(long leadId) {
        return jdbc.queryForObject("select count(*) from lead where id = ?", Integer.class, leadId) > 0;
    }

    /**
     * Locks the lead's row for the change (two status changes at once are applied one after the other) and checks
     * that an agent holds its live lock.
     */
    private void lockForChange(long leadId, String userId, boolean mustHoldLock) {
        List<LeadRow> rows = jdbc.query("select id, external_ref, first_name, last_name, email, time_zone, "
                + "last_call_status, attempts, locked_by, locked_at, lock_touched_at from lead where id = ? for update",
                Leads::leadRow, leadId);
        if (rows.isEmpty()) {
            throw unknown(leadId);
        }
        if (!mustHoldLock) {
            return;
        }
        LeadRow lead = rows.get(0);
        boolean live = lead.lockedBy != null && lead.lockTouchedAt != null
                && lead.lockTouchedAt.isAfter(clock.instant().minus(lockIdle));
        if (!live) {
            throw RefusedException.conflict("open the lead first: you do not hold lead " + leadId + "'s lock");
        }
        if (!lead.lockedBy.equals(userId)) {
            throw RefusedException.conflict("open the lead first: lead " + leadId + " is locked by " + lead.lockedBy);
        }
    }

    static RefusedException unknown(long leadId) {
        return RefusedException.notFound("there is no lead " + leadId);
    }

    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private record LeadRow(long id, String externalRef, String firstName, String lastName, String email,
            String timeZone, CallStatus lastCallStatus, int attempts, String lockedBy, Instant lockedAt,
            Instant lockTouchedAt) {
    }

    private static LeadRow leadRow(ResultSet rs, int n) throws SQLException {
        String status = rs.getString("last_call_status");
        return new LeadRow(rs.getLong("id"), rs.getString("external_ref"), rs.getString("first_name"),
                rs.getString("last_name"), rs.getString("email"), rs.getString("time_zone"),
                status == null ? null : CallStatus.valueOf(status), rs.getInt("attempts"), rs.getString("locked_by"),
                instant(rs.getTimestamp("locked_at")), instant(rs.getTimestamp("lock_touched_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
