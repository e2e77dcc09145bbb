-- Tickets from the phone: the IVR routes a caller to a ticket group, whose voicemail (if it takes one) becomes a
-- ticket. Written to run unchanged on H2 and PostgreSQL.

-- The group whose voicemail takes this number's callers when their team's queue already holds the most callback
-- requests it may; null: they hear the missed-call message.
alter table inbound_number add column voicemail_group varchar(32) references ticket_group (group_key);

-- The group the caller was routed to (by the menu, or to the number's voicemail group from a full queue), and the
-- ticket their voicemail was filed on. A call routed to a group ends as VOICEMAIL (it takes voicemail) or REFERRED
-- (the caller was told to use the website form).
alter table inbound_call add column group_key varchar(32);
alter table inbound_call add column ticket_id bigint references ticket (id);

