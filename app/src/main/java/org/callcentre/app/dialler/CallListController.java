package org.callcentre.app.dialler;

import static org.callcentre.problem.RefusedException.notFound;

import java.net.URI;

import org.callcentre.app.dialler.DiallerSetupApi.CallListView;
import org.callcentre.app.dialler.DiallerSetupApi.NewCallList;
import org.callcentre.app.web.Created;
import org.callcentre.dialler.CallLists;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/** Call lists: a campaign's named sets of leads. An unknown campaign is answered 404, as an unknown list is. */
@RestController
@RequestMapping("/api/call-lists")
public class CallListController {

    private final CallLists callLists;

    public CallListController(CallLists callLists) {
        this.callLists = callLists;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Created> createCallList(@Valid @RequestBody NewCallList body) {
        long id = callLists.create(body.name(), body.campaignId());
        return ResponseEntity.created(URI.create("/api/call-lists/" + id)).body(new Created(id));
    }

    @GetMapping("/{id}")
    public CallListView callList(@PathVariable long id) {
        return callLists.callList(id).map(CallListView::of).orElseThrow(() -> notFound("no call list " + id));
    }
}
