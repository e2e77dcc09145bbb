package org.callcentre.bench.callback;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.callcentre.bench.JsonApi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The callbacks' API as the benchmark uses it, as a team manager: schedule a Call Back Queue callback, count those not
 * yet due, and find a call list's leads. JSON over HTTP with Basic auth.
 */
public final class CallbackClient {

    /** The zone of every benchmark callback and lead: due times are written as UTC local times. */
    public static final String ZONE = "UTC";
    private static final int LEAD_PAGE = 100;

    private final JsonApi api;

    public CallbackClient(String base, String user, String password) {
        this.api = new JsonApi(base, user, password);
    }

    /**
     * A Call Back Queue callback for the lead at {@code due} (to the millisecond), calling hours overridden as a
     * person's own request would; answers its id.
     */
    public long schedule(long leadId, Instant due) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("leadId", leadId);
        body.put("dueAt", dueAt(due));
        body.put("timeZone", ZONE);
        body.put("reason", "benchmark");
        body.put("mode", "QUEUE");
        body.put("overrideCallingHours", true);
        return send("POST", "/api/callbacks", body, 201).path("id").asLong();
    }

    /** The local date-time the API takes for {@code due}, in {@link #ZONE}. */
    static String dueAt(Instant due) {
        return LocalDateTime.ofInstant(due, ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }

    /** Whether any of the team's callbacks due at or before {@code until} is still scheduled (not yet DUE). */
    public boolean anyScheduled(long teamId, Instant until) {
        // The list is in order of due time: its first is the earliest still scheduled.
        JsonNode scheduled = send("GET", "/api/callbacks?teamId=" + teamId + "&status=SCHEDULED", null, 200);
        return !scheduled.isEmpty() && !Instant.parse(scheduled.get(0).path("dueAtUtc").asText()).isAfter(until);
    }

    /**
     * The call list's leads. An import into a fresh database gives them consecutive ids, which two requests (the
     * newest and the oldest) prove; otherwise every page is read.
     */
    public List<Long> leadIds(long callListId) {
        JsonNode newest = leads(callListId, 0, 1);
        long total = newest.path("total").asLong();
        List<Long> ids = new ArrayList<>();
        if (total == 0) {
            return ids;
        }
        long last = newest.path("items").get(0).path("id").asLong();
        long first = leads(callListId, total - 1, 1).path("items").get(0).path("id").asLong();
        if (last - first + 1 == total) {
            for (long id = first; id <= last; id++) {
                ids.add(id);
            }
            return ids;
        }
        for (long page = 0; page * LEAD_PAGE < total; page++) {
            leads(callListId, page, LEAD_PAGE).path("items").forEach(lead -> ids.add(lead.path("id").asLong()));
        }
        return ids;
    }

    private JsonNode leads(long callListId, long page, int size) {
        return send("GET", "/api/leads?callListId=" + callListId + "&page=" + page + "&size=" + size, null, 200);
    }

    private JsonNode send(String method, String path, Object body, int expected) {
        return api.send(method, path, body, expected);
    }
}
