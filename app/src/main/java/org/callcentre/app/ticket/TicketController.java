package org.callcentre.app.ticket;

import static org.callcentre.problem.RefusedException.invalid;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import org.callcentre.app.security.Callers;
import org.callcentre.dialler.Caller;
import org.callcentre.ticket.EndUser;
import org.callcentre.ticket.Ticket;
import org.callcentre.ticket.TicketStatus;
import org.callcentre.ticket.Tickets;
import org.callcentre.ticket.Tickets.Attachment;
import org.callcentre.ticket.Tickets.Changes;
import org.callcentre.ticket.Tickets.Content;
import org.callcentre.ticket.Tickets.Correspondence;
import org.callcentre.ticket.Tickets.HistoryEntry;
import org.callcentre.ticket.Tickets.Note;
import org.callcentre.ticket.UserSettings;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tickets: anyone in a role may use these, but only on the tickets of a group they are in (Agent Admins and Admin
 * Operations: every group). Every refusal is a problem detail and changes nothing.
 */
@RestController
public class TicketController {

    public record NewTicket(String group, String title, EndUserView endUser) {
    }

    public record EndUserView(String name, String email, String phone) {
    }

    public record Created(long number) {
    }

    public record TicketView(long number, String group, String ownerUserId, String ownerInitials,
            EndUserView endUser, String title, String nextAction, TicketStatus status, Instant waitUntil,
            boolean awaitingTriage, int unanswered, Ticket.Origin origin, Long mergedInto, Instant createdAt,
            Instant updatedAt, Instant closedAt) {
    }

    public record TicketDetail(TicketView ticket, List<Correspondence> correspondence, List<Note> notes,
            List<Attachment> attachments) {
    }

    public record NoteRequest(String text) {
    }

    public record MoveRequest(String group) {
    }

    public record MergeRequest(Long intoNumber) {
    }

    public record Closed(List<Long> closed) {
    }

    private final Tickets tickets;
    private final UserSettings settings;

    public TicketController(Tickets tickets, UserSettings settings) {
        this.tickets = tickets;
        this.settings = settings;
    }

    @PostMapping("/api/tickets")
    @Transactional
    public ResponseEntity<Created> create(@RequestBody NewTicket body, Authentication user) {
        if (body == null || body.endUser() == null) {
            throw invalid("endUser is required: {name, email, phone}, with an email or a phone");
        }
        EndUser endUser = EndUser.of(body.endUser().name(), body.endUser().email(), body.endUser().phone(),
                tickets.properties().phoneRegion());
        long number = tickets.createBlank(Callers.of(user), body.group(), body.title(), endUser);
        return ResponseEntity.created(URI.create("/api/tickets/" + number)).body(new Created(number));
    }

    @GetMapping("/api/tickets/{number}")
    @Transactional(readOnly = true)
    public TicketDetail ticket(@PathVariable long number, Authentication user) {
        Ticket ticket = tickets.readable(Callers.of(user), number);
        return new TicketDetail(view(ticket), tickets.correspondence(number), tickets.notes(number),
                tickets.attachments(number));
    }

    /**
     * Changes {@code ownerUserId} (null: no owner), {@code title}, {@code nextAction}, {@code status} and
     * {@code waitUntil} (an ISO instant, with {@code WAITING_FOR_EVENT}); a field left out is not changed.
     */
    @PatchMapping("/api/tickets/{number}")
    @Transactional
    public TicketView change(@PathVariable long number, @RequestBody JsonNode body, Authentication user) {
        if (body == null || !body.isObject()) {
            throw invalid("the body is a JSON object of the fields to change");
        }
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("ownerUserId", "title", "nextAction", "status", "waitUntil").contains(name)) {
                throw invalid("unknown field " + name + ": ownerUserId, title, nextAction, status, waitUntil");
            }
        }
        Changes changes = new Changes(body.has("ownerUserId"), text(body, "ownerUserId"), text(body, "title"),
                text(body, "nextAction"), status(text(body, "status")), instant(text(body, "waitUntil")));
        return view(tickets.change(Callers.of(user), number, changes));
    }

    @GetMapping("/api/tickets/{number}/history")
    @Transactional(readOnly = true)
    public List<HistoryEntry> history(@PathVariable long number, Authentication user) {
        tickets.readable(Callers.of(user), number);
        return tickets.history(number);
    }

    @PostMapping("/api/tickets/{number}/notes")
    @Transactional
    public ResponseEntity<Note> note(@PathVariable long number, @RequestBody NoteRequest body, Authentication user) {
        Note note = tickets.addNote(Callers.of(user), number, body == null ? null : body.text());
        return ResponseEntity.status(201).body(note);
    }

    @PostMapping("/api/tickets/{number}/move")
    @Transactional
    public TicketView move(@PathVariable long number, @RequestBody MoveRequest body, Authentication user) {
        if (body == null || body.group() == null || body.group().isBlank()) {
            throw invalid("group is required: the key of the group to move the ticket to");
        }
        return view(tickets.move(Callers.of(user), number, body.group()));
    }

    @PostMapping("/api/tickets/{number}/merge")
    @Transactional
    public TicketView merge(@PathVariable long number, @RequestBody MergeRequest body, Authentication user) {
        return view(tickets.merge(Callers.of(user), number, body == null ? null : body.intoNumber()));
    }

    @PostMapping("/api/tickets/{number}/close")
    @Transactional
    public TicketView close(@PathVariable long number, Authentication user) {
        return view(tickets.close(Callers.of(user), number));
    }

    @GetMapping("/api/tickets/{number}/attachments/{id}")
    @Transactional(readOnly = true)
    public ResponseEntity<byte[]> attachment(@PathVariable long number, @PathVariable long id, Authentication user) {
        Content content = tickets.content(Callers.of(user), number, id);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(content.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename(content.fileName(),
                        java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'")
                .body(content.bytes());
    }

    /** The open tickets of a group: {@code status}, {@code mineAndUnassigned}, {@code sort} (see Tickets.open). */
    @GetMapping("/api/groups/{key}/tickets")
    @Transactional(readOnly = true)
    public List<TicketView> open(@PathVariable String key, @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "false") boolean mineAndUnassigned,
            @RequestParam(required = false) String sort, Authentication user) {
        Caller caller = Callers.of(user);
        return views(tickets.open(caller, key, status(status), mineAndUnassigned, sort));
    }

    @PostMapping("/api/groups/{key}/tickets/close-completed")
    @Transactional
    public Closed closeCompleted(@PathVariable String key, Authentication user) {
        return new Closed(tickets.closeCompleted(Callers.of(user), key));
    }

    /** The last 100 closed tickets, or those closed in {@code [from, to)} (ISO instants). */
    @GetMapping("/api/groups/{key}/tickets/closed")
    @Transactional(readOnly = true)
    public List<TicketView> closed(@PathVariable String key, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, Authentication user) {
        return views(tickets.closed(Callers.of(user), key, instant(from), instant(to)));
    }

    private List<TicketView> views(List<Ticket> found) {
        Map<String, String> initials = new java.util.HashMap<>();
        return found.stream().map(ticket -> view(ticket, initials)).toList();
    }

    private TicketView view(Ticket ticket) {
        return view(ticket, new java.util.HashMap<>());
    }

    private TicketView view(Ticket ticket, Map<String, String> initials) {
        String owner = ticket.ownerUserId();
        String ownerInitials = owner == null ? null
                : initials.computeIfAbsent(owner, id -> settings.of(id).initials());
        EndUser endUser = ticket.endUser();
        return new TicketView(ticket.number(), ticket.groupKey(), owner, ownerInitials,
                new EndUserView(endUser.name(), endUser.email(), endUser.phone()), ticket.title(),
                ticket.nextAction(), ticket.status(), ticket.waitUntil(), ticket.awaitingTriage(),
                ticket.unanswered(), ticket.origin(), ticket.mergedInto(), ticket.createdAt(), ticket.updatedAt(),
                ticket.closedAt());
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(field + " is a string");
        }
        return value.asText();
    }

    private static TicketStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return TicketStatus.valueOf(status);
        } catch (IllegalArgumentException unknown) {
            throw invalid("status is one of NEED_TO_CONTACT, WAITING_ON_END_USER, WAITING_FOR_EVENT, COMPLETED");
        }
    }

    private static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException bad) {
            throw invalid("'" + value + "' is not an ISO instant (2027-05-10T14:00:00Z)");
        }
    }
}
