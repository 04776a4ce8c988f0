-- A procedure whose chain the practice system could not take waits in the booking queue as
-- one entry; completing it books every step at the times the patient chose.
ALTER TABLE booking_queue ADD COLUMN procedure_id INTEGER REFERENCES procedures(id);
