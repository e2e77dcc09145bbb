package org.callcentre.support;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.spring.SpringProcessEngineConfiguration;
import org.springframework.context.support.StaticApplicationContext;

/**
 * A process engine on a {@link StoreDatabase}, in Spring's transactions as the app's engine is, for stores that
 * write the engine's identities beside their own rows. One per database, closed with {@link #closeAll()}.
 */
public final class StoreEngine {

    private static final Map<StoreDatabase, ProcessEngine> ENGINES = new ConcurrentHashMap<>();

    private StoreEngine() {
    }

    public static ProcessEngine of(StoreDatabase database) {
        return ENGINES.computeIfAbsent(database, StoreEngine::build);
    }

    /** Removes every engine user and group, then makes the given groups. */
    public static IdentityService emptyIdentities(StoreDatabase database, String... groups) {
        IdentityService identity = of(database).getIdentityService();
        identity.createUserQuery().list().forEach(user -> identity.deleteUser(user.getId()));
        identity.createGroupQuery().list().forEach(group -> identity.deleteGroup(group.getId()));
        for (String id : groups) {
            Group group = identity.newGroup(id);
            group.setName(id);
            identity.saveGroup(group);
        }
        return identity;
    }

    public static void closeAll() {
        ENGINES.values().forEach(ProcessEngine::close);
        ENGINES.clear();
    }

    private static ProcessEngine build(StoreDatabase database) {
        SpringProcessEngineConfiguration configuration = new SpringProcessEngineConfiguration();
        // Its expressions resolve beans; a store test has none.
        configuration.setApplicationContext(new StaticApplicationContext());
        configuration.setDataSource(database.dataSource());
        configuration.setTransactionManager(database.transaction().getTransactionManager());
        configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
        configuration.setHistory(ProcessEngineConfiguration.HISTORY_NONE);
        configuration.setJobExecutorActivate(false);
        configuration.setDbMetricsReporterActivate(false);
        configuration.setMetricsEnabled(false);
        configuration.setProcessEngineName("store-engine-" + UUID.randomUUID());
        if (database.kind() == StoreDatabase.Kind.POSTGRESQL) {
            // The store's schema is the connection's current one: the engine creates its tables there and must look
            // for them there, not in another test class's schema.
            String schema = database.jdbc().queryForObject("select current_schema()", String.class);
            configuration.setDatabaseSchema(schema);
            configuration.setDatabaseTablePrefix(schema + ".");
        }
        return configuration.buildProcessEngine();
    }
}
