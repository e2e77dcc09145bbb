-- Ticket groups (Info, Agency, Clients, Donations…): who works which contacts. Each is also an engine group with the
-- same members, so Tasklist offers a group's ticket tasks to them. Written to run unchanged on H2 and PostgreSQL.
create table ticket_group (
    -- Letters and digits (the engine group is "group" + key).
    group_key        varchar(32)  primary key,
    name             varchar(100) not null unique,
    -- Offered on the public web form.
    public_group     boolean      default false not null,
    -- A caller routed to it by the IVR may leave a voicemail.
    takes_voicemail  boolean      default false not null,
    -- The address its mail comes in at and goes out from, if it has its own.
    inbox_address    varchar(254),
    created_at       timestamp    not null,
    updated_at       timestamp    not null
);

-- A user may be in several groups.
create table ticket_group_member (
    group_key  varchar(32) not null references ticket_group (group_key),
    user_id    varchar(64) not null,
    primary key (group_key, user_id)
);
create index ticket_group_member_user on ticket_group_member (user_id);
