package org.callcentre.processes.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * A change to the engine's own schema, made once the engine is built (so its tables exist) and at every start, on
 * the databases it is written for. Each change must be safe to repeat.
 */
abstract class EngineSchemaPlugin extends AbstractProcessEnginePlugin {

    private final Set<String> databaseTypes;
    private final String purpose;

    /** {@code purpose} completes "could not …" in the error a failed change raises. */
    EngineSchemaPlugin(Set<String> databaseTypes, String purpose) {
        this.databaseTypes = databaseTypes;
        this.purpose = purpose;
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine processEngine) {
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration();
        if (!databaseTypes.contains(configuration.getDatabaseType())) {
            return;
        }
        String prefix = configuration.getDatabaseTablePrefix() == null ? "" : configuration.getDatabaseTablePrefix();
        try (Connection connection = configuration.getDataSource().getConnection()) {
            apply(connection, prefix);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new ProcessEngineException("could not " + purpose, e);
        }
    }

    /** Makes the change on {@code connection}; the engine's tables carry {@code tablePrefix}. */
    abstract void apply(Connection connection, String tablePrefix) throws SQLException;
}
