package org.callcentre.dialler;

import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

/** What the outbound-call model's gateways and its Talk task read, from the call's row and the call's outcome. */
public class OutboundCallFacts {

    /** Twilio's statuses of a call the donor answered: on the line now, or hung up after talking. */
    private static final Set<String> CONNECTED = Set.of("in-progress", "completed");

    private final OutboundCalls calls;
    private final JdbcTemplate jdbc;

    public OutboundCallFacts(OutboundCalls calls, JdbcTemplate jdbc) {
        this.calls = calls;
        this.jdbc = jdbc;
    }

    /** The call has its final status. */
    public boolean ended(Long callId) {
        return calls.call(callId).orElseThrow().isFinal();
    }

    /**
     * The donor answered and no outcome is recorded for the call yet: the agent must talk and say how it went. The
     * call's row stays locked until the transaction ends, as {@link CallOutcomes} locks it before recording an
     * outcome: so an outcome recorded at this moment is either in before the Talk task would start (and there is
     * none), or recorded once the task exists (and closes it).
     */
    public boolean talkNeeded(Long callId) {
        OutboundCall call = calls.lock(callId).orElseThrow();
        return CONNECTED.contains(call.status()) && !hasOutcome(callId);
    }

    /** Whom the Talk task is for: the agent who placed the call. */
    public String agentOf(Long callId) {
        return calls.call(callId).orElseThrow().userId();
    }

    /** The donor's name for the Talk task's name ("Talk to Jane Donor"), or the number called when it has none. */
    public String donorName(Long callId) {
        OutboundCall call = calls.call(callId).orElseThrow();
        String name = jdbc.queryForObject("select trim(concat(coalesce(first_name, ''), ' ', coalesce(last_name, ''))) "
                + "from lead where id = ?", String.class, call.leadId());
        return name == null || name.isBlank() ? "the donor on " + call.to() : name;
    }

    private boolean hasOutcome(long callId) {
        return jdbc.queryForObject("select count(*) from lead_call_status where call_id = ?", Integer.class,
                callId) > 0;
    }
}
