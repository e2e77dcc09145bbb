package org.callcentre.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.AppProcess;
import org.callcentre.app.support.TwilioWebhook;
import org.callcentre.emulator.twilio.TwilioSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The app started as {@code java -jar} starts it without a profile, behind a TLS proxy on the same host: it needs
 * Twilio's credentials to start at all, has no demo users, accepts no webhook signed with the emulator's public
 * token, and believes forwarded headers only from the proxy's address (127.0.0.1, the default
 * {@code app.trusted-proxies}), which makes cookies Secure and adds HSTS. The only settings given are the port, the
 * database, one administrator and Twilio's credentials, as an operator would give them.
 */
class RunWithoutProfileTest {

    static final String OPERATOR = "ops";
    static final String OPERATOR_PASSWORD = "a-long-operator-passphrase";
    static final String ACCOUNT_SID = "AC" + "1".repeat(32);
    static final String AUTH_TOKEN = "the-operators-own-twilio-auth-token";
    static final String PROXY = "127.0.0.1";
    /** Loopback too, but not a trusted proxy. */
    static final String STRANGER = "127.0.0.2";
    static final String TASKLIST = "/camunda/app/tasklist/default/";
    static final String LOGIN = "/camunda/api/admin/auth/user/default/login/tasklist";

    static String database;
    static AppProcess app;

    @BeforeAll
    static void startWithoutProfile() throws Exception {
        database = freshDatabase();
        app = AppProcess.start("no-profile", List.of(
                "--spring.datasource.url=" + database,
                "--camunda.bpm.admin-user.id=" + OPERATOR,
                "--camunda.bpm.admin-user.password=" + OPERATOR_PASSWORD,
                "--twilio.account-sid=" + ACCOUNT_SID,
                "--twilio.auth-token=" + AUTH_TOKEN));
    }

    /** AUTO_SERVER: the test reads the app's database while the app holds it open. */
    static String freshDatabase() {
        Path file = Path.of("target", "test-db", "no-profile-" + System.nanoTime()).toAbsolutePath();
        return "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE";
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void withoutTwilioSettingsTheAppDoesNotStart() throws Exception {
        String log = AppProcess.failToStart("no-profile-no-twilio", List.of("--spring.datasource.url=" + freshDatabase()));
        assertThat(log).contains("twilio.auth-token must be set");
    }

    @Test
    void nothingOfTheDemoIsThere() throws Exception {
        List<String> users = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(database, "sa", "");
                Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("select ID_ from ACT_ID_USER order by ID_")) {
            while (rows.next()) {
                users.add(rows.getString(1));
            }
        }
        assertThat(users).as("only the configured administrator").containsExactly(OPERATOR);
        AgentApi demoAdmin = new AgentApi(app.base(), "admin", "demo");
        assertThat(demoAdmin.get("/engine-rest/process-definition").status()).isEqualTo(401);
        assertThat(demoAdmin.as("agent", "demo").get("/api/pledges/1").status()).isEqualTo(401);

        String url = app.base() + "/twilio/calls/status";
        Map<String, String> completed = Map.of("CallSid", "CA" + "0".repeat(32), "CallStatus", "completed",
                "SequenceNumber", "1");
        // The demo profile's token is public (application-demo.yml); without the demo profile it is never a fallback.
        AgentApi.Reply signed = TwilioWebhook.post(url, completed,
                TwilioSignature.compute("emulator-auth-token", url, completed), false);
        assertThat(signed.status()).as(signed.toString()).isEqualTo(403);
        assertThat(TwilioWebhook.post(url, completed, null, false).status()).isEqualTo(403);
        AgentApi.Reply genuine = TwilioWebhook.post(url, completed, TwilioSignature.compute(AUTH_TOKEN, url, completed),
                false);
        assertThat(genuine.status()).as("signed with the configured token: " + genuine).isBetween(200, 299);
    }

    @Test
    void behindTheTrustedProxyTheWebappsCookiesAreSecureAndHstsIsSent() throws Exception {
        RawHttp.Response page = RawHttp.exchange(PROXY, app.port, "GET", TASKLIST, viaProxy(), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers("Strict-Transport-Security")).singleElement().asString().contains("max-age=");
        String xsrf = page.setCookie("XSRF-TOKEN");
        assertThat(xsrf).as(page.headers().toString()).isNotNull();
        assertThat(attributes(xsrf)).contains("secure", "samesite=lax")
                .as("the webapps' JavaScript reads it").doesNotContain("httponly");

        String session = page.cookieValue("JSESSIONID");
        List<String> headers = new ArrayList<>(viaProxy());
        headers.add("Cookie: JSESSIONID=" + session + "; XSRF-TOKEN=" + page.cookieValue("XSRF-TOKEN"));
        headers.add("X-XSRF-TOKEN: " + page.cookieValue("XSRF-TOKEN"));
        RawHttp.Response login = RawHttp.exchange(PROXY, app.port, "POST", LOGIN, headers,
                "username=" + OPERATOR + "&password=" + URLEncoder.encode(OPERATOR_PASSWORD, StandardCharsets.UTF_8));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String loggedIn = login.setCookie("JSESSIONID");
        assertThat(loggedIn).as("a new session on login: " + login.headers()).isNotNull();
        assertThat(login.cookieValue("JSESSIONID")).isNotEqualTo(session);
        assertThat(attributes(loggedIn)).contains("secure", "httponly", "samesite=lax");
        assertThat(login.headers("Strict-Transport-Security")).singleElement().asString().contains("max-age=");
    }

    @Test
    void behindTheTrustedProxyTheConsolesSessionCookieIsSecureHttpOnlyAndStrict() throws Exception {
        RawHttp.Response opened = RawHttp.exchange(PROXY, app.port, "GET", "/console/session", viaProxy(), null);
        assertThat(opened.status()).isEqualTo(200);
        assertThat(attributes(opened.setCookie("JSESSIONID"))).contains("secure", "httponly", "samesite=strict")
                .doesNotContain("samesite=lax");
        String token = opened.body().replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");

        List<String> headers = new ArrayList<>(viaProxy());
        headers.add("Cookie: JSESSIONID=" + opened.cookieValue("JSESSIONID"));
        headers.add("X-CSRF-TOKEN: " + token);
        RawHttp.Response signedIn = RawHttp.exchange(PROXY, app.port, "POST", "/console/login", headers,
                "username=" + OPERATOR + "&password=" + URLEncoder.encode(OPERATOR_PASSWORD, StandardCharsets.UTF_8));

        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(204);
        assertThat(signedIn.cookieValue("JSESSIONID")).as("a new session on sign-in")
                .isNotEqualTo(opened.cookieValue("JSESSIONID"));
        assertThat(attributes(signedIn.setCookie("JSESSIONID"))).contains("secure", "httponly", "samesite=strict");
    }

    @Test
    void forwardedHeadersFromAnUntrustedAddressAreIgnored() throws Exception {
        // The same request from the proxy's address is taken as https (above); from a stranger it is plain http.
        assertThat(RawHttp.exchange(PROXY, app.port, "GET", TASKLIST, viaProxy(), null)
                .headers("Strict-Transport-Security")).hasSize(1);
        RawHttp.Response page = RawHttp.exchange(STRANGER, app.port, "GET", TASKLIST, viaProxy(), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers("Strict-Transport-Security")).isEmpty();
        assertThat(attributes(page.setCookie("XSRF-TOKEN"))).doesNotContain("secure");
        assertThat(attributes(page.setCookie("JSESSIONID"))).doesNotContain("secure").contains("httponly");
    }

    /** What a TLS proxy adds to a browser's https request. */
    private static List<String> viaProxy() {
        return List.of("X-Forwarded-Proto: https", "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Host: calls.example.org");
    }

    /** A Set-Cookie header's attributes, lower case, without the cookie's value. */
    private static List<String> attributes(String setCookie) {
        assertThat(setCookie).isNotNull();
        List<String> attributes = new ArrayList<>();
        String[] parts = setCookie.split(";");
        for (int i = 1; i < parts.length; i++) {
            attributes.add(parts[i].trim().toLowerCase(Locale.ROOT));
        }
        return attributes;
    }
}
