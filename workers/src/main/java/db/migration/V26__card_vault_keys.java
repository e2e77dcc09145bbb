package db.migration;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The card vault's data keys, in a table every node reads, so that any node can serve any step of a card capture. The table is never durable: UNLOGGED on PostgreSQL (its rows are not written to the
 * WAL, so they are in no archive, replica or base backup, and a crash of the database empties it), NOT PERSISTENT
 * on H2 (kept in memory, empty at each start). Erasing a key row therefore shreds its values for good, whatever
 * the logged tables' old versions keep. A Java migration because the two databases say it differently.
 */
public class V26__card_vault_keys extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        boolean postgres = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase()
                .contains("postgres");
        String columns = """
                (
                    capture_id  varchar(36)  not null,
                    -- card_number, expiry, security_code; the empty string marks an open entry's keys as here
                    field       varchar(16)  not null,
                    generation  bigint       not null,
                    -- 32 random bytes; null for the entry's marker
                    data_key    %s,
                    expires_at  timestamp    not null,
                    primary key (capture_id, field, generation)
                )""".formatted(postgres ? "bytea" : "binary varying(32)");
        try (Statement sql = context.getConnection().createStatement()) {
            sql.execute(postgres ? "create unlogged table card_vault_key " + columns
                    : "create memory table card_vault_key " + columns + " not persistent");
            sql.execute("create index card_vault_key_expiry on card_vault_key (expires_at)");
            // The last generation of the entry's values: each new value's key has a number never used before.
            sql.execute("alter table card_vault_entry add column last_generation bigint default 0 not null");
        }
    }
}
