package org.callcentre.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.callcentre.bench.EngineOnly.EngineDatabase;
import org.junit.jupiter.api.Test;

class EngineOnlyProcessTest {

    @Test
    void theChildReadsTheDatabaseItWasStartedWith() {
        EngineDatabase postgres = new EngineDatabase("jdbc:postgresql://127.0.0.1:5432/bench?currentSchema=engine_only",
                "postgres", "org.postgresql.Driver", "engine_only");
        EngineDatabase h2 = new EngineDatabase("jdbc:h2:file:/tmp/engine;CACHE_SIZE=32768", "sa", "org.h2.Driver",
                null);

        for (EngineDatabase database : new EngineDatabase[] {postgres, h2}) {
            String[] arguments = EngineOnlyProcess.childArguments("card-capture", database).toArray(String[]::new);

            assertThat(arguments[0]).isEqualTo(EngineOnlyProcess.CHILD);
            assertThat(arguments[1]).isEqualTo("card-capture");
            assertThat(EngineOnlyProcess.database(arguments)).isEqualTo(database);
        }
    }
}
