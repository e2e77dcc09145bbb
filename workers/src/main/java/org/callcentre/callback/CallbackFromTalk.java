package org.callcentre.callback;

import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.callcentre.callback.Callback.Mode;
import org.callcentre.callback.Callbacks.Schedule;
import org.callcentre.dialler.Caller;
import org.callcentre.dialler.OutboundCall;
import org.callcentre.dialler.OutboundCalls;
import org.callcentre.dialler.TalkFollowUp;
import org.callcentre.processes.Groups;
import org.callcentre.processes.engine.AsSystem;
import org.callcentre.user.Role;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.identity.Group;

/**
 * The callback asked for in the Talk task's form, scheduled as the API schedules one ({@link Callbacks#schedule}):
 * for the call's lead, to the number the call went to, promised on that call, by the user who completed the task,
 * judged by that user's strongest role as a request of theirs would be. A Call Back Agent callback is the user's own.
 */
public class CallbackFromTalk implements TalkFollowUp {

    private final Callbacks callbacks;
    private final OutboundCalls calls;
    private final ProcessEngine engine;

    public CallbackFromTalk(Callbacks callbacks, OutboundCalls calls, ProcessEngine engine) {
        this.callbacks = callbacks;
        this.calls = calls;
        this.engine = engine;
    }

    @Override
    public void callBack(long callId, CallbackRequest request, String userId) {
        OutboundCall call = calls.call(callId).orElseThrow(() -> notFound("there is no call " + callId));
        Mode mode = mode(request.mode());
        Caller caller = new Caller(userId, roleOf(userId));
        callbacks.schedule(new Schedule(call.leadId(), call.to(), request.dueAt(), request.timeZone(),
                request.reason(), mode, request.overrideCallingHours(), callId,
                mode == Mode.AGENT && !caller.isAgent() ? userId : null), caller);
    }

    private static Mode mode(String mode) {
        if (mode == null || mode.isBlank()) {
            return null;
        }
        return Arrays.stream(Mode.values()).filter(m -> m.name().equals(mode.strip().toUpperCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> invalid("callbackMode must be AGENT (Call Back Agent) or QUEUE "
                        + "(Call Back Queue)"));
    }

    /** As the API judges a user: Admin Operations (or an engine administrator), then Agent Admin, else Agent. */
    private Role roleOf(String userId) {
        Set<String> groups = AsSystem.call(engine, () -> engine.getIdentityService().createGroupQuery()
                .groupMember(userId).list().stream().map(Group::getId).collect(Collectors.toSet()));
        if (groups.contains(Groups.ADMIN_OPS) || groups.contains(Groups.CAMUNDA_ADMIN)) {
            return Role.ADMIN_OPS;
        }
        return groups.contains(Groups.AGENT_ADMINS) ? Role.AGENT_ADMIN : Role.AGENT;
    }
}
