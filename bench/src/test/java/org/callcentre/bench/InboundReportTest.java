package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.callcentre.bench.InboundMeasures.Rows;
import org.callcentre.bench.InboundMeasures.Seen;
import org.callcentre.bench.Measures.Floor;
import org.callcentre.bench.Targets.Verdict;
import org.callcentre.emulator.twilio.WebhookExchange;
import org.junit.jupiter.api.Test;

class InboundReportTest {

    private static final String WEBHOOKS = "every inbound webhook p99 ≤ 50 ms";
    private static final String NEXT = "agent free → next caller bridged, p99 ≤ 1 s";
    private static final String ONCE = "every caller served exactly once";
    private static final String OVERLAP = "no agent with two callers at once";
    private static final String TWICE = "no caller bridged twice";

    @Test
    void theTargetsHoldAtTheirLimits() {
        var targets = InboundReport.targets(List.of(measured(Database.H2, 50, 1000, new Rows(600, 600, 0, 0, 600),
                new Seen(200, 0, 0, 0, 0))));

        assertThat(targets.get(WEBHOOKS).get(Database.H2).toString()).isEqualTo("PASS: p99 50.0 ms");
        assertThat(targets.get(NEXT).get(Database.H2).toString()).isEqualTo("PASS: p99 1000.0 ms");
        assertThat(targets.get(ONCE).get(Database.H2).toString())
                .isEqualTo("PASS: 600 of 600 SERVED; in no conference 0");
        assertThat(targets.get(OVERLAP).get(Database.H2).verdict()).isEqualTo(Verdict.PASS);
        assertThat(targets.get(TWICE).get(Database.H2).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aSlowAnswerALateCallerOrAnyBrokenCheckIsAMiss() {
        var targets = InboundReport.targets(List.of(
                measured(Database.H2, 50.1, 1000.1, new Rows(600, 599, 0, 0, 599), new Seen(200, 1, 0, 0, 0)),
                measured(Database.POSTGRES, 10, 100, new Rows(600, 600, 1, 0, 600), new Seen(200, 0, 1, 0, 0))));

        assertThat(targets.get(WEBHOOKS).get(Database.H2).verdict()).isEqualTo(Verdict.MISS);
        assertThat(targets.get(NEXT).get(Database.H2).verdict()).isEqualTo(Verdict.MISS);
        assertThat(targets.get(ONCE).get(Database.H2).toString()).startsWith("**MISS**: 599 of 600 SERVED");
        assertThat(targets.get(ONCE).get(Database.POSTGRES).verdict()).as("joined two conferences")
                .isEqualTo(Verdict.MISS);
        assertThat(targets.get(OVERLAP).get(Database.POSTGRES).toString())
                .isEqualTo("**MISS**: 1 in the database, 0 seen");
        assertThat(targets.get(TWICE).get(Database.POSTGRES).verdict()).isEqualTo(Verdict.MISS);
        assertThat(targets.get(TWICE).get(Database.H2).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void theTableSplitsTheWebhooksByEndpointInTheCallsOrder() {
        String report = InboundReport.of(BenchOptions.parse("--scenario=inbound"), "PT2S (the default)",
                List.of(measured(Database.POSTGRES, 20, 300, new Rows(600, 600, 0, 0, 600), new Seen(200, 0, 0, 0, 0))));

        assertThat(report).contains("| measure | PostgreSQL |")
                .contains("| callers / agents (warm-up before it, until the JIT was quiet: callers) | 200 / 20 (400) |")
                .contains("| webhook voice: count, p50 / p99 / max (ms) | 100, 20.0 / 20.0 / 20.0 |")
                .contains("| webhook call status: count, p50 / p99 / max (ms) | 100, 20.0 / 20.0 / 20.0 |")
                .contains("| webhook bridge: count, p50 / p99 / max (ms) | 0 |")
                .contains("| agent free → next caller in the agent's conference: p50 / p99 / max (ms) |"
                        + " 200: 300.0 / 300.0 / 300.0 |")
                .contains("| app CPU ms per served call (of which JIT) / PostgreSQL's backends for the database /"
                        + " load generator's | 30.0 (1.0) / 10.0 / 5.0 |")
                .contains("| the app's threads' wait for a core while ready to run, ms per served call | 12.0 |")
                .contains("PT2S (the default)").contains("callers=200").contains("hold-play-seconds=4")
                .doesNotContain("burst=").doesNotContain("think-min-ms");
        assertThat(report.indexOf("webhook voice")).isLessThan(report.indexOf("webhook menu"));
        assertThat(report.indexOf("webhook menu")).isLessThan(report.indexOf("webhook call status"));
    }

    @Test
    void aWebhookIsNamedByItsEndpoint() {
        assertThat(InboundMeasures.endpoint("http://127.0.0.1:8080/twilio/inbound/voice")).isEqualTo("voice");
        assertThat(InboundMeasures.endpoint("http://127.0.0.1:8080/twilio/inbound/calls/12/wait")).isEqualTo("wait");
        assertThat(InboundMeasures.endpoint("http://127.0.0.1:8080/twilio/inbound/calls/12/queue-result"))
                .isEqualTo("queue-result");
        assertThat(InboundMeasures.endpoint("http://127.0.0.1:8080/twilio/calls/status")).isEqualTo("call status");
    }

    /** 200 callers and 20 agents whose voice, menu and status webhooks took {@code webhookMs}. */
    private static InboundMeasures measured(Database database, double webhookMs, double nextMs, Rows rows, Seen seen) {
        InboundMeasures m = new InboundMeasures(database);
        m.callers = 200;
        m.agents = 20;
        m.warmupCallers = 400;
        m.queueSeconds = 10;
        m.drainSeconds = 40;
        m.waitEverySeconds = 5;
        List<WebhookExchange> webhooks = new ArrayList<>();
        for (String path : List.of("/twilio/inbound/voice", "/twilio/inbound/calls/1/menu", "/twilio/calls/status")) {
            for (int i = 0; i < 100; i++) {
                webhooks.add(new WebhookExchange("CA" + i, "http://127.0.0.1:1" + path, "POST", Map.of(), 200,
                        (long) (webhookMs * 1e6), Instant.EPOCH, WebhookExchange.KIND_TWIML));
            }
        }
        m.webhooks = webhooks;
        m.nextCaller = Stats.ofNanos(Collections.nCopies(200, (long) (nextMs * 1e6)));
        m.firstCaller = Stats.ofNanos(Collections.nCopies(20, (long) (nextMs * 1e6)));
        m.afterHangUp = Stats.ofNanos(Collections.nCopies(180, (long) (nextMs * 1e6)));
        m.cpu = new InboundMeasures.Cpu(30, 1, database == Database.POSTGRES ? 10 : Double.NaN, 5, 0.8, 12);
        m.floor = new Floor(2000, Stats.ofNanos(List.of(2_000_000L)), 0.6);
        m.rows = rows;
        m.seen = seen;
        return m;
    }
}
