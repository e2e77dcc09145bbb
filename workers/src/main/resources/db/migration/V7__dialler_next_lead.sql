-- Next Lead reads each call list newest lead first along (call_list_id, ready, lead_id). ready is false while the
-- lead cannot be offered: until ready_at while it waits out the minimum gap between calls or the 8-hour cap, and
-- with ready_at null while it is not dialable. So the many leads called in the last hour are not read one by one
-- at the top of a list. It only ever hides a lead that Next Lead's full conditions, still checked, would refuse.
alter table lead_call_list add column ready boolean default true not null;
alter table lead_call_list add column ready_at timestamp;
create index lead_call_list_ready on lead_call_list (call_list_id, ready, lead_id);
create index lead_call_list_waiting on lead_call_list (ready, ready_at);
