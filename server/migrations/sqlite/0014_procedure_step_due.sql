-- When a procedure's next visit was announced as due (procedure_step_due), so it is sent once.
ALTER TABLE procedure_steps ADD COLUMN due_sent_at INTEGER;
