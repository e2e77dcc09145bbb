package org.callcentre.bench;

import java.time.Instant;
import java.util.Map;

import org.callcentre.bench.Measures.Floor;

/** One database's figures from the tickets' benchmark. */
final class TicketMeasures {

    /** The database after the run (the warm-up's contacts too). */
    record Rows(int tickets, int messagesIn, int endUsersWithTwoOpen, int runningInstances) {
    }

    final Database database;
    Floor floor;
    int forms;
    double formSeconds;
    Stats formLatency;
    double formCpuMillis;
    int mails;
    Map<String, Instant> delivered = Map.of();
    double mailSeconds;
    double mailCpuMillis;
    Stats mailFiling;
    Rows rows;

    TicketMeasures(Database database) {
        this.database = database;
    }
}
