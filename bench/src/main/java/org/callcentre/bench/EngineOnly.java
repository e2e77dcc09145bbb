package org.callcentre.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.callcentre.processes.engine.EngineIndexes;
import org.callcentre.processes.engine.H2PlannerHints;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.StrongUuidGenerator;

/**
 * The engine-only ceiling: a scenario's {@link EngineOnlyModel} on a standalone engine with the app's engine
 * settings, so that the ceiling is the same model on the same engine, not a leaner one.
 */
final class EngineOnly implements AutoCloseable {

    private final ProcessEngine engine;
    private final EngineOnlyModel model;

    EngineOnly(EngineOnlyModel model, EngineDatabase database) {
        this.model = model;
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneProcessEngineConfiguration()
                .setJdbcUrl(database.url()).setJdbcUsername(database.user()).setJdbcPassword("")
                .setJdbcDriver(database.driver())
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setHistory(ProcessEngineConfiguration.HISTORY_FULL)
                .setJobExecutorActivate(false)
                // One connection per driving thread, and no reclaiming of "overdue" connections by MyBatis's pool.
                .setJdbcMaxActiveConnections(64)
                .setJdbcMaxIdleConnections(64)
                .setJdbcMaxCheckoutTime(600_000)
                .setProcessEngineName("bench-engine-only-" + UUID.randomUUID());
        if (database.schema() != null) {
            // The engine's tables live in a schema of their own beside the app's: the URL makes it the connection's
            // current schema, where the engine creates its tables, and schema and prefix make the engine look for
            // its tables, and query them, there rather than in the app's.
            configuration.setDatabaseSchema(database.schema());
            configuration.setDatabaseTablePrefix(database.schema() + ".");
        }
        configuration.setBeans(model.beans());
        // The app's engine settings (application.yml): authorization on (it writes task authorizations), jobs
        // ordered by due date, no expressions in queries.
        configuration.setAuthorizationEnabled(true);
        configuration.setEnsureJobDueDateNotNull(true);
        configuration.setJobExecutorAcquireByDueDate(true);
        configuration.setEnableExpressionsInAdhocQueries(false);
        configuration.setEnableExpressionsInStoredQueries(false);
        // The Spring Boot starter's id generator (camunda.bpm.id-generator=strong), which the app runs with:
        // 36-character UUIDs in every id and foreign key column, not the standalone default's short sequential
        // numbers from the database.
        configuration.setIdGenerator(new StrongUuidGenerator());
        // The app's H2 planner hint and the indexes it adds to the engine's schema, so both engines plan alike.
        configuration.getProcessEnginePlugins().add(new H2PlannerHints());
        configuration.getProcessEnginePlugins().add(new EngineIndexes());
        engine = configuration.buildProcessEngine();
        engine.getRepositoryService().createDeployment().addClasspathResource(model.bpmnResource()).deploy();
    }

    /** The engine-only database: JDBC URL, user, driver, and the schema its tables live in (null: the default). */
    record EngineDatabase(String url, String user, String driver, String schema) {
    }

    /**
     * The engine-only JVM's side of {@link EngineOnlyProcess}: commands come on standard input, answers go to
     * standard output, and everything else the libraries print goes to standard error (the child's log).
     */
    static void serve(EngineOnlyModel model, EngineDatabase database) throws Exception {
        PrintStream answers = System.out;
        System.setOut(System.err);
        try (EngineOnly engine = new EngineOnly(model, database);
                BufferedReader commands = new BufferedReader(
                        new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            answers.println(EngineOnlyProcess.READY);
            answers.flush();
            for (String line = commands.readLine(); line != null && !line.equals("quit");
                    line = commands.readLine()) {
                String[] words = line.trim().split(" ");
                if (!words[0].equals("run") || words.length != 3) {
                    throw new IllegalArgumentException("unknown command: " + line);
                }
                answers.println(EngineOnlyProcess.RATE
                        + engine.run(Integer.parseInt(words[1]), Integer.parseInt(words[2])));
                answers.flush();
            }
        }
    }

    /** Runs {@code conversations} at {@code concurrency}; answers conversations per second. */
    double run(int conversations, int concurrency) throws Exception {
        long start = System.nanoTime();
        Parallel.forEach(conversations, concurrency, conversation -> model.converse(engine));
        return conversations / ((System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() {
        engine.close();
    }
}
