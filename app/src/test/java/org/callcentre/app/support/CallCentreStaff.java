package org.callcentre.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Call-centre users a test makes for itself through the users API, each with a fresh id. */
public final class CallCentreStaff {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 1_000_000);

    private CallCentreStaff() {
    }

    /** A fresh id with the prefix (letters and digits), unique in the test JVM's database. */
    public static String freshId(String prefix) {
        return prefix + NEXT.incrementAndGet();
    }

    /** The body of POST /api/users for a new user with a fresh id (its password is "password-" and the id) */
    public static Map<String, Object> newUser(String prefix, String role, boolean restricted) {
        String id = freshId(prefix);
        Map<String, Object> user = new HashMap<>(Map.of("id", id, "password", passwordOf(id), "firstName", "Test",
                "lastName", prefix, "email", id + "@example.org", "role", role, "restricted", restricted,
                "device", "client:" + id));
        return user;
    }

    /** Creates the user as {@code creator}; answers the API that logs in as it. */
    public static AgentApi create(AgentApi creator, String prefix, String role, boolean restricted) {
        Map<String, Object> user = newUser(prefix, role, restricted);
        AgentApi.Reply created = creator.post("/api/users", user);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return creator.as((String) user.get("id"), (String) user.get("password"));
    }

    /** The password of a user made here. */
    public static String passwordOf(String id) {
        return "password-" + id;
    }

    /** The id of the user an API logs in as. */
    public static String idOf(AgentApi api) {
        return api.user();
    }
}
