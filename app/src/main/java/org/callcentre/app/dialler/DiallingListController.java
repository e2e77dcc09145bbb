package org.callcentre.app.dialler;

import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;

import java.net.URI;
import java.util.List;

import org.callcentre.dialler.DiallingLists;
import org.callcentre.dialler.DiallingLists.Entry;
import org.callcentre.dialler.DiallingLists.Kind;
import org.callcentre.dialler.DiallingLists.Which;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The company's block list ({@code /api/block-list}: numbers and prefixes never dialled) and allow list
 * ({@code /api/allow-list}: dialled even when the campaign does not allow their country). See
 * {@link org.callcentre.dialler.DiallingCompliance}.
 */
@RestController
public class DiallingListController {

    private static final String LIST = "/api/{list:block-list|allow-list}";

    /** A new entry: a {@code number} (read for {@code region} when written without +) or a {@code prefix}. */
    public record NewEntry(@Size(max = 64) String number, @Size(max = 64) String prefix,
            @NotBlank @Size(max = 500) String reason) {
    }

    private final DiallingLists lists;

    public DiallingListController(DiallingLists lists) {
        this.lists = lists;
    }

    /** The list, newest first, with who added each entry and when. */
    @GetMapping(LIST)
    @Transactional(readOnly = true)
    public List<Entry> entries(@PathVariable String list) {
        return lists.entries(which(list));
    }

    @PostMapping(LIST)
    @Transactional
    public ResponseEntity<Entry> add(@PathVariable String list, @Valid @RequestBody NewEntry body,
            @RequestParam(defaultValue = "GB") String region, Authentication caller) {
        boolean number = body.number() != null && !body.number().isBlank();
        boolean prefix = body.prefix() != null && !body.prefix().isBlank();
        if (number == prefix) {
            throw invalid("give either a number or a prefix");
        }
        Entry added = number
                ? lists.add(which(list), DoNotCallController.number(body.number(), region), Kind.NUMBER,
                        body.reason().trim(), caller.getName())
                : lists.add(which(list), prefix(body.prefix()), Kind.PREFIX, body.reason().trim(), caller.getName());
        return ResponseEntity.created(URI.create("/api/" + list + "/" + added.entry())).body(added);
    }

    /** {@code entry} as listed (a prefix or an E.164 number), or a number read for {@code region}. */
    @DeleteMapping(LIST + "/{entry}")
    @Transactional
    public ResponseEntity<Void> remove(@PathVariable String list, @PathVariable String entry,
            @RequestParam(defaultValue = "GB") String region) {
        Which which = which(list);
        String listed = DiallingLists.PREFIX.matcher(entry.trim()).matches() ? entry.trim()
                : DoNotCallController.number(entry, region);
        if (!lists.remove(which, listed)) {
            throw notFound(listed + " is not on the " + which.words());
        }
        return ResponseEntity.noContent().build();
    }

    private static String prefix(String raw) {
        String prefix = raw.trim();
        if (!DiallingLists.PREFIX.matcher(prefix).matches()) {
            throw invalid("prefix '" + raw + "' is not + and 1 to 15 digits (such as +1900)");
        }
        return prefix;
    }

    private static Which which(String list) {
        return list.equals("block-list") ? Which.BLOCK : Which.ALLOW;
    }
}
