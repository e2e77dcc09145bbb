package org.callcentre.app.dialler;

import org.callcentre.app.security.Callers;
import org.callcentre.app.dialler.OutboundCallApi.Me;
import org.callcentre.app.dialler.OutboundCallApi.Phone;
import org.callcentre.app.dialler.OutboundCallApi.PhoneDialled;
import org.callcentre.dialler.AgentPhone;
import org.callcentre.dialler.AgentPhoneLine;
import org.callcentre.dialler.Caller;
import org.callcentre.dialler.DiallerProperties;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in user's phone for a shift: Twilio calls the user's device into the conference agent-&lt;userId&gt;. */
@RestController
public class AgentPhoneController {

    private final AgentPhoneLine line;
    private final DiallerProperties settings;

    public AgentPhoneController(AgentPhoneLine line, DiallerProperties settings) {
        this.line = line;
        this.settings = settings;
    }

    /** 202: Twilio is calling the device; the phone counts as connected once the user answers. */
    @PostMapping("/api/agents/me/phone")
    public ResponseEntity<PhoneDialled> connect(Authentication user) {
        AgentPhone phone = line.connect(user.getName());
        return ResponseEntity.accepted().body(new PhoneDialled(phone.callSid(), phone.conferenceName()));
    }

    @DeleteMapping("/api/agents/me/phone")
    public ResponseEntity<Void> hangUp(Authentication user) {
        line.hangUp(user.getName());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/agents/me")
    public Me me(Authentication user) {
        Caller caller = Callers.of(user);
        return new Me(caller.userId(), caller.role().name(), line.phones(caller.userId()).map(Phone::of).orElse(null),
                settings.nextLeadCountdownSeconds());
    }
}
