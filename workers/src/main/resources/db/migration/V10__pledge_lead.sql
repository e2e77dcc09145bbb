-- A pledge taken on a call belongs to the lead that was called: card capture runs only on a call of that lead.
alter table pledge add column lead_id bigint references lead (id);
create index pledge_lead on pledge (lead_id);
