package org.callcentre.app.dialler;

import static org.callcentre.problem.RefusedException.notFound;

import java.net.URI;
import java.util.List;

import org.callcentre.app.dialler.DiallerSetupApi.TeamSettings;
import org.callcentre.app.dialler.DiallerSetupApi.TeamView;
import org.callcentre.app.web.Created;
import org.callcentre.dialler.Teams;
import org.callcentre.dialler.Teams.Weighting;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/** Teams of agents and the call lists they work. A PUT replaces the whole team. */
@RestController
@RequestMapping("/api/teams")
public class TeamController {

    private final Teams teams;

    public TeamController(Teams teams) {
        this.teams = teams;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Created> createTeam(@Valid @RequestBody TeamSettings body) {
        long id = teams.create(body.name(), agents(body), weightings(body));
        return ResponseEntity.created(URI.create("/api/teams/" + id)).body(new Created(id));
    }

    @PutMapping("/{id}")
    @Transactional
    public TeamView replaceTeam(@PathVariable long id, @Valid @RequestBody TeamSettings body) {
        if (!teams.replace(id, body.name(), agents(body), weightings(body))) {
            throw noTeam(id);
        }
        return team(id);
    }

    @GetMapping("/{id}")
    public TeamView team(@PathVariable long id) {
        return teams.team(id).map(TeamView::of).orElseThrow(() -> noTeam(id));
    }

    private static List<String> agents(TeamSettings body) {
        return body.agents() == null ? List.of() : body.agents();
    }

    private static List<Weighting> weightings(TeamSettings body) {
        return body.callLists() == null ? List.of() : body.callLists().stream()
                .map(list -> new Weighting(list.callListId(), list.weightingOrDefault())).toList();
    }

    private static RuntimeException noTeam(long id) {
        return notFound("no team " + id);
    }
}
