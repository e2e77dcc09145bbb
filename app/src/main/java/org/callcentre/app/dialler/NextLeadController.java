package org.callcentre.app.dialler;

import static org.callcentre.app.security.EngineUserAuthenticationProvider.authority;
import static org.callcentre.problem.RefusedException.forbidden;

import java.util.List;

import org.callcentre.app.callback.CallbackApi.CallbackView;
import org.callcentre.app.dialler.NextLeadApi.LockAnswer;
import org.callcentre.app.dialler.NextLeadApi.NextLeadAnswer;
import org.callcentre.callback.Callbacks;
import org.callcentre.dialler.LeadLocks;
import org.callcentre.dialler.LeadView;
import org.callcentre.dialler.Leads;
import org.callcentre.dialler.NextLead;
import org.callcentre.dialler.NextLeadQuery;
import org.callcentre.processes.Groups;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agent's Next Lead button and the locks agents put on the leads they open. Only agents lock: Admin Operations
 * and Agent Admin users open and call leads without locking, so they are refused here whatever the URL rules say.
 */
@RestController
public class NextLeadController {

    private final NextLeadQuery nextLead;
    private final LeadLocks locks;
    private final Leads leads;
    private final Callbacks callbacks;

    public NextLeadController(NextLeadQuery nextLead, LeadLocks locks, Leads leads, Callbacks callbacks) {
        this.nextLead = nextLead;
        this.locks = locks;
        this.leads = leads;
        this.callbacks = callbacks;
    }

    @PostMapping("/api/agents/me/next-lead")
    public NextLeadAnswer nextLead(Authentication user) {
        String agent = agent(user);
        NextLead next = nextLead.next(agent);
        if (next.leadId() == null) {
            return new NextLeadAnswer(null, next.reason().name(), next.reason().message(), null);
        }
        LeadView lead = leads.view(next.leadId()).orElseThrow();
        CallbackView callback = callbacks.offeredWith(lead.id(), agent)
                .map(c -> CallbackView.of(c, callbacks.leadLabels(List.of(c.leadId())).get(c.leadId()).name()))
                .orElse(null);
        return new NextLeadAnswer(lead, null, null, callback);
    }

    @PostMapping("/api/leads/{id}/lock")
    public LockAnswer lock(@PathVariable long id, @RequestParam(defaultValue = "false") boolean override,
            Authentication user) {
        LeadView.Lock lock = locks.open(id, agent(user), override);
        return new LockAnswer(lock.userId(), lock.since());
    }

    @DeleteMapping("/api/leads/{id}/lock")
    public ResponseEntity<Void> unlock(@PathVariable long id, Authentication user) {
        locks.release(id, agent(user));
        return ResponseEntity.noContent().build();
    }

    private static String agent(Authentication user) {
        if (user.getAuthorities().stream().noneMatch(a -> a.getAuthority().equals(authority(Groups.AGENTS)))) {
            throw forbidden("only agents lock leads: Admin Operations and Agent Admin users open and call them "
                    + "without a lock");
        }
        return user.getName();
    }
}
