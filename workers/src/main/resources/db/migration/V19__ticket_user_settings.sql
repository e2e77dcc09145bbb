-- Each user's own settings for tickets: the initials shown on the tickets they own, and the days of the week on
-- which they get an email for each new Donations ticket (MON,TUE,…; empty: none).
create table ticket_user_settings (
    user_id                      varchar(64) primary key,
    initials                     varchar(4)  not null,
    donations_notification_days  varchar(32) default '' not null,
    updated_at                   timestamp   not null
);
