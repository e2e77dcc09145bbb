-- The Twilio SequenceNumber of the status the phone's row shows: status callbacks of one call served by different
-- nodes at once may be applied out of order, and a phone's status only moves forward.
alter table agent_phone add column status_sequence integer;
