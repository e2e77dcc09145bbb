package org.callcentre.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.callcentre.app.support.EndToEndTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No client holds one of the few request threads by what it sends: a body that will be refused is answered at
 * once without being read, and one that arrives too slowly is cut off.
 */
@Order(4)
class RequestLimitsEndToEndTest extends EndToEndTest {

    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    /** Far below Tomcat's read timeout (5 s) and the body time limit (10 s): an answer that waited for either is late. */
    private static final Duration AT_ONCE = Duration.ofSeconds(2);

    @BeforeEach
    void startTheServletsBeforeTiming() {
        // Tomcat starts a servlet on its first request, before any filter runs: seconds for the engine's REST API.
        assertThat(admin.get("/engine-rest/version").status()).isEqualTo(200);
        assertThat(anonymous.get("/camunda/api/engine/engine/").status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} {1} declaring {3} bytes")
    @CsvSource({
            "POST, /api/pledges, application/json, 104857600, agent",
            "POST, /engine-rest/task, application/json, 104857600, admin",
            "POST, /engine-rest/process-definition/key/card-capture/start, application/json, 100000, admin",
            "POST, /twilio/calls/status, application/x-www-form-urlencoded, 20000, ",
            "POST, /camunda/api/admin/auth/user/default/login/tasklist, application/x-www-form-urlencoded, 20000, ",
            "POST, /public/contact, application/x-www-form-urlencoded, 200000, "
    })
    void aBodyDeclaredTooLargeIsRefusedAtOnceAndNeverRead(String method, String path, String type, long length,
            String user) {
        Map<String, String> headers = headers(user, type, length);
        try (RawHttp http = RawHttp.connect("127.0.0.1", PORT).send(method, path, headers, new byte[0])) {
            RawHttp.Response answer = http.response(AT_ONCE);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
            assertThat(answer.header("Content-Type")).contains("application/problem+json");
            assertThat(answer.body()).contains("a request body here has at most");
            assertThat(answer.after()).isLessThan(AT_ONCE);
            assertThat(http.closedWithin(AT_ONCE)).as("closed without waiting for the body").isTrue();
        }
    }

    @Test
    void aTaskQueryWithoutALoginIsRefusedBeforeItsBodyIsRead() {
        // The expression guard reads task-query bodies; the engine's login check comes first, so nothing is read.
        try (RawHttp http = RawHttp.connect("127.0.0.1", PORT).send("POST", "/engine-rest/task",
                headers(null, JSON, 1000), "{\"orQueries\":[".getBytes(StandardCharsets.UTF_8))) {
            RawHttp.Response answer = http.response(AT_ONCE);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
            assertThat(answer.after()).isLessThan(AT_ONCE);
            assertThat(http.closedWithin(AT_ONCE)).as("closed without waiting for the body").isTrue();
        }
    }

    @Test
    void anOversizedTaskQueryWithoutADeclaredLengthIsCutOff() {
        // Chunked, so only reading tells its size: refused where it passes the limit, not read to its end.
        Map<String, String> headers = headers("admin", JSON, -1);
        headers.put("Transfer-Encoding", "chunked");
        StringBuilder chunks = new StringBuilder();
        String chunk = "{\"a\":\"" + "x".repeat(8_000) + "\"}";
        for (int i = 0; i < 10; i++) {
            chunks.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        try (RawHttp http = RawHttp.connect("127.0.0.1", PORT).send("POST", "/engine-rest/task", headers,
                chunks.toString().getBytes(StandardCharsets.UTF_8))) {
            RawHttp.Response answer = http.response(AT_ONCE);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
            assertThat(http.closedWithin(AT_ONCE)).isTrue();
        }
    }

    @Test
    void aBodyThatStopsArrivingIsCutOffByTheReadTimeout() {
        try (RawHttp http = RawHttp.connect("127.0.0.1", PORT).send("POST", "/api/pledges", headers("agent", JSON, 200),
                "{\"donorName\":\"".getBytes(StandardCharsets.UTF_8))) {
            RawHttp.Response answer = http.response(Duration.ofSeconds(9));

            assertThat(answer.status()).as(answer.toString()).isEqualTo(408);
            assertThat(answer.after()).as("Tomcat's 5 s read timeout").isGreaterThan(Duration.ofSeconds(4));
            // Tomcat waits once more for the rest of the body before it closes.
            assertThat(http.closedWithin(Duration.ofSeconds(8))).isTrue();
        }
    }

    @Test
    void aBodyTrickledInSlowerThanTheTimeLimitIsCutOff() {
        // A byte a second never trips the 5 s read timeout; the 10 s limit on the whole body does.
        try (RawHttp http = RawHttp.connect("127.0.0.1", PORT).send("POST", "/api/pledges", headers("agent", JSON, 1000),
                "{\"donorName\":\"".getBytes(StandardCharsets.UTF_8))) {
            while (!http.answersWithin(Duration.ofSeconds(1)) && http.elapsed().compareTo(Duration.ofSeconds(20)) < 0) {
                http.sendByte();
            }
            RawHttp.Response answer = http.response(AT_ONCE);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(408);
            assertThat(answer.body()).contains("the request body must arrive within 10 s");
            assertThat(answer.after()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(15));
            assertThat(http.closedWithin(AT_ONCE)).isTrue();
        }
    }

    /**
     * The app refuses an upload before reading it; Spring has already sent the answer's head, in chunks. The answer
     * arrives whole (last chunk included) also when Tomcat closes the connection after it (the client asked, or the
     * connection served its last request).
     */
    @ParameterizedTest(name = "Connection: {0}")
    @CsvSource({"keep-alive", "close"})
    void aRefusalAnsweredBeforeTheBodyIsReadArrivesWhole(String connection) {
        byte[] csv = "phone\n+447911123456\n".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = headers("agentadmin", "text/csv", csv.length);
        headers.put("Connection", connection);
        try (RawHttp http = RawHttp.connect("127.0.0.1", PORT).send("POST", "/api/call-lists/999999999/leads",
                headers, csv)) {
            RawHttp.Response answer = http.response(AT_ONCE);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
            assertThat(answer.body()).contains("there is no call list 999999999").endsWith("}");
        }
    }

    private static Map<String, String> headers(String user, String contentType, long contentLength) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (user != null) {
            headers.put("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        headers.put("Content-Type", contentType);
        if (contentLength >= 0) {
            headers.put("Content-Length", Long.toString(contentLength));
        }
        return headers;
    }
}
