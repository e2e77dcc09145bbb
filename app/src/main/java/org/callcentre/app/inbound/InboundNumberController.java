package org.callcentre.app.inbound;

import static org.callcentre.problem.RefusedException.notFound;

import java.net.URI;
import java.util.List;

import org.callcentre.app.inbound.InboundApi.NumberSettings;
import org.callcentre.app.inbound.InboundApi.NumberView;
import org.callcentre.app.web.Created;
import org.callcentre.inbound.InboundNumbers;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The inbound numbers and their IVR menus, for Admin Operations and Agent Admins. Each number's Voice URL in Twilio
 * is {@code /twilio/inbound/voice}; a PUT replaces the whole setting.
 */
@RestController
@RequestMapping("/api/inbound-numbers")
public class InboundNumberController {

    private final InboundNumbers numbers;

    public InboundNumberController(InboundNumbers numbers) {
        this.numbers = numbers;
    }

    @PostMapping
    @Transactional
    public ResponseEntity<Created> create(@RequestBody NumberSettings body) {
        long id = numbers.create(body.written());
        return ResponseEntity.created(URI.create("/api/inbound-numbers/" + id)).body(new Created(id));
    }

    @GetMapping
    @Transactional(readOnly = true)
    public List<NumberView> all() {
        return numbers.all().stream().map(NumberView::of).toList();
    }

    @GetMapping("/{id}")
    @Transactional(readOnly = true)
    public NumberView number(@PathVariable long id) {
        return numbers.number(id).map(NumberView::of).orElseThrow(() -> notFound("there is no inbound number " + id));
    }

    @PutMapping("/{id}")
    @Transactional
    public NumberView replace(@PathVariable long id, @RequestBody NumberSettings body) {
        if (!numbers.replace(id, body.written())) {
            throw notFound("there is no inbound number " + id);
        }
        return number(id);
    }
}
