package org.callcentre.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.callcentre.emulator.gateway.GatewaySimulator;
import org.callcentre.emulator.twilio.TwilioEmulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * The tickets' benchmark on one database: contacts from end-users turned into tickets. It starts the app jar as
 * {@link Harness} does (demo profile, a fresh database) with a GreenMail SMTP and IMAP server in this JVM as the
 * info mailbox the app polls. After the HTTP floor and a warm-up: {@code --contacts} contacts, half web forms
 * ({@code POST /public/contact} from {@code --contact-clients} clients at once, each request timed) and half emails
 * (delivered to the mailbox over SMTP, then filed by the app's poller every second; each mail is timed from its
 * delivery to its row in {@code ticket_mail_seen}, found by the Message-ID it was sent with, so the time includes
 * the wait for the next poll). Every {@code --repeat-every}th contact comes from an end-user who already wrote, so it is
 * appended to their open ticket rather than opening one. Then the app stops and the database is checked: one ticket
 * per end-user, one message per contact.
 */
final class TicketHarness {

    static final String NAME = "tickets";
    private static final String INFO = "info@callcentre.test";
    private static final String MAILBOX_PASSWORD = "bench";
    private static final Duration WAIT = Duration.ofMinutes(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The web form's groups (public in the demo): contacts are spread over them. */
    private static final List<String> FORM_GROUPS = List.of("Donations", "Volunteers", "Agency", "Clients");

    private final BenchOptions options;
    private final Path appJar;

    TicketHarness(BenchOptions options, Path appJar) {
        this.options = options;
        this.appJar = appJar;
    }

    TicketMeasures run(Database database) throws Exception {
        boolean postgres = database == Database.POSTGRES;
        String url = postgres ? Harness.freshPostgres(options.postgres())
                : H2Settings.ofAppJar(appJar).url(Path.of("target/bench/tickets-" + System.nanoTime()));
        TicketMeasures measures = new TicketMeasures(database);
        try (AutovacuumStandIn autovacuum = postgres ? AutovacuumStandIn.start(url) : null) {
            app(database, url, measures);
            try (Connection connection = DriverManager.getConnection(url, postgres ? "postgres" : "sa", "")) {
                measures.rows = rows(connection);
                measures.mailFiling = mailFiling(connection, measures.delivered);
            }
            System.out.println("   database: " + measures.rows + "; a mail's filing: " + measures.mailFiling);
        }
        return measures;
    }

    private void app(Database database, String url, TicketMeasures measures) throws Exception {
        String tag = database.option;
        ServerSetup smtp = new ServerSetup(Harness.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        ServerSetup imap = new ServerSetup(Harness.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
        GreenMail mail = new GreenMail(new ServerSetup[] {smtp, imap});
        mail.start();
        mail.setUser(INFO, INFO, MAILBOX_PASSWORD);
        List<String> jvmOptions = options.jfr() ? List.of("-XX:StartFlightRecording=dumponexit=true,"
                + "settings=profile,filename=" + Path.of("target/bench/app-tickets-" + tag + ".jfr").toAbsolutePath())
                : List.of();
        try (TwilioEmulator twilio = TwilioEmulator.start(TwilioEmulator.Settings.defaults()
                .withPort(Harness.freePort()));
                GatewaySimulator gateway = GatewaySimulator.start("127.0.0.1", 0,
                        GatewaySimulator.DEFAULT_SECRET_KEY)) {
            int port = Harness.freePort();
            Map<String, String> properties = Harness.appProperties(database, url, port, twilio, gateway);
            properties.put("spring.mail.host", "127.0.0.1");
            properties.put("spring.mail.port", Integer.toString(smtp.getPort()));
            properties.put("tickets.mail.imap.host", "127.0.0.1");
            properties.put("tickets.mail.imap.port", Integer.toString(imap.getPort()));
            properties.put("tickets.mail.imap.username", INFO);
            properties.put("tickets.mail.imap.password", MAILBOX_PASSWORD);
            properties.put("tickets.mail.imap.ssl", "false");
            properties.put("tickets.mail.info-address", INFO);
            properties.put("tickets.mail.poll", "PT1S");
            // One address sends every web form here: its rate limit is set out of the way.
            properties.put("tickets.web-form.max-per-window", "1000000000");
            System.out.println("== tickets, " + tag + ": starting the app");
            try (AppProcess app = AppProcess.start(appJar, port, properties,
                    Path.of("target/bench/app-tickets-" + tag + ".log"), jvmOptions)) {
                System.out.println("== tickets, " + tag + ": HTTP floor, GET /health");
                Harness.settle();
                measures.floor = Harness.floor(app);

                int warmup = options.ticketWarmup();
                System.out.println("== tickets, " + tag + ": warm-up, " + warmup + " web forms and mails");
                webForms(app, "warm", warmup / 2, options.contactClients());
                mails(smtp, "warm", warmup - warmup / 2);
                awaitFiled(mail, warmup - warmup / 2);

                int forms = options.contacts() / 2;
                int mails = options.contacts() - forms;
                System.out.println("== tickets, " + tag + ": " + forms + " web forms from "
                        + options.contactClients() + " clients");
                Harness.settle();
                Cpu cpu = Cpu.start(app);
                long start = System.nanoTime();
                measures.formLatency = webForms(app, "bench", forms, options.contactClients());
                measures.formSeconds = (System.nanoTime() - start) / 1e9;
                measures.formCpuMillis = cpu.jvmMillis(forms);
                measures.forms = forms;
                System.out.printf("   %d web forms in %.1f s: %s; app CPU %.2f ms a form%n", forms,
                        measures.formSeconds, measures.formLatency, measures.formCpuMillis);

                System.out.println("== tickets, " + tag + ": " + mails + " mails");
                Harness.settle();
                cpu = Cpu.start(app);
                start = System.nanoTime();
                measures.delivered = mails(smtp, "bench", mails);
                double delivered = (System.nanoTime() - start) / 1e9;
                awaitFiled(mail, mails + warmup - warmup / 2);
                measures.mailSeconds = (System.nanoTime() - start) / 1e9;
                measures.mailCpuMillis = cpu.jvmMillis(mails);
                measures.mails = mails;
                System.out.printf("   %d mails delivered in %.1f s, all filed after %.1f s; app CPU %.2f ms a mail%n",
                        mails, delivered, measures.mailSeconds, measures.mailCpuMillis);
            }
        } finally {
            mail.stop();
        }
    }

    /**
     * {@code count} web forms from {@code clients} clients at once; every {@code --repeat-every}th from an end-user
     * who wrote before. Answers each request's time.
     */
    private Stats webForms(AppProcess app, String prefix, int count, int clients) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        Parallel.forEach(count, clients, i -> {
            int who = endUser(i);
            String body = JSON.writeValueAsString(Map.of("group", FORM_GROUPS.get(who % FORM_GROUPS.size()),
                    "name", "Form Writer " + who, "email", prefix + "-form-" + who + "@example.org",
                    "subject", "Question " + i, "message", "Hello, I would like to know about item " + i + ".",
                    "website", ""));
            HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUrl + "/public/contact"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .timeout(Duration.ofSeconds(30)).build();
            long t = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            nanos.add(System.nanoTime() - t);
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST /public/contact answered " + response.statusCode() + ": "
                        + response.body());
            }
        });
        return Stats.ofNanos(nanos);
    }

    /** {@code count} mails to the info address over SMTP, on one connection; when each was delivered, by Message-ID. */
    private Map<String, Instant> mails(ServerSetup smtp, String prefix, int count) throws Exception {
        Map<String, Instant> delivered = new HashMap<>();
        Properties settings = new Properties();
        settings.put("mail.smtp.host", "127.0.0.1");
        settings.put("mail.smtp.port", Integer.toString(smtp.getPort()));
        Session session = Session.getInstance(settings);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            for (int i = 0; i < count; i++) {
                int who = endUser(i);
                String messageId = "<" + prefix + "-" + i + "-" + System.nanoTime() + "@bench.example>";
                MimeMessage message = new MimeMessage(session) {
                    @Override
                    protected void updateMessageID() throws jakarta.mail.MessagingException {
                        setHeader("Message-ID", messageId);
                    }
                };
                message.setFrom(new InternetAddress(prefix + "-mail-" + who + "@example.org", "Mail Writer " + who));
                message.setRecipient(Message.RecipientType.TO, new InternetAddress(INFO));
                message.setSubject("Enquiry " + i);
                message.setText("Hello, could someone call me back about enquiry " + i + "?");
                message.saveChanges();
                transport.sendMessage(message, message.getAllRecipients());
                delivered.put(messageId, Instant.now());
            }
        }
        return delivered;
    }

    /** The end-user of the {@code i}th contact: every {@code --repeat-every}th is the previous one's. */
    private int endUser(int i) {
        int every = options.repeatEvery();
        return every > 0 && i % every == every - 1 ? i - 1 : i;
    }

    /**
     * Waits until {@code count} mails of the info mailbox have been filed in all: the app marks a mail read on the
     * server once its filing has committed (the database is the app's alone while it runs, on H2).
     */
    private static void awaitFiled(GreenMail mail, int count) throws Exception {
        Instant until = Instant.now().plus(WAIT);
        MailFolder inbox = mail.getManagers().getImapHostManager()
                .getInbox(mail.getManagers().getUserManager().getUser(INFO));
        while (true) {
            long filed = inbox.getMessages().stream().filter(m -> m.isSet(Flags.Flag.SEEN)).count();
            if (filed >= count) {
                return;
            }
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException(filed + " of " + count + " mails filed after " + WAIT);
            }
            AppProcess.pause(Duration.ofMillis(200));
        }
    }

    /** The measured mails' times from delivery to filed, matched by the Message-ID each was sent with. */
    private static Stats mailFiling(Connection connection, Map<String, Instant> delivered) throws SQLException {
        List<Long> nanos = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("select mail_key, seen_at from "
                + "ticket_mail_seen where mail_key like '%@bench.example%'");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String key = rows.getString(1);
                Instant sent = delivered.get(key.startsWith("<") ? key : "<" + key + ">");
                if (sent != null) {
                    nanos.add(Duration.between(sent, rows.getTimestamp(2).toInstant()).toNanos());
                }
            }
        }
        if (nanos.size() != delivered.size()) {
            System.out.println("   " + (delivered.size() - nanos.size()) + " of the measured mails were not found "
                    + "filed by their Message-ID");
        }
        return Stats.ofNanos(nanos);
    }

    private static TicketMeasures.Rows rows(Connection connection) throws SQLException {
        return new TicketMeasures.Rows(count(connection, "select count(*) from ticket"),
                count(connection, "select count(*) from ticket_message where direction = 'IN'"),
                count(connection, "select count(*) from (select group_key, end_user_email from ticket where status "
                        + "<> 'CLOSED' group by group_key, end_user_email having count(*) > 1) twice"),
                count(connection, "select count(*) from act_ru_execution where parent_id_ is null and "
                        + "proc_def_id_ like 'ticket:%'"));
    }

    private static int count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }
}
