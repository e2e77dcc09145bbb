-- Silent re-prompts in a row: a prompt that timed out without a key is asked again (no failed entry), and after
-- app.card-capture.silent-prompts of them the next silence returns the donor to the agent. The count is current
-- while entry_error is SILENCE; any entry with keys overwrites the error and so ends the run.
alter table card_capture add column silent_prompts integer default 0 not null;
