package org.callcentre.app.ticket;

import static org.callcentre.problem.RefusedException.invalid;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.callcentre.app.web.ApiProblems;
import org.callcentre.problem.RefusedException;
import org.callcentre.ticket.TicketGroup;
import org.callcentre.ticket.TicketWebForm;
import org.callcentre.ticket.TicketWebForm.Submission;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The public web form, without a login: {@code POST /public/contact} as JSON (answered with JSON) or as an HTML
 * form (answered with a page), and the form itself at {@code GET /public/contact}. A submission becomes a contact of
 * the chosen public group ({@link TicketWebForm}).
 * <p>
 * Every submission is answered the same way, {@code 202 {"received": true}} (a thank-you page for the form),
 * whether it opened a ticket, was appended to one, or filled in the honeypot ({@code website}, which people never
 * see) and was dropped: a ticket's number would tell an anonymous caller how many tickets there are, and whether
 * the owner of an address already has one open. Bad input is refused (400, 422) and creates nothing; more than
 * {@code tickets.web-form.max-per-window} submissions from one client address in a window are refused with 429 and
 * {@code Retry-After}.
 */
@RestController
public class WebFormController {

    public static final String PATH = "/public/contact";

    /** What the JSON form sends. {@code website} is the honeypot: it must be empty. */
    public record Contact(String group, String name, String email, String phone, String subject, String message,
            String website) {
    }

    public record Received(boolean received) {
    }

    private static final MediaType HTML = new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8);

    private final TicketWebForm webForm;
    private final WebFormThrottle throttle;
    private final TransactionTemplate transaction;

    public WebFormController(TicketWebForm webForm, WebFormThrottle throttle, PlatformTransactionManager transactions) {
        this.webForm = webForm;
        this.throttle = throttle;
        this.transaction = new TransactionTemplate(transactions);
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> submit(@RequestBody(required = false) Contact contact, HttpServletRequest request) {
        Optional<Duration> wait = throttle.take(request.getRemoteAddr());
        if (wait.isPresent()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, tooMany(wait.get()));
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, seconds(wait.get())).body(problem);
        }
        if (contact == null) {
            throw invalid("the body is {group, name, email, phone, subject, message, website}");
        }
        if (!honeypotFilled(contact.website())) {
            transaction.executeWithoutResult(tx -> webForm.submit(new Submission(contact.group(), contact.name(),
                    contact.email(), contact.phone(), contact.subject(), contact.message())));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Received(true));
    }

    /** The HTML form's post: a thank-you page, or the form again, filled in, with what to change. */
    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<String> submitForm(@RequestParam MultiValueMap<String, String> form,
            HttpServletRequest request) {
        Map<String, String> values = new HashMap<>();
        for (String name : List.of("group", "name", "email", "phone", "subject", "message", "website")) {
            values.put(name, form.getFirst(name));
        }
        Optional<Duration> wait = throttle.take(request.getRemoteAddr());
        if (wait.isPresent()) {
            return page(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, seconds(wait.get()))
                    .body(WebFormPage.form(groups(), values, tooMany(wait.get())));
        }
        if (!honeypotFilled(values.get("website"))) {
            try {
                transaction.executeWithoutResult(tx -> webForm.submit(new Submission(values.get("group"),
                        values.get("name"), values.get("email"), values.get("phone"), values.get("subject"),
                        values.get("message"))));
            } catch (RefusedException refused) {
                HttpStatus status = HttpStatus.valueOf(ApiProblems.problemOf(refused).getStatus());
                String html = WebFormPage.form(groups(), values, "Please check the form: " + refused.getMessage()
                        + ".");
                return page(status).body(html);
            }
        }
        String html = WebFormPage.thanks();
        return page(HttpStatus.OK).body(html);
    }

    @GetMapping(path = PATH)
    public ResponseEntity<String> form(@RequestParam(required = false) String group) {
        Map<String, String> values = new HashMap<>();
        if (group != null) {
            values.put("group", group);
        }
        String html = WebFormPage.form(groups(), values, null);
        return page(HttpStatus.OK).body(html);
    }

    private List<TicketGroup> groups() {
        return transaction.execute(tx -> webForm.publicGroups());
    }

    private static ResponseEntity.BodyBuilder page(HttpStatus status) {
        return ResponseEntity.status(status).contentType(HTML).cacheControl(org.springframework.http.CacheControl
                .noStore());
    }

    private static boolean honeypotFilled(String website) {
        return website != null && !website.isEmpty();
    }

    private static String tooMany(Duration wait) {
        return "too many messages from your address: try again in " + seconds(wait) + " seconds";
    }

    private static String seconds(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }
}
