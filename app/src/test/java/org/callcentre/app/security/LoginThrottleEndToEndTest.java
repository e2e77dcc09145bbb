package org.callcentre.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.Users;
import org.callcentre.processes.Groups;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Guessing passwords from one address slows that address down for that user, for a while, through every door
 * that checks a password (the agent console's sign-in too); it never locks the user out, and the user logs in from
 * elsewhere meanwhile.
 */
@Order(4)
class LoginThrottleEndToEndTest extends EndToEndTest {

    private static final String GUESSER = "127.0.0.1";
    /** Also this machine (all of 127.0.0.0/8 is loopback), but another client address. */
    private static final String ELSEWHERE = "127.0.0.2";

    /** The ways in that check a password. */
    enum Door {
        API {
            @Override
            RawHttp.Response login(String from, String user, String password) {
                return basic(from, "/api/pledges/999999999", user, password);
            }
        },
        ENGINE_REST {
            @Override
            RawHttp.Response login(String from, String user, String password) {
                return basic(from, "/engine-rest/user?id=" + user, user, password);
            }
        },
        WEBAPP {
            @Override
            RawHttp.Response login(String from, String user, String password) {
                // As Tasklist does: open the page for a session and its XSRF token, then post the login form.
                String session;
                String xsrf;
                try (RawHttp page = RawHttp.connect(from, PORT)) {
                    RawHttp.Response opened = page.send("GET", "/camunda/app/tasklist/default/",
                            Map.of("Connection", "close"), new byte[0]).response(Duration.ofSeconds(10));
                    session = opened.header("Set-Cookie").split(";")[0];
                    xsrf = opened.header("X-XSRF-TOKEN");
                }
                byte[] form = ("username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                try (RawHttp http = RawHttp.connect(from, PORT)) {
                    return http.send("POST", "/camunda/api/admin/auth/user/default/login/tasklist", Map.of(
                            "Content-Type", "application/x-www-form-urlencoded",
                            "Content-Length", Integer.toString(form.length),
                            "Cookie", session,
                            "X-XSRF-TOKEN", xsrf,
                            "Connection", "close"), form).response(Duration.ofSeconds(10));
                }
            }
        },
        CONSOLE {
            @Override
            RawHttp.Response login(String from, String user, String password) {
                return consoleSignIn(from, user, password, true);
            }
        };

        abstract RawHttp.Response login(String from, String user, String password);

        /** As the agent console does: open its session for a CSRF token, then post the sign-in form with it. */
        static RawHttp.Response consoleSignIn(String from, String user, String password, boolean withToken) {
            String session;
            String token;
            try (RawHttp page = RawHttp.connect(from, PORT)) {
                RawHttp.Response opened = page.send("GET", "/console/session", Map.of("Connection", "close"),
                        new byte[0]).response(Duration.ofSeconds(10));
                session = opened.header("Set-Cookie").split(";")[0];
                token = opened.body().replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
            }
            byte[] form = ("username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                    + URLEncoder.encode(password, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>(Map.of(
                    "Content-Type", "application/x-www-form-urlencoded",
                    "Content-Length", Integer.toString(form.length),
                    "Cookie", session,
                    "Connection", "close"));
            if (withToken) {
                headers.put("X-CSRF-TOKEN", token);
            }
            try (RawHttp http = RawHttp.connect(from, PORT)) {
                return http.send("POST", "/console/login", headers, form).response(Duration.ofSeconds(10));
            }
        }

        private static RawHttp.Response basic(String from, String path, String user, String password) {
            String credentials = Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            try (RawHttp http = RawHttp.connect(from, PORT)) {
                return http.send("GET", path, Map.of("Authorization", "Basic " + credentials, "Connection", "close"),
                        new byte[0]).response(Duration.ofSeconds(10));
            }
        }
    }

    @Autowired
    LoginThrottle throttle;
    @Autowired
    IdentityService identity;
    @Autowired
    JdbcTemplate jdbc;

    private Clock realClock;
    private Duration moved = Duration.ZERO;

    @BeforeEach
    void keepTheClock() {
        realClock = throttle.clock();
    }

    @AfterEach
    void restoreTheClock() {
        throttle.useClock(realClock);
    }

    @ParameterizedTest
    @EnumSource(Door.class)
    void guessingSlowsTheGuesserDownForAWhileAndNeverLocksTheUserOut(Door door) {
        String user = "throttled" + door.name().toLowerCase().replace("_", "");
        Users.ensure(identity, user, Groups.AGENTS);

        for (int guess = 1; guess <= 5; guess++) {
            assertThat(door.login(GUESSER, user, "guess" + guess).status()).as("guess " + guess).isEqualTo(401);
        }
        RawHttp.Response refused = door.login(GUESSER, user, PASSWORD);
        assertThat(refused.status()).as("even the right password waits: it is not checked").isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.header("Content-Type")).contains("application/problem+json");
        assertThat(refused.body()).contains("too many failed logins");
        assertThat(engineFailures(user)).as("the refused attempts never reached the engine").isEqualTo(5);

        // Each further failure doubles the wait, up to a minute; the engine sees more than its old limit of ten.
        long previousWait = 1;
        for (int guess = 6; guess <= 11; guess++) {
            move(Duration.ofSeconds(previousWait));
            assertThat(door.login(GUESSER, user, "guess" + guess).status()).as("guess " + guess).isEqualTo(401);
            RawHttp.Response waiting = door.login(GUESSER, user, "guess" + guess);
            assertThat(waiting.status()).isEqualTo(429);
            long wait = Long.parseLong(waiting.header("Retry-After"));
            assertThat(wait).as("after guess " + guess).isEqualTo(Math.min(60, 1L << (guess - 5)));
            previousWait = wait;
        }
        assertThat(engineFailures(user)).isEqualTo(11);

        // Meanwhile the user logs in from anywhere else: the engine has not locked them.
        assertThat(door.login(ELSEWHERE, user, PASSWORD).status()).isNotIn(401, 429);
        assertThat(door.login(GUESSER, user, PASSWORD).status()).as("the guesser still waits").isEqualTo(429);

        // Once the wait is over, the right password works from the guesser's address too.
        move(Duration.ofSeconds(60));
        assertThat(door.login(GUESSER, user, PASSWORD).status()).isNotIn(401, 429);
        assertThat(identity.checkPassword(user, PASSWORD)).isTrue();
    }

    /** A sign-in refused for its missing CSRF token checked no password: it neither counts nor forgets failures. */
    @Test
    void aConsoleSignInWithoutItsCsrfTokenIsNeitherAFailureNorASuccess() {
        String user = "throttledconsolecsrf";
        Users.ensure(identity, user, Groups.AGENTS);
        for (int guess = 1; guess <= 4; guess++) {
            assertThat(Door.CONSOLE.login(GUESSER, user, "guess" + guess).status()).as("guess " + guess).isEqualTo(401);
        }

        RawHttp.Response withoutToken = Door.consoleSignIn(GUESSER, user, PASSWORD, false);

        assertThat(withoutToken.status()).isEqualTo(403);
        assertThat(withoutToken.body()).contains("CSRF token");
        assertThat(engineFailures(user)).as("no password was checked").isEqualTo(4);
        assertThat(Door.CONSOLE.login(GUESSER, user, "guess5").status()).isEqualTo(401);
        assertThat(Door.CONSOLE.login(GUESSER, user, PASSWORD).status())
                .as("the four failures before still count: the fifth starts the wait").isEqualTo(429);
    }

    private void move(Duration by) {
        moved = moved.plus(by);
        throttle.useClock(Clock.offset(realClock, moved));
    }

    private int engineFailures(String user) {
        return jdbc.queryForObject("select ATTEMPTS_ from ACT_ID_USER where ID_ = ?", Integer.class, user);
    }
}
