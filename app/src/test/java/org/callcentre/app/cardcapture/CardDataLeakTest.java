package org.callcentre.app.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.RecordedResponses;
import org.callcentre.app.support.TestDatabase;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.WebhookExchange;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * PCI DSS 3.3.1 / 3.5.1: after the end-to-end suite, no card number or security code it used may be found in
 * the database (every table, including the engine's history, job logs and stack-trace blobs), in the log file,
 * in any response the app gave (API, TwiML as heard by the donor, {@code /engine-rest} history and incidents).
 * Runs after every other test class (junit-platform.properties orders classes).
 */
@Order(100)
class CardDataLeakTest extends EndToEndTest {

    static final List<String> CARD_NUMBERS = List.of(CardCaptureEndToEndTest.VISA, CardCaptureEndToEndTest.MASTERCARD,
            CardCaptureEndToEndTest.AMEX, CardCaptureEndToEndTest.DECLINED, CardCaptureEndToEndTest.INSUFFICIENT_FUNDS);
    static final List<String> SECURITY_CODES = List.of(CardCaptureEndToEndTest.CVC, CardCaptureEndToEndTest.AMEX_CVC);

    @Autowired
    DataSource dataSource;

    @Test
    void theSuiteReallyPassedCardDataThroughTheApp() {
        // Otherwise the scans below would pass for want of anything to find.
        List<WebhookExchange> entries = twilio.webhooks().stream()
                .filter(w -> w.params().containsKey("Digits") && CARD_NUMBERS.contains(w.params().get("Digits")))
                .toList();
        assertThat(entries).as("card numbers entered through the app in this JVM (run with the e2e suite)").isNotEmpty();
        assertThat(twilio.webhooks())
                .anyMatch(w -> w.params().containsKey("Digits") && SECURITY_CODES.contains(w.params().get("Digits")));
    }

    @Test
    void theDatabaseHoldsNoCardData() throws SQLException {
        List<String> findings = new ArrayList<>();
        int tables = 0;
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            String schema = TestDatabase.POSTGRES ? "public" : "PUBLIC";
            List<String> names = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String table : names) {
                tables++;
                try (Statement sql = connection.createStatement();
                        ResultSet rows = sql.executeQuery("select * from " + quote(table))) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int i = 1; i <= columns; i++) {
                            String column = rows.getMetaData().getColumnName(i);
                            String value = readable(column, rows.getObject(i));
                            if (value != null) {
                                scan(value, "table " + table + " column " + column, findings);
                            }
                        }
                    }
                }
            }
        }
        assertThat(tables).as("tables dumped").isGreaterThan(40);
        assertThat(findings).isEmpty();
    }

    @Test
    void theLogsHoldNoCardData() throws IOException {
        Path log = Path.of(LOG_FILE);
        assertThat(log).exists();
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(text).as("the app's log of this run").contains("Started ").contains("ENGINE-");
        List<String> findings = new ArrayList<>();
        scan(text, "log file", findings);
        assertThat(findings).isEmpty();
    }

    @Test
    void noResponseHoldsCardData() {
        AgentApi rest = admin;
        List<String> paths = List.of("/engine-rest/history/variable-instance", "/engine-rest/history/detail",
                "/engine-rest/history/incident", "/engine-rest/incident", "/engine-rest/history/job-log",
                "/engine-rest/job", "/engine-rest/variable-instance", "/engine-rest/history/process-instance",
                "/engine-rest/history/activity-instance", "/engine-rest/history/task", "/engine-rest/task",
                "/engine-rest/process-instance", "/engine-rest/execution");
        for (String path : paths) {
            AgentApi.Reply reply = rest.get(path + "?maxResults=100000");
            assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(200);
        }
        // Stack traces of failed jobs, as Cockpit shows them.
        for (JsonNode entry : rest.get("/engine-rest/history/job-log?failureLog=true").json()) {
            rest.get("/engine-rest/history/job-log/" + entry.get("id").asText() + "/stacktrace");
        }
        for (JsonNode job : rest.get("/engine-rest/job?withException=true").json()) {
            rest.get("/engine-rest/job/" + job.get("id").asText() + "/stacktrace");
        }
        List<String> findings = new ArrayList<>();
        List<String> responses = RecordedResponses.all();
        assertThat(responses).hasSizeGreaterThan(50);
        responses.forEach(body -> scan(body, "response " + body.lines().findFirst().orElse(""), findings));
        for (EmulatedCall call : twilio.calls()) {
            call.heard().forEach(text -> scan(text, "TwiML heard on " + call.sid(), findings));
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void theScannerFindsWhatItLooksFor() throws SQLException {
        // The scans above must be able to fail.
        List<String> findings = new ArrayList<>();
        scan("Digits=" + CardCaptureEndToEndTest.VISA, "sample", findings);
        scan("{\"value\":\"737\"}", "sample", findings);
        scan("at 11:40:53.737 id a737b 17370 capture 5f0c2a9e-7319-4b6e-9d1a-0c4e2f8a7b31", "timestamps and ids",
                findings);
        assertThat(findings).hasSize(2);
        // A number is read where the engine keeps a variable's value; elsewhere it is a duration, count or amount.
        assertThat(readable("LONG_", 737L)).isEqualTo("737");
        assertThat(readable("double_", 737.0)).isEqualTo("737.0");
        assertThat(readable("TEXT_", "737")).isEqualTo("737");
        assertThat(readable("DURATION_", 737L)).isNull();
        assertThat(readable("amount_minor", 737L)).isNull();
    }

    static void scan(String text, String where, List<String> findings) {
        for (String number : CARD_NUMBERS) {
            if (text.contains(number)) {
                findings.add("card number ending " + number.substring(number.length() - 4) + " in " + where);
            }
        }
        for (String code : SECURITY_CODES) {
            // As a value of its own: not a fraction of a timestamp, nor part of a longer number or id. A random
            // capture id can hold a 4-digit code as one of its hyphen-separated groups (CI once found 7319 that way).
            if (Pattern.compile("(?<![0-9A-Za-z.:-])" + code + "(?![0-9A-Za-z-])").matcher(text).find()) {
                findings.add("security code " + code + " in " + where);
            }
        }
    }

    /**
     * A column's value as text to scan, or null if it cannot hold card data: dates, and numbers outside the
     * engine's variable value columns ({@code LONG_}, {@code DOUBLE_}). A task that lasted 737 ms, or a pledge of
     * 7.37, is not a security code; a variable set to the number 737 would be.
     */
    static String readable(String column, Object value) throws SQLException {
        if (value == null) {
            return null;
        }
        if (value instanceof Number && !column.equalsIgnoreCase("LONG_") && !column.equalsIgnoreCase("DOUBLE_")) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (value instanceof java.sql.Blob blob) {
            return new String(blob.getBytes(1, (int) blob.length()), StandardCharsets.ISO_8859_1);
        }
        if (value instanceof java.sql.Clob clob) {
            return clob.getSubString(1, (int) clob.length());
        }
        if (value instanceof java.util.Date || value instanceof java.time.temporal.Temporal) {
            return null;
        }
        return value.toString();
    }

    private static String quote(String table) {
        return "\"" + table.replace("\"", "\"\"") + "\"";
    }

}
