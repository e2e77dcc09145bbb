package org.callcentre.callback;

import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.forbidden;
import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;
import static org.callcentre.problem.RefusedException.unprocessable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.callcentre.callback.Callback.Mode;
import org.callcentre.callback.Callback.Status;
import org.callcentre.dialler.CallOutcomes;
import org.callcentre.dialler.CallOutcomes.Decision;
import org.callcentre.dialler.CallStatus;
import org.callcentre.dialler.Caller;
import org.callcentre.dialler.CampaignDialling;
import org.callcentre.dialler.DiallerEvents;
import org.callcentre.dialler.DiallerFacts;
import org.callcentre.dialler.DiallingRules;
import org.callcentre.dialler.LeadHistory;
import org.callcentre.dialler.LeadHistory.Kind;
import org.callcentre.dialler.LeadLocks;
import org.callcentre.dialler.LeadReadiness;
import org.callcentre.dialler.PhoneNumbers;
import org.callcentre.dialler.Teams;
import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.callback.CallbackProcess;
import org.callcentre.processes.callback.CallbackTimes;
import org.callcentre.processes.callback.CallbackTimes.UnschedulableTime;
import org.callcentre.user.CallCentreUser;
import org.callcentre.user.CallCentreUsers;
import org.callcentre.user.Role;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * Every promise to call someone back: scheduled here, kept by {@code bpmn/callback.bpmn}. The row in {@code callback}
 * is the truth; each change is written there first and then told to the callback's instance, in one transaction (the
 * caller's), so the two never disagree.
 * <p>
 * While a callback is open its lead holds it ({@code lead.open_callback_id}, at most one, set by a conditional
 * update): the call lists do not offer the lead, so no one calls early, and once it is due only Next Lead's callback
 * tier offers it. A call placed by the agent the callback was offered to serves it; the call's outcome decides what
 * follows: reached (done), not reached (due again at the call-outcome decision's retry time, until
 * {@code callbacks.max-attempts} calls have served it, then failed), or a wrong number (failed). A call that reaches
 * the same number for anything else makes every callback for that number scheduled before it Neglected.
 */
public class Callbacks implements DiallerEvents {

    /** The outcomes where someone answered: the callback was kept. */
    static final Set<CallStatus> REACHED = EnumSet.of(CallStatus.PLEDGE, CallStatus.NOT_INTERESTED,
            CallStatus.CALL_BACK, CallStatus.COMPLETE, CallStatus.REMOVE, CallStatus.DO_NOT_CALL);
    /** The outcomes where nobody did: the callback is tried again. */
    static final Set<CallStatus> NOT_REACHED = EnumSet.of(CallStatus.NO_ANSWER, CallStatus.BUSY,
            CallStatus.ANSWERING_MACHINE);
    static final int MAX_REASON = 500;
    private static final String OPEN = "('SCHEDULED', 'DUE', 'OFFERED', 'IN_CALL')";

    /** What the API asks to schedule. */
    public record Schedule(Long leadId, String phone, String dueAt, String timeZone, String reason, Mode mode,
            boolean overrideCallingHours, Long callId, String ownerUserId) {
    }

    /** What the API asks to change; a null field keeps its value. */
    public record Change(String dueAt, String timeZone, String reason, Mode mode, String ownerUserId,
            Boolean overrideCallingHours) {
    }

    /** The Call Back Queue view's filter; null fields do not filter. */
    public record Filter(Long teamId, String ownerUserId, Status status, Window window) {
    }

    /** Which callbacks by their due time. */
    public enum Window {
        /** Not yet due. */
        UPCOMING,
        /** Due and waiting for an agent or a call, for less than {@code callbacks.open-to-team-after-minutes}. */
        DUE,
        /** Due and waiting longer than that. */
        OVERDUE
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CallbackProperties properties;
    private final CallbackMessages messages;
    private final RuntimeService runtime;
    private final DiallerFacts facts;
    private final CampaignDialling dialling;
    private final Teams teams;
    private final CallCentreUsers users;
    private final LeadLocks locks;
    private final LeadReadiness readiness;
    private final LeadHistory history;

    public Callbacks(JdbcTemplate jdbc, Clock clock, CallbackProperties properties, CallbackMessages messages,
            RuntimeService runtime, DiallerFacts facts, CampaignDialling dialling, Teams teams, CallCentreUsers users,
            LeadLocks locks, LeadReadiness readiness, LeadHistory history) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
        this.messages = messages;
        this.runtime = runtime;
        this.facts = facts;
        this.dialling = dialling;
        this.teams = teams;
        this.users = users;
        this.locks = locks;
        this.readiness = readiness;
        this.history = history;
    }

    // ------------------------------------------------------------------------------------------------ the API

    /** Schedules a callback and starts its instance, in the caller's transaction. */
    public Callback schedule(Schedule request, Caller caller) {
        if (request.leadId() == null) {
            throw invalid("leadId is required");
        }
        if (request.mode() == null) {
            throw invalid("mode is required: AGENT (Call Back Agent) or QUEUE (Call Back Queue)");
        }
        String reason = reason(request.reason());
        long leadId = request.leadId();
        DiallerFacts.LeadFacts lead = facts.lead(leadId).orElseThrow(() -> notFound("there is no lead " + leadId));
        if (caller.isAgent() && !locks.heldBy(leadId, caller.userId())) {
            throw conflict("lead " + leadId + " is not locked by you: open the lead before scheduling its callback");
        }
        Long originCall = request.callId() == null ? null : originCall(request.callId(), leadId, caller);
        String owner = owner(request.mode(), request.ownerUserId(), caller);
        long teamId = team(leadId, owner, caller);
        long campaignId = campaign(leadId, teamId);
        DiallingRules rules = dialling.rules(campaignId).orElseThrow();
        String phone = phone(leadId, request.phone(), rules.defaultRegion());
        callable(leadId, lead);
        ZoneId zone = request.timeZone() == null || request.timeZone().isBlank() ? lead.timeZone()
                : zone(request.timeZone());
        Instant due = due(request.dueAt(), zone, lead.timeZone(), rules, request.overrideCallingHours());
        if (owner != null) {
            withinCap(owner);
        }

        Instant now = now();
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var insert = connection.prepareStatement("insert into callback (lead_id, phone, mode, owner_user_id, "
                    + "team_id, campaign_id, reason, due_at, due_local, time_zone, override_calling_hours, status, "
                    + "created_by, origin, origin_call_id, created_at, updated_at) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'SCHEDULED', ?, 'AGENT', ?, ?, ?)", new String[] {"id"});
            insert.setLong(1, leadId);
            insert.setString(2, phone);
            insert.setString(3, request.mode().name());
            insert.setString(4, owner);
            insert.setLong(5, teamId);
            insert.setLong(6, campaignId);
            insert.setString(7, reason);
            insert.setTimestamp(8, Timestamp.from(due));
            insert.setString(9, request.dueAt().trim());
            insert.setString(10, zone.getId());
            insert.setBoolean(11, request.overrideCallingHours());
            insert.setString(12, caller.userId());
            insert.setObject(13, originCall);
            insert.setTimestamp(14, Timestamp.from(now));
            insert.setTimestamp(15, Timestamp.from(now));
            return insert;
        }, key);
        long id = key.getKey().longValue();
        if (jdbc.update("update lead set open_callback_id = ? where id = ? and open_callback_id is null", id,
                leadId) == 0) {
            Long existing = jdbc.queryForObject("select open_callback_id from lead where id = ?", Long.class, leadId);
            throw conflict("lead " + leadId + " already has an open callback (" + existing + "): change that one "
                    + "instead");
        }
        readiness.sync(leadId);
        String instance = runtime.startProcessInstanceByKey(CallbackProcess.PROCESS_KEY, Long.toString(id),
                ProcessVariable.values().with(CallbackProcess.Variables.CALLBACK_ID, id).asMap()).getId();
        jdbc.update("update callback set process_instance_id = ? where id = ?", instance, id);
        Callback callback = callback(id).orElseThrow();
        history.record(leadId, caller.userId(), Kind.CALLBACK_SCHEDULED, "callback " + id + " " + described(callback)
                + (callback.overrideCallingHours() ? " (calling hours overridden)" : ""));
        return callback;
    }

    /** Why a caller's callback exists: asked for in the queue (IVR), or a lost call made into one. */
    public enum CallerOrigin {
        IVR, LOST_CALL
    }

    /** A Call Back Queue callback for someone who called in, due at {@code dueAt}. */
    public record ForCaller(long leadId, String phone, long teamId, long campaignId, Instant dueAt,
            CallerOrigin origin, long inboundCallId, String reason) {
    }

    /** The caller's callback: the new one, or the open one the lead already had ({@code created} false). */
    public record Scheduled(Callback callback, boolean created) {
    }

    /**
     * Schedules a callback for a caller, as the system, in the caller's transaction. A lead that already has an open
     * callback keeps that one (a caller who asks again keeps the first). Calling hours are not checked here: Next
     * Lead and the queue wait for them.
     */
    public Scheduled scheduleForCaller(ForCaller request) {
        Long open = jdbc.queryForObject("select open_callback_id from lead where id = ? for update", Long.class,
                request.leadId());
        if (open != null) {
            return new Scheduled(callback(open).orElseThrow(), false);
        }
        ZoneId zone = facts.lead(request.leadId()).orElseThrow().timeZone();
        Instant now = now();
        Instant due = request.dueAt().truncatedTo(ChronoUnit.MICROS);
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            var insert = connection.prepareStatement("insert into callback (lead_id, phone, mode, team_id, "
                    + "campaign_id, reason, due_at, due_local, time_zone, override_calling_hours, status, "
                    + "created_by, origin, origin_inbound_call_id, created_at, updated_at) "
                    + "values (?, ?, 'QUEUE', ?, ?, ?, ?, ?, ?, false, 'SCHEDULED', 'system', ?, ?, ?, ?)",
                    new String[] {"id"});
            insert.setLong(1, request.leadId());
            insert.setString(2, request.phone());
            insert.setLong(3, request.teamId());
            insert.setLong(4, request.campaignId());
            insert.setString(5, truncated(request.reason()));
            insert.setTimestamp(6, Timestamp.from(due));
            insert.setString(7, due.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.SECONDS).toString());
            insert.setString(8, zone.getId());
            insert.setString(9, request.origin().name());
            insert.setLong(10, request.inboundCallId());
            insert.setTimestamp(11, Timestamp.from(now));
            insert.setTimestamp(12, Timestamp.from(now));
            return insert;
        }, key);
        long id = key.getKey().longValue();
        jdbc.update("update lead set open_callback_id = ? where id = ?", id, request.leadId());
        readiness.sync(request.leadId());
        String instance = runtime.startProcessInstanceByKey(CallbackProcess.PROCESS_KEY, Long.toString(id),
                ProcessVariable.values().with(CallbackProcess.Variables.CALLBACK_ID, id).asMap()).getId();
        jdbc.update("update callback set process_instance_id = ? where id = ?", instance, id);
        Callback callback = callback(id).orElseThrow();
        history.record(request.leadId(), null, Kind.CALLBACK_SCHEDULED, "callback " + id + " " + described(callback)
                + " (" + (request.origin() == CallerOrigin.IVR ? "asked for in the queue of" : "for the lost")
                + " inbound call " + request.inboundCallId() + ")");
        return new Scheduled(callback, true);
    }

    /** Callbacks asked for in a team's queue that no call has served yet. */
    public int queuedRequests(long teamId) {
        return jdbc.queryForObject("select count(*) from callback where team_id = ? and origin = 'IVR' "
                + "and status in ('SCHEDULED', 'DUE', 'OFFERED')", Integer.class, teamId);
    }

    /** The callback, if the caller may see it. */
    public Callback view(long id, Caller caller) {
        Callback callback = callback(id).orElseThrow(() -> notFound("there is no callback " + id));
        if (caller.isAgent() && !caller.userId().equals(callback.ownerUserId())
                && !teams.teamOf(caller.userId()).map(team -> team == callback.teamId()).orElse(false)) {
            throw forbidden("callback " + id + " belongs to another team");
        }
        return callback;
    }

    /** The Call Back Queue: an agent sees its own team's callbacks only. */
    public List<Callback> list(Filter filter, Caller caller) {
        Long teamId = filter.teamId();
        List<Object> arguments = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select * from callback where 1 = 1");
        if (caller.isAgent()) {
            Optional<Long> own = teams.teamOf(caller.userId());
            if (teamId != null && !own.map(teamId::equals).orElse(false)) {
                throw forbidden("agents see their own team's callbacks only");
            }
            if (own.isEmpty()) {
                sql.append(" and owner_user_id = ?");
                arguments.add(caller.userId());
            }
            teamId = own.orElse(null);
        }
        if (teamId != null) {
            sql.append(" and team_id = ?");
            arguments.add(teamId);
        }
        if (filter.ownerUserId() != null) {
            sql.append(" and owner_user_id = ?");
            arguments.add(filter.ownerUserId());
        }
        if (filter.status() != null) {
            sql.append(" and status = ?");
            arguments.add(filter.status().name());
        }
        sql.append(window(filter, arguments));
        sql.append(" order by due_at, id limit 500");
        return jdbc.query(sql.toString(), this::row, arguments.toArray());
    }

    /** Reschedules or reassigns: dormant again until its (new) due time. */
    public Callback change(long id, Change change, Caller caller) {
        Callback callback = lockOpen(id);
        boolean manager = !caller.isAgent();
        if (!manager && !caller.userId().equals(callback.ownerUserId())) {
            throw forbidden("only its owner or a team manager (Agent Admin, Admin Operations) changes callback " + id);
        }
        if (callback.status() == Status.IN_CALL) {
            throw conflict("callback " + id + " is being served by a call: change it once the call's outcome is in");
        }
        Mode mode = change.mode() == null ? callback.mode() : change.mode();
        String requestedOwner = change.ownerUserId() == null ? callback.ownerUserId() : change.ownerUserId();
        if (!manager && requestedOwner != null && !requestedOwner.equals(caller.userId())) {
            throw forbidden("an agent cannot give a callback to someone else: ask a team manager");
        }
        String owner = mode == Mode.AGENT ? requestedOwner : null;
        if (mode == Mode.AGENT && owner == null) {
            owner = manager ? null : caller.userId();
            if (owner == null) {
                throw invalid("ownerUserId is required for a Call Back Agent callback");
            }
        }
        long teamId = callback.teamId();
        if (owner != null) {
            teamId = agentsTeam(owner);
        }
        String reason = change.reason() == null ? callback.reason() : reason(change.reason());
        String dueLocal = change.dueAt() == null ? callback.dueLocal() : change.dueAt().trim();
        ZoneId zone = change.timeZone() == null ? ZoneId.of(callback.timeZone()) : zone(change.timeZone());
        boolean override = change.overrideCallingHours() == null ? callback.overrideCallingHours()
                : change.overrideCallingHours();
        DiallingRules rules = dialling.rules(callback.campaignId()).orElseThrow();
        ZoneId leadZone = facts.lead(callback.leadId()).orElseThrow().timeZone();
        Instant due = due(dueLocal, zone, leadZone, rules, override);
        if (owner != null && !owner.equals(callback.ownerUserId())) {
            withinCap(owner);
        }
        jdbc.update("update callback set mode = ?, owner_user_id = ?, team_id = ?, reason = ?, due_at = ?, "
                + "due_local = ?, time_zone = ?, override_calling_hours = ?, status = 'SCHEDULED', "
                + "opened_to_team_at = null, offered_to = null, offered_at = null, updated_at = ? where id = ?",
                mode.name(), owner, teamId, reason, Timestamp.from(due), dueLocal, zone.getId(), override,
                Timestamp.from(now()), id);
        messages.rescheduled(callback.processInstanceId());
        Callback changed = callback(id).orElseThrow();
        history.record(callback.leadId(), caller.userId(), Kind.CALLBACK_CHANGED, "callback " + id + " now "
                + described(changed));
        return changed;
    }

    /** Cancels it with a reason: the lead goes back to its call lists. */
    public Callback cancel(long id, String why, Caller caller) {
        Callback callback = lockOpen(id);
        if (caller.isAgent() && !caller.userId().equals(callback.ownerUserId())) {
            throw forbidden("only its owner or a team manager (Agent Admin, Admin Operations) cancels callback " + id);
        }
        if (callback.status() == Status.IN_CALL) {
            throw conflict("callback " + id + " is being served by a call: its outcome decides what follows");
        }
        String reason = reason(why);
        close(callback, Status.CANCELLED, "cancelled by " + caller.userId() + ": " + reason);
        messages.cancelled(callback.processInstanceId());
        history.record(callback.leadId(), caller.userId(), Kind.CALLBACK_CANCELLED, "callback " + id + " cancelled: "
                + reason);
        return callback(id).orElseThrow();
    }

    // ------------------------------------------------------------------------------- the model's steps

    /** The due timer fired: Next Lead's callback tier offers it from now on. */
    public void makeDue(long id) {
        Callback callback = callback(id).orElseThrow();
        if (jdbc.update("update callback set status = 'DUE', updated_at = ? where id = ? and status = 'SCHEDULED'",
                Timestamp.from(now()), id) == 1) {
            history.record(callback.leadId(), null, Kind.CALLBACK_DUE, "callback " + id + " is due: Next Lead offers "
                    + "it first to " + (callback.mode() == Mode.AGENT ? callback.ownerUserId() : "the team"));
        }
    }

    /** An untouched Call Back Agent callback is opened to the team; answers whether it was (not already taken). */
    public boolean openToTeam(long id) {
        Callback callback = callback(id).orElseThrow();
        if (jdbc.update("update callback set opened_to_team_at = ?, updated_at = ? where id = ? and status = 'DUE' "
                + "and opened_to_team_at is null", Timestamp.from(now()), Timestamp.from(now()), id) == 0) {
            return false;
        }
        history.record(callback.leadId(), null, Kind.CALLBACK_OPENED_TO_TEAM, "callback " + id + " was not taken by "
                + callback.ownerUserId() + " within " + properties.openToTeamAfterMinutes()
                + " minutes of falling due: any agent of the team may take it now");
        return true;
    }

    /** An agent completed the callback's task with a reason: it cannot be kept. */
    public void givenUp(long id, String reason, String userId) {
        Callback callback = callback(id).orElseThrow();
        if (!callback.status().open()) {
            return;
        }
        String why = reason == null || reason.isBlank() ? "no reason given" : reason.strip();
        close(callback, Status.FAILED, "given up" + (userId == null ? "" : " by " + userId) + ": "
                + truncated(why));
        history.record(callback.leadId(), userId, Kind.CALLBACK_FAILED, "callback " + id + " given up: "
                + truncated(why));
    }

    /** The callback's number was served by another call: Neglected, whatever state it was in. */
    public void neglected(long id) {
        Callback callback = callback(id).orElseThrow();
        if (!callback.status().open()) {
            return;
        }
        String why = callback.outcome() == null ? "its number was served by another call" : callback.outcome();
        close(callback, Status.NEGLECTED, why);
        history.record(callback.leadId(), null, Kind.CALLBACK_NEGLECTED, "callback " + id + " no longer needed: "
                + why);
    }

    /**
     * Another call served {@code number}: every open callback for it scheduled before {@code since} ends as
     * Neglected ({@code except}: the one that call served, if any). Answers the callbacks told.
     */
    public List<Long> callerServed(String number, Instant since, Long except, String detail) {
        return callerServed(number, since, except, detail, null);
    }

    /**
     * An inbound call from {@code number} was served by an agent: every open callback for the number ends as
     * Neglected at once, whatever its state. Answers the callbacks told.
     */
    public List<Long> callerServedInbound(String number, long inboundCallId) {
        return callerServed(number, now().plusNanos(1000), null, "the caller called in again and was served (inbound "
                + "call " + inboundCallId + ")", inboundCallId);
    }

    private List<Long> callerServed(String number, Instant since, Long except, String detail, Long inboundCallId) {
        List<Long> told = new ArrayList<>();
        for (Callback callback : jdbc.query("select * from callback where phone = ? and status in " + OPEN
                + " and created_at < ? order by id for update", this::row, number, Timestamp.from(since))) {
            if (except != null && callback.id() == except) {
                continue;
            }
            jdbc.update("update callback set outcome = ?, served_by_inbound_call_id = ?, updated_at = ? where id = ?",
                    truncated(detail), inboundCallId, Timestamp.from(now()), callback.id());
            messages.callerServed(callback.processInstanceId());
            told.add(callback.id());
        }
        return told;
    }

    // ------------------------------------------------------------------------------------- dialler events

    /** A call placed by the agent the lead's callback was offered to serves it. */
    @Override
    public void callPlaced(long callId, long leadId, String userId) {
        List<Long> offered = jdbc.queryForList("select id from callback where lead_id = ? and status in "
                + "('OFFERED', 'DUE', 'IN_CALL') and offered_to = ? for update", Long.class, leadId, userId);
        for (long id : offered) {
            jdbc.update("update callback set status = 'IN_CALL', served_by_call_id = ?, updated_at = ? where id = ?",
                    callId, Timestamp.from(now()), id);
            jdbc.update("update outbound_call set callback_id = ? where id = ?", id, callId);
            history.record(leadId, userId, Kind.CALLBACK_CALLED, "call " + callId + " serves callback " + id);
        }
    }

    @Override
    public void outcomeRecorded(long leadId, Long callId, String calledNumber, CallStatus status, Decision decision,
            String userId) {
        if (callId == null) {
            return;
        }
        Long served = jdbc.queryForObject("select callback_id from outbound_call where id = ?", Long.class, callId);
        if (served != null) {
            callEnded(served, callId, status, decision, userId);
        }
        if (REACHED.contains(status) && calledNumber != null) {
            Timestamp placed = jdbc.queryForObject("select placed_at from outbound_call where id = ?",
                    Timestamp.class, callId);
            callerServed(calledNumber, placed.toInstant(), served, "its number was reached by call " + callId + " ("
                    + CallOutcomes.words(status) + ")");
        }
    }

    private void callEnded(long id, long callId, CallStatus status, Decision decision, String userId) {
        Callback callback = jdbc.query("select * from callback where id = ? for update", this::row, id).stream()
                .findFirst().orElseThrow();
        if (callback.status() != Status.IN_CALL || !Long.valueOf(callId).equals(callback.servedByCallId())) {
            return;
        }
        int attempts = callback.attempts() + 1;
        String outcome = CallOutcomes.words(status);
        Instant now = now();
        if (REACHED.contains(status)) {
            jdbc.update("update callback set attempts = ?, outcome = ?, updated_at = ? where id = ?", attempts,
                    outcome, Timestamp.from(now), id);
            close(callback, Status.DONE, outcome);
            history.record(callback.leadId(), userId, Kind.CALLBACK_DONE, "callback " + id + " kept by call "
                    + callId + " (" + outcome + ")");
        } else if (NOT_REACHED.contains(status) && attempts < properties.maxAttempts()) {
            // To the millisecond, as the engine's timer keeps it: the row and the timer say the same.
            Instant again = (decision.retryAt() != null && decision.retryAt().isAfter(now) ? decision.retryAt()
                    : now.plus(properties.retryAfterMinutes(), ChronoUnit.MINUTES)).truncatedTo(ChronoUnit.MILLIS);
            jdbc.update("update callback set attempts = ?, outcome = ?, status = 'SCHEDULED', due_at = ?, "
                    + "opened_to_team_at = null, offered_to = null, offered_at = null, updated_at = ? where id = ?",
                    attempts, outcome, Timestamp.from(again), Timestamp.from(now), id);
            history.record(callback.leadId(), userId, Kind.CALLBACK_RETRY, "callback " + id + " not reached by call "
                    + callId + " (" + outcome + "): due again at " + again + ", attempt " + (attempts + 1) + " of "
                    + properties.maxAttempts());
        } else {
            String why = NOT_REACHED.contains(status) ? outcome + ": not reached after " + attempts + " calls"
                    : outcome;
            jdbc.update("update callback set attempts = ?, updated_at = ? where id = ?", attempts,
                    Timestamp.from(now), id);
            close(callback, Status.FAILED, why);
            history.record(callback.leadId(), userId, Kind.CALLBACK_FAILED, "callback " + id + " failed: " + why);
        }
        messages.callEnded(callback.processInstanceId());
    }

    // -------------------------------------------------------------------------------------------- reads

    public Optional<Callback> callback(long id) {
        return jdbc.query("select * from callback where id = ?", this::row, id).stream().findFirst();
    }

    /** The callback whose instance this is. */
    public Optional<Callback> ofProcess(String processInstanceId) {
        return jdbc.query("select * from callback where process_instance_id = ?", this::row, processInstanceId)
                .stream().findFirst();
    }

    /** The open callback Next Lead offered the agent with this lead, if any. */
    public Optional<Callback> offeredWith(long leadId, String userId) {
        return jdbc.query("select * from callback where lead_id = ? and offered_to = ? and status in "
                + "('OFFERED', 'IN_CALL')", this::row, leadId, userId).stream().findFirst();
    }

    /** The lead's callbacks, newest first. */
    public List<Callback> ofLead(long leadId) {
        return jdbc.query("select * from callback where lead_id = ? order by id desc", this::row, leadId);
    }

    /** A lead as a callback list shows it: its name ("" when it has none) and its zone. */
    public record LeadLabel(String name, String timeZone) {
    }

    /** The labels of these leads, by id. */
    public Map<Long, LeadLabel> leadLabels(Collection<Long> leadIds) {
        Map<Long, LeadLabel> labels = new HashMap<>();
        List<Long> ids = List.copyOf(new LinkedHashSet<>(leadIds));
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> page = ids.subList(from, Math.min(ids.size(), from + 500));
            jdbc.query("select id, trim(concat(coalesce(first_name, ''), ' ', coalesce(last_name, ''))) name, "
                    + "time_zone from lead where id in (" + String.join(", ", Collections.nCopies(page.size(), "?"))
                    + ")", rs -> {
                        labels.put(rs.getLong("id"), new LeadLabel(rs.getString("name"), rs.getString("time_zone")));
                    }, page.toArray());
        }
        return labels;
    }

    /** Locks the callback's row (by its instance), if the instance is a callback's; answers whether it was. */
    public boolean lockOfProcess(String processInstanceId) {
        return !jdbc.queryForList("select id from callback where process_instance_id = ? for update", Long.class,
                processInstanceId).isEmpty();
    }

    public CallbackProperties properties() {
        return properties;
    }

    // ---------------------------------------------------------------------------------------- the rules

    private void callable(long leadId, DiallerFacts.LeadFacts lead) {
        if (lead.lastCallStatus() != null && lead.lastCallStatus().blocksCalling()) {
            throw unprocessable("lead " + leadId + " cannot be called back: " + CallStatus.BLOCKED_MESSAGE);
        }
        Boolean dialable = jdbc.queryForObject("select dialable from lead where id = ?", Boolean.class, leadId);
        if (!Boolean.TRUE.equals(dialable)) {
            throw unprocessable("lead " + leadId + " cannot be called: none of its numbers may be dialled");
        }
    }

    private Long originCall(long callId, long leadId, Caller caller) {
        List<Object[]> call = jdbc.query("select lead_id, user_id from outbound_call where id = ?",
                (rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}, callId);
        if (call.isEmpty() || (long) call.get(0)[0] != leadId) {
            throw unprocessable("call " + callId + " is not a call to lead " + leadId);
        }
        if (caller.isAgent() && !caller.userId().equals(call.get(0)[1])) {
            throw forbidden("call " + callId + " is another agent's");
        }
        return callId;
    }

    /** Who keeps it: the agent scheduling a Call Back Agent callback, or the agent a manager names. */
    private String owner(Mode mode, String requested, Caller caller) {
        if (mode == Mode.QUEUE) {
            if (requested != null && caller.isAgent() && !requested.equals(caller.userId())) {
                throw forbidden("an agent cannot give a callback to someone else");
            }
            return null;
        }
        if (caller.isAgent()) {
            if (requested != null && !requested.equals(caller.userId())) {
                throw forbidden("an agent keeps its own Call Back Agent callbacks: ask a team manager to schedule "
                        + "one for someone else");
            }
            return caller.userId();
        }
        if (requested == null || requested.isBlank()) {
            throw invalid("ownerUserId is required when a team manager schedules a Call Back Agent callback");
        }
        agentsTeam(requested);
        return requested;
    }

    /** The agent's team; refused for anyone who is not an active agent in a team. */
    private long agentsTeam(String userId) {
        Optional<CallCentreUser> user = users.user(userId);
        if (user.isEmpty() || user.get().role() != Role.AGENT || !user.get().active()) {
            throw unprocessable(userId + " is not an active agent");
        }
        return teams.teamOf(userId).orElseThrow(() -> unprocessable(userId + " is in no team"));
    }

    /** The owner's team; for a queue callback, the scheduling agent's, else the team working the lead's lists. */
    private long team(long leadId, String owner, Caller caller) {
        if (owner != null) {
            return agentsTeam(owner);
        }
        if (caller.isAgent()) {
            return teams.teamOf(caller.userId()).orElseThrow(() -> unprocessable("you are in no team: a Call Back "
                    + "Queue callback goes to your team's queue"));
        }
        return jdbc.queryForList("select tcl.team_id from lead_call_list lcl join team_call_list tcl "
                + "on tcl.call_list_id = lcl.call_list_id where lcl.lead_id = ? "
                + "order by tcl.weighting desc, tcl.team_id", Long.class, leadId).stream().findFirst()
                .orElseThrow(() -> unprocessable("no team works a call list of lead " + leadId));
    }

    /** The campaign whose calling hours apply: of the lead's lists the team works, the one of highest weighting. */
    private long campaign(long leadId, long teamId) {
        List<Long> campaigns = jdbc.queryForList("select cl.campaign_id from lead_call_list lcl "
                + "join call_list cl on cl.id = lcl.call_list_id join team_call_list tcl on tcl.call_list_id = cl.id "
                + "where lcl.lead_id = ? and tcl.team_id = ? order by tcl.weighting desc, cl.id", Long.class, leadId,
                teamId);
        if (!campaigns.isEmpty()) {
            return campaigns.get(0);
        }
        return jdbc.queryForList("select cl.campaign_id from lead_call_list lcl join call_list cl "
                + "on cl.id = lcl.call_list_id where lcl.lead_id = ? order by lcl.added_at desc, cl.id desc",
                Long.class, leadId).stream().findFirst()
                .orElseThrow(() -> unprocessable("lead " + leadId + " is on no call list, so no campaign's calling "
                        + "hours apply"));
    }

    /** One of the lead's numbers that may be dialled: the one asked for, or the first. */
    private String phone(long leadId, String requested, String region) {
        List<DiallerFacts.Number> numbers = facts.numbers(leadId);
        if (requested == null || requested.isBlank()) {
            return numbers.stream().filter(DiallerFacts.Number::dialable).map(DiallerFacts.Number::number)
                    .findFirst().orElseThrow(() -> unprocessable("lead " + leadId + " has no number that may be "
                            + "dialled"));
        }
        String number = PhoneNumbers.e164(requested, region).orElseThrow(() -> invalid("'" + requested
                + "' is not a phone number"));
        DiallerFacts.Number known = numbers.stream().filter(n -> n.number().equals(number)).findFirst()
                .orElseThrow(() -> unprocessable(number + " is not one of lead " + leadId + "'s numbers"));
        if (known.doNotCall()) {
            throw unprocessable(number + " is on the do-not-call list");
        }
        if (known.invalid()) {
            throw unprocessable(number + " was found invalid and is not dialled");
        }
        return number;
    }

    private Instant due(String dueAt, ZoneId zone, ZoneId leadZone, DiallingRules rules, boolean override) {
        Instant due;
        try {
            due = CallbackTimes.resolve(dueAt, zone);
        } catch (UnschedulableTime refused) {
            throw dueAt == null || dueAt.isBlank() ? invalid(refused.getMessage())
                    : unprocessable(refused.getMessage());
        }
        if (!due.isAfter(now())) {
            throw unprocessable("the callback's time " + dueAt + " (" + zone.getId() + ") has passed");
        }
        if (!override && !rules.withinCallingHours(leadZone, due)) {
            throw unprocessable("the callback's time is outside the campaign's calling hours ("
                    + rules.callingHoursStart() + " to " + rules.callingHoursEnd() + " in the lead's time zone, "
                    + leadZone.getId() + ", where it would be " + due.atZone(leadZone).toLocalDateTime()
                    + "); set overrideCallingHours if the person asked for that time");
        }
        return due;
    }

    private static ZoneId zone(String name) {
        try {
            return CallbackTimes.zone(name);
        } catch (UnschedulableTime unknown) {
            throw invalid(unknown.getMessage());
        }
    }

    /** The owner's row serialises its schedulers, so the cap holds under concurrent requests. */
    private void withinCap(String owner) {
        jdbc.queryForList("select user_id from call_centre_user where user_id = ? for update", String.class, owner);
        int open = jdbc.queryForObject("select count(*) from callback where owner_user_id = ? and mode = 'AGENT' "
                + "and status in " + OPEN, Integer.class, owner);
        if (open >= properties.maxOpenPerAgent()) {
            throw unprocessable(owner + " already has " + open + " open callbacks, the most one agent may keep "
                    + "(callbacks.max-open-per-agent): make this a Call Back Queue callback, or close some first");
        }
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw invalid("reason is required");
        }
        String stripped = reason.strip();
        if (stripped.length() > MAX_REASON) {
            throw invalid("reason fits in " + MAX_REASON + " characters");
        }
        if (stripped.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw invalid("reason holds control characters");
        }
        return stripped;
    }

    private Callback lockOpen(long id) {
        Callback callback = jdbc.query("select * from callback where id = ? for update", this::row, id).stream()
                .findFirst().orElseThrow(() -> notFound("there is no callback " + id));
        if (!callback.status().open()) {
            throw conflict("callback " + id + " is " + callback.status() + ": it can no longer be changed");
        }
        return callback;
    }

    /** Ends it: the status and why, and the lead back to its call lists. */
    private void close(Callback callback, Status status, String outcome) {
        Timestamp now = Timestamp.from(now());
        jdbc.update("update callback set status = ?, outcome = ?, closed_at = ?, updated_at = ? where id = ?",
                status.name(), truncated(outcome), now, now, callback.id());
        jdbc.update("update lead set open_callback_id = null where id = ? and open_callback_id = ?",
                callback.leadId(), callback.id());
        readiness.sync(callback.leadId());
    }

    private String window(Filter filter, List<Object> arguments) {
        if (filter.window() == null) {
            return "";
        }
        Timestamp now = Timestamp.from(now());
        Timestamp overdue = Timestamp.from(now().minus(properties.openToTeamAfterMinutes(), ChronoUnit.MINUTES));
        return switch (filter.window()) {
            case UPCOMING -> {
                arguments.add(now);
                yield " and status = 'SCHEDULED' and due_at > ?";
            }
            case DUE -> {
                arguments.add(overdue);
                yield " and status in ('DUE', 'OFFERED', 'IN_CALL') and due_at > ?";
            }
            case OVERDUE -> {
                arguments.add(overdue);
                yield " and status in ('DUE', 'OFFERED', 'IN_CALL') and due_at <= ?";
            }
        };
    }

    static String described(Callback callback) {
        return (callback.mode() == Mode.AGENT ? "Call Back Agent (" + callback.ownerUserId() + ")"
                : "Call Back Queue") + " at " + callback.dueLocal() + " " + callback.timeZone() + " on "
                + callback.phone() + ": " + callback.reason();
    }

    private static String truncated(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    Callback row(ResultSet rs, int n) throws SQLException {
        return new Callback(rs.getLong("id"), rs.getLong("lead_id"), rs.getString("phone"),
                Mode.valueOf(rs.getString("mode")), rs.getString("owner_user_id"), rs.getLong("team_id"),
                rs.getLong("campaign_id"), rs.getString("reason"), instant(rs, "due_at"), rs.getString("due_local"),
                rs.getString("time_zone"), rs.getBoolean("override_calling_hours"),
                Status.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getString("outcome"),
                rs.getString("created_by"), rs.getString("origin"), rs.getObject("origin_call_id", Long.class),
                rs.getObject("served_by_call_id", Long.class), instant(rs, "opened_to_team_at"),
                rs.getString("offered_to"), rs.getString("process_instance_id"), instant(rs, "created_at"),
                instant(rs, "updated_at"), rs.getObject("origin_inbound_call_id", Long.class),
                rs.getObject("served_by_inbound_call_id", Long.class));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
