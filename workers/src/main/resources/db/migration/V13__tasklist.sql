-- The prompt the donor's last entry answered (CARD_NUMBER, EXPIRY or SECURITY_CODE): where a donor who went back to
-- the agent left the card entry, so that the outcome can say so in words ("they pressed ## during the expiry date").
alter table card_capture add column last_prompt varchar(16);
