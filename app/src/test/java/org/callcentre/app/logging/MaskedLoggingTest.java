package org.callcentre.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.bridge.SLF4JBridgeHandler;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;

/**
 * The app's logback-spring.xml, loaded by Logback into a context of this test's own (the app's logging in this JVM is
 * left alone), with loggers at TRACE: every shape in which raised levels print card data is written masked to the
 * console and to the file, and the rest of each line is kept.
 */
class MaskedLoggingTest {

    static final String VISA = "4242424242424242";
    static final String MASTERCARD = "5555555555554444";
    static final String AMEX = "378282246310005";
    static final String DECLINED = "4000000000000002";
    static final List<String> CARD_DATA = List.of(VISA, MASTERCARD, AMEX, DECLINED, "737", "7319", "1230", "2030");

    @TempDir
    Path logs;

    LoggerContext context;
    Path logFile;

    @BeforeEach
    void configureTheAppsLogging() throws JoranException {
        logFile = logs.resolve("app.log");
        context = configure(logFile);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void everyShapeOfCardDataIsMaskedInTheFileAndOnTheConsole() throws IOException {
        Logger dispatcher = traceLogger("org.springframework.web.servlet.DispatcherServlet");
        Logger handler = traceLogger("org.springframework.web.method.HandlerMethod");
        Logger converter = traceLogger("org.springframework.web.servlet.mvc.method.annotation."
                + "HttpEntityMethodProcessor");
        Logger ours = traceLogger("org.callcentre.payment.StripeStyleGateway");

        String console = console(() -> {
            dispatcher.trace("POST \"/twilio/card-capture/3fa85f64-5717-4562-b3fc-2c963f66afa6/digits?step=2"
                    + "&prompt=CARD_NUMBER\", parameters={AccountSid:[AC0123], Digits:[{}], FinishedOnKey:[#]}", VISA);
            handler.trace("Arguments: [3fa85f64-5717-4562-b3fc-2c963f66afa6, 4, SECURITY_CODE, 737, #]");
            converter.trace("Read \"application/json\" to [{\"cardNumber\":\"{}\",\"securityCode\":\"7319\","
                    + "\"expiry\":\"12/30\"}]", "3782 822463 10005");
            ours.trace("Writing [{card[number]=[{}], card[exp_month]=[12], card[exp_year]=[2030], card[cvc]=[737], "
                    + "amount=[2500]}]", MASTERCARD);
            ours.debug("POST /v1/payment_intents card%5Bnumber%5D={}&card%5Bcvc%5D=737&card%5Bexp_year%5D=2030",
                    DECLINED);
            ours.trace("Entry[digits=1230, securityCode=737, expMonth=12, expYear=2030]");
            ours.error("Charge failed", new IllegalStateException("card " + VISA + " refused",
                    new IllegalArgumentException("{\"cvc\":\"7319\",\"exp_year\":2030}")));
        });
        String file = Files.readString(logFile, StandardCharsets.UTF_8);
        assertNoErrors(context);

        for (String written : List.of(file, console)) {
            assertNoCardData(written);
            assertThat(written)
                    .contains("DEBUG", "TRACE", "ERROR", "o.s.web.servlet.DispatcherServlet")
                    .contains("POST \"/twilio/card-capture/3fa85f64-5717-4562-b3fc-2c963f66afa6/digits?step=2"
                            + "&prompt=CARD_NUMBER\", parameters={AccountSid:[AC0123], Digits:[****************], "
                            + "FinishedOnKey:[#]}")
                    .contains("Arguments: [3fa85f64-5717-4562-b3fc-2c963f66afa6, 4, SECURITY_CODE, ***, #]")
                    .contains("Read \"application/json\" to [{\"cardNumber\":\"**** ****** *****\","
                            + "\"securityCode\":\"****\",\"expiry\":\"**/**\"}]")
                    .contains("Writing [{card[number]=[****************], card[exp_month]=[**], card[exp_year]=[****], "
                            + "card[cvc]=[***], amount=[2500]}]")
                    .contains("POST /v1/payment_intents card%5Bnumber%5D=****************&card%5Bcvc%5D=***"
                            + "&card%5Bexp_year%5D=****")
                    .contains("Entry[digits=****, securityCode=***, expMonth=**, expYear=****]")
                    // The stack trace: every message of the chain masked, the frames kept.
                    .contains("Charge failed")
                    .contains("java.lang.IllegalStateException: card **************** refused")
                    .contains("Caused by: java.lang.IllegalArgumentException: {\"cvc\":\"****\",\"exp_year\":****}")
                    .contains("at org.callcentre.app.logging.MaskedLoggingTest");
        }
    }

    @Test
    void tomcatsLoggingBridgedFromJavaUtilLoggingIsMaskedToo() throws IOException {
        // Tomcat logs through java.util.logging; Spring Boot bridges it into SLF4J with this handler.
        traceLogger("org.apache.coyote.http11");
        SLF4JBridgeHandler bridge = new SLF4JBridgeHandler() {
            @Override
            protected org.slf4j.Logger getSLF4JLogger(LogRecord record) {
                return context.getLogger(record.getLoggerName());
            }
        };
        LogRecord received = new LogRecord(java.util.logging.Level.FINE, "Received [{0}]");
        received.setLoggerName("org.apache.coyote.http11.Http11InputBuffer");
        received.setParameters(new Object[] {"POST /twilio/card-capture/3fa85f64-5717-4562-b3fc-2c963f66afa6/digits"
                + "?step=3&prompt=EXPIRY HTTP/1.1\r\nContent-Length: 88\r\n\r\nAccountSid=AC0123&CallSid=CA0456"
                + "&Digits=1230&FinishedOnKey=%23&From=%2B447700900999"});
        LogRecord parameters = new LogRecord(java.util.logging.Level.FINE,
                "Start processing with input [Digits=" + AMEX + "&FinishedOnKey=%23]");
        parameters.setLoggerName("org.apache.coyote.http11.Http11Processor");

        String console = console(() -> {
            bridge.publish(received);
            bridge.publish(parameters);
        });
        String file = Files.readString(logFile, StandardCharsets.UTF_8);
        assertNoErrors(context);

        for (String written : List.of(file, console)) {
            assertNoCardData(written);
            assertThat(written)
                    .contains("o.a.coyote.http11.Http11InputBuffer")
                    .contains("Received [POST /twilio/card-capture/3fa85f64-5717-4562-b3fc-2c963f66afa6/digits"
                            + "?step=3&prompt=EXPIRY HTTP/1.1\r\nContent-Length: 88\r\n\r\nAccountSid=AC0123"
                            + "&CallSid=CA0456&Digits=****&FinishedOnKey=%23&From=%2B447700900999]")
                    .contains("Start processing with input [Digits=***************&FinishedOnKey=%23]");
        }
    }

    @Test
    void withoutALogFileOnlyTheConsoleIsWritten() throws JoranException {
        // Spring Boot's base.xml would write to a temporary file; without logging.file.* nothing but the console.
        String previous = System.clearProperty("LOG_FILE");
        try {
            LoggerContext consoleOnly = configure(null);
            Logger root = consoleOnly.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            assertThat(root.getAppender("CONSOLE")).isNotNull();
            assertThat(root.getAppender("FILE")).isNull();
            assertThat(root.getLevel()).isEqualTo(Level.INFO);
            consoleOnly.stop();
        } finally {
            if (previous != null) {
                System.setProperty("LOG_FILE", previous);
            }
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("FILE")).isNotNull();
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void everyExceptionConversionWordWritesAMaskedStackTrace() throws JoranException, IOException {
        // logging.exception-conversion-word picks the word Spring Boot's patterns end with.
        for (String word : List.of("%wEx", "%wex", "%ex", "%exception", "%throwable", "%xEx", "%xException",
                "%xThrowable", "%rEx", "%rootException")) {
            Path file = logs.resolve("exception-" + word.substring(1) + ".log");
            LoggerContext withWord = new LoggerContext();
            withWord.putProperty("LOG_EXCEPTION_CONVERSION_WORD", word);
            configure(withWord, file);
            console(() -> withWord.getLogger("org.callcentre.payment.StripeStyleGateway").error("Charge failed",
                    new IllegalStateException("gateway said", new IllegalArgumentException("card " + AMEX))));
            withWord.stop();
            String written = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(written).as(word).doesNotContain(AMEX)
                    .contains("Charge failed", "java.lang.IllegalStateException: gateway said",
                            "java.lang.IllegalArgumentException: card ***************");
        }
    }

    private static LoggerContext configure(Path logFile) throws JoranException {
        return configure(new LoggerContext(), logFile);
    }

    private static LoggerContext configure(LoggerContext context, Path logFile) throws JoranException {
        context.setName("masked-logging-test");
        context.setMDCAdapter(new LogbackMDCAdapter());
        // Spring Boot publishes its settings as system properties, and an app started earlier in this JVM may have
        // raised the thresholds: these win over them. A fixed process id cannot look like a security code.
        context.putProperty("CONSOLE_LOG_THRESHOLD", "TRACE");
        context.putProperty("FILE_LOG_THRESHOLD", "TRACE");
        context.putProperty("PID", "1");
        if (logFile != null) {
            context.putProperty("LOG_FILE", logFile.toString());
        }
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        URL configuration = MaskedLoggingTest.class.getResource("/logback-spring.xml");
        assertThat(configuration).isNotNull();
        joran.doConfigure(configuration);
        assertNoErrors(context);
        return context;
    }

    private static void assertNoErrors(LoggerContext context) {
        assertThat(new StatusUtil(context).getHighestLevel(0)).as(context.getStatusManager().getCopyOfStatusList()
                .toString()).isLessThan(Status.ERROR);
    }

    private Logger traceLogger(String name) {
        Logger logger = context.getLogger(name);
        logger.setLevel(Level.TRACE);
        return logger;
    }

    /** What the console appender writes while {@code logging} runs. */
    private static String console(Runnable logging) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** No card value as a number of its own (a timestamp's milliseconds may be 737). */
    private static void assertNoCardData(String written) {
        for (String value : CARD_DATA) {
            assertThat(written).doesNotContainPattern("(?<![0-9.])" + value + "(?![0-9])");
        }
        assertThat(written).doesNotContain("3782 822463 10005");
    }
}
