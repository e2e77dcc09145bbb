package org.callcentre.app.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Callbacks a test schedules through the API and then makes due at once, as if their time had come: the row's due
 * time and the due timer's job are set to now, and the running job executor fires the timer as it would have.
 */
public final class DueCallbacks {

    private DueCallbacks() {
    }

    /** Tomorrow at this local time ("2027-03-28T11:00"): in the future, and within all-day calling hours. */
    public static String tomorrowAt(String time, ZoneId zone) {
        return LocalDate.now(zone).plusDays(1) + "T" + time;
    }

    /**
     * Schedules a callback on the lead as the agent, who takes the lead's lock for it and lets it go afterwards;
     * answers its id.
     */
    public static long schedule(AgentApi agent, long leadId, String dueAt, String timeZone, String reason,
            String mode, boolean overrideCallingHours) {
        AgentApi.Reply locked = agent.post("/api/leads/" + leadId + "/lock", null);
        assertThat(locked.status()).as(locked.toString()).isEqualTo(200);
        Map<String, Object> body = new HashMap<>(Map.of("leadId", leadId, "dueAt", dueAt, "timeZone", timeZone,
                "reason", reason, "mode", mode, "overrideCallingHours", overrideCallingHours));
        AgentApi.Reply scheduled = agent.post("/api/callbacks", body);
        assertThat(scheduled.status()).as(scheduled.toString()).isEqualTo(201);
        AgentApi.Reply released = agent.delete("/api/leads/" + leadId + "/lock");
        assertThat(released.status()).as(released.toString()).isEqualTo(204);
        return scheduled.json().get("id").asLong();
    }

    /**
     * Makes the scheduled callback due now (in a transaction of its own: the app's connections do not auto-commit),
     * and waits until the job executor has fired its timer.
     */
    public static void dueNow(PlatformTransactionManager transactions, JdbcTemplate jdbc, long callbackId) {
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            Timestamp now = Timestamp.from(Instant.now());
            jdbc.update("update callback set due_at = ? where id = ?", now, callbackId);
            String instance = jdbc.queryForObject("select process_instance_id from callback where id = ?",
                    String.class, callbackId);
            assertThat(jdbc.update("update ACT_RU_JOB set DUEDATE_ = ? where PROCESS_INSTANCE_ID_ = ? "
                    + "and TYPE_ = 'timer'", now, instance)).as("the callback's due timer").isOne();
        });
        await().atMost(EndToEndTest.WAIT).until(() -> "DUE".equals(jdbc.queryForObject(
                "select status from callback where id = ?", String.class, callbackId)));
    }
}
