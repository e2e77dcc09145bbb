-- What decides money is kept on the capture row when the capture starts, never read from a process variable:
-- the payment path, the amount and currency. The gateway's payment method (the card as the gateway holds it) and the
-- charge's reference are kept so that a charge whose answer was lost can be replayed or looked up without card data.

alter table campaign add column charge_on_card_update boolean default false not null;

alter table card_capture add column payment_path varchar(24);
alter table card_capture add column amount_minor bigint;
alter table card_capture add column currency char(3);
alter table card_capture add column payment_method varchar(64);
alter table card_capture add column charge_reference varchar(64);
alter table card_capture add column settle_attempts integer default 0 not null;

create index card_capture_instance on card_capture (process_instance_id);
