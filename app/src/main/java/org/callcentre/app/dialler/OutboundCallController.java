package org.callcentre.app.dialler;

import java.net.URI;

import org.callcentre.app.security.Callers;
import org.callcentre.app.dialler.OutboundCallApi.CallPlaced;
import org.callcentre.app.dialler.OutboundCallApi.CallView;
import org.callcentre.app.dialler.OutboundCallApi.NewCall;
import org.callcentre.dialler.OutboundCall;
import org.callcentre.dialler.OutboundCallDesk;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/**
 * Calls to leads. A new call answers 201 at once: Twilio is asked in the job executor, so its sid (and a refusal by
 * Twilio, which ends the call {@code failed} with Twilio's code and message) shows in {@code GET /api/calls/{id}}.
 */
@RestController
public class OutboundCallController {

    private final OutboundCallDesk desk;

    public OutboundCallController(OutboundCallDesk desk) {
        this.desk = desk;
    }

    @PostMapping("/api/leads/{leadId}/calls")
    public ResponseEntity<CallPlaced> place(@PathVariable long leadId, @Valid @RequestBody(required = false) NewCall body,
            Authentication user) {
        NewCall request = body == null ? new NewCall(null, null) : body;
        OutboundCall call = desk.place(leadId, Callers.of(user), request.phone(),
                Boolean.TRUE.equals(request.overrideCallingHours()));
        return ResponseEntity.created(URI.create("/api/calls/" + call.id())).body(CallPlaced.of(call));
    }

    @GetMapping("/api/calls/{callId}")
    public CallView call(@PathVariable long callId, Authentication user) {
        return CallView.of(desk.call(callId, Callers.of(user)));
    }

    @DeleteMapping("/api/calls/{callId}")
    public ResponseEntity<Void> hangUp(@PathVariable long callId, Authentication user) {
        desk.hangUp(callId, Callers.of(user));
        return ResponseEntity.accepted().build();
    }
}
