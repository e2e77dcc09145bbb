-- A ticket is found by its instance when a task of the instance is completed in Tasklist (the row is locked first).
create index ticket_process_instance on ticket (process_instance_id);
