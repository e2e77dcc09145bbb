package org.callcentre.app.callback;

import static org.callcentre.problem.RefusedException.invalid;

import java.net.URI;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.callcentre.app.callback.CallbackApi.CallbackView;
import org.callcentre.app.callback.CallbackApi.CancelRequest;
import org.callcentre.app.callback.CallbackApi.ChangeRequest;
import org.callcentre.app.callback.CallbackApi.ScheduleRequest;
import org.callcentre.app.callback.CallbackApi.Scheduled;
import org.callcentre.app.security.Callers;
import org.callcentre.callback.Callback;
import org.callcentre.callback.Callback.Mode;
import org.callcentre.callback.Callback.Status;
import org.callcentre.callback.CallbackCalls;
import org.callcentre.callback.Callbacks;
import org.callcentre.callback.Callbacks.Change;
import org.callcentre.callback.Callbacks.Filter;
import org.callcentre.callback.Callbacks.LeadLabel;
import org.callcentre.callback.Callbacks.Schedule;
import org.callcentre.callback.Callbacks.Window;
import org.callcentre.dialler.Caller;
import org.callcentre.processes.callback.CallbackTimes;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Callbacks: schedule, see, change and cancel. Agents schedule for the lead they hold, keep their own Call Back Agent
 * callbacks and see their team's; team managers (Agent Admin, Admin Operations) see and change every callback.
 */
@RestController
@RequestMapping("/api/callbacks")
public class CallbackController {

    private final Callbacks callbacks;
    private final CallbackCalls calls;

    public CallbackController(Callbacks callbacks, CallbackCalls calls) {
        this.callbacks = callbacks;
        this.calls = calls;
    }

    /**
     * Calls the callback back agent-first: 202, the agent's device rings (or the connected phone hears the
     * announcement), then the person is dialled. Refused (and the refusal recorded) if the agent has no device.
     */
    @PostMapping("/{id}/call")
    public ResponseEntity<CallbackView> call(@PathVariable long id, Authentication user) {
        calls.call(id, Callers.of(user));
        return ResponseEntity.accepted().body(callback(id, user));
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Scheduled> schedule(@RequestBody ScheduleRequest body, Authentication user) {
        Callback callback = callbacks.schedule(new Schedule(body.leadId(), body.phone(), body.dueAt(), body.timeZone(),
                body.reason(), mode(body.mode(), true), Boolean.TRUE.equals(body.overrideCallingHours()),
                body.callId(), body.ownerUserId()), Callers.of(user));
        return ResponseEntity.created(URI.create("/api/callbacks/" + callback.id()))
                .body(new Scheduled(callback.id(), callback.status().name(), callback.dueAt()));
    }

    @GetMapping("/{id}")
    @Transactional(readOnly = true)
    public CallbackView callback(@PathVariable long id, Authentication user) {
        Callback callback = callbacks.view(id, Callers.of(user));
        LeadLabel lead = callbacks.leadLabels(List.of(callback.leadId())).get(callback.leadId());
        return CallbackView.of(callback, lead.name());
    }

    /** The Call Back Queue view; {@code viewerTimeZone} adds each due time in the viewer's zone. */
    @GetMapping
    @Transactional(readOnly = true)
    public List<CallbackView> list(@RequestParam(required = false) Long teamId,
            @RequestParam(required = false) String ownerUserId, @RequestParam(required = false) String status,
            @RequestParam(required = false) String window, @RequestParam(required = false) String viewerTimeZone,
            Authentication user) {
        ZoneId viewer = viewerTimeZone == null || viewerTimeZone.isBlank() ? ZoneId.of("UTC")
                : zoneOf(viewerTimeZone);
        Caller caller = Callers.of(user);
        String owner = "me".equals(ownerUserId) ? caller.userId() : ownerUserId;
        List<Callback> found = callbacks.list(new Filter(teamId, owner, parse(Status.class, "status", status),
                parse(Window.class, "window", window)), caller);
        Map<Long, LeadLabel> leads = callbacks.leadLabels(found.stream().map(Callback::leadId).toList());
        return found.stream().map(c -> {
            LeadLabel lead = leads.get(c.leadId());
            return CallbackView.of(c, lead.name(), ZoneId.of(lead.timeZone()), viewer);
        }).toList();
    }

    @PutMapping("/{id}")
    @Transactional
    public CallbackView change(@PathVariable long id, @RequestBody ChangeRequest body, Authentication user) {
        Callback callback = callbacks.change(id, new Change(body.dueAt(), body.timeZone(), body.reason(),
                mode(body.mode(), false), body.ownerUserId(), body.overrideCallingHours()), Callers.of(user));
        return CallbackView.of(callback, callbacks.leadLabels(List.of(callback.leadId())).get(callback.leadId())
                .name());
    }

    @DeleteMapping("/{id}")
    @Transactional
    public CallbackView cancel(@PathVariable long id, @RequestParam(required = false) String reason,
            @RequestBody(required = false) CancelRequest body, Authentication user) {
        String why = reason != null ? reason : body == null ? null : body.reason();
        Callback callback = callbacks.cancel(id, why, Callers.of(user));
        return CallbackView.of(callback, callbacks.leadLabels(List.of(callback.leadId())).get(callback.leadId())
                .name());
    }

    /** The mode named, or a refusal; null when absent and not required. */
    public static Mode mode(String mode, boolean required) {
        if (mode == null) {
            if (required) {
                throw invalid("mode is required: AGENT (Call Back Agent) or QUEUE (Call Back Queue)");
            }
            return null;
        }
        return parse(Mode.class, "mode", mode);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(value.toUpperCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> invalid(name + " must be one of "
                        + Arrays.toString(type.getEnumConstants())));
    }

    private static ZoneId zoneOf(String name) {
        try {
            return CallbackTimes.zone(name);
        } catch (CallbackTimes.UnschedulableTime unknown) {
            throw invalid(unknown.getMessage());
        }
    }
}
