package org.callcentre.bench;

import static org.callcentre.bench.ReportTable.header;
import static org.callcentre.bench.ReportTable.row;

import java.time.Instant;
import java.util.List;

/**
 * The tickets' benchmark's Markdown: web forms and mails turned into tickets on each database, one column each, with
 * the same run's HTTP floor beside them and the checks that the one-open-ticket rule held.
 */
final class TicketReport {

    private TicketReport() {
    }

    static String of(BenchOptions options, List<TicketMeasures> results) {
        StringBuilder out = new StringBuilder();
        out.append("Scenario ").append(TicketHarness.NAME).append(", run ").append(Instant.now()).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". Settings: ").append(options).append(".\n\n");
        header(out, results, "measure", m -> m.database.option);
        row(out, results, "web forms: count, per second (" + options.contactClients() + " clients at once)",
                m -> m.forms + ", " + Stats.f(m.forms / m.formSeconds));
        row(out, results, "web forms: POST /public/contact p50 / p99 / max (ms)",
                m -> m.formLatency == null ? "n/a" : m.formLatency.percentiles());
        row(out, results, "web forms: app CPU ms per form", m -> String.format("%.2f", m.formCpuMillis));
        row(out, results, "mails: count, per second (delivery start to the last one filed)",
                m -> m.mails + ", " + Stats.f(m.mails / m.mailSeconds));
        row(out, results, "mails: delivered to filed (the poll every second included) p50 / p99 / max (ms)",
                m -> m.mailFiling == null ? "n/a" : m.mailFiling.percentiles());
        row(out, results, "mails: app CPU ms per mail (IMAP fetch, parse, file)",
                m -> String.format("%.2f", m.mailCpuMillis));
        row(out, results, "HTTP floor, GET /health, same run: requests/s, p50 / p99 (ms)",
                m -> m.floor == null ? "n/a" : Stats.f(m.floor.rate()) + ", " + Stats.f(m.floor.latency().p50())
                        + " / " + Stats.f(m.floor.latency().p99()));
        row(out, results, "database: tickets / messages in (warm-up included)",
                m -> m.rows == null ? "n/a" : m.rows.tickets() + " / " + m.rows.messagesIn());
        row(out, results, "database: end-users with two open tickets in one group (must be 0)",
                m -> m.rows == null ? "n/a" : Integer.toString(m.rows.endUsersWithTwoOpen()));
        row(out, results, "database: ticket instances running", m -> m.rows == null ? "n/a"
                : Integer.toString(m.rows.runningInstances()));
        return out.toString();
    }
}
