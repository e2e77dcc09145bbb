package org.callcentre.app.dialler;

import static org.callcentre.problem.RefusedException.invalid;

import java.util.List;

import org.callcentre.app.security.Callers;
import org.callcentre.app.callback.CallbackController;
import org.callcentre.app.dialler.LeadApi.CallbackToSchedule;
import org.callcentre.app.dialler.LeadApi.EditedCallStatus;
import org.callcentre.app.dialler.LeadApi.LeadPage;
import org.callcentre.app.dialler.LeadApi.NewCallStatus;
import org.callcentre.app.dialler.LeadApi.RecordedCallStatus;
import org.callcentre.callback.Callbacks;
import org.callcentre.dialler.CallOutcomes;
import org.callcentre.dialler.CallStatus;
import org.callcentre.dialler.DialRefusals;
import org.callcentre.dialler.LeadHistory;
import org.callcentre.dialler.LeadView;
import org.callcentre.dialler.Leads;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/** Leads: search, one lead, its history, and the agents' call statuses. */
@RestController
@RequestMapping("/api/leads")
public class LeadController {

    static final int MAX_PAGE_SIZE = 100;

    private final Leads leads;
    private final CallOutcomes outcomes;
    private final Callbacks callbacks;
    private final DialRefusals refusals;

    public LeadController(Leads leads, CallOutcomes outcomes, Callbacks callbacks, DialRefusals refusals) {
        this.leads = leads;
        this.refusals = refusals;
        this.outcomes = outcomes;
        this.callbacks = callbacks;
    }

    /** Leads matching every given criterion, newest first; {@code phone} is read for {@code region} without +. */
    @GetMapping
    @Transactional(readOnly = true)
    public LeadPage search(@RequestParam(required = false) Long callListId,
            @RequestParam(required = false) String phone, @RequestParam(required = false) String externalRef,
            @RequestParam(defaultValue = "GB") String region, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        if (page < 0) {
            throw invalid("page counts from 0");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw invalid("size must be between 1 and " + MAX_PAGE_SIZE);
        }
        String number = null;
        if (phone != null && !phone.isBlank()) {
            number = DoNotCallController.number(phone, region);
        }
        Leads.Page found = leads.search(new Leads.Search(callListId, number,
                externalRef == null || externalRef.isBlank() ? null : externalRef, page, size));
        return new LeadPage(found.items(), found.page(), found.size(), found.total());
    }

    @GetMapping("/{id}")
    @Transactional(readOnly = true)
    public LeadView lead(@PathVariable long id) {
        return leads.existing(id);
    }

    /** Every import, lock, call and status change of the lead, with who and when, oldest first. */
    @GetMapping("/{id}/history")
    @Transactional(readOnly = true)
    public List<LeadHistory.Event> history(@PathVariable long id) {
        return leads.history(id);
    }

    /**
     * The calls to the lead the dialling compliance refused, newest first: the number, the campaign, the rule and why,
     * who placed the call and when, and the call when it was refused just before Twilio was asked.
     */
    @GetMapping("/{id}/dial-refusals")
    @Transactional(readOnly = true)
    public List<DialRefusals.Recorded> dialRefusals(@PathVariable long id) {
        leads.existing(id);
        return refusals.of(id);
    }

    /**
     * The agent's outcome of a call, and what the call-outcome decision makes follow it; the call's Talk task in
     * Tasklist, if open, is closed. Not in a transaction of this method's own: the outcome commits before the task
     * is told. Recording an outcome is work on the lead, so its holder's lock stays live.
     */
    @PostMapping("/{id}/call-statuses")
    public ResponseEntity<RecordedCallStatus> recordStatus(@PathVariable long id,
            @Valid @RequestBody NewCallStatus body, Authentication caller) {
        CallbackToSchedule promised = body.callback();
        if (promised != null && body.status() != CallStatus.CALL_BACK) {
            throw invalid("a callback is scheduled with the Call back outcome only");
        }
        Long[] callback = new Long[1];
        CallOutcomes.Recorded recorded = outcomes.recordAndCloseTalk(id, body.status(), body.callId(),
                body.note() == null || body.note().isBlank() ? null : body.note(), caller.getName(),
                CallerRoles.mustHoldLock(caller), outcome -> {
                    if (promised != null) {
                        callback[0] = callbacks.schedule(new Callbacks.Schedule(id, promised.phone(),
                                promised.dueAt(), promised.timeZone(), promised.reason(),
                                CallbackController.mode(promised.mode(), true),
                                Boolean.TRUE.equals(promised.overrideCallingHours()), body.callId(),
                                promised.ownerUserId()), Callers.of(caller)).id();
                    }
                });
        return ResponseEntity.status(HttpStatus.CREATED).body(RecordedCallStatus.of(recorded, callback[0]));
    }

    /**
     * Changes the lead's most recent call status (editing a blocking one is how calling is enabled again): what the
     * old status's decision did is taken back and the new status's decision applies.
     */
    @PutMapping("/{id}/call-statuses/latest")
    @Transactional
    public LeadView editLatestStatus(@PathVariable long id, @Valid @RequestBody EditedCallStatus body,
            Authentication caller) {
        outcomes.edit(id, body.status(), caller.getName(), CallerRoles.mustHoldLock(caller));
        return leads.existing(id);
    }

}
