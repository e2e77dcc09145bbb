package org.callcentre.journey;

import static org.callcentre.problem.RefusedException.forbidden;
import static org.callcentre.problem.RefusedException.invalid;
import static org.callcentre.problem.RefusedException.notFound;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.callcentre.dialler.Caller;
import org.callcentre.dialler.LeadLocks;
import org.callcentre.inbound.InboundCall;
import org.callcentre.inbound.InboundCalls;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A customer's journey: every activity of every {@link JourneySource}, oldest first, for a phone number or a lead.
 * Supervisors (Agent Admin, Admin Operations) see every journey; an agent sees the journey of a lead whose lock
 * they hold, and of the number of the inbound call they are on. Reads run in the caller's transaction.
 */
public class CustomerJourneys {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Comparator<Activity> OLDEST_FIRST = Comparator.comparing(Activity::at)
            .thenComparing(Activity::kind).thenComparingLong(Activity::id);

    private final JdbcTemplate jdbc;
    private final List<JourneySource> sources;
    private final LeadLocks locks;
    private final InboundCalls inboundCalls;

    public CustomerJourneys(JdbcTemplate jdbc, List<JourneySource> sources, LeadLocks locks,
            InboundCalls inboundCalls) {
        this.jdbc = jdbc;
        this.sources = List.copyOf(sources);
        this.locks = locks;
        this.inboundCalls = inboundCalls;
    }

    /** The journey of the number {@code phone} (E.164) or of the lead {@code leadId}: exactly one of them. */
    public List<Activity> journey(String phone, Long leadId, Caller caller) {
        boolean byPhone = phone != null && !phone.isBlank();
        if (byPhone == (leadId != null)) {
            throw invalid("give exactly one of phone (an E.164 number) and leadId");
        }
        return byPhone ? ofNumber(number(phone), caller) : ofLead(leadId, caller);
    }

    private List<Activity> ofNumber(String number, Caller caller) {
        if (caller.isAgent() && !onACallFrom(caller, number)) {
            throw forbidden("agents see the journey of the number of the inbound call they are on, or of a lead "
                    + "whose lock they hold");
        }
        return collect(new Customer(null, Set.of(number)));
    }

    private List<Activity> ofLead(long leadId, Caller caller) {
        if (jdbc.queryForObject("select count(*) from lead where id = ?", Integer.class, leadId) == 0) {
            throw notFound("there is no lead " + leadId);
        }
        if (caller.isAgent() && !locks.heldBy(leadId, caller.userId())) {
            throw forbidden("agents see the journey of a lead whose lock they hold, or of the number of the inbound "
                    + "call they are on; open lead " + leadId + " first");
        }
        Set<String> numbers = new LinkedHashSet<>(jdbc.queryForList("select number from lead_phone where lead_id = ? "
                + "order by position", String.class, leadId));
        return collect(new Customer(leadId, numbers));
    }

    private List<Activity> collect(Customer customer) {
        List<Activity> journey = new ArrayList<>();
        for (JourneySource source : sources) {
            journey.addAll(source.activities(customer));
        }
        journey.sort(OLDEST_FIRST);
        return List.copyOf(journey);
    }

    private boolean onACallFrom(Caller caller, String number) {
        Optional<InboundCall> current = inboundCalls.currentOf(caller.userId());
        return current.map(call -> number.equals(call.from())).orElse(false);
    }

    /**
     * The number in E.164 form: {@code +} and up to 15 digits. It is matched as the rows hold it, so a number Twilio
     * sent that libphonenumber would not call valid is still found. A {@code +} written unencoded in a query string
     * arrives as a space: a number that starts with one is read as starting with {@code +}.
     */
    static String number(String raw) {
        String written = raw.startsWith(" ") ? "+" + raw.strip() : raw.strip();
        if (!E164.matcher(written).matches()) {
            throw invalid("phone must be an E.164 number such as +447700900123, not '" + raw.strip() + "'");
        }
        return written;
    }
}
