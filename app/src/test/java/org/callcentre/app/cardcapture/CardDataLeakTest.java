package org.callcentre.app.cardcapture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import javax.sql.DataSource;

import org.callcentre.app.support.AgentApi;
import org.callcentre.app.support.CardDataScan;
import org.callcentre.app.support.EndToEndTest;
import org.callcentre.app.support.RecordedResponses;
import org.callcentre.app.support.TestDatabase;
import org.callcentre.emulator.twilio.EmulatedCall;
import org.callcentre.emulator.twilio.EmulatedRecording;
import org.callcentre.emulator.twilio.WebhookExchange;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * PCI DSS 3.3.1 / 3.5.1: after the end-to-end suite, no card number, expiry date or security code it used may be
 * found in the database (every table, including the engine's history, job logs and stack-trace blobs), in the log
 * file, in any response the app gave (API, TwiML as heard by the donor, {@code /engine-rest} history and incidents).
 * The suite runs with the loggers that print request parameters and handler arguments at TRACE (EndToEndTest), so
 * the log scanned is what a raised level would write. Runs after every other test class (junit-platform.properties
 * orders classes; a class without {@code @Order} comes before this one too).
 */
@Order(Integer.MAX_VALUE)
class CardDataLeakTest extends EndToEndTest {

    static final List<String> CARD_NUMBERS = List.of(CardCaptureEndToEndTest.VISA, CardCaptureEndToEndTest.MASTERCARD,
            CardCaptureEndToEndTest.AMEX, CardCaptureEndToEndTest.DECLINED, CardCaptureEndToEndTest.INSUFFICIENT_FUNDS);
    static final List<String> SECURITY_CODES = List.of(CardCaptureEndToEndTest.CVC, CardCaptureEndToEndTest.AMEX_CVC);
    static final List<String> EXPIRY_DATES = List.of(CardCaptureEndToEndTest.EXPIRY);

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
        CardDataScan used = usedInThisRun();
        assertThat(used.expiryDates()).as("expiry dates keyed in").containsAll(EXPIRY_DATES).hasSizeGreaterThan(1);
        assertThat(used.numbers()).as("card numbers keyed in, valid or not").containsAll(CARD_NUMBERS)
                .hasSizeGreaterThan(CARD_NUMBERS.size());
        assertThat(used.securityCodes()).containsAll(SECURITY_CODES);
    }

    @Test
    void theDatabaseHoldsNoCardData() throws SQLException {
        CardDataScan used = usedInThisRun();
        List<String> findings = new ArrayList<>();
        int tables;
        try (Connection connection = dataSource.getConnection()) {
            tables = used.scanDatabase(connection, TestDatabase.POSTGRES ? "public" : "PUBLIC", findings);
        }
        assertThat(tables).as("tables dumped").isGreaterThan(40);
        assertThat(findings).isEmpty();
    }

    /**
     * No call recording the suite made holds a card prompt or a card key in a recorded part: card capture pauses a
     * recorded call's recording before the donor hears the first prompt. (The recordings' rows are in the database scan
     * above.)
     */
    @Test
    void noCallRecordingHoldsACardPromptOrKey() throws SQLException {
        List<EmulatedRecording> recordings = twilio.recordings();
        assertThat(recordings).as("recorded card captures in this JVM (run with the e2e suite)")
                .anyMatch(EmulatedRecording::wasPaused);
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("select count(*) from call_recording")) {
            rows.next();
            assertThat(rows.getInt(1)).as("recordings stored").isPositive();
        }
        CardDataScan used = usedInThisRun();
        List<String> findings = new ArrayList<>();
        for (EmulatedRecording recording : recordings) {
            String where = "recording " + recording.sid() + " of call " + recording.callSid();
            recording.recordedPrompts().stream().filter(CardDataLeakTest::isCardPrompt)
                    .forEach(prompt -> findings.add(where + " recorded the prompt \"" + prompt + "\""));
            if (recording.recordedKeys().matches(".*[0-9]{3,}.*")) {
                findings.add(where + " recorded keys " + recording.recordedKeys().replaceAll("[0-9]", "*"));
            }
            used.scan(String.join(" ", recording.recordedPrompts()), where + ", its prompts", findings);
        }
        assertThat(findings).isEmpty();
    }

    private static boolean isCardPrompt(String prompt) {
        String text = prompt.toLowerCase(java.util.Locale.ROOT);
        return text.contains("card number") || text.contains("expiry date") || text.contains("security code");
    }

    @Test
    void theLogsHoldNoCardData() throws IOException {
        Path log = Path.of(LOG_FILE);
        assertThat(log).exists();
        String text = withRolledOver(log);
        assertThat(text).as("the app's log of this run").contains("Started ").contains("ENGINE-")
                .as("the log at TRACE: request parameters and handler arguments")
                .contains("parameters={").contains("Arguments: [");
        List<String> findings = new ArrayList<>();
        usedInThisRun().scanLog(text, "log file", findings);
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
        CardDataScan used = usedInThisRun();
        List<String> findings = new ArrayList<>();
        List<RecordedResponses.Response> responses = RecordedResponses.all();
        assertThat(responses).hasSizeGreaterThan(50);
        responses.forEach(response -> used.scan(response.body(), "response to " + response.request(), findings));
        for (EmulatedCall call : twilio.calls()) {
            call.heard().forEach(text -> used.scan(text, "TwiML heard on " + call.sid(), findings));
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void theScannerFindsWhatItLooksFor() throws SQLException {
        // The scans above must be able to fail.
        CardDataScan used = new CardDataScan(CARD_NUMBERS, SECURITY_CODES, EXPIRY_DATES);
        List<String> findings = new ArrayList<>();
        used.scan("Digits=" + CardCaptureEndToEndTest.VISA, "sample", findings);
        used.scan("{\"value\":\"737\"}", "sample", findings);
        used.scan("at 11:40:53.737 id a737b 17370 capture 5f0c2a9e-7319-4b6e-9d1a-0c4e2f8a7b31", "timestamps and ids",
                findings);
        assertThat(findings).hasSize(2);
        // An expiry date, and in the log any short value, counts where it stands as a value.
        for (String value : List.of("1230", "737")) {
            for (String sample : List.of("Digits=" + value, "parameters={Digits:[" + value + "], step:[2]}",
                    "{\"value\":\"" + value + "\"}", "{\"value\":" + value + "}", "{\"exp_month\":\"" + value + "\"}",
                    "Arguments: [5f0c2a9e-7319-4b6e-9d1a-0c4e2f8a7b31, 1, EXPIRY, " + value + ", #]",
                    "card[cvc]=[" + value + "]", value)) {
                List<String> found = new ArrayList<>();
                used.scanLog(sample, "sample", found);
                assertThat(found).as(sample).hasSize(1);
                found.clear();
                used.scan(sample, "sample", found);
                assertThat(found).as(sample).hasSize(1);
            }
            for (String sample : List.of("content-length:[" + value + "]", "Content-Length: " + value,
                    "Completed in " + value + " ms", "<Bounds x=\"" + value + "\" y=\"80\"/>",
                    "\"durationInMillis\":" + value, "(CardCaptureConversation.java:" + value + ")",
                    "Arguments: [5f0c2a9e-" + value + "-4b6e-9d1a-0c4e2f8a7b31, 1]")) {
                List<String> found = new ArrayList<>();
                used.scanLog(sample, "sample", found);
                assertThat(found).as(sample).isEmpty();
            }
        }
        // A number is read where the engine keeps a variable's value; elsewhere it is a duration, count or amount.
        assertThat(CardDataScan.readable("LONG_", 737L)).isEqualTo("737");
        assertThat(CardDataScan.readable("double_", 737.0)).isEqualTo("737.0");
        assertThat(CardDataScan.readable("TEXT_", "737")).isEqualTo("737");
        assertThat(CardDataScan.readable("DURATION_", 737L)).isNull();
        assertThat(CardDataScan.readable("amount_minor", 737L)).isNull();
    }

    /**
     * The log file and what rolled over from it in this JVM: the file appender starts a new file at midnight and
     * past 10 MB, keeping the old one gzipped beside it ({@code app.log.<date>.0.gz}).
     */
    private static String withRolledOver(Path log) throws IOException {
        long started = ManagementFactory.getRuntimeMXBean().getStartTime();
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(log.getParent())) {
            for (Path rolled : files.filter(f -> f.getFileName().toString().startsWith(log.getFileName() + "."))
                    .filter(f -> f.getFileName().toString().endsWith(".gz"))
                    .filter(f -> modified(f) >= started).sorted().toList()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(rolled))) {
                    text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return text.append(Files.readString(log, StandardCharsets.UTF_8)).toString();
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The suite's own values and every card number, expiry date and security code the emulated donors keyed in. */
    static CardDataScan usedInThisRun() {
        return new CardDataScan(union(CARD_NUMBERS, entered("CARD_NUMBER", "[0-9]{12,19}")),
                union(SECURITY_CODES, entered("SECURITY_CODE", "[0-9]{3,4}")),
                union(EXPIRY_DATES, entered("EXPIRY", "[0-9]{4}")));
    }

    /** What the donors keyed at a prompt (the action URL names it), where it has the shape of that prompt's data. */
    private static List<String> entered(String prompt, String shape) {
        Pattern atPrompt = Pattern.compile("[?&]prompt=" + prompt + "(&|$)");
        return twilio.webhooks().stream()
                .filter(w -> atPrompt.matcher(w.url()).find())
                .map(w -> w.params().get("Digits"))
                .filter(digits -> digits != null && digits.matches(shape))
                .toList();
    }

    private static List<String> union(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).distinct().toList();
    }
}
