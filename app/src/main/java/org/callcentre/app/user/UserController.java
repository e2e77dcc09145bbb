package org.callcentre.app.user;

import static org.callcentre.app.security.EngineUserAuthenticationProvider.authority;
import static org.callcentre.problem.RefusedException.conflict;
import static org.callcentre.problem.RefusedException.forbidden;
import static org.callcentre.problem.RefusedException.notFound;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.callcentre.app.user.UserApi.CreatedUser;
import org.callcentre.app.user.UserApi.NewUser;
import org.callcentre.app.user.UserApi.UserEdit;
import org.callcentre.app.user.UserApi.UserView;
import org.callcentre.dialler.Teams;
import org.callcentre.processes.Groups;
import org.callcentre.user.CallCentreUser;
import org.callcentre.user.CallCentreUsers;
import org.callcentre.user.Role;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/**
 * Call-centre users. Who may write whom needs the caller's restriction, so it is decided here; that only Admin
 * Operations users write at all is SecurityConfiguration's. A member of {@code camunda-admin} (the configured
 * administrator) counts as an unrestricted Admin Operations user, with or without a profile.
 */
@RestController
@RequestMapping("/api/users")
public class UserController {

    private final CallCentreUsers users;
    private final Teams teams;

    public UserController(CallCentreUsers users, Teams teams) {
        this.users = users;
        this.teams = teams;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<CreatedUser> createUser(@Valid @RequestBody NewUser body, Authentication caller) {
        if (body.role() != Role.AGENT && restricted(caller)) {
            throw forbidden("a restricted Admin Operations user creates agents only");
        }
        CallCentreUser user = users.create(body.user(), body.password());
        return ResponseEntity.created(URI.create("/api/users/" + user.id())).body(new CreatedUser(user.id()));
    }

    @PutMapping("/{id}")
    @Transactional
    public UserView editUser(@PathVariable String id, @Valid @RequestBody UserEdit body, Authentication caller) {
        CallCentreUser before = users.user(id).orElseThrow(() -> notFound("no call-centre user " + id));
        CallCentreUser after = body.user(id, before.active());
        if ((before.role() != Role.AGENT || after.role() != Role.AGENT) && restricted(caller)) {
            throw forbidden("a restricted Admin Operations user edits agents only, and makes no one anything else");
        }
        if (id.equals(caller.getName()) && (rank(after.role()) > rank(before.role())
                || before.restricted() && !after.restricted())) {
            throw forbidden("you cannot give yourself a higher role");
        }
        if (id.equals(caller.getName()) && !after.active()) {
            throw conflict("you cannot deactivate yourself; another Admin Operations user can");
        }
        if (before.role() == Role.AGENT && after.role() != Role.AGENT && teams.teamOf(id).isPresent()) {
            throw conflict(id + " is in a team of agents; take them out of "
                    + "it before giving them another role");
        }
        CallCentreUser saved = users.edit(after, body.password());
        return UserView.of(saved, teams.teamOf(id).orElse(null));
    }

    @GetMapping
    public List<UserView> users() {
        Map<String, Long> teamsOfAgents = teams.teamsOfAgents();
        return users.users().stream().map(user -> UserView.of(user, teamsOfAgents.get(user.id()))).toList();
    }

    /**
     * Whether the caller is a restricted Admin Operations user. Only Admin Operations users reach this controller's
     * writes; one without a profile is unrestricted, as is the engine's administrator.
     */
    private boolean restricted(Authentication caller) {
        Set<String> authorities = caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .collect(Collectors.toSet());
        if (authorities.contains(authority(Groups.CAMUNDA_ADMIN))) {
            return false;
        }
        return users.user(caller.getName()).map(CallCentreUser::restricted).orElse(false);
    }

    private static int rank(Role role) {
        return switch (role) {
            case AGENT -> 0;
            case AGENT_ADMIN -> 1;
            case ADMIN_OPS -> 2;
        };
    }
}
