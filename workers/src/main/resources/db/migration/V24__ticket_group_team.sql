-- The Call Center home: each ticket group may count the phone calls of one inbound team, its callers waiting now and
-- those lost and not called back since. Written to run unchanged on H2 and PostgreSQL.

-- The inbound team whose callers the group's home counts; null: the group counts no calls.
alter table ticket_group add column team_id bigint references team (id);

-- A team's lost calls of the last days (whether each was called back since is read through outbound_call_to and
-- inbound_call_from).
create index inbound_call_team_result on inbound_call (team_id, result, ended_at);
