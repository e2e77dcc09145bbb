package org.callcentre.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.callcentre.processes.ProcessVariable;
import org.callcentre.processes.cardcapture.CardCaptureProcess;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Beans;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Entry;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Messages;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Outcome;
import org.callcentre.processes.cardcapture.CardCaptureProcess.PaymentPath;
import org.callcentre.processes.cardcapture.CardCaptureProcess.Variables;
import org.callcentre.processes.engine.EngineIndexes;
import org.callcentre.processes.engine.H2PlannerHints;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;
import org.camunda.bpm.engine.runtime.Job;

/**
 * The engine-only ceiling: the same card-capture model, driven through the Java API with no-op delegates, one
 * transaction per step as the webhooks and jobs of a real conversation take them. No HTTP, no Twilio, no gateway.
 */
final class EngineOnly implements AutoCloseable {

    private final ProcessEngine engine;

    EngineOnly(String jdbcUrl, String user, String driver) {
        Map<Object, Object> beans = new HashMap<>();
        JavaDelegate noOp = execution -> { };
        for (String bean : new String[] {Beans.MOVE_DONOR_TO_IVR, Beans.CHARGE_CARD, Beans.TOKENISE_CARD,
                Beans.CHARGE_TOKEN, Beans.RECORD_DECLINE, Beans.RECORD_OUTCOME, Beans.FLAG_TOKEN_FOLLOW_UP,
                Beans.RETURN_DONOR_TO_AGENT, Beans.SETTLE_PAYMENT}) {
            beans.put(bean, noOp);
        }
        beans.put(Beans.RECORD_SUCCESS, noOp);
        beans.put(Beans.ERASE_CARD_DATA, (ExecutionListener) execution -> { });
        beans.put(Beans.CAPTURE_FACTS, new FixedFacts());
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneProcessEngineConfiguration()
                .setJdbcUrl(jdbcUrl).setJdbcUsername(user).setJdbcPassword("").setJdbcDriver(driver)
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setHistory(ProcessEngineConfiguration.HISTORY_FULL)
                .setJobExecutorActivate(false)
                // One connection per driving thread, and no reclaiming of "overdue" connections by MyBatis's pool.
                .setJdbcMaxActiveConnections(64)
                .setJdbcMaxIdleConnections(64)
                .setJdbcMaxCheckoutTime(600_000)
                .setProcessEngineName("bench-engine-only-" + UUID.randomUUID());
        configuration.setBeans(beans);
        // The app's engine settings (application.yml), so the ceiling is this model on the same engine, not a
        // leaner one: authorization on (it writes task authorizations), jobs ordered by due date.
        configuration.setAuthorizationEnabled(true);
        configuration.setEnsureJobDueDateNotNull(true);
        configuration.setJobExecutorAcquireByDueDate(true);
        configuration.setEnableExpressionsInAdhocQueries(false);
        configuration.setEnableExpressionsInStoredQueries(false);
        // The Spring Boot starter's id generator (camunda.bpm.id-generator=strong), which the app runs with:
        // 36-character time-based UUIDs in every id and foreign key column, not the standalone default's short
        // sequential numbers from the database (docs/benchmarks.md).
        configuration.setIdGenerator(new StrongUuidGenerator());
        // The app's H2 planner hint and the indexes it adds to the engine's schema, so both engines plan alike.
        configuration.getProcessEnginePlugins().add(new H2PlannerHints());
        configuration.getProcessEnginePlugins().add(new EngineIndexes());
        engine = configuration.buildProcessEngine();
        engine.getRepositoryService().createDeployment()
                .addClasspathResource("bpmn/card-capture.bpmn").deploy();
    }

    /**
     * The engine-only JVM's side of {@link EngineOnlyProcess}, on the database at {@code jdbcUrl}: commands come on
     * standard input, answers go to standard output, and everything else the libraries print goes
     * to standard error (the child's log).
     */
    static void serve(String jdbcUrl, String user, String driver) throws Exception {
        PrintStream answers = System.out;
        System.setOut(System.err);
        try (EngineOnly engine = new EngineOnly(jdbcUrl, user, driver);
                BufferedReader commands = new BufferedReader(
                        new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            answers.println(EngineOnlyProcess.READY);
            answers.flush();
            for (String line = commands.readLine(); line != null && !line.equals("quit");
                    line = commands.readLine()) {
                String[] words = line.trim().split(" ");
                switch (words[0]) {
                    case "run" -> answers.println(EngineOnlyProcess.RATE
                            + engine.run(Integer.parseInt(words[1]), Integer.parseInt(words[2])));
                    case "stats" -> {
                        QueryStats.print(jdbcUrl, 30, answers);
                        answers.println(EngineOnlyProcess.DONE);
                    }
                    default -> throw new IllegalArgumentException("unknown command: " + line);
                }
                answers.flush();
            }
        }
    }

    /** Runs {@code conversations} at {@code concurrency}; answers conversations per second. */
    double run(int conversations, int concurrency) throws Exception {
        long start = System.nanoTime();
        Parallel.forEach(conversations, concurrency, conversation -> conversation());
        return conversations / ((System.nanoTime() - start) / 1e9);
    }

    private void conversation() {
        String captureId = UUID.randomUUID().toString();
        var runtime = engine.getRuntimeService();
        String instance = runtime.startProcessInstanceByKey(CardCaptureProcess.PROCESS_KEY, captureId,
                ProcessVariable.values().with(Variables.CAPTURE_ID, captureId).with(Variables.PLEDGE_ID, 1L)
                        .with(Variables.AGENT_ID, "agent").with(Variables.PAYMENT_PATH, PaymentPath.CHARGE_THEN_TOKENISE)
                        .with(Variables.FAILURES, 0).with(Variables.DECLINES, 0).with(Variables.TOKEN_FOLLOW_UP, false)
                        .with(Variables.OUTCOME, Outcome.IN_PROGRESS).asMap()).getId();
        executeJob(instance); // move the donor into the IVR
        for (String message : new String[] {Messages.CARD_NUMBER_ENTERED, Messages.EXPIRY_ENTERED,
                Messages.SECURITY_CODE_ENTERED}) {
            runtime.getActiveActivityIds(instance); // what the webhook asks before rendering
            runtime.createMessageCorrelation(message).processInstanceId(instance)
                    .setVariables(ProcessVariable.values().with(Variables.ENTRY, Entry.VALID)
                            .with(Variables.FAILURES, 0).asMap())
                    .correlateWithResult();
        }
        executeJob(instance); // charge
        executeJob(instance); // tokenise
        executeJob(instance); // return the donor
    }

    private void executeJob(String instance) {
        Job job = engine.getManagementService().createJobQuery().processInstanceId(instance).singleResult();
        engine.getManagementService().executeJob(job.getId());
    }

    @Override
    public void close() {
        engine.close();
    }

    /** Stands in for the capture's row, which the app's {@code cardCaptureFacts} reads: charge, then tokenise. */
    public static final class FixedFacts {
        public String paymentPath(DelegateExecution execution) {
            return "CHARGE_THEN_TOKENISE";
        }

        public int declines(DelegateExecution execution) {
            return 0;
        }

        public String settleBackoff(DelegateExecution execution) {
            return "PT10S";
        }
    }
}
