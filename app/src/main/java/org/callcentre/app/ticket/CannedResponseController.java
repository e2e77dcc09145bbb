package org.callcentre.app.ticket;

import java.net.URI;
import java.util.List;

import org.callcentre.app.security.Callers;
import org.callcentre.ticket.mail.CannedResponses;
import org.callcentre.ticket.mail.CannedResponses.CannedResponse;
import org.callcentre.ticket.mail.CannedResponses.Written;
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
import org.springframework.web.bind.annotation.RestController;

/**
 * A group's canned responses {@code {title, subject, html}}: its members read and edit them, and so do Agent Admins and
 * Admin Operations (as for the group's tickets).
 */
@RestController
@RequestMapping("/api/groups/{key}/canned-responses")
public class CannedResponseController {

    private final CannedResponses canned;

    public CannedResponseController(CannedResponses canned) {
        this.canned = canned;
    }

    @GetMapping
    @Transactional(readOnly = true)
    public List<CannedResponse> all(@PathVariable String key, Authentication user) {
        return canned.of(Callers.of(user), key);
    }

    @PostMapping
    @Transactional
    public ResponseEntity<CannedResponse> create(@PathVariable String key,
            @RequestBody(required = false) Written body, Authentication user) {
        CannedResponse created = canned.create(Callers.of(user), key, body);
        return ResponseEntity.created(URI.create("/api/groups/" + key + "/canned-responses/" + created.id()))
                .body(created);
    }

    @PutMapping("/{id}")
    @Transactional
    public CannedResponse replace(@PathVariable String key, @PathVariable long id,
            @RequestBody(required = false) Written body, Authentication user) {
        return canned.replace(Callers.of(user), key, id, body);
    }

    @DeleteMapping("/{id}")
    @Transactional
    public ResponseEntity<Void> delete(@PathVariable String key, @PathVariable long id, Authentication user) {
        canned.delete(Callers.of(user), key, id);
        return ResponseEntity.noContent().build();
    }
}
