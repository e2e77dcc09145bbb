package org.callcentre.app.dialler;

import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;

import java.io.IOException;
import java.util.Locale;

import org.callcentre.app.dialler.LeadApi.DoNotCallAnswer;
import org.callcentre.app.dialler.LeadApi.DoNotCallEntry;
import org.callcentre.dialler.DoNotCallList;
import org.callcentre.dialler.PhoneNumbers;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;

/** The do-not-call list: numbers never dialled, whichever lead holds them. */
@RestController
@RequestMapping("/api/do-not-call")
public class DoNotCallController {

    private final DoNotCallList list;

    public DoNotCallController(DoNotCallList list) {
        this.list = list;
    }

    /** A CSV file with a {@code phone} column; numbers without + are read for {@code region}. */
    @PostMapping(consumes = "text/csv")
    @Transactional
    public DoNotCallAnswer add(HttpServletRequest request, @RequestParam(defaultValue = "GB") String region,
            Authentication caller) throws IOException {
        DoNotCallList.Report report = list.add(request.getInputStream(), region(region), caller.getName());
        return new DoNotCallAnswer(report.added(), report.rejected());
    }

    @GetMapping("/{number}")
    @Transactional(readOnly = true)
    public DoNotCallEntry entry(@PathVariable String number, @RequestParam(defaultValue = "GB") String region) {
        String e164 = number(number, region);
        return list.entry(e164).map(e -> new DoNotCallEntry(e.number(), e.addedAt()))
                .orElseThrow(() -> notFound(e164 + " is not on the do-not-call list"));
    }

    @DeleteMapping("/{number}")
    @Transactional
    public ResponseEntity<Void> remove(@PathVariable String number, @RequestParam(defaultValue = "GB") String region) {
        String e164 = number(number, region);
        if (!list.remove(e164)) {
            throw notFound(e164 + " is not on the do-not-call list");
        }
        return ResponseEntity.noContent().build();
    }

    /** The number in E.164, or a refusal saying it is not one. */
    static String number(String raw, String region) {
        String country = region(region);
        return PhoneNumbers.e164(raw, country).orElseThrow(() -> invalid("'" + raw + "' is not a valid phone number "
                + "(numbers without + are read for " + country + ")"));
    }

    private static String region(String region) {
        String country = region.trim().toUpperCase(Locale.ROOT);
        if (!PhoneNumbers.knownRegion(country)) {
            throw invalid("region must be an ISO country such as GB");
        }
        return country;
    }
}
