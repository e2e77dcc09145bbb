-- The days a user gets an email for each new Donations ticket are stored as full day names
-- (MONDAY,TUESDAY,…,SUNDAY: up to 56 characters), which the first column was too narrow for.
alter table ticket_user_settings alter column donations_notification_days set data type varchar(64);
