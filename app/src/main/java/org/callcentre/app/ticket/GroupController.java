package org.callcentre.app.ticket;

import static org.callcentre.problem.RefusedException.notFound;

import java.net.URI;
import java.util.List;

import org.callcentre.ticket.TicketGroup;
import org.callcentre.ticket.TicketGroups;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The ticket groups: supervisors make them and set their members; anyone in a role reads them. */
@RestController
@RequestMapping("/api/groups")
public class GroupController {

    /**
     * A group to make. {@code public}: offered on the web form; {@code takesVoicemail}: callers may leave one;
     * {@code teamId}: the inbound team whose callers its Call Center home counts.
     */
    public record GroupSettings(String key, String name, @JsonProperty("public") Boolean isPublic,
            Boolean takesVoicemail, String inboxAddress, Long teamId) {
    }

    public record Members(List<String> members) {
    }

    public record GroupView(String key, String name, @JsonProperty("public") boolean isPublic, boolean takesVoicemail,
            String inboxAddress, List<String> members, Long teamId) {

        static GroupView of(TicketGroup group) {
            return new GroupView(group.key(), group.name(), group.publicGroup(), group.takesVoicemail(),
                    group.inboxAddress(), group.members(), group.teamId());
        }
    }

    private final TicketGroups groups;

    public GroupController(TicketGroups groups) {
        this.groups = groups;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<GroupView> create(@RequestBody GroupSettings body) {
        TicketGroup group = groups.create(new TicketGroups.Written(body.key(), body.name(),
                Boolean.TRUE.equals(body.isPublic()), Boolean.TRUE.equals(body.takesVoicemail()),
                body.inboxAddress(), body.teamId()));
        return ResponseEntity.created(URI.create("/api/groups/" + group.key())).body(GroupView.of(group));
    }

    @GetMapping
    @Transactional(readOnly = true)
    public List<GroupView> all() {
        return groups.all().stream().map(GroupView::of).toList();
    }

    @GetMapping("/{key}")
    @Transactional(readOnly = true)
    public GroupView group(@PathVariable String key) {
        return groups.group(key).map(GroupView::of).orElseThrow(() -> notFound("there is no group " + key));
    }

    @PutMapping("/{key}/members")
    @Transactional
    public GroupView members(@PathVariable String key, @RequestBody Members body) {
        return GroupView.of(groups.replaceMembers(key, body == null ? null : body.members()));
    }
}
