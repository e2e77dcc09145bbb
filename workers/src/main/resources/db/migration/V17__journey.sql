-- Journeys: a customer's outbound calls found by the number called, and the links between calls and callbacks read
-- both ways (a callback's serving calls, the callbacks promised on a call or neglected by an inbound call, an inbound
-- call's callback). Written to run unchanged on H2 and PostgreSQL.
create index outbound_call_to on outbound_call (to_number, placed_at);
create index outbound_call_callback on outbound_call (callback_id);
create index inbound_call_callback on inbound_call (callback_id);
create index inbound_call_lead on inbound_call (lead_id);
create index callback_origin_call on callback (origin_call_id);
create index callback_served_by_inbound on callback (served_by_inbound_call_id);
