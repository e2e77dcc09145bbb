package org.callcentre.app.ticket;

import java.net.URI;

import org.callcentre.app.security.Callers;
import org.callcentre.ticket.mail.TicketMail;
import org.callcentre.ticket.mail.TicketMail.Draft;
import org.callcentre.ticket.mail.TicketMail.Preview;
import org.callcentre.ticket.mail.TicketMail.Sent;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Mail from a ticket: a reply to the end-user (and its preview), and a mail to the ticket's owner. Anyone in a role,
 * on the tickets of a group they are in (Agent Admins and Admin Operations: every group). The mail is sent last in
 * the transaction: a mail server that does not take it is a 503 and nothing is recorded.
 */
@RestController
public class TicketMailController {

    public record ReplyRequest(Long cannedResponseId, String subject, String html) {
    }

    public record OwnerEmailRequest(String subject, String html) {
    }

    private final TicketMail mail;

    public TicketMailController(TicketMail mail) {
        this.mail = mail;
    }

    @PostMapping("/api/tickets/{number}/replies")
    @Transactional
    public ResponseEntity<Sent> reply(@PathVariable long number, @RequestBody(required = false) ReplyRequest body,
            Authentication user) {
        Sent sent = mail.reply(Callers.of(user), number, draft(body));
        return ResponseEntity.created(URI.create("/api/tickets/" + number)).body(sent);
    }

    /** What the end-user would see: sanitised, with the ticket's marker, and the placeholders left to fill in. */
    @PostMapping("/api/tickets/{number}/replies/preview")
    @Transactional(readOnly = true)
    public Preview preview(@PathVariable long number, @RequestBody(required = false) ReplyRequest body,
            Authentication user) {
        return mail.preview(Callers.of(user), number, draft(body));
    }

    @PostMapping("/api/tickets/{number}/owner-emails")
    @Transactional
    public ResponseEntity<Sent> emailOwner(@PathVariable long number,
            @RequestBody(required = false) OwnerEmailRequest body, Authentication user) {
        Sent sent = mail.emailOwner(Callers.of(user), number, body == null ? null : body.subject(),
                body == null ? null : body.html());
        return ResponseEntity.created(URI.create("/api/tickets/" + number)).body(sent);
    }

    private static Draft draft(ReplyRequest body) {
        return body == null ? null : new Draft(body.cannedResponseId(), body.subject(), body.html());
    }
}
