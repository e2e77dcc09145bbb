package org.callcentre.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.callcentre.app.support.Problems.assertProblem;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CallCentreStaff;
import org.callcentre.app.support.DiallerSetup;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.Users;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The agent console's session: sign-in and sign-out with the engine's users, a session cookie that is HttpOnly and
 * SameSite=Strict, the API reached through that session only with its CSRF token, the roles that may sign in, and
 * HTTP Basic callers of the API exactly as before (stateless, no token).
 */
@Order(3)
class ConsoleSessionEndToEndTest extends EndToEndTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    IdentityService identity;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAgentSignsInAndOutWithAStrictHttpOnlySessionCookie() {
        AgentApi agent = CallCentreStaff.create(admin, "consolein", "AGENT", false);
        ConsoleSession browser = ConsoleSession.open(BASE);
        assertThat(attributes(sessionCookie(browser.lastSetCookies()))).contains("httponly", "samesite=strict")
                .doesNotContain("samesite=lax", "secure");
        String signedOutSession = browser.cookie("JSESSIONID");
        JsonNode signedOut = browser.refresh();
        assertThat(signedOut.get("signedIn").asBoolean()).isFalse();
        assertThat(signedOut.get("userId").isNull()).isTrue();
        assertThat(signedOut.get("csrf").get("headerName").asText()).isEqualTo("X-CSRF-TOKEN");
        assertThat(browser.get("/api/agents/me").status()).isEqualTo(401);

        AgentApi.Reply signedIn = browser.signInForm(agent.user(), CallCentreStaff.passwordOf(agent.user()), true);

        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(204);
        String cookie = sessionCookie(browser.lastSetCookies());
        assertThat(browser.cookie("JSESSIONID")).as("a new session id on sign-in").isNotEqualTo(signedOutSession);
        assertThat(attributes(cookie)).contains("httponly", "samesite=strict").doesNotContain("samesite=lax");
        JsonNode session = browser.refresh();
        assertThat(session.get("signedIn").asBoolean()).isTrue();
        assertThat(session.get("userId").asText()).isEqualTo(agent.user());
        assertThat(session.get("role").asText()).isEqualTo("AGENT");
        AgentApi.Reply me = browser.get("/api/agents/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("userId").asText()).isEqualTo(agent.user());
        assertThat(me.json().get("nextLeadCountdownSeconds").asInt()).isEqualTo(NEXT_LEAD_COUNTDOWN_SECONDS);

        AgentApi.Reply out = browser.signOut();

        assertThat(out.status()).as(out.toString()).isEqualTo(204);
        AgentApi.Reply after = browser.get("/api/agents/me");
        assertProblem(after, 401);
        assertThat(browser.lastHeader("WWW-Authenticate")).as("the console's script is not offered HTTP Basic")
                .isNull();
        assertThat(browser.refresh().get("signedIn").asBoolean()).isFalse();
    }

    @Test
    void agentAdminsAndAdminOperationsSignInToo() {
        for (String[] user : new String[][] {{"agentadmin", "AGENT_ADMIN"}, {"admin", "ADMIN_OPS"}}) {
            ConsoleSession browser = ConsoleSession.open(BASE);
            AgentApi.Reply signedIn = browser.signIn(user[0], PASSWORD);
            assertThat(signedIn.status()).as(user[0] + ": " + signedIn).isEqualTo(204);
            JsonNode session = browser.refresh();
            assertThat(session.get("role").asText()).isEqualTo(user[1]);
            assertThat(browser.get("/api/agents/me").json().get("role").asText()).isEqualTo(user[1]);
        }
    }

    @Test
    void aWrongPasswordSignsNobodyIn() {
        AgentApi agent = CallCentreStaff.create(admin, "consolewrong", "AGENT", false);
        ConsoleSession browser = ConsoleSession.open(BASE);

        assertProblem(browser.signIn(agent.user(), "not-the-password"), 401, "unknown user or wrong password");
        assertProblem(browser.signIn("consolenosuchuser", PASSWORD), 401, "unknown user or wrong password");

        assertThat(browser.refresh().get("signedIn").asBoolean()).isFalse();
        assertProblem(browser.get("/api/agents/me"), 401);
    }

    @Test
    void aUserOfNoConsoleRoleIsRefusedWithTheRightPassword() {
        Users.ensure(identity, "consolestranger", null);
        ConsoleSession browser = ConsoleSession.open(BASE);

        assertProblem(browser.signIn("consolestranger", PASSWORD), 403,
                "the agent console is for agents, agent admins and Admin Operations; consolestranger is none of them");

        assertThat(browser.refresh().get("signedIn").asBoolean()).isFalse();
        assertProblem(browser.get("/api/agents/me"), 401);
    }

    @Test
    void theSessionKeepsTheApisRoleRules() {
        ConsoleSession browser = ConsoleSession.open(BASE);
        assertThat(browser.signIn("agent", PASSWORD).status()).isEqualTo(204);

        assertProblem(browser.get("/api/users"), 403, "your role does not allow this");
        assertProblem(browser.send("POST", "/api/call-lists", Map.of("name", "Not mine", "campaignId", 1)), 403,
                "your role does not allow this");
    }

    @Test
    void aSessionRequestWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        AgentApi agent = CallCentreStaff.create(admin, "consolecsrf", "AGENT", false);
        long lead = newLead();
        ConsoleSession browser = ConsoleSession.open(BASE);
        assertThat(browser.signIn(agent.user(), CallCentreStaff.passwordOf(agent.user())).status()).isEqualTo(204);
        ConsoleSession other = ConsoleSession.open(BASE);
        assertThat(other.signIn("agent", PASSWORD).status()).isEqualTo(204);
        String before = leadState(lead);

        assertProblem(browser.sendWithoutToken("POST", "/api/leads/" + lead + "/lock", null), 403, "CSRF token");
        assertProblem(browser.sendWithToken("POST", "/api/leads/" + lead + "/lock", "not-the-token"), 403,
                "CSRF token");
        assertProblem(browser.sendWithToken("POST", "/api/leads/" + lead + "/lock", other.csrfToken()), 403,
                "CSRF token");
        assertProblem(browser.sendWithoutToken("POST", "/api/agents/me/phone", null), 403, "CSRF token");
        assertProblem(browser.sendWithoutToken("POST", "/console/logout", null), 403, "CSRF token");

        assertThat(leadState(lead)).as("nothing changed").isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from agent_phone where user_id = ?", Integer.class,
                agent.user())).isZero();
        assertThat(browser.refresh().get("signedIn").asBoolean()).as("still signed in").isTrue();
        AgentApi.Reply read = browser.get("/api/leads/" + lead);
        assertThat(read.status()).as("reading needs no token: " + read).isEqualTo(200);

        AgentApi.Reply locked = browser.send("POST", "/api/leads/" + lead + "/lock", null);

        assertThat(locked.status()).as(locked.toString()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select locked_by from lead where id = ?", String.class, lead))
                .isEqualTo(agent.user());
    }

    @Test
    void theSignInFormNeedsTheCsrfTokenToo() {
        ConsoleSession browser = ConsoleSession.open(BASE);

        assertProblem(browser.signInForm("agent", PASSWORD, false), 403, "CSRF token");

        assertThat(browser.refresh().get("signedIn").asBoolean()).isFalse();
    }

    @Test
    void httpBasicCallersStayStatelessAndNeedNoToken() throws Exception {
        AgentApi agent = CallCentreStaff.create(admin, "consolebasic", "AGENT", false);
        String password = CallCentreStaff.passwordOf(agent.user());
        long lead = newLead();

        HttpResponse<String> me = basic("GET", "/api/agents/me", agent.user(), password, null);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.headers().allValues("Set-Cookie")).as("no session for a Basic caller").isEmpty();
        HttpResponse<String> locked = basic("POST", "/api/leads/" + lead + "/lock", agent.user(), password, null);
        assertThat(locked.statusCode()).as(locked.body()).isEqualTo(200);
        assertThat(locked.headers().allValues("Set-Cookie")).isEmpty();

        // With an Authorization header the header alone decides, whatever session cookie comes along.
        ConsoleSession browser = ConsoleSession.open(BASE);
        assertThat(browser.signIn("agent", PASSWORD).status()).isEqualTo(204);
        HttpResponse<String> wrongPassword = basic("GET", "/api/agents/me", "agent", "not-the-password",
                browser.cookieHeader());
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"callcentre\"");
        HttpResponse<String> someoneElse = basic("GET", "/api/agents/me", agent.user(), password,
                browser.cookieHeader());
        assertThat(someoneElse.statusCode()).isEqualTo(200);
        assertThat(someoneElse.body()).contains("\"userId\":\"" + agent.user() + "\"");
    }

    @Test
    void aLeadsCallListsNameTheirCampaignAndCurrency() {
        long campaign = DiallerSetup.campaign(admin, allDay(), List.of("+447911123001"));
        long list = DiallerSetup.callList(admin, campaign);
        long lead = DiallerSetup.importLeads(admin, list, DiallerSetup.mobile()).get(0);
        ConsoleSession browser = ConsoleSession.open(BASE);
        assertThat(browser.signIn("agent", PASSWORD).status()).isEqualTo(204);

        AgentApi.Reply lists = browser.get("/api/leads/" + lead + "/call-lists");

        assertThat(lists.status()).as(lists.toString()).isEqualTo(200);
        assertThat(lists.json()).hasSize(1);
        JsonNode only = lists.json().get(0);
        assertThat(only.get("id").asLong()).isEqualTo(list);
        assertThat(only.get("name").asText()).startsWith("List");
        assertThat(only.get("campaignId").asLong()).isEqualTo(campaign);
        assertThat(only.get("campaignName").asText()).startsWith("Campaign ");
        assertThat(only.get("currency").asText()).isEqualTo("GBP");
        assertProblem(browser.get("/api/leads/987654321/call-lists"), 404, "there is no lead 987654321");
    }

    @Test
    void theConsolePageIsServedToAnyoneAndAllowsOnlyItsOwnScripts() throws Exception {
        HttpResponse<String> folder = plain("GET", "/console");
        assertThat(folder.statusCode()).isEqualTo(302);
        assertThat(folder.headers().firstValue("Location").orElseThrow()).endsWith("/console/");

        HttpResponse<String> page = plain("GET", "/console/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<title>Agent console</title>").contains("console.js");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'").contains("frame-ancestors 'none'");
        assertThat(plain("GET", "/console/console.js").statusCode()).isEqualTo(200);
        assertThat(plain("GET", "/console/console.css").statusCode()).isEqualTo(200);
    }

    private long newLead() {
        long campaign = DiallerSetup.campaign(admin, allDay(), List.of("+447911123001"));
        long list = DiallerSetup.callList(admin, campaign);
        return DiallerSetup.importLeads(admin, list, DiallerSetup.mobile()).get(0);
    }

    private String leadState(long lead) {
        return jdbc.queryForList("select locked_by, locked_at, lock_touched_at from lead where id = ?", lead)
                + " " + jdbc.queryForList("select kind, user_id from lead_history where lead_id = ? order by id", lead);
    }

    private static Map<String, Object> allDay() {
        return DiallerSetup.rules(0, 1000, 1000, "00:00", "00:00", "Europe/London");
    }

    private static String sessionCookie(List<String> setCookies) {
        return setCookies.stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie set: " + setCookies));
    }

    /** A Set-Cookie header's attributes, lower case, without the cookie's value. */
    private static List<String> attributes(String setCookie) {
        List<String> attributes = new ArrayList<>();
        String[] parts = setCookie.split(";");
        for (int i = 1; i < parts.length; i++) {
            attributes.add(parts[i].trim().toLowerCase(Locale.ROOT));
        }
        return attributes;
    }

    private static HttpResponse<String> basic(String method, String path, String user, String password, String cookie)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> plain(String method, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
