-- Tests only (on the test classpath, never in the jar). The card-data leak scan looks for the suite's security
-- codes and expiry dates (737, 7319, 1230) as whole numbers everywhere; the ids of the calls, callbacks and tickets
-- the suite makes appear in variables, business keys, URLs and answers, so they start past every 3- and 4-digit
-- number and can never be taken for one.
alter table outbound_call alter column id restart with 100000;
alter table callback alter column id restart with 100000;
alter table inbound_call alter column id restart with 100000;
alter table ticket alter column id restart with 100000;
