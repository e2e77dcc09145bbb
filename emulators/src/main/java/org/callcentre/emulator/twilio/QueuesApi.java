package org.callcentre.emulator.twilio;

import static org.callcentre.emulator.twilio.JsonExchange.JSON;
import static org.callcentre.emulator.twilio.JsonExchange.blankToNull;
import static org.callcentre.emulator.twilio.JsonExchange.readBody;
import static org.callcentre.emulator.twilio.JsonExchange.sendJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's Queue and Member resources of the 2010-04-01 API: list, create, fetch, update (name, MaxSize) and delete
 * queues; list a queue's members, fetch one (by CallSid, or {@code Front} for the head) and dequeue one to a URL
 * ({@code Url}, {@code Method}): its call leaves the queue, the Enqueue's action hears {@code redirected}, and the
 * call runs the URL's TwiML. The caller is already authenticated by {@link CallsApi}.
 */
final class QueuesApi {

    private static final Pattern QUEUES = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Queues(?:\\.json)?$");
    private static final Pattern QUEUE = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Queues/([^/]+?)(?:\\.json)?$");
    private static final Pattern MEMBERS =
            Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Queues/([^/]+)/Members(?:\\.json)?$");
    private static final Pattern MEMBER =
            Pattern.compile("^/2010-04-01/Accounts/([^/]+)/Queues/([^/]+)/Members/([^/]+?)(?:\\.json)?$");

    private final TwilioEmulator emulator;
    private final CallsApi calls;

    QueuesApi(TwilioEmulator emulator, CallsApi calls) {
        this.emulator = emulator;
        this.calls = calls;
    }

    boolean handles(String path) {
        return QUEUES.matcher(path).matches() || QUEUE.matcher(path).matches() || MEMBERS.matcher(path).matches()
                || MEMBER.matcher(path).matches();
    }

    void handle(HttpExchange ex, String path) throws IOException {
        CallQueues queues = emulator.callQueues();
        Matcher m;
        if ((m = QUEUES.matcher(path)).matches()) {
            calls.checkAccount(m.group(1), path);
            switch (ex.getRequestMethod()) {
                case "GET" -> list(ex);
                case "POST" -> create(ex, Forms.first(Forms.parse(readBody(ex))));
                default -> throw methodNotAllowed(ex);
            }
        } else if ((m = MEMBERS.matcher(path)).matches()) {
            calls.checkAccount(m.group(1), path);
            CallQueues.CallQueue queue = queue(m.group(2), path);
            JsonExchange.requireMethod(ex, "GET");
            listMembers(ex, queue);
        } else if ((m = MEMBER.matcher(path)).matches()) {
            calls.checkAccount(m.group(1), path);
            CallQueues.CallQueue queue = queue(m.group(2), path);
            CallQueues.Member member = queues.member(queue, m.group(3));
            if (member == null) {
                throw notFound(path);
            }
            switch (ex.getRequestMethod()) {
                case "GET" -> sendJson(ex, 200, memberResource(queues.view(queue), member));
                case "POST" -> dequeue(ex, queue, member, Forms.first(Forms.parse(readBody(ex))), path);
                default -> throw methodNotAllowed(ex);
            }
        } else if ((m = QUEUE.matcher(path)).matches()) {
            calls.checkAccount(m.group(1), path);
            CallQueues.CallQueue queue = queue(m.group(2), path);
            switch (ex.getRequestMethod()) {
                case "GET" -> sendJson(ex, 200, queueResource(queues.view(queue)));
                case "POST" -> update(ex, queue, Forms.first(Forms.parse(readBody(ex))));
                case "DELETE" -> {
                    if (!queues.delete(queue)) {
                        throw HttpError.twilio(400, 20001, "Cannot delete a queue with calls waiting in it");
                    }
                    ex.sendResponseHeaders(204, -1);
                }
                default -> throw methodNotAllowed(ex);
            }
        } else {
            throw notFound(path);
        }
    }

    private void list(HttpExchange ex) throws IOException {
        int pageSize = JsonExchange.pageSize(Forms.first(Forms.parse(ex.getRequestURI().getRawQuery())).get("PageSize"));
        ArrayNode items = JSON.createArrayNode();
        for (CallQueues.View view : emulator.callQueues().views()) {
            if (items.size() < pageSize) {
                items.add(queueResource(view));
            }
        }
        sendJson(ex, 200, JsonExchange.page("queues", items, accountUri() + "/Queues.json", pageSize));
    }

    private void create(HttpExchange ex, Map<String, String> p) throws IOException {
        String name = blankToNull(p.get("FriendlyName"));
        if (name == null) {
            throw HttpError.twilio(400, 20001, "Missing required parameter FriendlyName in the post body");
        }
        checkName(name);
        int maxSize = maxSize(p.get("MaxSize"), CallQueues.DEFAULT_MAX_SIZE);
        CallQueues.CallQueue queue = emulator.callQueues().create(name, maxSize);
        if (queue == null) {
            throw HttpError.twilio(400, 22003, "A queue with the friendly name " + name + " already exists");
        }
        sendJson(ex, 201, queueResource(emulator.callQueues().view(queue)));
    }

    private void update(HttpExchange ex, CallQueues.CallQueue queue, Map<String, String> p) throws IOException {
        String name = blankToNull(p.get("FriendlyName"));
        if (name != null) {
            checkName(name);
        }
        Integer maxSize = blankToNull(p.get("MaxSize")) == null ? null : maxSize(p.get("MaxSize"), 0);
        if (!emulator.callQueues().update(queue, name, maxSize)) {
            throw HttpError.twilio(400, 22003, "A queue with the friendly name " + name + " already exists");
        }
        sendJson(ex, 200, queueResource(emulator.callQueues().view(queue)));
    }

    private void listMembers(HttpExchange ex, CallQueues.CallQueue queue) throws IOException {
        int pageSize = JsonExchange.pageSize(Forms.first(Forms.parse(ex.getRequestURI().getRawQuery())).get("PageSize"));
        CallQueues.View view = emulator.callQueues().view(queue);
        ArrayNode items = JSON.createArrayNode();
        for (CallQueues.Member member : view.members()) {
            if (items.size() < pageSize) {
                items.add(memberResource(view, member));
            }
        }
        sendJson(ex, 200, JsonExchange.page("queue_members", items,
                accountUri() + "/Queues/" + view.sid() + "/Members.json", pageSize));
    }

    /** Dequeue the member to a URL: its call runs that URL's TwiML. */
    private void dequeue(HttpExchange ex, CallQueues.CallQueue queue, CallQueues.Member member, Map<String, String> p,
            String path) throws IOException {
        String url = blankToNull(p.get("Url"));
        if (url == null) {
            throw HttpError.twilio(400, 20001, "Missing required parameter Url in the post body");
        }
        CallsApi.requireHttpUrl(url, 21205, "Url is not a valid URL: " + url);
        ObjectNode resource = memberResource(emulator.callQueues().view(queue), member);
        if (!member.call().dequeueToUrl(queue, url, TwimlAttributes.normaliseMethod(p.get("Method")))) {
            throw notFound(path); // it left the queue meanwhile
        }
        sendJson(ex, 200, resource);
    }

    private ObjectNode queueResource(CallQueues.View view) {
        String uri = accountUri() + "/Queues/" + view.sid() + ".json";
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", emulator.accountSid());
        n.put("average_wait_time", view.averageWaitSeconds());
        n.put("current_size", view.size());
        n.put("date_created", EmulatedCall.RFC_2822.format(view.dateCreated()));
        n.put("date_updated", EmulatedCall.RFC_2822.format(view.dateUpdated()));
        n.put("friendly_name", view.name());
        n.put("max_size", view.maxSize());
        n.put("sid", view.sid());
        n.put("uri", uri);
        n.putObject("subresource_uris").put("members", accountUri() + "/Queues/" + view.sid() + "/Members.json");
        return n;
    }

    private ObjectNode memberResource(CallQueues.View view, CallQueues.Member member) {
        String callSid = member.call().sid();
        ObjectNode n = JSON.createObjectNode();
        n.put("call_sid", callSid);
        n.put("date_enqueued", EmulatedCall.RFC_2822.format(member.enqueuedAt()));
        n.put("position", view.positionOf(callSid));
        n.put("queue_sid", view.sid());
        n.put("uri", accountUri() + "/Queues/" + view.sid() + "/Members/" + callSid + ".json");
        n.put("wait_time", member.waitSeconds(view.at()));
        return n;
    }

    private CallQueues.CallQueue queue(String sid, String path) {
        CallQueues.CallQueue queue = emulator.callQueues().bySid(sid);
        if (queue == null) {
            throw notFound(path);
        }
        return queue;
    }

    private static void checkName(String name) {
        if (name.length() > CallQueues.MAX_NAME_LENGTH) {
            throw HttpError.twilio(400, 20001, "FriendlyName must be at most " + CallQueues.MAX_NAME_LENGTH
                    + " characters");
        }
    }

    /** Twilio's MaxSize: 1 to 5000. */
    private static int maxSize(String value, int fallback) {
        String v = blankToNull(value);
        if (v == null) {
            return fallback;
        }
        try {
            int size = Integer.parseInt(v);
            if (size >= 1 && size <= CallQueues.LARGEST_MAX_SIZE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw HttpError.twilio(400, 20001, "MaxSize must be from 1 to " + CallQueues.LARGEST_MAX_SIZE + ": " + v);
    }

    private String accountUri() {
        return "/2010-04-01/Accounts/" + emulator.accountSid();
    }

    private static HttpError notFound(String path) {
        return HttpError.twilio(404, 20404, "The requested resource " + path + " was not found");
    }

    private static HttpError methodNotAllowed(HttpExchange ex) {
        return HttpError.twilio(405, 20004, "Method not allowed: " + ex.getRequestMethod());
    }
}
