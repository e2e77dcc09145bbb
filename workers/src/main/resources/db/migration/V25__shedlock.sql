-- Scheduled work that is not a Camunda job (the sweepers, the mailbox poll) runs on one node at a time: ShedLock's
-- JDBC provider keeps one row per task here and takes it by a conditional update. The times are the database's own
-- (usingDbTime), in UTC, so the nodes' clocks play no part. Written to run unchanged on H2 and PostgreSQL.
create table shedlock (
    -- The task, as named in its @SchedulerLock.
    name       varchar(64)  not null primary key,
    -- Held until then: the end of lockAtMostFor while the task runs, of lockAtLeastFor (or the end of the run)
    -- after it.
    lock_until timestamp    not null,
    locked_at  timestamp    not null,
    -- The node that holds or last held it (host name, process and an id of its own).
    locked_by  varchar(255) not null
);
